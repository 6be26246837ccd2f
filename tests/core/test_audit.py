import pytest

from eenloket.core.models import AuditEvent
from eenloket.core.services import audit_record
from tests import factories as f


@pytest.fixture
def event(db):
    organization = f.OrganizationFactory()
    return audit_record(actor=None, obj=organization, action="created")[0]


def test_an_audit_event_cannot_be_changed(event):
    event.action = "iets anders"
    with pytest.raises(TypeError):
        event.save()


def test_an_audit_event_cannot_be_deleted(event):
    with pytest.raises(TypeError):
        event.delete()


def test_the_audit_trail_cannot_be_updated_in_bulk(event):
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(action="weg")


def test_only_changed_fields_are_recorded(db):
    organization = f.OrganizationFactory()
    events = audit_record(
        actor=None, obj=organization, action="updated", changes={"a": (1, 2), "b": (3, 3)}
    )
    assert [(e.field, e.old_value, e.new_value) for e in events] == [("a", "1", "2")]
