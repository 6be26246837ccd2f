"""The personal data of customer surveys, published for the privacy app: whom a survey was
sent to and the comment they wrote. Grades stay: they are counted without a name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from eenloket.surveys.models import SurveyInvitation, SurveyResponse


def surveys_export(*, person_id: int) -> list[dict[str, Any]]:
    return [
        {
            "ticket": invitation.ticket.number,
            "sent_at": invitation.created_at.isoformat(),
            "grade": getattr(invitation, "response", None) and invitation.response.grade,
            "question_answered": getattr(invitation, "response", None)
            and invitation.response.answered,
            "comment": getattr(invitation, "response", None) and invitation.response.comment,
        }
        for invitation in SurveyInvitation.objects.filter(person_id=person_id)
        .select_related("ticket", "response")
        .order_by("created_at", "pk")
    ]


def surveys_anonymize(
    *, person_id: int | None, ticket_ids: list[int], move_to_person_id: int | None = None
) -> int:
    """Blank the comments; `move_to_person_id` moves the invitations to another person
    (an organization's anonymous person) with their tickets."""
    condition = Q(ticket_id__in=ticket_ids)
    if person_id is not None:
        condition |= Q(invitation__person_id=person_id)
    cleared = SurveyResponse.objects.filter(condition).exclude(comment="").update(comment="")
    if move_to_person_id is not None:
        SurveyInvitation.objects.filter(ticket_id__in=ticket_ids).update(
            person_id=move_to_person_id
        )
    return cleared


def expired_comment_ids(*, organization_id: int, answered_before: datetime) -> list[int]:
    return list(
        SurveyResponse.objects.filter(
            organization_id=organization_id, created_at__lt=answered_before
        )
        .exclude(comment="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def comments_clear(*, response_ids: list[int]) -> int:
    return SurveyResponse.objects.filter(pk__in=response_ids).update(comment="")
