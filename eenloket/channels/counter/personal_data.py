"""The personal data the counter holds, published for the privacy app: visits (who, what
they typed at the kiosk) and appointments (with the question asked)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from eenloket.channels.counter.models import Appointment, Visit


def counter_export(*, person_id: int, ticket_ids: list[int]) -> dict[str, Any]:
    visits = [
        {
            "day": visit.day.isoformat(),
            "number": visit.number,
            "topic": visit.topic.name_nl,
            "identified_as": visit.identified_as,
            "arrived_at": visit.arrived_at.isoformat(),
            "finished_at": visit.finished_at.isoformat() if visit.finished_at else None,
            "status": visit.status,
            "ticket": visit.ticket_number,
        }
        for visit in Visit.objects.filter(Q(person_id=person_id) | Q(ticket_id__in=ticket_ids))
        .select_related("topic")
        .order_by("arrived_at", "pk")
    ]
    appointments = [
        {
            "code": appointment.code,
            "topic": appointment.topic.name_nl,
            "starts_at": appointment.starts_at.isoformat(),
            "question": appointment.question,
            "status": appointment.status,
        }
        for appointment in Appointment.objects.filter(person_id=person_id)
        .select_related("topic")
        .order_by("starts_at", "pk")
    ]
    return {"visits": visits, "appointments": appointments}


@transaction.atomic
def counter_anonymize(*, person_id: int | None, ticket_ids: list[int]) -> int:
    """Forget who visited (the visit stays counted) and the questions of appointments."""
    condition = Q(ticket_id__in=ticket_ids)
    if person_id is not None:
        condition |= Q(person_id=person_id)
        Appointment.objects.filter(person_id=person_id).update(question="")
    return Visit.objects.filter(condition).update(identified_as="", person=None)
