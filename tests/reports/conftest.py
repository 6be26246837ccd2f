import pytest


@pytest.fixture(autouse=True)
def _backlog_counted_fresh(settings):
    # Each test has its own tickets; a backlog kept from another test would be wrong here.
    settings.EENLOKET_REPORTS_BACKLOG_SECONDS = 0
