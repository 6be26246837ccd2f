"""The rules of the transition: who may do what, and what is refused with which message."""

from datetime import date

import pytest

from eenloket.core.exceptions import NotAllowed, ValidationFailed
from eenloket.core.models import AuditEvent
from eenloket.transition import services
from eenloket.transition.exceptions import (
    InvalidScores,
    MayNotAssess,
    NotInGroup,
    RoundAlreadyOpen,
    RoundClosed,
)
from eenloket.transition.models import (
    Assessment,
    ChecklistItem,
    Message,
    Phase,
    ServiceReadiness,
    Transition,
)
from tests.transition.conftest import GOOD

pytestmark = pytest.mark.django_db


def test_starting_a_transition_lists_every_active_service_of_the_department(desk):
    transition = services.transition_start(actor=desk.change_lead, department=desk.it)
    rows = ServiceReadiness.objects.filter(transition=transition)
    assert [row.service for row in rows] == [desk.laptop]


def test_starting_again_adds_new_services_and_keeps_what_was_checked(desk):
    transition = services.transition_start(actor=desk.change_lead, department=desk.it)
    ServiceReadiness.objects.filter(transition=transition).update(script_ready=True)
    from tests import factories as f

    f.ServiceFactory(code="printer", department=desk.it, sla_policy=desk.policy)
    services.transition_start(actor=desk.change_lead, department=desk.it)
    assert sorted(
        ServiceReadiness.objects.filter(transition=transition).values_list(
            "service__code", "script_ready"
        )
    ) == [("laptop-defect", True), ("printer", False)]


@pytest.mark.parametrize("role", ["agent", "it_specialist", "team_lead", "customer"])
def test_only_the_change_lead_and_administrators_run_the_transition(desk, role):
    with pytest.raises(NotAllowed):
        services.transition_start(actor=getattr(desk, role), department=desk.it)
    assert not Transition.objects.exists()


def test_going_live_dates_the_transition_and_is_audited(desk, at_tuesday_10):
    transition = services.transition_start(actor=desk.admin, department=desk.hr)
    services.transition_set_phase(actor=desk.admin, transition=transition, phase=Phase.LIVE)
    transition.refresh_from_db()
    event = AuditEvent.objects.get(action="phase")
    assert (transition.live_since, event.old_value, event.new_value) == (
        date(2026, 4, 14),
        "inventory",
        "live",
    )


def test_an_unknown_phase_is_refused(desk):
    transition = services.transition_start(actor=desk.change_lead, department=desk.hr)
    with pytest.raises(ValidationFailed) as error:
        services.transition_set_phase(actor=desk.change_lead, transition=transition, phase="x")
    assert list(error.value.field_errors) == ["phase"]


def test_an_empty_checklist_item_is_refused_and_nothing_is_written(desk):
    transition = services.transition_start(actor=desk.change_lead, department=desk.hr)
    with pytest.raises(ValidationFailed):
        services.checklist_item_add(
            actor=desk.change_lead, transition=transition, kind="system_access", title="  "
        )
    assert not ChecklistItem.objects.exists()


def test_the_barrier_point_is_the_first_element_scored_three_or_lower():
    assessment = Assessment(awareness=5, desire=4, knowledge=3, ability=2, reinforcement=1)
    assert assessment.barrier_point == "knowledge"


def test_someone_with_no_score_of_three_or_lower_has_no_barrier_point():
    assessment = Assessment(**GOOD)
    assert assessment.barrier_point is None


def test_an_employee_scores_themselves(change):
    services.assessment_submit(
        actor=change.anna, assessment_round=change.round, employee=change.anna, scores=GOOD
    )
    assert Assessment.objects.get().scores() == GOOD


def test_entering_scores_again_replaces_them_while_the_round_is_open(change):
    for scores in (GOOD, {**GOOD, "desire": 2}):
        services.assessment_submit(
            actor=change.anna, assessment_round=change.round, employee=change.anna, scores=scores
        )
    assert list(Assessment.objects.values_list("desire", flat=True)) == [2]


def test_the_supervisor_scores_a_member_of_the_group(change):
    services.assessment_submit(
        actor=change.supervisor, assessment_round=change.round, employee=change.bram, scores=GOOD
    )
    assert Assessment.objects.get().assessed_by == change.supervisor


def test_a_colleague_may_not_score_someone_else(change):
    with pytest.raises(MayNotAssess):
        services.assessment_submit(
            actor=change.anna, assessment_round=change.round, employee=change.bram, scores=GOOD
        )
    assert not Assessment.objects.exists()


def test_an_assessment_for_someone_outside_the_group_is_refused(change, desk):
    with pytest.raises(NotInGroup) as error:
        services.assessment_submit(
            actor=desk.change_lead,
            assessment_round=change.round,
            employee=change.outsider,
            scores=GOOD,
        )
    assert "not in the group" in str(error.value.message) or "niet in de groep" in str(
        error.value.message
    )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, "", None, "3.5", "drie", True])
def test_a_score_outside_one_to_five_is_refused_for_that_element(change, bad):
    with pytest.raises(InvalidScores) as error:
        services.assessment_submit(
            actor=change.anna,
            assessment_round=change.round,
            employee=change.anna,
            scores={**GOOD, "ability": bad},
        )
    assert list(error.value.field_errors) == ["ability"]
    assert not Assessment.objects.exists()


def test_a_closed_round_takes_no_more_scores(change, desk):
    services.round_close(actor=desk.change_lead, assessment_round=change.round)
    with pytest.raises(RoundClosed):
        services.assessment_submit(
            actor=change.anna, assessment_round=change.round, employee=change.anna, scores=GOOD
        )
    assert not Assessment.objects.exists()


def test_a_group_has_one_open_round_at_a_time(change, desk):
    with pytest.raises(RoundAlreadyOpen):
        services.round_open(actor=desk.change_lead, group=change.group, title="Tweede meting")


def test_a_message_needs_an_audience_and_a_date(desk):
    with pytest.raises(ValidationFailed) as error:
        services.message_plan(
            actor=desk.change_lead,
            title="Waarom",
            audience=[],
            sender="project",
            channel="email",
            kind="why",
            planned_on=None,
        )
    assert sorted(error.value.field_errors) == ["audience", "planned_on"]
    assert not Message.objects.exists()


def test_a_message_cannot_be_sent_in_the_future(change, desk):
    message = services.message_plan(
        actor=desk.change_lead,
        title="Waarom",
        audience=[change.group],
        sender="project",
        channel="email",
        kind="why",
        planned_on=date(2026, 4, 20),
    )
    with pytest.raises(ValidationFailed):
        services.message_mark_sent(
            actor=desk.change_lead, message=message, sent_on=date(2026, 4, 15)
        )
    message.refresh_from_db()
    assert message.sent_on is None
