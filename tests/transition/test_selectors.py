"""What the transition pages show: results per group, heard counts, readiness, visibility."""

from datetime import date, timedelta

import pytest

from eenloket.tickets import services as ticket_services
from eenloket.transition import selectors, services
from eenloket.transition.models import ChangeGroup, Phase
from tests.transition.conftest import GOOD

pytestmark = pytest.mark.django_db


def _score(change, actor, employee, **scores):
    services.assessment_submit(
        actor=actor, assessment_round=change.round, employee=employee, scores={**GOOD, **scores}
    )


def test_group_results_give_the_mean_per_element_and_the_barrier_points(change):
    _score(change, change.anna, change.anna, knowledge=2, ability=1)
    _score(change, change.bram, change.bram, desire=3)
    [result] = selectors.round_results(group=change.group)
    assert (result.count, result.means, result.barriers) == (
        2,
        {"awareness": 5, "desire": 3.5, "knowledge": 3, "ability": 2.5, "reinforcement": 4},
        {"knowledge": 1, "desire": 1},
    )


def test_a_second_round_shows_the_change_since_the_first(change, desk, at_tuesday_10):
    _score(change, change.anna, change.anna, ability=2)
    services.round_close(actor=desk.change_lead, assessment_round=change.round)
    at_tuesday_10.shift(timedelta(days=90))
    change.round = services.round_open(actor=desk.change_lead, group=change.group, title="Twee")
    _score(change, change.anna, change.anna, ability=4, awareness=4)
    _first, second = selectors.round_results(group=change.group)
    assert second.changes == {
        "awareness": -1,
        "desire": 0,
        "knowledge": 0,
        "ability": 2,
        "reinforcement": 0,
    }


def test_individual_scores_reach_the_change_lead_and_the_supervisor_only(change, desk):
    _score(change, change.anna, change.anna)
    seen = {
        name: len(selectors.individual_assessments(actor=actor, assessment_round=change.round))
        for name, actor in [
            ("change lead", desk.change_lead),
            ("supervisor", change.supervisor),
            ("team lead", desk.team_lead),
            ("administrator", desk.admin),
            ("colleague", change.bram),
        ]
    }
    assert seen == {
        "change lead": 1,
        "supervisor": 1,
        "team lead": 0,
        "administrator": 0,
        "colleague": 0,
    }


def test_an_employee_sees_their_own_rounds_and_scores(change):
    _score(change, change.anna, change.anna, desire=2)
    [(assessment_round, own)] = selectors.my_rounds(actor=change.anna)
    assert (assessment_round, own.barrier_point) == (change.round, "desire")


def test_the_heat_map_shows_each_groups_newest_round_with_answers(change, desk):
    ChangeGroup.objects.create(name="ICT", kind="department", department=desk.it)
    _score(change, change.anna, change.anna, awareness=3)
    rows = {row.group.name: row.result for row in selectors.heat_map(actor=desk.team_lead)}
    assert (rows["ICT"], rows["Servicedesk"].means["awareness"]) == (None, 3)


def test_heard_counts_count_sent_messages_per_group_and_kind(change, desk):
    for sent in (True, True, False):
        message = services.message_plan(
            actor=desk.change_lead,
            title="Waarom",
            audience=[change.group],
            sender="executive_sponsor",
            channel="meeting",
            kind="why",
            planned_on=date(2026, 3, 1),
        )
        if sent:
            services.message_mark_sent(actor=desk.change_lead, message=message)
    [row] = selectors.heard_counts(actor=desk.change_lead)
    assert (row.counts, row.status("why"), row.status("wiifm")) == ({"why": 2}, "below", "below")


@pytest.mark.parametrize(
    ("heard", "status"), [(4, "below"), (5, "on_target"), (7, "on_target"), (8, "above")]
)
def test_five_to_seven_times_is_on_target(heard, status):
    row = selectors.HeardRow(group=None, counts={"why": heard})
    assert row.status("why") == status


def test_readiness_weighs_services_by_their_ticket_volume(desk, open_ticket):
    from tests import factories as f

    printer = f.ServiceFactory(code="printer", department=desk.it, sla_policy=desk.policy)
    for _ in range(3):
        open_ticket()  # laptop: three tickets
    open_ticket(service=printer)
    transition = services.transition_start(actor=desk.change_lead, department=desk.it)
    laptop = transition.services.get(service=desk.laptop)
    services.readiness_update(
        actor=desk.change_lead, readiness=laptop, script_ready=True, routing_agreed=True
    )
    summary = selectors.transition_for_department(actor=desk.team_lead, department_code="it")
    assert (summary.volume, summary.readiness) == (4, 0.75)


def test_a_live_department_shows_its_first_line_resolution_and_handover_rate(
    desk, open_ticket, at_tuesday_10
):
    transition = services.transition_start(actor=desk.change_lead, department=desk.it)
    services.transition_set_phase(actor=desk.change_lead, transition=transition, phase=Phase.LIVE)
    solved, handed_over, _open = open_ticket(), open_ticket(), open_ticket()
    ticket_services.ticket_resolve(actor=desk.agent, ticket=solved, resolution="Herstart.")
    ticket_services.ticket_hand_over(
        actor=desk.agent,
        ticket=handed_over,
        department=desk.it,
        question="Laptop",
        tried="Reset",
        needed="Nieuwe",
    )
    figures = selectors.transition_for_department(
        actor=desk.change_lead, department_code="it"
    ).live_figures
    assert (figures.first_line_resolution, round(figures.handover_rate, 2)) == (1.0, 0.33)


def test_people_outside_the_transition_see_no_departments(desk):
    services.transition_start(actor=desk.change_lead, department=desk.it)
    assert selectors.transition_overview(actor=desk.agent) == []


def test_tickets_before_going_live_do_not_count_as_live(desk, open_ticket, at_tuesday_10):
    open_ticket()
    at_tuesday_10.shift(timedelta(days=2))
    transition = services.transition_start(actor=desk.change_lead, department=desk.it)
    services.transition_set_phase(actor=desk.change_lead, transition=transition, phase=Phase.LIVE)
    summary = selectors.transition_for_department(actor=desk.change_lead, department_code="it")
    assert (summary.volume, summary.live_figures.opened) == (1, 0)


def _pulse(group, answers, *, job=7, way=8):
    from django.utils import timezone

    from eenloket.surveys.models import PulseAnswer, PulseRound

    # A closed round: an open round shows no grades (each new answer would move them).
    pulse_round = PulseRound.objects.create(
        title="Pulse",
        opens_at=timezone.now() - timedelta(days=14),
        closes_at=timezone.now() - timedelta(days=7),
    )
    PulseAnswer.objects.bulk_create(
        PulseAnswer(round=pulse_round, group=group, job_grade=job, way_grade=way)
        for _ in range(answers)
    )


def test_the_desks_pulse_is_shown_beside_its_adkar_rounds(change):
    _pulse("servicedesk", 5, job=6, way=9)
    [point] = selectors.pulse_beside(change.group)
    assert (point.result.answers, point.result.job_mean, point.result.way_mean) == (5, 6, 9)


def test_a_pulse_of_fewer_than_five_answers_shows_no_mean(desk):
    group = ChangeGroup.objects.create(name="ICT", kind="department", department=desk.it)
    _pulse("it", 4)
    [point] = selectors.pulse_beside(group)
    assert (point.result.answers, point.result.shown) == (4, False)


def test_a_team_across_departments_has_no_pulse_beside_it(desk):
    group = ChangeGroup.objects.create(name="Inkoop en Communicatie", kind="team")
    assert selectors.pulse_beside(group) is None
