"""Retention runs, exports and erasure, on a person with data of every kind."""

import datetime as dt
import io
import json
import logging
import os
import zipfile

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.db import models

from eenloket.channels.email.models import InboundMessage, OutboundMessage, Quarantine
from eenloket.channels.phone.models import Call, Recording
from eenloket.core.exceptions import ValidationFailed
from eenloket.privacy import services
from eenloket.privacy.exceptions import ExportLinkExpired, ExportLinkInvalid
from eenloket.privacy.models import DataSubjectRequest, RetentionRun
from eenloket.reports import selectors as reports
from eenloket.surveys.models import SurveyResponse
from eenloket.tickets.models import Attachment, Ticket, TicketEntry
from tests import factories as f
from tests.factories import TUESDAY_10
from tests.privacy.conftest import EMAIL, NAME, PHONE, _closed_ticket, years

PERSONAL = [NAME[1].lower(), NAME[0].lower(), EMAIL, PHONE[3:], "zw-77123"]
APRIL = reports.Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))


def rows_mentioning(texts: list[str]) -> list[str]:
    """Every database value (text or JSON) that holds one of the texts."""
    found = []
    for model in apps.get_models():
        if model._meta.label == "sessions.Session":
            continue
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField, models.JSONField))
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *fields):
            for value in row[1:]:
                text = json.dumps(value) if not isinstance(value, str) else value
                if any(needle in text.lower() for needle in texts):
                    found.append(f"{model._meta.label} {row[0]}: {text[:80]}")
    return found


def files_mentioning(texts: list[str]) -> list[str]:
    found = []
    for folder, _dirs, names in os.walk(settings.MEDIA_ROOT):
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                content = handle.read().lower()
            if any(needle.encode() in content for needle in texts):
                found.append(name)
    return found


def kpis(desk):
    return (
        reports.ticket_figures(actor=desk.admin, period=APRIL, filters=reports.ReportFilters()),
        reports.satisfaction(actor=desk.admin, period=APRIL, filters=reports.ReportFilters()),
        reports.contacts_by(
            actor=desk.admin, period=APRIL, filters=reports.ReportFilters(), dimension="service"
        ),
    )


def run_at(moment, **kwargs) -> RetentionRun:
    with time_machine.travel(moment, tick=False):
        return services.retention_run(**kwargs)


def counted(run: RetentionRun, kind: str) -> int:
    return sum(row["count"] for row in run.counts if row["kind"] == kind)


# --- retention ---------------------------------------------------------------------------


def test_closed_tickets_are_anonymized_after_the_default_five_years_not_before(world):
    assert counted(run_at(TUESDAY_10 + years(5) - dt.timedelta(days=2)), "tickets") == 0
    run = run_at(TUESDAY_10 + years(5) + dt.timedelta(days=1))
    assert counted(run, "tickets") == 2
    world.ticket.refresh_from_db()
    assert world.ticket.title == "[geanonimiseerd]"
    assert world.ticket.resolution == ""
    assert world.ticket.requester_id != world.person.pk
    assert not TicketEntry.objects.filter(ticket=world.ticket).exclude(body="").exists()


def test_an_anonymized_ticket_leaves_no_subject_in_the_audit_trail(world, desk):
    from eenloket.core.models import AuditEvent
    from eenloket.core.services import audit_record

    audit_record(
        actor=desk.agent,
        obj=world.call,
        action="call_linked",
        changes={"ticket": ("", world.ticket)},
    )
    run_at(TUESDAY_10 + years(6))
    event = AuditEvent.objects.get(action="call_linked")
    assert event.new_value == "[verwijderd]"
    assert rows_mentioning(["laptop van"]) == []


def test_an_organization_rule_overrides_the_default(world, desk):
    elsewhere = f.OrganizationFactory(name="Gemeente Sliedrecht")
    outsider = f.PersonFactory(organization=elsewhere)
    from tests.privacy.conftest import _closed_ticket

    with time_machine.travel(TUESDAY_10, tick=False):
        kept = _closed_ticket(desk, outsider, "Buiten", "Tekst", "b.pdf")
    services.retention_rule_save(
        actor=desk.admin,
        kind="tickets",
        organization_id=desk.organization.pk,
        period=1,
        action="anonymize",
    )
    run = run_at(TUESDAY_10 + years(1) + dt.timedelta(days=1))
    assert counted(run, "tickets") == 2
    kept.refresh_from_db()
    assert kept.title == "Buiten"


