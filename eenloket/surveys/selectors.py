"""Reads of the surveys: alerts for team leads, the portal's survey, figures for reports.

Pulse results are only ever given per group of at least `PULSE_MIN_GROUP` answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from eenloket.core import clock
from eenloket.core.exceptions import NotFound
from eenloket.directory.roles import Role
from eenloket.directory.selectors import active_staff, department_list
from eenloket.surveys.models import (
    PulseAnswer,
    PulseParticipation,
    PulseRound,
    SatisfactionAlert,
    SurveyInvitation,
    SurveyResponse,
)
from eenloket.surveys.services import (
    DESK_GROUP,
    LEAD_ROLES,
    PULSE_ADMIN_ROLES,
    group_for,
    invitation_is_open,
    is_invited,
    pulse_group_of,
)

if TYPE_CHECKING:
    from eenloket.directory.models import User

PULSE_MIN_GROUP = 5
# Who reads the employee pulse's results (by group): the leads of the change and the desk.
PULSE_RESULT_ROLES = frozenset({Role.TEAM_LEAD, Role.CHANGE_LEAD, Role.ADMINISTRATOR})


def pulse_results_allowed(user) -> bool:
    return getattr(user, "role", None) in PULSE_RESULT_ROLES


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
        _dimension_filter("", filters), created_at__gte=start, created_at__lt=end
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


def satisfaction_with_weeks(
    *, start: datetime, end: datetime, filters: dict[str, Any], zone
) -> tuple[Satisfaction, dict[date, tuple[int, int]]]:
    """`satisfaction_figures` and `satisfaction_by_week` of the same period from one pass
    over the answers (grouped by week, grade and answer) and one count of invitations."""
    rows = (
        SurveyResponse.objects.filter(
            _dimension_filter("", filters), resolved_at__gte=start, resolved_at__lt=end
        )
        .annotate(week=TruncWeek("resolved_at", tzinfo=zone))
        .values("week", "grade", "answered")
        .annotate(n=Count("id"))
        .order_by()
    )
    invited = SurveyInvitation.objects.filter(
        _dimension_filter("", filters), created_at__gte=start, created_at__lt=end
    ).count()
    figures = Satisfaction(invited=invited)
    weeks: dict[date, tuple[int, int]] = {}
    total = 0
    for row in rows:
        grade, n = row["grade"], row["n"]
        figures.distribution[grade] = figures.distribution.get(grade, 0) + n
        figures.responses += n
        total += grade * n
        if row["answered"]:
            figures.answered_yes += n
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        sum_, count = weeks.get(week, (0, 0))
        weeks[week] = (sum_ + grade * n, count + n)
    figures.mean = total / figures.responses if figures.responses else None
    return figures, weeks


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
    # The groups under PULSE_MIN_GROUP answers taken together; shown when together they
    # reach it. `overall` counts only what is shown, so no hidden group can be worked out
    # as the difference between the total and the groups that are shown.
    others: PulseGroup | None = None


def _pulse_group(name: str, answers: int, job: float | None, way: float | None) -> PulseGroup:
    if answers < PULSE_MIN_GROUP:
        return PulseGroup(name, answers, None, None)
    return PulseGroup(name, answers, job, way)


def pulse_group_labels() -> dict[str, str]:
    names = {d.code: d.name for d in department_list()}
    return {DESK_GROUP: _("Service desk (first line)"), **names}


@dataclass
class _Tally:
    answers: int = 0
    job: int = 0
    way: int = 0

    def add(self, other: _Tally) -> None:
        self.answers += other.answers
        self.job += other.job
        self.way += other.way

    def result(self, name: str, label: str = "") -> PulseGroup:
        if self.answers < PULSE_MIN_GROUP:
            return PulseGroup(name, self.answers, None, None, label)
        return PulseGroup(
            name, self.answers, self.job / self.answers, self.way / self.answers, label
        )


def _visible(tallies: dict[str, _Tally]) -> tuple[set[str], bool]:
    """The groups shown on their own, and whether the small ones together are shown."""
    shown = {g for g, t in tallies.items() if t.answers >= PULSE_MIN_GROUP}
    small = sum(t.answers for g, t in tallies.items() if g not in shown)
    return shown, small >= PULSE_MIN_GROUP


def _tallies(answers) -> dict[str, _Tally]:
    rows = answers.values("group").annotate(
        n=Count("id"), job=Sum("job_grade"), way=Sum("way_grade")
    )
    return {r["group"]: _Tally(r["n"], r["job"], r["way"]) for r in rows}


def round_is_closed(round_: PulseRound) -> bool:
    return round_.closes_at <= clock.now()


def pulse_results(*, round_id: int) -> PulseResults | None:
    """A closed round's results per group. None for an unknown or a still open round:
    figures that change with each answer would show that answer."""
    round_ = PulseRound.objects.filter(pk=round_id).first()
    if round_ is None or not round_is_closed(round_):
        return None
    answers = PulseAnswer.objects.filter(round=round_)
    tallies = _tallies(answers)
    shown, others_shown = _visible(tallies)
    labels = pulse_group_labels()
    groups = [t.result(g, labels.get(g, g)) for g, t in tallies.items()]
    overall, others = _Tally(), _Tally()
    for group, tally in tallies.items():
        (overall if group in shown else others).add(tally)
    visible = set(shown)
    if others_shown:
        overall.add(others)
        visible |= set(tallies) - shown
    comments = list(
        answers.filter(group__in=visible).exclude(comment="").values_list("comment", flat=True)
    )
    # Shuffled, so their order says nothing about who wrote them.
    random.shuffle(comments)
    small_groups = len(set(tallies) - shown)
    return PulseResults(
        round_,
        overall.result(""),
        sorted(groups, key=lambda g: g.label),
        comments,
        others.result("", _("Smaller groups together")) if small_groups > 1 else None,
    )


def pulse_rounds() -> list[PulseRound]:
    return list(PulseRound.objects.order_by("-opens_at"))


def pulse_round_current(*, actor: User | None = None) -> PulseRound | None:
    """The open round the actor is invited to (any open round when no actor is given)."""
    now = clock.now()
    rounds = PulseRound.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("-opens_at")
    if actor is None:
        return rounds.first()
    group = pulse_group_of(actor)
    return next((r for r in rounds if is_invited(r, group)), None)


def pulse_has_answered(*, actor: User, round_id: int) -> bool:
    return PulseParticipation.objects.filter(round_id=round_id, user_id=actor.pk).exists()


def pulse_mean(*, start: datetime, end: datetime) -> tuple[float | None, int]:
    """Mean job-satisfaction grade of the rounds that closed in [start, end), with the
    number of answers. Per round only the answers its results page shows count (groups of
    at least PULSE_MIN_GROUP, the smaller ones together when they reach it); None when
    that leaves fewer than PULSE_MIN_GROUP."""
    now = clock.now()
    rows = (
        PulseAnswer.objects.filter(
            round__closes_at__gte=start, round__closes_at__lt=end, round__closes_at__lte=now
        )
        .values("round_id", "group")
        .annotate(n=Count("id"), job=Sum("job_grade"), way=Sum("way_grade"))
    )
    by_round: dict[int, dict[str, _Tally]] = {}
    total = 0
    for r in rows:
        by_round.setdefault(r["round_id"], {})[r["group"]] = _Tally(r["n"], r["job"], r["way"])
        total += r["n"]
    counted = _Tally()
    for tallies in by_round.values():
        shown, others_shown = _visible(tallies)
        for group, tally in tallies.items():
            if group in shown or others_shown:
                counted.add(tally)
    if counted.answers < PULSE_MIN_GROUP:
        return None, total
    return counted.job / counted.answers, total


@dataclass(frozen=True)
class PulseTrendPoint:
    title: str
    opens_at: datetime
    result: PulseGroup


def pulse_trend_for_group(*, group: str) -> list[PulseTrendPoint]:
    """One group's pulse per closed round, oldest first (the transition shows it beside the
    ADKAR rounds). Means only where the group reached PULSE_MIN_GROUP answers, as everywhere."""
    rows = (
        PulseAnswer.objects.filter(group=group, round__closes_at__lte=clock.now())
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


# --- following rounds ----------------------------------------------------------------------


def staff_groups() -> dict[str, int]:
    """Every group of active staff with its number of members (two queries)."""
    counts: dict[str, int] = {}
    for user in active_staff().prefetch_related("departments"):
        group = group_for(user.role, [d.code for d in user.departments.all()])
        counts[group] = counts.get(group, 0) + 1
    return counts


def pulse_group_choices() -> list[tuple[str, str]]:
    """The groups a round can invite: the central desk, every department, and any other
    group staff belong to."""
    labels = pulse_group_labels()
    others = sorted(set(staff_groups()) - set(labels))
    # Staff without a department form a group by role (a change lead, say).
    roles = dict(Role.choices)
    return [(code, labels[code]) for code in labels] + [
        (code, str(roles.get(code, code))) for code in others
    ]


@dataclass(frozen=True)
class RoundGroup:
    group: str
    label: str
    invited: int
    answered: int

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


@dataclass(frozen=True)
class RoundStatus:
    round: PulseRound
    state: str  # "planned", "open" or "closed"
    groups: list[RoundGroup]
    results: PulseResults | None

    @property
    def invited(self) -> int:
        return sum(g.invited for g in self.groups)

    @property
    def answered(self) -> int:
        return sum(g.answered for g in self.groups)

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


def round_state(round_: PulseRound) -> str:
    now = clock.now()
    if round_.opens_at > now:
        return "planned"
    return "open" if round_.closes_at > now else "closed"


def pulse_round_status(*, actor: User, round_id: int) -> RoundStatus:
    """How a round is going: per invited group the members and the answers so far (counts
    only; grades appear when the round has closed, in groups of PULSE_MIN_GROUP or more)."""
    if getattr(actor, "role", None) not in PULSE_ADMIN_ROLES:
        raise NotFound()
    round_ = PulseRound.objects.filter(pk=round_id).first()
    if round_ is None:
        raise NotFound()
    members = staff_groups()
    answered = dict(
        PulseAnswer.objects.filter(round=round_)
        .values("group")
        .annotate(n=Count("id"))
        .values_list("group", "n")
    )
    labels = dict(pulse_group_choices())
    invited = round_.groups or sorted(set(members) | set(answered))
    groups = [
        RoundGroup(g, labels.get(g, g), members.get(g, 0), answered.get(g, 0)) for g in invited
    ]
    return RoundStatus(
        round_,
        round_state(round_),
        sorted(groups, key=lambda g: g.label),
        pulse_results(round_id=round_.pk),
    )


@dataclass(frozen=True)
class RoundLine:
    round: PulseRound
    state: str
    answers: int


def pulse_round_list(*, actor: User) -> list[RoundLine]:
    if getattr(actor, "role", None) not in PULSE_ADMIN_ROLES:
        return []
    rounds = PulseRound.objects.annotate(n=Count("answers")).order_by("-opens_at", "-id")
    return [RoundLine(r, round_state(r), r.n) for r in rounds]
