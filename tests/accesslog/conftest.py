import pytest

from eenloket.accesslog.models import AccessEntry


@pytest.fixture
def logged():
    """The entries written so far, oldest first, as (actor, role, action, kind, ref, person,
    result) rows: what a reader of the log would look for."""

    def rows(**filters):
        return [
            (
                e.actor_username,
                e.actor_role,
                e.action,
                e.object_kind,
                e.object_ref,
                e.person_id,
                e.result,
            )
            for e in AccessEntry.objects.filter(**filters).order_by("id")
        ]

    return rows