def test_tickets_can_be_deleted_at_expiry(world, desk):
    services.retention_rule_save(
        actor=desk.admin, kind="tickets", organization_id=None, period=1, action="delete"
    )
    run_at(TUESDAY_10 + years(2))
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()


def test_a_dry_run_counts_the_same_and_changes_nothing(world):
    later = TUESDAY_10 + years(6)
    dry = run_at(later, dry_run=True)
    assert dry.dry_run is True
    world.ticket.refresh_from_db()
    assert world.ticket.title.startswith("Laptop van")
    assert Attachment.objects.count() == 2
    assert Recording.objects.filter(deleted_at__isnull=True).count() == 2
    assert Quarantine.objects.count() == 1
    real = run_at(later)
    strip = lambda run: [(r["kind"], r["organization_id"], r["count"]) for r in run.counts]  # noqa: E731
    assert strip(dry) == [row for row in strip(real) if row[0] != "exports"]


def test_attachments_of_closed_tickets_go_after_their_term_with_their_files(world, desk):
    names = [attachment.file.name for attachment in Attachment.objects.all()]
    services.retention_rule_save(
        actor=desk.admin, kind="attachments", organization_id=None, period=30, action="delete"
    )
    assert counted(run_at(TUESDAY_10 + dt.timedelta(days=29)), "attachments") == 0
    assert counted(run_at(TUESDAY_10 + dt.timedelta(days=31)), "attachments") == 2
    assert not any(default_storage.exists(name) for name in names)


def test_recordings_go_from_storage_after_the_phone_default_and_the_row_stays(world):
    name = world.recording.file.name
    assert counted(run_at(TUESDAY_10 + dt.timedelta(days=89)), "recordings") == 0
    assert counted(run_at(TUESDAY_10 + dt.timedelta(days=91)), "recordings") == 2
    world.recording.refresh_from_db()
    assert world.recording.is_deleted
    assert (
        world.recording.deleted_reason
        == f"retention: {settings.EENLOKET_PHONE_RECORDING_DAYS} days"
    )
    assert not default_storage.exists(name)


def test_a_recording_on_hold_survives_its_ticket_being_anonymized(world, desk):
    from eenloket.channels.phone import services as phone

    phone.recording_hold_place(actor=desk.admin, recording=world.recording, reason="Klacht")
    run_at(TUESDAY_10 + years(6))
    world.recording.refresh_from_db()
    assert not world.recording.is_deleted
    assert default_storage.exists(world.recording.file.name)


def test_survey_comments_are_blanked_and_the_grades_stay(world):
    run = run_at(TUESDAY_10 + dt.timedelta(days=366))
    assert counted(run, "survey_comments") == 2
    assert list(SurveyResponse.objects.order_by("grade").values_list("grade", "comment")) == [
        (4, ""),
        (9, ""),
    ]


def test_quarantined_mail_goes_with_its_raw_file(world):
    raw = world.quarantine.inbound.raw.name
    assert counted(run_at(TUESDAY_10 + dt.timedelta(days=31)), "quarantine") == 1
    assert not Quarantine.objects.exists()
    assert not InboundMessage.objects.filter(pk=world.quarantine.inbound_id).exists()
    assert not default_storage.exists(raw)


def test_the_kpis_do_not_change_when_tickets_are_anonymized(world, desk):
    before = kpis(desk)
    run_at(TUESDAY_10 + years(6))
    figures, satisfaction, by_service = kpis(desk)
    assert figures == before[0]
    assert satisfaction.mean == before[1].mean
    assert [(row.label, row.count) for row in by_service] == [
        (row.label, row.count) for row in before[2]
    ]


def test_every_run_is_logged_with_its_counts(world, desk):
    run = run_at(TUESDAY_10 + years(6), actor=desk.admin, trigger="page", dry_run=True)
    assert RetentionRun.objects.get() == run
    assert (run.trigger, run.actor, run.finished_at is not None) == ("page", desk.admin, True)
    assert run.total == sum(row["count"] for row in run.counts) > 0


def test_a_run_for_one_organization_leaves_the_others(world, desk):
    elsewhere = f.OrganizationFactory(name="Gemeente Zwijndrecht")
    run = run_at(TUESDAY_10 + years(6), organization_id=elsewhere.pk)
    assert run.total == 0
    world.ticket.refresh_from_db()
    assert world.ticket.title.startswith("Laptop van")


