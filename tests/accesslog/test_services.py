"""The collector's rules, the one INSERT, append-only entries, the purge and the router."""

import datetime as dt

import pytest
from django.test import RequestFactory

from eenloket.accesslog import routers, services
from eenloket.accesslog.collector import Collector, current
from eenloket.accesslog.models import AccessEntry
from eenloket.accesslog.routers import AccessLogRouter
from tests import factories as f
from tests.accesslog.factories import AccessEntryFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def collector():
    collected = Collector.start(started_at=NOW)
    token = current.set(collected)
    yield collected
    current.reset(token)


def write(collector, *, user=None, method="get", status=200) -> list[AccessEntry]:
    request = getattr(RequestFactory(), method)("/werkplek/meldingen/M2026-00001/")
    if user is not None:
        request.user = user
    services.access_entries_write(collector=collector, request=request, status=status)
    return list(AccessEntry.objects.order_by("id"))


def test_outside_a_request_noting_does_nothing(desk):
    services.access_note(kind="ticket", ref="M2026-00001", person_id=desk.person.pk)
    assert AccessEntry.objects.count() == 0


def test_the_same_object_twice_is_one_entry(collector, desk):
    for _ in range(2):
        services.access_note(kind="ticket", ref="M2026-00001", person_id=desk.person.pk)
    assert len(write(collector, user=desk.agent)) == 1


def test_a_refusal_then_access_under_another_scope_is_no_refusal(collector, desk):
    services.access_refused(kind="ticket", ref="M2026-00001")
    services.access_note(kind="ticket", ref="M2026-00001", person_id=desk.person.pk)
    assert [(e.result, e.person_id) for e in write(collector, user=desk.agent)] == [
        ("ok", desk.person.pk)
    ]


def test_a_write_request_is_a_change_and_an_explicit_action_wins(collector, desk):
    services.access_note(kind="ticket", ref="M2026-00001")
    services.access_note(kind="attachment", ref="7", action="download")
    entries = write(collector, user=desk.agent, method="post")
    assert [e.action for e in entries] == ["change", "download"]


def test_an_error_answer_marks_the_access_as_failed(collector, desk):
    services.access_note(kind="ticket", ref="M2026-00001")
    assert [e.result for e in write(collector, user=desk.agent, status=409)] == ["failed"]


def test_all_entries_of_a_request_share_one_trace_and_have_their_own_span(collector, desk):
    services.access_note_people(
        people=[desk.person, f.PersonFactory(organization=desk.organization)]
    )
    entries = write(collector, user=desk.agent)
    assert (len({e.trace_id for e in entries}), len({e.span_id for e in entries})) == (1, 2)


def test_every_column_is_written_as_noted(collector, desk):
    services.access_note(
        kind="ticket", ref="M2026-00001", person_id=desk.person.pk, ticket_number="M2026-00001"
    )
    (entry,) = write(collector, user=desk.agent, method="post", status=201)
    written = {
        field.name: getattr(entry, field.name)
        for field in AccessEntry._meta.concrete_fields
        if field.name not in {"id", "span_id", "trace_id", "ended_at"}
    }
    assert written == {
        "parent_span_id": "",
        "started_at": NOW,
        "activity": "ticket-handling",
        "name": "/werkplek/meldingen/M2026-00001/",
        "action": "change",
        "result": "ok",
        "http_status": 201,
        "object_kind": "ticket",
        "object_ref": "M2026-00001",
        "ticket_number": "M2026-00001",
        "person_id": desk.person.pk,
        "actor_id": desk.agent.pk,
        "actor_username": desk.agent.username,
        "actor_role": desk.agent.role,
        "actor_department_ids": "",
        "channel": "page",
        "api_key_id": None,
        "ip_address": "127.0.0.1",
    }
    assert (len(entry.span_id), entry.trace_id, entry.ended_at >= NOW) == (
        16,
        collector.trace_id,
        True,
    )


def test_more_entries_than_one_statement_takes_are_all_written(collector, desk):
    # SQLite takes 999 parameters per statement: 47 rows; 120 need three statements.
    for n in range(120):
        services.access_note(kind="ticket", ref=f"M2026-{n:05d}", person_id=desk.person.pk)
    entries = write(collector, user=desk.agent)
    assert sorted(e.object_ref for e in entries) == [f"M2026-{n:05d}" for n in range(120)]


def test_an_anonymous_request_has_no_actor(collector, desk):
    from django.contrib.auth.models import AnonymousUser

    services.access_note(kind="visit", ref="1")
    (entry,) = write(collector, user=AnonymousUser())
    assert (entry.actor_id, entry.actor_username, entry.actor_role) == (None, "", "")


def test_a_bad_traceparent_starts_a_new_trace():
    collected = Collector.start(started_at=NOW, traceparent="00-" + "0" * 32 + "-abc-01")
    assert (len(collected.trace_id), collected.parent_span_id) == (32, "")


# --- append-only -------------------------------------------------------------------------


def test_an_entry_cannot_be_changed():
    entry = AccessEntryFactory()
    entry.actor_username = "iemand-anders"
    with pytest.raises(TypeError, match="append-only"):
        entry.save()


def test_an_entry_cannot_be_deleted():
    entry = AccessEntryFactory()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()


def test_entries_cannot_be_updated_or_deleted_in_bulk():
    AccessEntryFactory()
    with pytest.raises(TypeError, match="append-only"):
        AccessEntry.objects.update(actor_username="x")
    with pytest.raises(TypeError, match="append-only"):
        AccessEntry.objects.all().delete()
    assert AccessEntry.objects.filter(actor_username="servicedesk").count() == 1


# --- retention ---------------------------------------------------------------------------


def test_the_purge_deletes_what_is_older_than_the_retention_only(settings):
    settings.EENLOKET_ACCESSLOG_RETENTION_DAYS = 365
    old = AccessEntryFactory(started_at=NOW - dt.timedelta(days=366))
    kept = AccessEntryFactory(started_at=NOW - dt.timedelta(days=364))
    assert services.access_log_purge(now=NOW) == 1
    assert list(AccessEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AccessEntry.objects.filter(pk=old.pk).exists()


def test_the_purge_job_runs_the_purge(settings):
    from eenloket.accesslog.tasks import purge

    settings.EENLOKET_ACCESSLOG_RETENTION_DAYS = 1
    AccessEntryFactory(started_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert purge.call() == 1


# --- a database of its own ---------------------------------------------------------------


def test_without_its_own_database_the_log_is_in_the_default_one():
    router = AccessLogRouter()
    assert (router.db_for_write(AccessEntry), router.allow_migrate("default", "accesslog")) == (
        "default",
        None,
    )


def test_with_its_own_database_the_log_goes_there_and_nothing_else_does(monkeypatch):
    monkeypatch.setattr(routers, "has_own_database", lambda: True)
    router = AccessLogRouter()
    assert (
        router.db_for_read(AccessEntry),
        router.db_for_write(AccessEntry),
        router.allow_migrate("accesslog", "accesslog"),
        router.allow_migrate("default", "accesslog"),
        router.allow_migrate("accesslog", "tickets"),
        router.allow_migrate("default", "tickets"),
    ) == ("accesslog", "accesslog", True, False, False, True)
