"""Reads of the surveys: alerts for team leads, the portal's survey, figures for reports.

Pulse results are only ever given per group of at least `PULSE_MIN_GROUP` answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from eenloket.core import clock
from eenloket.directory.selectors import department_list
from eenloket.surveys.models import (
    PulseAnswer,
    PulseParticipation,
    PulseRound,
    SatisfactionAlert,
    SurveyInvitation,
    SurveyResponse,
)
from eenloket.surveys.services import LEAD_ROLES, invitation_is_open

if TYPE_CHECKING:
    from eenloket.directory.models import User

PULSE_MIN_GROUP = 5


def alerts_for_lead(*, actor: User, include_handled: bool = False, limit: int = 100) -> list:
    if getattr(actor, "role", None) not in LEAD_ROLES:
        return []
    alerts = SatisfactionAlert.objects.select_related(
        "response__ticket__requester", "response__ticket__department", "handled_by"
    )
    if not include_handled:
        alerts = alerts.filter(handled_at__isnull=True)
    return list(alerts.order_by("-created_at", "-id")[:limit])


def open_alert_count(*, actor: User) -> int:
    if getattr(actor, "role", None) not in LEAD_ROLES:
        return 0
    return SatisfactionAlert.objects.filter(handled_at__isnull=True).count()


@dataclass(frozen=True)
class CustomerSurvey:
    invitation: SurveyInvitation
    response: SurveyResponse | None
    is_open: bool


def survey_for_customer(*, actor: User, ticket: Any) -> CustomerSurvey | None:
    """The survey of a ticket the actor asked (and may answer) themselves; else None."""
    invitation = (
        SurveyInvitation.objects.select_related("person")
        .filter(ticket_id=ticket.pk, person__user_id=actor.pk)
        .first()
    )
    if invitation is None:
        return None
    response = SurveyResponse.objects.filter(invitation=invitation).first()
    return CustomerSurvey(invitation, response, invitation_is_open(invitation))


# --- figures for the reports ---------------------------------------------------------------


@dataclass
class Satisfaction:
    invited: int = 0
    responses: int = 0
    mean: float | None = None
    answered_yes: int = 0
    distribution: dict[int, int] = field(default_factory=dict)

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.invited if self.invited else None

    @property
    def answered_share(self) -> float | None:
        return self.answered_yes / self.responses if self.responses else None


def _dimension_filter(prefix: str, filters: dict[str, Any]) -> Q:
    condition = Q()
    for key, value in filters.items():
        if value not in (None, ""):
            condition &= Q(**{f"{prefix}{key}": value})
    return condition


def satisfaction_figures(
    *, start: datetime, end: datetime, filters: dict[str, Any]
) -> Satisfaction:
    """Grades of the tickets resolved in [start, end): responses, mean, distribution, the
    share "question answered", and the response rate (responses per invitation)."""
    responses = SurveyResponse.objects.filter(
        _dimension_filter("", filters), resolved_at__gte=start, resolved_at__lt=end
    )
    invited = SurveyInvitation.objects.filter(
        _dimension_filter("ticket__", filters), created_at__gte=start, created_at__lt=end
    ).count()
    rows = list(responses.values("grade", "answered").annotate(n=Count("id")))
    figures = Satisfaction(invited=invited)
    total = 0
    for row in rows:
        figures.distribution[row["grade"]] = figures.distribution.get(row["grade"], 0) + row["n"]
        figures.responses += row["n"]
        total += row["grade"] * row["n"]
        if row["answered"]:
            figures.answered_yes += row["n"]
    figures.mean = total / figures.responses if figures.responses else None
    return figures


def satisfaction_by_week(
    *, start: datetime, end: datetime, filters: dict[str, Any], zone
) -> dict[date, tuple[int, int]]:
    """Per Monday (local) of the resolution week: (sum of grades, number of answers)."""
    rows = (
        SurveyResponse.objects.filter(
            _dimension_filter("", filters), resolved_at__gte=start, resolved_at__lt=end
        )
        .annotate(week=TruncWeek("resolved_at", tzinfo=zone))
        .values("week")
        .annotate(total=Sum("grade"), n=Count("id"))
        .order_by()
    )
    result = {}
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        result[week] = (row["total"], row["n"])
    return result


@dataclass(frozen=True)
class PulseGroup:
    group: str
    answers: int
    job_mean: float | None  # None: fewer than PULSE_MIN_GROUP answers, not shown
    way_mean: float | None
    label: str = ""

    @property
    def shown(self) -> bool:
        return self.job_mean is not None


@dataclass(frozen=True)
class PulseResults:
    round: PulseRound
    overall: PulseGroup
    groups: list[PulseGroup]
    comments: list[str]


def _pulse_group(name: str, answers: int, job: float | None, way: float | None) -> PulseGroup:
    if answers < PULSE_MIN_GROUP:
        return PulseGroup(name, answers, None, None)
    return PulseGroup(name, answers, job, way)


def pulse_results(*, round_id: int) -> PulseResults | None:
    round_ = PulseRound.objects.filter(pk=round_id).first()
    if round_ is None:
        return None
    answers = PulseAnswer.objects.filter(round=round_)
    rows = answers.values("group").annotate(
        n=Count("id"), job=Avg("job_grade"), way=Avg("way_grade")
    )
    names = {d.code: d.name for d in department_list()}
    names["servicedesk"] = _("Service desk (first line)")
    groups = [
        replace(
            _pulse_group(r["group"], r["n"], r["job"], r["way"]),
            label=names.get(r["group"], r["group"]),
        )
        for r in rows
    ]
    overall = answers.aggregate(n=Count("id"), job=Avg("job_grade"), way=Avg("way_grade"))
    shown_groups = {g.group for g in groups if g.shown}
    comments = list(
        answers.filter(group__in=shown_groups).exclude(comment="").values_list("comment", flat=True)
    )
    # Shuffled, so their order says nothing about who wrote them.
    random.shuffle(comments)
    return PulseResults(
        round_,
        _pulse_group("", overall["n"], overall["job"], overall["way"]),
        sorted(groups, key=lambda g: g.label),
        comments,
    )


def pulse_rounds() -> list[PulseRound]:
    return list(PulseRound.objects.order_by("-opens_at"))


def pulse_round_current() -> PulseRound | None:
    now = clock.now()
    return (
        PulseRound.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("-opens_at")
        .first()
    )


def pulse_has_answered(*, actor: User, round_id: int) -> bool:
    return PulseParticipation.objects.filter(round_id=round_id, user_id=actor.pk).exists()


def pulse_mean(*, start: datetime, end: datetime) -> tuple[float | None, int]:
    """Mean job-satisfaction grade of the rounds that closed in [start, end), with the
    number of answers; None when fewer than PULSE_MIN_GROUP answered."""
    figures = PulseAnswer.objects.filter(
        round__closes_at__gte=start, round__closes_at__lt=end
    ).aggregate(n=Count("id"), job=Avg("job_grade"))
    if figures["n"] < PULSE_MIN_GROUP:
        return None, figures["n"]
    return figures["job"], figures["n"]


@dataclass(frozen=True)
class PulseTrendPoint:
    title: str
    opens_at: datetime
    result: PulseGroup


def pulse_trend_for_group(*, group: str) -> list[PulseTrendPoint]:
    """One group's pulse per round, oldest first (the transition shows it beside the ADKAR
    rounds). Means only where the group reached PULSE_MIN_GROUP answers, as everywhere."""
    rows = (
        PulseAnswer.objects.filter(group=group)
        .values("round_id", "round__title", "round__opens_at")
        .annotate(n=Count("id"), job=Avg("job_grade"), way=Avg("way_grade"))
        .order_by("round__opens_at", "round_id")
    )
    return [
        PulseTrendPoint(
            row["round__title"],
            row["round__opens_at"],
            _pulse_group(group, row["n"], row["job"], row["way"]),
        )
        for row in rows
    ]
