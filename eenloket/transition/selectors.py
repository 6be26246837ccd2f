"""Reads of the transition: readiness, ADKAR results per group, the communication counts and
the sponsor map. Individual scores only reach those `access.sees_individual_scores` allows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from statistics import mean

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eenloket.core import clock
from eenloket.directory.selectors import active_staff, department_list
from eenloket.surveys.selectors import PulseTrendPoint, pulse_trend_for_group
from eenloket.tickets.selectors import (
    LineFigures,
    department_line_figures,
    ticket_volume_per_service,
)
from eenloket.transition import access
from eenloket.transition.exceptions import TransitionNotFound
from eenloket.transition.models import (
    ELEMENTS,
    Assessment,
    AssessmentRound,
    ChangeAction,
    ChangeGroup,
    ChecklistItem,
    Element,
    Message,
    Phase,
    ServiceReadiness,
    Sponsor,
    Transition,
)

# The volume that says which customer questions matter: the last twelve months.
VOLUME_WINDOW = timedelta(days=365)
# Prosci: people need to hear a message five to seven times before it lands.
HEARD_TARGET = (5, 7)

SUGGESTED_ACTIONS = {
    Element.AWARENESS: _(
        "Communicate the why: the business reasons and the risk of not changing, from the "
        "executive sponsor, repeated."
    ),
    Element.DESIRE: _(
        "Talk about what's in it for them: one-to-one conversations with their supervisor and "
        "a visible sponsor; address what they fear losing."
    ),
    Element.KNOWLEDGE: _(
        "Train: the new way of working, the catalogue, the first-line scripts and the handover."
    ),
    Element.ABILITY: _(
        "Coach and practise on the desk: shadowing, time to practise, a buddy, feedback."
    ),
    Element.REINFORCEMENT: _(
        "Reinforce: recognise and celebrate successes, measure and show the results, remove "
        "ways back to the old desk."
    ),
}


# --- onboarding -----------------------------------------------------------------------------


@dataclass
class ServiceRow:
    readiness: ServiceReadiness
    volume: int

    @property
    def has_sla(self) -> bool:
        return self.readiness.service.sla_policy_id is not None

    @property
    def covered(self) -> bool:
        return self.readiness.script_ready and self.readiness.routing_agreed and self.has_sla


@dataclass
class TransitionSummary:
    transition: Transition
    services: list[ServiceRow]
    live_figures: LineFigures | None

    @property
    def volume(self) -> int:
        return sum(row.volume for row in self.services)

    @property
    def readiness(self) -> float | None:
        """Share of the department's ticket volume covered by services with a script, an
        agreed routing rule and an SLA; by number of services while there is no volume."""
        if not self.services:
            return None
        if self.volume:
            return sum(row.volume for row in self.services if row.covered) / self.volume
        return sum(1 for row in self.services if row.covered) / len(self.services)

    @property
    def checklist_done(self) -> tuple[int, int]:
        items = list(self.transition.checklist.all())
        return sum(1 for item in items if item.done), len(items)


def _summaries(transitions: QuerySet[Transition]) -> list[TransitionSummary]:
    since = clock.now() - VOLUME_WINDOW
    transitions = list(
        transitions.prefetch_related(
            Prefetch(
                "services",
                queryset=ServiceReadiness.objects.select_related("service").order_by(
                    "service__name_nl"
                ),
            ),
            "checklist",
        )
    )
    volumes = ticket_volume_per_service(
        since=since, department_ids=[t.department_id for t in transitions]
    )
    summaries = []
    for transition in transitions:
        rows = [
            ServiceRow(readiness=readiness, volume=volumes.get(readiness.service_id, 0))
            for readiness in transition.services.all()
        ]
        rows.sort(key=lambda row: (-row.volume, row.readiness.service.name))
        live = None
        if transition.live_since:
            start = timezone.make_aware(datetime.combine(transition.live_since, time.min))
            live = department_line_figures(department_id=transition.department_id, since=start)
        summaries.append(TransitionSummary(transition=transition, services=rows, live_figures=live))
    return summaries


def transition_overview(*, actor) -> list[TransitionSummary]:
    if not access.can_view(actor):
        return []
    transitions = Transition.objects.select_related("department").order_by("department__name_nl")
    return _summaries(transitions)


def transition_for_department(*, actor, department_code: str) -> TransitionSummary:
    if not access.can_view(actor):
        raise TransitionNotFound()
    transitions = Transition.objects.select_related("department").filter(
        department__code=department_code
    )
    found = _summaries(transitions)
    if not found:
        raise TransitionNotFound()
    return found[0]


def departments_without_transition():
    started = Transition.objects.values_list("department_id", flat=True)
    return department_list().exclude(pk__in=started)


# --- ADKAR ----------------------------------------------------------------------------------


def groups_for(actor) -> QuerySet[ChangeGroup]:
    """Groups whose results the actor may see: viewers all, a supervisor their own."""
    groups = ChangeGroup.objects.select_related("department", "supervisor").annotate(
        member_count=Count("members", distinct=True)
    )
    if access.can_view(actor):
        return groups.order_by("name")
    return groups.filter(supervisor=actor).order_by("name")


def group_get(*, actor, group_id: int) -> ChangeGroup:
    try:
        return groups_for(actor).get(pk=group_id)
    except (ChangeGroup.DoesNotExist, ValueError, TypeError):
        raise TransitionNotFound(_("There is no such group.")) from None


@dataclass
class RoundResult:
    round: AssessmentRound
    count: int
    means: dict[str, float | None]
    barriers: dict[str | None, int]
    changes: dict[str, float | None] = field(default_factory=dict)

    @property
    def barrier_rows(self) -> list[tuple[str, str, int]]:
        """(element, label, how many stall there), with nobody stalling last."""
        labels = dict(Element.choices)
        rows = [(e, labels[e], self.barriers.get(e, 0)) for e in ELEMENTS]
        return [*rows, ("", _("No barrier point"), self.barriers.get(None, 0))]


def _result(assessment_round: AssessmentRound, assessments: list[Assessment]) -> RoundResult:
    means = {
        element: (round(mean(getattr(a, element) for a in assessments), 2) if assessments else None)
        for element in ELEMENTS
    }
    barriers = Counter(a.barrier_point for a in assessments)
    return RoundResult(
        round=assessment_round, count=len(assessments), means=means, barriers=dict(barriers)
    )


def round_results(*, group: ChangeGroup) -> list[RoundResult]:
    """The group's rounds, oldest first, each with its change since the round before."""
    rounds = list(
        AssessmentRound.objects.filter(group=group)
        .prefetch_related("assessments")
        .order_by("opened_at", "id")
    )
    results = []
    for assessment_round in rounds:
        result = _result(assessment_round, list(assessment_round.assessments.all()))
        if results and results[-1].count and result.count:
            previous = results[-1].means
            result.changes = {e: round(result.means[e] - previous[e], 2) for e in ELEMENTS}
        results.append(result)
    return results


