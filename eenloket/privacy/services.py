"""Every write of the privacy app: retention rules, retention runs, exports and erasures.

The data itself belongs to the other apps; each publishes what it holds about people in its
`personal_data` module. This app decides what has expired, runs the work in batches and keeps
the record of it.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from eenloket.accesslog import services as access
from eenloket.channels.counter import personal_data as counter_data
from eenloket.channels.email import personal_data as mail_data
from eenloket.channels.phone import personal_data as phone_data
from eenloket.core import clock
from eenloket.core.exceptions import NotFound, ValidationFailed
from eenloket.core.redaction import REDACTED, audit_redact, audit_redact_references
from eenloket.core.services import audit_record
from eenloket.directory import personal_data as directory_data
from eenloket.identity import services as identity
from eenloket.knowledge import personal_data as knowledge_data
from eenloket.privacy.exceptions import ExportGone, ExportLinkExpired, ExportLinkInvalid
from eenloket.privacy.models import (
    TICKET_YEARS,
    Action,
    DataSubjectRequest,
    Kind,
    RetentionRule,
    RetentionRun,
)
from eenloket.surveys import personal_data as survey_data
from eenloket.tickets import personal_data as ticket_data

logger = logging.getLogger(__name__)
security_log = logging.getLogger("eenloket.security")

EXPORT_SALT = "eenloket.privacy.export"
EXPORT_LINK_SECONDS = 24 * 3600


def defaults() -> dict[str, tuple[int, str]]:
    """The built-in rule per kind, for organizations without a rule and without a default
    rule. Recordings keep the phone channel's setting (EENLOKET_PHONE_RECORDING_DAYS)."""
    return {
        Kind.TICKETS: (5, Action.ANONYMIZE),
        Kind.ATTACHMENTS: (365, Action.DELETE),
        Kind.RECORDINGS: (settings.EENLOKET_PHONE_RECORDING_DAYS, Action.DELETE),
        Kind.SURVEY_COMMENTS: (365, Action.ANONYMIZE),
        Kind.QUARANTINE: (30, Action.DELETE),
    }


# What may happen at expiry. Tickets are anonymized by default so the statistics stay right;
# the others have one sensible outcome.
ACTIONS = {
    Kind.TICKETS: {Action.ANONYMIZE, Action.DELETE},
    Kind.ATTACHMENTS: {Action.DELETE},
    Kind.RECORDINGS: {Action.DELETE},
    Kind.SURVEY_COMMENTS: {Action.ANONYMIZE},
    Kind.QUARANTINE: {Action.DELETE},
}
# Quarantined mail has no organization yet (it could not be routed): one rule for all.
GLOBAL_ONLY = {Kind.QUARANTINE}
# The order of a run: files first, then tickets (whose anonymization takes their files too).
RUN_ORDER = [
    Kind.ATTACHMENTS,
    Kind.RECORDINGS,
    Kind.SURVEY_COMMENTS,
    Kind.TICKETS,
    Kind.QUARANTINE,
]


# --- rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveRule:
    kind: str
    period: int
    action: str
    source: str  # "organization", "default" or "built-in"

    def cutoff(self, now: datetime) -> datetime:
        if self.kind == Kind.TICKETS:
            return now - timedelta(days=365 * self.period)
        return now - timedelta(days=self.period)


def rules_effective(
    rules: list[RetentionRule] | None = None,
) -> Callable[[str, int | None], EffectiveRule]:
    """A lookup (kind, organization id) -> the rule that holds, from one query."""
    rules = list(RetentionRule.objects.all()) if rules is None else rules
    by_key = {(rule.kind, rule.organization_id): rule for rule in rules}
    built_in = defaults()

    def lookup(kind: str, organization_id: int | None) -> EffectiveRule:
        for key, source in (((kind, organization_id), "organization"), ((kind, None), "default")):
            rule = by_key.get(key)
            if rule is not None and (key[1] is not None or source == "default"):
                return EffectiveRule(kind, rule.period, rule.action, source)
        period, action = built_in[kind]
        return EffectiveRule(kind, period, action, "built-in")

    return lookup


