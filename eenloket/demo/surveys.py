"""A year of survey answers and employee pulse rounds for the demo.

Customers grade resolved tickets; grades rise after the merge as first line learns (and are
lower when a ticket went to a department and back, or was reopened). Four pulse rounds, one
per quarter, with the mean rising to the 7.9 the reference desk measured after the change.
Runs after the ticket history; idempotent.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from eenloket.demo.history import HISTORY_DAYS, LEARNING_DAYS
from eenloket.surveys.models import (
    PulseAnswer,
    PulseRound,
    SatisfactionAlert,
    SurveyResponse,
)
from eenloket.surveys.services import alert_max_grade, invitation_for_ticket
from eenloket.tickets.models import Status, Ticket

RESPONSE_RATE = 0.45
COMMENTS_LOW = [
    "Het duurde erg lang voordat ik iets hoorde.",
    "Ik werd van het kastje naar de muur gestuurd.",
    "Mijn vraag is niet echt beantwoord.",
]
COMMENTS_HIGH = [
    "Snel en vriendelijk geholpen, dank!",
    "Fijn dat ik meteen bij één loket terecht kon.",
    "Duidelijke uitleg.",
]
PULSE_COMMENTS = [
    "De overdracht naar de afdelingen loopt steeds beter.",
    "Meer tijd voor de kennisbank zou helpen.",
    "Fijn team, maar de piek op maandag is zwaar.",
]


def _learned(at: datetime, now: datetime) -> float:
    start = now - timedelta(days=HISTORY_DAYS)
    return min(1.0, max(0.0, (at - start).days / LEARNING_DAYS))


def _grade(rng: random.Random, learned: float, ticket) -> int:
    mean = 6.1 + 1.7 * learned - 0.8 * (ticket.handover_count > 0) - 1.2 * (ticket.reopen_count > 0)
    return max(1, min(10, round(rng.gauss(mean, 1.3))))


def load_survey_history(*, now: datetime, seed: int, progress: Callable[[str], None]) -> int:
    """Invite, and answer for some, every resolved demo ticket; add the pulse rounds."""
    if SurveyResponse.objects.exists():
        return 0
    rng = random.Random(seed + 9)
    resolved = Ticket.objects.filter(
        status__in=(Status.RESOLVED, Status.CLOSED), resolved_at__isnull=False
    ).order_by("resolved_at", "id")
    answers = 0
    for ticket in resolved:
        invitation = invitation_for_ticket(ticket)
        if invitation is None or rng.random() > RESPONSE_RATE:
            continue
        answered_at = min(now, ticket.resolved_at + timedelta(hours=rng.uniform(1, 72)))
        learned = _learned(ticket.resolved_at, now)
        grade = _grade(rng, learned, ticket)
        answered = rng.random() < (0.72 + 0.2 * learned) and grade > 4
        comment = ""
        if rng.random() < 0.3:
            comment = rng.choice(COMMENTS_LOW if grade <= alert_max_grade() else COMMENTS_HIGH)
        response = SurveyResponse.objects.create(
            invitation=invitation,
            ticket=ticket,
            organization_id=ticket.organization_id,
            department_id=ticket.department_id,
            service_id=ticket.service_id,
            channel=ticket.channel,
            grade=grade,
            answered=answered,
            comment=comment,
            resolved_at=invitation.created_at,
            created_at=answered_at,
            updated_at=answered_at,
        )
        if grade <= alert_max_grade() or not answered:
            # Older alerts were followed up long ago; the last weeks' are still open.
            recent = answered_at > now - timedelta(days=21)
            SatisfactionAlert.objects.create(
                response=response,
                created_at=answered_at,
                handled_at=None if recent else answered_at + timedelta(days=1),
            )
        answers += 1
    progress(f"{answers} survey answers")
    _pulse_rounds(now, rng)
    return answers


# Answers per round and group: the demo's few logins stand for a desk of some fifty people.
# Groups under five answers are there on purpose: the results page withholds them.
PULSE_GROUPS = {"servicedesk": 14, "it": 8, "hr": 6, "finance": 5, "facility": 5, "legal": 3}


def _pulse_rounds(now: datetime, rng: random.Random) -> None:
    for quarter in range(4):
        opens = now - timedelta(days=HISTORY_DAYS - 30 - quarter * 91)
        round_ = PulseRound.objects.create(
            title=f"Medewerkerspeiling {quarter + 1}",
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
        )
        mean = 6.4 + 0.5 * quarter  # 7.9 in the last quarter, as the reference desk measured
        for group, size in PULSE_GROUPS.items():
            for _answer in range(size):
                PulseAnswer.objects.create(
                    round=round_,
                    group=group,
                    job_grade=max(1, min(10, round(rng.gauss(mean, 0.9)))),
                    way_grade=max(1, min(10, round(rng.gauss(mean - 0.3, 1.1)))),
                    comment=rng.choice(PULSE_COMMENTS) if rng.random() < 0.2 else "",
                )