def round_get(*, actor, round_id: int) -> AssessmentRound:
    """A round the actor may enter scores in or look at."""
    rounds = AssessmentRound.objects.select_related("group__supervisor")
    try:
        assessment_round = rounds.get(pk=round_id)
    except (AssessmentRound.DoesNotExist, ValueError, TypeError):
        raise TransitionNotFound(_("There is no such assessment round.")) from None
    group = assessment_round.group
    member = group.members.filter(pk=actor.pk).exists()
    if not (access.can_view(actor) or actor.pk == group.supervisor_id or member):
        raise TransitionNotFound(_("There is no such assessment round."))
    return assessment_round


def individual_assessments(*, actor, assessment_round: AssessmentRound) -> list[Assessment]:
    """Each person's scores: for the change lead and the group's supervisor only."""
    if not access.sees_individual_scores(actor, group=assessment_round.group):
        return []
    return list(
        assessment_round.assessments.select_related("employee", "assessed_by").order_by(
            "employee__last_name", "employee__first_name", "employee__username"
        )
    )


def round_members(*, actor, assessment_round: AssessmentRound):
    """The employees whose scores the actor may enter in this round."""
    group = assessment_round.group
    members = group.members.filter(is_active=True).order_by("first_name", "last_name", "username")
    if access.sees_individual_scores(actor, group=group):
        return members
    return members.filter(pk=actor.pk)


def my_rounds(*, actor) -> list[tuple[AssessmentRound, Assessment | None]]:
    """The rounds of the actor's groups, newest first, with their own scores if given."""
    rounds = (
        AssessmentRound.objects.filter(group__members=actor)
        .select_related("group")
        .order_by("-opened_at", "-id")
    )
    own = {a.round_id: a for a in Assessment.objects.filter(employee=actor, round__in=rounds)}
    return [(r, own.get(r.pk)) for r in rounds]


@dataclass
class HeatRow:
    group: ChangeGroup
    result: RoundResult | None


def heat_map(*, actor) -> list[HeatRow]:
    """Each group's newest round with answers: the mean per element, for a table of groups
    by element."""
    groups = list(groups_for(actor))
    rounds = (
        AssessmentRound.objects.filter(group__in=groups)
        .annotate(answers=Count("assessments"))
        .filter(answers__gt=0)
        .prefetch_related("assessments")
        .order_by("group_id", "-opened_at", "-id")
    )
    newest: dict[int, AssessmentRound] = {}
    for assessment_round in rounds:
        newest.setdefault(assessment_round.group_id, assessment_round)
    return [
        HeatRow(
            group=group,
            result=_result(newest[group.pk], list(newest[group.pk].assessments.all()))
            if group.pk in newest
            else None,
        )
        for group in groups
    ]