@transaction.atomic
def retention_rule_save(
    *, actor, kind: str, period: int, action: str, organization_id: int | None = None
) -> RetentionRule:
    """Set the rule of one kind for one organization (None: the default for all)."""
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a kind of data.")]
    elif action not in ACTIONS[kind]:
        errors["action"] = [
            _("This kind of data can only be: %(actions)s.")
            % {"actions": ", ".join(str(Action(a).label) for a in sorted(ACTIONS[kind]))}
        ]
    if kind in GLOBAL_ONLY and organization_id is not None:
        errors["organization"] = [
            _("Quarantined mail has no organization yet: set one rule for all organizations.")
        ]
    if kind == Kind.TICKETS and period not in TICKET_YEARS:
        errors["period"] = [
            _("Closed tickets are kept by a class of the selection list: 1, 5, 10 or 20 years.")
        ]
    elif not isinstance(period, int) or period < 1:
        errors["period"] = [_("Keep the data for at least one day.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    rule, created = RetentionRule.objects.select_for_update().get_or_create(
        kind=kind,
        organization_id=organization_id,
        defaults={"period": period, "action": action},
    )
    before = (rule.period, rule.action)
    rule.period, rule.action = period, action
    rule.updated_at = clock.now()
    rule.updated_by = actor if getattr(actor, "pk", None) else None
    rule.save()
    audit_record(
        actor=actor,
        obj=rule,
        action="created" if created else "changed",
        changes={
            "period": (None if created else before[0], period),
            "action": (None if created else before[1], action),
        },
    )
    return rule


@transaction.atomic
def retention_rule_delete(*, actor, rule_id: int) -> None:
    rule = RetentionRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound()
    audit_record(actor=actor, obj=rule, action="deleted", changes={"period": (rule.period, "")})
    rule.delete()


# --- retention runs ---------------------------------------------------------------------


Progress = Callable[[str, str, int, int], None]


def _batches(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _tickets_anonymize(
    ticket_ids: list[int], *, at: datetime, organization_id: int, delete: bool = False
) -> int:
    """Anonymize tickets and everything about them in the channels; they move to the
    organization's anonymous person, so they no longer say who asked. With `delete` the
    tickets themselves go (their texts and files with them) once the channels let go."""
    anonymous = directory_data.anonymous_person_id(organization_id)
    with transaction.atomic():
        # A subject is copied into the audit trail when a call is linked to its ticket.
        audit_redact_references(field="ticket", pks=ticket_ids)
        phone_data.calls_anonymize(
            call_ids=phone_data.call_ids_of_tickets(ticket_ids), at=at, respect_holds=True
        )
        mail_data.mail_anonymize(emails=[], ticket_ids=ticket_ids, person_id=None)
        counter_data.counter_anonymize(person_id=None, ticket_ids=ticket_ids)
        survey_data.surveys_anonymize(
            person_id=None, ticket_ids=ticket_ids, move_to_person_id=anonymous
        )
        if delete:
            ticket_data.tickets_delete(ticket_ids=ticket_ids)
        else:
            ticket_data.tickets_anonymize(ticket_ids=ticket_ids, requester_id=anonymous)
    return len(ticket_ids)


def _expired(kind: str, organization_id: int | None, cutoff: datetime) -> list[int]:
    if kind == Kind.TICKETS:
        return ticket_data.expired_ticket_ids(organization_id=organization_id, ended_before=cutoff)
    if kind == Kind.ATTACHMENTS:
        return ticket_data.expired_attachment_ids(
            organization_id=organization_id, ended_before=cutoff
        )
    if kind == Kind.RECORDINGS:
        return phone_data.expired_recording_ids(
            organization_id=organization_id, started_before=cutoff
        )
    if kind == Kind.SURVEY_COMMENTS:
        return survey_data.expired_comment_ids(
            organization_id=organization_id, answered_before=cutoff
        )
    return mail_data.expired_quarantine_ids(quarantined_before=cutoff)


def _expire(kind: str, rule: EffectiveRule, ids: list[int], *, at: datetime, organization_id):
    if kind == Kind.TICKETS:
        return _tickets_anonymize(
            ids, at=at, organization_id=organization_id, delete=rule.action == Action.DELETE
        )
    if kind == Kind.ATTACHMENTS:
        return ticket_data.attachments_delete(attachment_ids=ids)
    if kind == Kind.RECORDINGS:
        return phone_data.recordings_delete(
            recording_ids=ids, at=at, reason=f"retention: {rule.period} days"
        )
    if kind == Kind.SURVEY_COMMENTS:
        return survey_data.comments_clear(response_ids=ids)
    return mail_data.quarantine_delete(quarantine_ids=ids)


def _scopes(kind: str, organization_ids: list[int], only: int | None) -> list[int | None]:
    if kind in GLOBAL_ONLY:
        return [] if only is not None else [None]
    if kind == Kind.RECORDINGS and only is None:
        # Calls from numbers of no known organization fall under the default rule.
        return [*organization_ids, None]
    return organization_ids


def retention_run(
    *,
    actor=None,
    trigger: str = RetentionRun.Trigger.JOB,
    dry_run: bool = False,
    organization_id: int | None = None,
    batch: int = 200,
    progress: Progress | None = None,
) -> RetentionRun:
    """Anonymize or delete what has expired, per kind and organization, in batches of
    `batch` (one transaction each, so a long run holds no lock for long). A dry run counts
    the same and changes nothing. Every run is logged as a RetentionRun."""
    now = clock.now()
    names = directory_data.organization_names()
    if organization_id is not None and organization_id not in names:
        raise NotFound(_("There is no organization with this id."))
    run = RetentionRun.objects.create(
        started_at=now,
        trigger=trigger,
        actor=actor if getattr(actor, "pk", None) else None,
        dry_run=dry_run,
        organization_id=organization_id,
    )
    lookup = rules_effective()
    organization_ids = [organization_id] if organization_id else sorted(names)
    counts: list[dict[str, Any]] = []
    try:
        for kind in RUN_ORDER:
            for scope in _scopes(kind, organization_ids, organization_id):
                rule = lookup(kind, scope)
                ids = _expired(kind, scope, rule.cutoff(now))
                done = 0
                label = names.get(scope, "") if scope else ""
                if dry_run:
                    done = len(ids)
                else:
                    for chunk in _batches(ids, batch):
                        done += _expire(kind, rule, chunk, at=now, organization_id=scope)
                        if progress:
                            progress(kind, label, done, len(ids))
                if ids or scope is None or done:
                    counts.append(
                        {
                            "kind": kind,
                            "organization_id": scope,
                            "organization": label,
                            "action": rule.action,
                            "period": rule.period,
                            "count": done,
                        }
                    )
        if not dry_run:
            counts.append(
                {
                    "kind": "exports",
                    "organization_id": None,
                    "organization": "",
                    "action": Action.DELETE,
                    "period": 1,
                    "count": exports_prune(now=now),
                }
            )
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"
        logger.exception("Retention run %s failed", run.pk)
        raise
    finally:
        run.counts = counts
        run.total = sum(row["count"] for row in counts)
        run.finished_at = clock.now()
        run.save(update_fields=["counts", "total", "finished_at", "error"])
    logger.info(
        "Retention run %s%s: %s item(s)", run.pk, " (dry run)" if dry_run else "", run.total
    )
    return run


# --- data-subject rights: export ----------------------------------------------------------

README = {
    "README.json": "This file: what each file of the export holds.",
    "person.json": "The person record: name, organization, contact details, login.",
    "tickets.json": "Every ticket the person asked for, with its timeline (messages, replies, "
    "calls, counter visits, status changes), handovers and the list of attachments.",
    "messages_on_other_tickets.json": "Messages the person wrote on tickets of others.",
    "calls.json": "Phone calls from or to the person's numbers, with the recording's file.",
    "counter.json": "Visits to the counter and appointments, with the question asked.",
    "surveys.json": "Satisfaction surveys sent to the person and their answers.",
    "knowledge.json": "Votes on knowledge articles and searches in the portal.",
    "mail.json": "Mails received from and sent to the person, addresses in copy.",
    "attachments/": "The files attached to the tickets.",
    "recordings/": "The recordings of calls (those not yet deleted after retention).",
    "mail/": "The received mails as they arrived (.eml).",
}


@dataclass
class Gathered:
    sections: dict[str, Any]
    files: list[tuple[str, Any]] = field(default_factory=list)
    ticket_ids: list[int] = field(default_factory=list)
    call_ids: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counter = self.sections["counter.json"]
        return {
            "tickets": len(self.sections["tickets.json"]),
            "messages_on_other_tickets": len(self.sections["messages_on_other_tickets.json"]),
            "calls": len(self.sections["calls.json"]),
            "counter_visits": len(counter["visits"]),
            "appointments": len(counter["appointments"]),
            "surveys": len(self.sections["surveys.json"]),
            "mails": len(self.sections["mail.json"]["received"])
            + len(self.sections["mail.json"]["sent"]),
            "files": len(self.files),
        }


def _numbers(person) -> list[str]:
    return [number for number in (person.phone, person.mobile) if number]


def _emails(person) -> list[str]:
    emails = {person.email.lower()} if person.email else set()
    if person.user_id and person.user.email:
        emails.add(person.user.email.lower())
    return sorted(emails)


def _gather(person) -> Gathered:
    ticket_ids = ticket_data.ticket_ids_of_person(person.pk)
    tickets, files = ticket_data.tickets_export(ticket_ids)
    calls, recordings = phone_data.calls_export(person_id=person.pk, numbers=_numbers(person))
    mail, raw_mails = mail_data.mail_export(emails=_emails(person), ticket_ids=ticket_ids)
    knowledge = (
        knowledge_data.knowledge_export(user_id=person.user_id)
        if person.user_id
        else {"feedback": [], "portal_searches": []}
    )
    return Gathered(
        sections={
            "person.json": directory_data.person_export(person),
            "tickets.json": tickets,
            "messages_on_other_tickets.json": ticket_data.entries_by_person_export(
                person.pk, ticket_ids
            ),
            "calls.json": calls,
            "counter.json": counter_data.counter_export(person_id=person.pk, ticket_ids=ticket_ids),
            "surveys.json": survey_data.surveys_export(person_id=person.pk),
            "knowledge.json": knowledge,
            "mail.json": mail,
        },
        files=[*files, *recordings, *raw_mails],
        ticket_ids=ticket_ids,
        call_ids=phone_data.call_ids_of_person(person_id=person.pk, numbers=_numbers(person)),
    )


def _person(person_id: int):
    person = directory_data.person_find(person_id)
    erased = person is not None and not person.last_name and not person.is_active
    if person is None or (erased and person.first_name == directory_data.ANONYMOUS_FIRST_NAME):
        raise NotFound(_("There is no such person (or they were erased already)."))
    return person


EXPORT_CHUNK = 1024 * 1024
EXPORT_IN_MEMORY = 8 * 1024 * 1024  # larger exports are built in a temporary file


def _zip(gathered: Gathered, target) -> None:
    """Write the export into `target`, a binary file. Files (recordings, attachments) are
    copied through in chunks, so an export of hours of calls is never whole in memory."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.json", json.dumps(README, indent=2, ensure_ascii=False))
        for name, content in gathered.sections.items():
            archive.writestr(name, json.dumps(content, indent=2, ensure_ascii=False, default=str))
        for path, file in gathered.files:
            try:
                with file.storage.open(file.name, "rb") as source, archive.open(path, "w") as out:
                    shutil.copyfileobj(source, out, EXPORT_CHUNK)
            except FileNotFoundError:
                logger.warning("Export: file %s is missing from storage", file.name)


@transaction.atomic
def person_export(*, actor, person_id: int, requested_by: str) -> DataSubjectRequest:
    """Build a ZIP of everything held about the person and keep it for a signed link."""
    requested_by = (requested_by or "").strip()
    if not requested_by:
        raise ValidationFailed(field_errors={"requested_by": [_("Say who asked for this.")]})
    person = _person(person_id)
    gathered = _gather(person)
    now = clock.now()
    with tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY) as spool:
        _zip(gathered, spool)
        spool.seek(0)
        name = default_storage.save(
            f"privacy/exports/{now:%Y%m%d}-{secrets.token_hex(16)}.zip", File(spool)
        )
    request = DataSubjectRequest.objects.create(
        kind=DataSubjectRequest.Kind.EXPORT,
        person=person,
        requested_by=requested_by[:200],
        handled_by=actor if getattr(actor, "pk", None) else None,
        at=now,
        counts=gathered.counts(),
        file=name,
    )
    audit_record(actor=actor, obj=request, action="export_made")
    access.access_note(
        kind="person",
        ref=person.pk,
        person_id=person.pk,
        action="export",
        activity="administration",
    )
    return request


def export_link_token(request: DataSubjectRequest) -> str:
    return signing.dumps({"request": request.pk}, salt=EXPORT_SALT)


def export_open(*, actor, token: str) -> DataSubjectRequest:
    """The export a signed link names; a tampered or expired link is refused and logged."""
    who = getattr(actor, "username", "") or "-"
    try:
        value = signing.loads(token, salt=EXPORT_SALT, max_age=EXPORT_LINK_SECONDS)
    except signing.SignatureExpired:
        security_log.warning("Expired export link used by %s", who)
        raise ExportLinkExpired() from None
    except signing.BadSignature:
        security_log.warning("Tampered export link refused for %s", who)
        raise ExportLinkInvalid() from None
    request = DataSubjectRequest.objects.filter(
        pk=value.get("request"), kind=DataSubjectRequest.Kind.EXPORT
    ).first()
    if request is None or not request.file:
        raise ExportGone()
    audit_record(actor=actor, obj=request, action="export_downloaded")
    return request


def exports_prune(*, now: datetime) -> int:
    """Delete export files whose link has expired: an export is personal data too."""
    pruned = 0
    old = DataSubjectRequest.objects.filter(
        kind=DataSubjectRequest.Kind.EXPORT, at__lt=now - timedelta(seconds=EXPORT_LINK_SECONDS)
    ).exclude(file="")
    for request in old:
        request.file.storage.delete(request.file.name)
        request.file = ""
        request.save(update_fields=["file"])
        pruned += 1
    return pruned


# --- data-subject rights: erasure -----------------------------------------------------------


def _without(text: str, texts: list[str]) -> str:
    for value in sorted(texts, key=len, reverse=True):
        if value:
            text = re.sub(re.escape(value), REDACTED, text, flags=re.IGNORECASE)
    return text


def person_erase_preview(*, person_id: int) -> dict[str, int]:
    """What an erasure would remove, counted; changes nothing."""
    return _gather(_person(person_id)).counts()


@transaction.atomic
def person_erase(*, actor, person_id: int, requested_by: str) -> DataSubjectRequest:
    """Erase a person: names, contact details, texts, files and recordings go; their tickets,
    calls, visits and grades stay counted with organization, department, service, channel
    and times. Recorded with who asked and who did it."""
    requested_by = (requested_by or "").strip()
    if not requested_by:
        raise ValidationFailed(field_errors={"requested_by": [_("Say who asked for this.")]})
    person = _person(person_id)
    gathered = _gather(person)
    counts = gathered.counts()
    now = clock.now()
    texts = [person.full_name, *directory_data.person_texts(person)]
    if len(person.last_name) >= 4:
        texts.append(person.last_name)
    titles = [t for t in ticket_data.ticket_titles(gathered.ticket_ids) if len(t) >= 8]

    for ticket_id in gathered.ticket_ids:
        ticket_data.ticket_anonymize(ticket_id=ticket_id)
    ticket_data.entries_by_person_anonymize(person.pk)
    phone_data.calls_anonymize(
        call_ids=sorted({*gathered.call_ids, *phone_data.call_ids_of_tickets(gathered.ticket_ids)}),
        at=now,
    )
    mail_data.mail_anonymize(
        emails=_emails(person), ticket_ids=gathered.ticket_ids, person_id=person.pk
    )
    counter_data.counter_anonymize(person_id=person.pk, ticket_ids=gathered.ticket_ids)
    survey_data.surveys_anonymize(person_id=person.pk, ticket_ids=gathered.ticket_ids)
    if person.user_id:
        knowledge_data.knowledge_anonymize(user_id=person.user_id)
    redacted = audit_redact(object_type="directory.person", object_id=person.pk, texts=texts)
    if person.user_id:
        redacted += audit_redact(texts=[], object_type="directory.user", object_id=person.user_id)
    if titles:
        redacted += audit_redact(texts=titles)
    if person.user_id:
        identity.login_records_forget(username=person.user.username)
    directory_data.person_anonymize(person)
    # Earlier exports of this person are personal data too; so is their name in "asked by".
    for earlier in DataSubjectRequest.objects.filter(person=person):
        if earlier.file:
            earlier.file.storage.delete(earlier.file.name)
        DataSubjectRequest.objects.filter(pk=earlier.pk).update(
            file="", requested_by=_without(earlier.requested_by, texts)
        )
    request = DataSubjectRequest.objects.create(
        kind=DataSubjectRequest.Kind.ERASURE,
        person=person,
        requested_by=_without(requested_by, texts)[:200],
        handled_by=actor if getattr(actor, "pk", None) else None,
        at=now,
        counts={**counts, "audit_events_redacted": redacted},
    )
    audit_record(actor=actor, obj=request, action="erased")
    access.access_note(
        kind="person",
        ref=person.pk,
        person_id=person.pk,
        action="change",
        activity="administration",
    )
    security_log.info("Person %s erased by %s", person.pk, getattr(actor, "username", "-") or "-")
    return request
