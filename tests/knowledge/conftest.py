import pytest

from eenloket.demo.data import load_reference_data
from eenloket.demo.knowledge import load_knowledge


@pytest.fixture
def demo_kb(db):
    """The demo's departments, services, staff and its ~90 published articles."""
    load_reference_data(people=0)
    load_knowledge()
