"""The personal data the phone channel holds, published for the privacy app: calls (numbers,
who called), their exchange events and recordings. Retention of recordings is one of the
privacy app's rules; the hold on a recording (a complaint) is respected here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from eenloket.channels.phone.models import Call, CallEvent, Recording, RecordingHold
from eenloket.core.services import audit_record


def _calls_of(person_id: int, numbers: list[str]):
    condition = Q(person_id=person_id)
    if numbers:
        condition |= Q(number__in=numbers)
    return Call.objects.filter(condition)


def calls_export(
    *, person_id: int, numbers: list[str]
) -> tuple[list[dict[str, Any]], list[tuple[str, Any]]]:
    rows, files = [], []
    for call in (
        _calls_of(person_id, numbers)
        .select_related("recording", "ticket")
        .order_by("started_at", "pk")
    ):
        recording = getattr(call, "recording", None)
        path = None
        if recording is not None and recording.file:
            extension = "wav" if "wav" in recording.content_type else "audio"
            path = f"recordings/{call.call_id}.{extension}"
            files.append((path, recording.file))
        rows.append(
            {
                "call_id": call.call_id,
                "direction": call.direction,
                "number": call.number,
                "from": call.from_number,
                "to": call.to_number,
                "result": call.result,
                "started_at": call.started_at.isoformat(),
                "ended_at": call.ended_at.isoformat() if call.ended_at else None,
                "talk_seconds": call.talk_seconds,
                "ticket": call.ticket.number if call.ticket_id else None,
                "recording": path,
                "recording_deleted_at": (
                    recording.deleted_at.isoformat()
                    if recording is not None and recording.deleted_at
                    else None
                ),
            }
        )
    return rows, files


def _recording_delete(recording: Recording, *, at: datetime, reason: str) -> bool:
    if recording.deleted_at is not None:
        return False
    name = recording.file.name if recording.file else ""
    # Files are named by content: another call's identical recording keeps the file.
    if name and not Recording.objects.filter(file=name).exclude(pk=recording.pk).exists():
        recording.file.storage.delete(name)
    recording.file = ""
    recording.deleted_at = at
    recording.deleted_reason = reason[:200]
    recording.save(update_fields=["file", "deleted_at", "deleted_reason"])
    audit_record(
        actor=None, obj=recording, action="recording_deleted", changes={"reason": ("", reason)}
    )
    return True


@transaction.atomic
def calls_anonymize(*, call_ids: list[int], at: datetime, respect_holds: bool = False) -> int:
    """Blank the numbers of calls, forget who called and delete their recordings. Returns
    the calls. The retention job respects holds (a complaint keeps its recording); an
    erasure does not: it leaves nothing to hold."""
    calls = Call.objects.filter(pk__in=call_ids)
    recordings = Recording.objects.filter(call__in=calls)
    active = RecordingHold.objects.filter(released_at__isnull=True)
    if respect_holds:
        recordings = recordings.exclude(pk__in=active.values("recording_id"))
    else:
        active.filter(recording__call__in=calls).update(released_at=at)
    for recording in recordings.select_for_update():
        _recording_delete(recording, at=at, reason="AVG")
    CallEvent.objects.filter(call__in=calls).update(payload={})
    return calls.update(from_number="", to_number="", number="", person=None)


def call_ids_of_person(*, person_id: int, numbers: list[str]) -> list[int]:
    return list(_calls_of(person_id, numbers).values_list("pk", flat=True))


def call_ids_of_tickets(ticket_ids: list[int]) -> list[int]:
    return list(Call.objects.filter(ticket_id__in=ticket_ids).values_list("pk", flat=True))


def expired_recording_ids(*, organization_id: int | None, started_before: datetime) -> list[int]:
    """Kept recordings of the organization's calls (None: calls of no known organization)
    that started before the moment, without an active hold."""
    held = RecordingHold.objects.filter(released_at__isnull=True).values("recording_id")
    return list(
        Recording.objects.filter(
            call__organization_id=organization_id,
            call__started_at__lt=started_before,
            deleted_at__isnull=True,
        )
        .exclude(pk__in=held)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def recordings_delete(*, recording_ids: list[int], at: datetime, reason: str) -> int:
    """Delete the audio of recordings; the row stays as the log of it. Holds are checked
    again under the row lock, so a hold placed meanwhile wins."""
    deleted = 0
    for pk in recording_ids:
        with transaction.atomic():
            recording = Recording.objects.select_for_update().filter(pk=pk).first()
            if recording is None or recording.holds.filter(released_at__isnull=True).exists():
                continue
            deleted += _recording_delete(recording, at=at, reason=reason)
    return deleted