@pytest.mark.parametrize(
    ("kind", "organization", "period", "action", "field"),
    [
        ("tickets", False, 3, "anonymize", "period"),
        ("recordings", False, 0, "delete", "period"),
        ("quarantine", True, 30, "delete", "organization"),
        ("attachments", False, 30, "anonymize", "action"),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused_clearly(
    desk, kind, organization, period, action, field
):
    with pytest.raises(ValidationFailed) as error:
        services.retention_rule_save(
            actor=desk.admin,
            kind=kind,
            organization_id=desk.organization.pk if organization else None,
            period=period,
            action=action,
        )
    assert field in error.value.field_errors


# --- export ------------------------------------------------------------------------------


def read_zip(request: DataSubjectRequest) -> zipfile.ZipFile:
    with request.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_the_export_holds_every_kind_of_data_and_the_files(world, desk):
    export = services.person_export(
        actor=desk.admin, person_id=world.person.pk, requested_by="Zelf, per mail"
    )
    archive = read_zip(export)
    names = set(archive.namelist())
    readme = json.loads(archive.read("README.json"))
    assert {name for name in names if "/" not in name} <= set(readme)
    tickets = json.loads(archive.read("tickets.json"))
    assert [t["number"] for t in tickets] == [world.ticket.number]
    assert any(entry["text"] == f"Bel mij op {PHONE}" for entry in tickets[0]["timeline"])
    assert json.loads(archive.read("person.json"))["email"] == EMAIL
    assert json.loads(archive.read("calls.json"))[0]["number"] == PHONE
    counter = json.loads(archive.read("counter.json"))
    assert len(counter["visits"]) == len(counter["appointments"]) == 1
    assert json.loads(archive.read("surveys.json"))[0]["grade"] == 4
    assert json.loads(archive.read("mail.json"))["received"][0]["from"] == EMAIL
    assert json.loads(archive.read("knowledge.json"))["feedback"][0]["helpful"] is True
    assert archive.read("recordings/zw-1.wav").startswith(b"RIFF")
    assert any(name.startswith("attachments/") and name.endswith("zwanette.pdf") for name in names)
    assert any(name.startswith("mail/") for name in names)


def test_the_export_holds_nothing_of_another_person(world, desk):
    export = services.person_export(
        actor=desk.admin, person_id=world.person.pk, requested_by="Zelf"
    )
    archive = read_zip(export)
    everything = b"".join(archive.read(name) for name in archive.namelist()).lower()
    assert b"gerrit" not in everything
    assert b"buitenhof" not in everything
    assert world.other_ticket.number.encode() not in everything.upper()


def test_an_export_needs_to_say_who_asked(world, desk):
    with pytest.raises(ValidationFailed):
        services.person_export(actor=desk.admin, person_id=world.person.pk, requested_by=" ")


def test_a_tampered_link_is_refused_and_logged(world, desk, caplog):
    export = services.person_export(
        actor=desk.admin, person_id=world.person.pk, requested_by="Zelf"
    )
    token = services.export_link_token(export)
    with (
        caplog.at_level(logging.WARNING, logger="eenloket.security"),
        pytest.raises(ExportLinkInvalid),
    ):
        services.export_open(actor=desk.admin, token=token[:-2] + "xx")
    assert [r.name for r in caplog.records] == ["eenloket.security"]
    assert "Tampered" in caplog.records[0].getMessage()


def test_an_expired_link_is_refused_and_logged(world, desk, caplog):
    with time_machine.travel(TUESDAY_10, tick=False):
        export = services.person_export(
            actor=desk.admin, person_id=world.person.pk, requested_by="Zelf"
        )
        token = services.export_link_token(export)
    with (
        time_machine.travel(TUESDAY_10 + dt.timedelta(hours=25), tick=False),
        caplog.at_level(logging.WARNING, logger="eenloket.security"),
        pytest.raises(ExportLinkExpired),
    ):
        services.export_open(actor=desk.admin, token=token)
    assert "Expired" in caplog.records[-1].getMessage()


def test_a_link_signed_for_something_else_is_refused(world, desk):
    token = signing.dumps({"request": 1}, salt="eenloket.surveys")
    with pytest.raises(ExportLinkInvalid):
        services.export_open(actor=desk.admin, token=token)


def test_the_retention_job_removes_an_export_once_its_link_expired(world, desk):
    with time_machine.travel(TUESDAY_10, tick=False):
        export = services.person_export(
            actor=desk.admin, person_id=world.person.pk, requested_by="Zelf"
        )
    name = export.file.name
    run_at(TUESDAY_10 + dt.timedelta(days=2))
    export.refresh_from_db()
    assert export.file.name == ""
    assert not default_storage.exists(name)


# --- erasure -----------------------------------------------------------------------------


def test_erasure_leaves_no_personal_data_in_rows_or_files(world, desk):
    assert rows_mentioning(PERSONAL)  # the search finds what is there
    assert files_mentioning(PERSONAL)
    services.person_export(actor=desk.admin, person_id=world.person.pk, requested_by="Zelf")
    services.person_erase(
        actor=desk.admin,
        person_id=world.person.pk,
        requested_by=f"{NAME[0]} {NAME[1]} zelf, per brief",
    )
    assert rows_mentioning(PERSONAL) == []
    assert files_mentioning(PERSONAL) == []


def test_erasure_removes_the_login_records_kept_under_the_user_name(world, desk):
    from axes.models import AccessAttempt, AccessLog

    for username in ("zoosterbroekstra", "gbuitenhof"):
        AccessLog.objects.create(username=username, ip_address="192.0.2.7", user_agent="Firefox")
        AccessAttempt.objects.create(
            username=username, ip_address="192.0.2.7", user_agent="Firefox", failures_since_start=2
        )
    services.person_erase(actor=desk.admin, person_id=world.person.pk, requested_by="Zelf")
    assert sorted(AccessLog.objects.values_list("username", flat=True)) == ["gbuitenhof"]
    assert sorted(AccessAttempt.objects.values_list("username", flat=True)) == ["gbuitenhof"]


def test_erasure_keeps_the_counts_and_the_kpis(world, desk):
    before = kpis(desk)
    services.person_erase(actor=desk.admin, person_id=world.person.pk, requested_by="Zelf")
    figures, satisfaction, _by_service = kpis(desk)
    assert figures == before[0]
    assert (satisfaction.mean, satisfaction.responses) == (before[1].mean, before[1].responses)
    assert Ticket.objects.filter(organization=desk.organization).count() == 2
    assert Call.objects.count() == 2
    world.ticket.refresh_from_db()
    assert (world.ticket.service_id, world.ticket.channel) == (desk.laptop.pk, "phone")


def test_erasure_leaves_the_other_person_alone(world, desk):
    services.person_erase(actor=desk.admin, person_id=world.person.pk, requested_by="Zelf")
    world.other_ticket.refresh_from_db()
    assert world.other_ticket.title == "Printer van Gerrit"
    assert Recording.objects.filter(deleted_at__isnull=True).count() == 1
    assert OutboundMessage.objects.exclude(to="").count() == 0  # the only one was theirs


def test_erasure_is_recorded_with_who_asked_and_who_did_it(world, desk):
    request = services.person_erase(
        actor=desk.admin, person_id=world.person.pk, requested_by="De klant, brief van 3 maart"
    )
    assert (request.kind, request.requested_by, request.handled_by) == (
        "erasure",
        "De klant, brief van 3 maart",
        desk.admin,
    )
    assert request.counts["tickets"] == 1


def test_an_erased_person_cannot_be_erased_or_exported_again(world, desk):
    services.person_erase(actor=desk.admin, person_id=world.person.pk, requested_by="Zelf")
    with pytest.raises(services.NotFound):
        services.person_erase(actor=desk.admin, person_id=world.person.pk, requested_by="Zelf")
    with pytest.raises(services.NotFound):
        services.person_export(actor=desk.admin, person_id=world.person.pk, requested_by="Zelf")


def test_the_erasure_preview_changes_nothing(world):
    counts = services.person_erase_preview(person_id=world.person.pk)
    assert counts["tickets"] == counts["calls"] == counts["surveys"] == 1
    world.person.refresh_from_db()
    assert world.person.last_name == NAME[1]


def test_anonymizing_many_tickets_takes_no_more_statements_than_two(world, desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eenloket.privacy.services import _tickets_anonymize

    def statements(tickets) -> int:
        with CaptureQueriesContext(connection) as queries:
            _tickets_anonymize(
                [t.pk for t in tickets], at=TUESDAY_10, organization_id=desk.organization.pk
            )
        return len(queries)

    with time_machine.travel(TUESDAY_10, tick=False):
        tickets = [
            _closed_ticket(desk, world.other, f"Printer {n}", f"Tekst {n}", f"bijlage-{n}.pdf")
            for n in range(10)
        ]
    two, eight = statements(tickets[:2]), statements(tickets[2:])
    # Before: 46 statements for two, 123 for eight.
    assert (eight <= two, Attachment.objects.filter(entry__ticket__in=tickets).count()) == (True, 0)