def actions_for_group(*, group: ChangeGroup) -> list[ChangeAction]:
    return list(group.actions.select_related("owner").order_by("done_at", "due_on", "id"))


# --- communication and sponsorship ----------------------------------------------------------


@dataclass
class HeardRow:
    group: ChangeGroup
    counts: dict[str, int]

    def status(self, kind: str) -> str:
        heard = self.counts.get(kind, 0)
        if heard < HEARD_TARGET[0]:
            return "below"
        return "on_target" if heard <= HEARD_TARGET[1] else "above"

    @property
    def cells(self) -> list[tuple[str, int, str]]:
        return [(kind, self.counts.get(kind, 0), self.status(kind)) for kind in Message.Kind.values]


def communication_plan(*, actor) -> list[Message]:
    if not access.can_view(actor):
        return []
    return list(Message.objects.prefetch_related("audience").order_by("planned_on", "id"))


def heard_counts(*, actor) -> list[HeardRow]:
    """How many times each group has heard each kind of message (sent ones only)."""
    if not access.can_view(actor):
        return []
    rows = (
        Message.objects.filter(sent_on__isnull=False)
        .values("audience", "kind")
        .annotate(heard=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["audience"], {})[row["kind"]] = row["heard"]
    return [
        HeardRow(group=group, counts=counts.get(group.pk, {}))
        for group in ChangeGroup.objects.order_by("name")
    ]


def sponsor_map(*, actor) -> list[Sponsor]:
    if not access.can_view(actor):
        return []
    return list(
        Sponsor.objects.prefetch_related("groups", "acts")
        .annotate(act_count=Count("acts", distinct=True))
        .order_by("level", "name")
    )


def phase_counts() -> dict[str, int]:
    counted = dict(Transition.objects.values_list("phase").annotate(n=Count("id")).order_by())
    return {phase: counted.get(phase, 0) for phase in Phase.values}


def open_round_of(group: ChangeGroup) -> AssessmentRound | None:
    return AssessmentRound.objects.filter(group=group, closed_at=None).first()


def message_get(*, actor, message_id: int) -> Message:
    if not access.can_view(actor):
        raise TransitionNotFound()
    try:
        return Message.objects.get(pk=message_id)
    except (Message.DoesNotExist, ValueError, TypeError):
        raise TransitionNotFound(_("There is no such message.")) from None


def sponsor_get(*, actor, sponsor_id: int) -> Sponsor:
    if not access.can_view(actor):
        raise TransitionNotFound()
    try:
        return Sponsor.objects.get(pk=sponsor_id)
    except (Sponsor.DoesNotExist, ValueError, TypeError):
        raise TransitionNotFound(_("There is no such sponsor.")) from None


def readiness_get(*, actor, readiness_id: int) -> ServiceReadiness:
    if not access.can_view(actor):
        raise TransitionNotFound()
    try:
        return ServiceReadiness.objects.select_related("service", "transition").get(pk=readiness_id)
    except (ServiceReadiness.DoesNotExist, ValueError, TypeError):
        raise TransitionNotFound() from None


def action_get(*, actor, action_id: int) -> ChangeAction:
    try:
        action = ChangeAction.objects.select_related("group").get(pk=action_id)
    except (ChangeAction.DoesNotExist, ValueError, TypeError):
        raise TransitionNotFound() from None
    if not (access.can_view(actor) or action.owner_id == actor.pk):
        raise TransitionNotFound()
    return action


def action_owners():
    return active_staff()


def checklist_item_get(*, actor, item_id: int) -> ChecklistItem:
    if not access.can_view(actor):
        raise TransitionNotFound()
    try:
        return ChecklistItem.objects.select_related("transition__department").get(pk=item_id)
    except (ChecklistItem.DoesNotExist, ValueError, TypeError):
        raise TransitionNotFound() from None


# The employee pulse's group of the central desk (see surveys): first-line staff.
DESK_PULSE_GROUP = "servicedesk"


def pulse_beside(group: ChangeGroup) -> list[PulseTrendPoint] | None:
    """The employee pulse of the same people, per round, to read beside the ADKAR rounds; None
    for a group the pulse does not know (a team across departments)."""
    if group.department_id:
        return pulse_trend_for_group(group=group.department.code)
    if group.kind == ChangeGroup.Kind.DESK:
        return pulse_trend_for_group(group=DESK_PULSE_GROUP)
    return None
