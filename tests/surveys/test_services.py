"""Customer surveys and the employee pulse: invitations, links, answers, alerts, anonymity."""

import datetime as dt

import pytest
import time_machine
from django.core import mail, signing

from eenloket.core.exceptions import NotAllowed, ValidationFailed
from eenloket.surveys import selectors, services
from eenloket.surveys.exceptions import (
    PulseAlreadyAnswered,
    PulseClosed,
    SurveyLinkExpired,
    SurveyLinkInvalid,
)
from eenloket.surveys.models import (
    PulseAnswer,
    PulseParticipation,
    PulseRound,
    SatisfactionAlert,
    SurveyInvitation,
    SurveyResponse,
)
from eenloket.tickets import services as tickets
from tests.factories import TUESDAY_10


@pytest.fixture
def resolve(desk, open_ticket, django_capture_on_commit_callbacks):
    """Open and resolve a ticket; the commit hooks (the invitation) run."""

    def make(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            ticket = open_ticket(**kwargs)
            return tickets.ticket_resolve(actor=desk.agent, ticket=ticket, resolution="Opgelost")

    return make


def _token(ticket):
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    return services.survey_token(invitation), invitation


def test_resolving_a_ticket_invites_its_customer(desk, resolve):
    ticket = resolve()
    assert SurveyInvitation.objects.filter(ticket=ticket, person=desk.person).exists()


def test_a_first_contact_resolution_also_invites(
    desk, open_ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(resolve_with="Wachtwoord gereset")
    assert SurveyInvitation.objects.filter(ticket=ticket).exists()


def test_a_rolled_back_resolution_invites_nobody(
    desk, open_ticket, django_capture_on_commit_callbacks
):
    ticket = open_ticket()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationFailed),
    ):
        tickets.ticket_resolve(actor=desk.agent, ticket=ticket, resolution="")
    assert (len(callbacks), SurveyInvitation.objects.count()) == (0, 0)


def test_a_customer_is_asked_at_most_once_per_period(desk, resolve):
    resolve()
    second = resolve(title="Nog een vraag")
    assert services.survey_link_for(second) is None


def test_a_customer_is_asked_again_after_the_period(desk, resolve, at_tuesday_10, settings):
    resolve()
    at_tuesday_10.shift(dt.timedelta(days=settings.EENLOKET_SURVEY_MIN_DAYS_BETWEEN + 1))
    later = resolve(title="Weer een vraag")
    assert SurveyInvitation.objects.filter(ticket=later).exists()


def test_the_survey_link_names_the_ticket(desk, resolve):
    ticket = resolve()
    assert services.survey_link_for(ticket).startswith(f"/enquete/{ticket.number}/")


def test_the_link_is_the_same_each_time_it_is_asked_for(desk, resolve):
    ticket = resolve()
    assert services.survey_link_for(ticket) == services.survey_link_for(ticket)


def test_a_tampered_link_is_invalid(desk, resolve):
    ticket = resolve()
    token, _ = _token(ticket)
    with pytest.raises(SurveyLinkInvalid):
        services.invitation_from_link(number=ticket.number, token=token[:-2] + "xx")


def test_a_link_signed_with_another_key_is_invalid(desk, resolve):
    ticket = resolve()
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    forged = signing.dumps([invitation.pk, invitation.nonce], salt=services.SALT, key="guess")
    with pytest.raises(SurveyLinkInvalid):
        services.invitation_from_link(number=ticket.number, token=forged)


def test_a_link_cannot_be_reused_for_another_ticket(desk, resolve, at_tuesday_10, settings):
    first = resolve()
    at_tuesday_10.shift(dt.timedelta(days=settings.EENLOKET_SURVEY_MIN_DAYS_BETWEEN + 1))
    second = resolve(title="Weer een vraag")
    token, _ = _token(first)
    with pytest.raises(SurveyLinkInvalid):
        services.invitation_from_link(number=second.number, token=token)


def test_an_answer_is_stored_with_the_tickets_dimensions(desk, resolve):
    ticket = resolve()
    _, invitation = _token(ticket)
    response = services.survey_answer(invitation=invitation, grade="8", answered=True)
    assert (response.grade, response.answered, response.department_id, response.channel) == (
        8,
        True,
        desk.it.pk,
        "phone",
    )


def test_an_answer_can_be_changed_while_the_survey_is_open(desk, resolve, at_tuesday_10):
    ticket = resolve()
    _, invitation = _token(ticket)
    services.survey_answer(invitation=invitation, grade=6, answered=True)
    at_tuesday_10.shift(dt.timedelta(days=13))
    services.survey_answer(invitation=invitation, grade=9, answered=True, comment="Toch goed")
    assert list(SurveyResponse.objects.values_list("grade", "comment")) == [(9, "Toch goed")]


def test_an_expired_survey_takes_no_answer(desk, resolve, at_tuesday_10, settings):
    ticket = resolve()
    _, invitation = _token(ticket)
    at_tuesday_10.shift(dt.timedelta(days=settings.EENLOKET_SURVEY_OPEN_DAYS, seconds=1))
    with pytest.raises(SurveyLinkExpired, match="14"):
        services.survey_answer(invitation=invitation, grade=8, answered=True)
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("grade", [0, 11, "", "acht", None])
def test_a_grade_outside_1_to_10_is_refused_with_a_clear_message(desk, resolve, grade):
    ticket = resolve()
    _, invitation = _token(ticket)
    with pytest.raises(ValidationFailed) as error:
        services.survey_answer(invitation=invitation, grade=grade, answered=True)
    assert (error.value.field_errors["grade"], SurveyResponse.objects.count()) == (
        ["Geef een cijfer van 1 tot en met 10."],
        0,
    )


def test_the_question_answered_must_be_said(desk, resolve):
    ticket = resolve()
    _, invitation = _token(ticket)
    with pytest.raises(ValidationFailed) as error:
        services.survey_answer(invitation=invitation, grade=7, answered=None)
    assert "answered" in error.value.field_errors


@pytest.mark.parametrize(
    ("grade", "answered", "alerts"), [(5, True, 1), (6, False, 1), (6, True, 0)]
)
def test_a_low_grade_or_a_no_alerts_the_team_lead(desk, resolve, grade, answered, alerts):
    ticket = resolve()
    _, invitation = _token(ticket)
    services.survey_answer(invitation=invitation, grade=grade, answered=answered)
    assert SatisfactionAlert.objects.count() == alerts


def test_the_alert_is_mailed_to_the_team_leads(
    desk, resolve, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    desk.team_lead.email = "teamleider@ssc.example"
    desk.team_lead.save()
    ticket = resolve()
    _, invitation = _token(ticket)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_answer(invitation=invitation, grade=3, answered=False, comment="Slecht")
    assert (mail.outbox[0].to, ticket.number in mail.outbox[0].subject) == (
        ["teamleider@ssc.example"],
        True,
    )


def test_changing_a_low_answer_does_not_alert_twice(desk, resolve):
    ticket = resolve()
    _, invitation = _token(ticket)
    services.survey_answer(invitation=invitation, grade=3, answered=False)
    services.survey_answer(invitation=invitation, grade=2, answered=False)
    assert SatisfactionAlert.objects.count() == 1


def test_the_team_lead_can_reopen_the_ticket_from_the_alert(desk, resolve):
    ticket = resolve()
    _, invitation = _token(ticket)
    services.survey_answer(invitation=invitation, grade=3, answered=False)
    alert = SatisfactionAlert.objects.get()
    services.alert_reopen_ticket(actor=desk.team_lead, alert_id=alert.pk, reason="Klant belt terug")
    ticket.refresh_from_db()
    alert.refresh_from_db()
    assert (ticket.status, ticket.reopen_count, alert.reopened) == ("in_progress", 1, True)


def test_an_agent_cannot_handle_alerts(desk, resolve):
    ticket = resolve()
    _, invitation = _token(ticket)
    services.survey_answer(invitation=invitation, grade=3, answered=False)
    with pytest.raises(NotAllowed):
        services.alert_handle(actor=desk.agent, alert_id=SatisfactionAlert.objects.get().pk)


def test_handled_alerts_leave_the_open_list(desk, resolve):
    ticket = resolve()
    _, invitation = _token(ticket)
    services.survey_answer(invitation=invitation, grade=3, answered=False)
    services.alert_handle(actor=desk.team_lead, alert_id=SatisfactionAlert.objects.get().pk)
    assert selectors.alerts_for_lead(actor=desk.team_lead) == []


def test_only_the_customer_who_asked_answers_in_the_portal(desk, resolve):
    from eenloket.core.exceptions import NotFound

    ticket = resolve()
    with pytest.raises(NotFound):
        services.survey_answer_by_customer(
            actor=desk.hr_specialist, ticket=ticket, grade=8, answered=True
        )


# --- employee pulse --------------------------------------------------------------------------


@pytest.fixture
def pulse_round(desk):
    with time_machine.travel(TUESDAY_10 - dt.timedelta(days=1), tick=False):
        return services.pulse_round_open(
            actor=desk.change_lead,
            title="Pulse april",
            opens_at=TUESDAY_10 - dt.timedelta(days=1),
            closes_at=TUESDAY_10 + dt.timedelta(days=14),
        )


def test_a_pulse_answer_stores_no_person(desk, pulse_round, at_tuesday_10):
    services.pulse_answer(
        actor=desk.it_specialist, round_id=pulse_round.pk, job_grade=8, way_grade=7
    )
    answer = PulseAnswer.objects.values().get()
    assert (
        set(answer) - {"id", "round_id", "group", "job_grade", "way_grade", "comment"},
        answer["group"],
    ) == (
        set(),
        "it",
    )


def test_a_pulse_round_takes_one_answer_per_person(desk, pulse_round, at_tuesday_10):
    services.pulse_answer(actor=desk.agent, round_id=pulse_round.pk, job_grade=8, way_grade=7)
    with pytest.raises(PulseAlreadyAnswered):
        services.pulse_answer(actor=desk.agent, round_id=pulse_round.pk, job_grade=2, way_grade=2)
    assert (PulseAnswer.objects.count(), PulseParticipation.objects.count()) == (1, 1)


def test_a_closed_pulse_round_takes_no_answer(desk, pulse_round, at_tuesday_10):
    at_tuesday_10.shift(dt.timedelta(days=15))
    with pytest.raises(PulseClosed):
        services.pulse_answer(actor=desk.agent, round_id=pulse_round.pk, job_grade=8, way_grade=7)


@pytest.mark.parametrize("grade", [0, 11])
def test_a_pulse_grade_outside_1_to_10_is_refused(desk, pulse_round, at_tuesday_10, grade):
    with pytest.raises(ValidationFailed):
        services.pulse_answer(
            actor=desk.agent, round_id=pulse_round.pk, job_grade=grade, way_grade=7
        )
    assert not PulseParticipation.objects.exists()


def test_customers_do_not_take_the_pulse(desk, pulse_round, at_tuesday_10):
    with pytest.raises(NotAllowed):
        services.pulse_answer(
            actor=desk.customer, round_id=pulse_round.pk, job_grade=8, way_grade=7
        )


def test_pulse_results_hide_groups_under_five_answers(desk, pulse_round):
    from tests.factories import UserFactory

    with time_machine.travel(TUESDAY_10, tick=False):
        for n in range(5):
            user = UserFactory(username=f"it{n}", role="specialist", departments=[desk.it])
            services.pulse_answer(
                actor=user, round_id=pulse_round.pk, job_grade=6 + n % 3, way_grade=7
            )
        services.pulse_answer(
            actor=desk.hr_specialist, round_id=pulse_round.pk, job_grade=2, way_grade=2
        )
    results = selectors.pulse_results(round_id=pulse_round.pk)
    shown = {g.group: g.job_mean for g in results.groups}
    assert shown == {"hr": None, "it": pytest.approx(6.8)}


# --- pulse rounds: groups, closing, anonymity ----------------------------------------------


def _answers(round_, group_sizes, *, job=7):
    """Answers straight in the table, as many per group as given."""
    for group, size in group_sizes.items():
        for n in range(size):
            PulseAnswer.objects.create(
                round=round_, group=group, job_grade=job + n % 2, way_grade=6
            )


@pytest.fixture
def hr_round(desk):
    with time_machine.travel(TUESDAY_10, tick=False):
        return services.pulse_round_open(
            actor=desk.team_lead,
            title="Peiling HR",
            opens_at=TUESDAY_10,
            closes_at=TUESDAY_10 + dt.timedelta(days=7),
            groups=["hr"],
        )


def test_staff_outside_the_invited_groups_cannot_answer(desk, hr_round, at_tuesday_10):
    with pytest.raises(NotAllowed):
        services.pulse_answer(actor=desk.agent, round_id=hr_round.pk, job_grade=8, way_grade=7)
    assert not PulseParticipation.objects.exists()


def test_the_open_round_is_the_one_the_actor_is_invited_to(desk, hr_round, at_tuesday_10):
    assert (
        selectors.pulse_round_current(actor=desk.hr_specialist),
        selectors.pulse_round_current(actor=desk.agent),
    ) == (hr_round, None)


def test_a_round_starting_in_the_past_opens_now(desk, at_tuesday_10):
    round_ = services.pulse_round_open(
        actor=desk.change_lead,
        title="Peiling",
        opens_at=TUESDAY_10 - dt.timedelta(days=3),
        closes_at=TUESDAY_10 + dt.timedelta(days=3),
        groups=["servicedesk"],
    )
    assert round_.opens_at == TUESDAY_10


def test_agents_cannot_open_rounds(desk, at_tuesday_10):
    with pytest.raises(NotAllowed):
        services.pulse_round_open(
            actor=desk.agent,
            title="Peiling",
            opens_at=None,
            closes_at=TUESDAY_10 + dt.timedelta(days=3),
        )


def test_closing_an_open_round_ends_it_now(desk, hr_round, at_tuesday_10):
    at_tuesday_10.shift(dt.timedelta(hours=2))
    services.pulse_round_close(actor=desk.change_lead, round_id=hr_round.pk)
    hr_round.refresh_from_db()
    assert (hr_round.closes_at, hr_round.closed_early_by) == (
        TUESDAY_10 + dt.timedelta(hours=2),
        desk.change_lead,
    )


def test_closing_a_planned_round_withdraws_it(desk, at_tuesday_10):
    planned = services.pulse_round_open(
        actor=desk.change_lead,
        title="Later",
        opens_at=TUESDAY_10 + dt.timedelta(days=7),
        closes_at=TUESDAY_10 + dt.timedelta(days=14),
    )
    services.pulse_round_close(actor=desk.change_lead, round_id=planned.pk)
    assert not PulseRound.objects.exists()


def test_a_closed_round_stays_closed(desk, hr_round, at_tuesday_10):
    at_tuesday_10.shift(dt.timedelta(days=8))
    with pytest.raises(PulseClosed, match="al gesloten"):
        services.pulse_round_close(actor=desk.change_lead, round_id=hr_round.pk)


def test_an_open_round_has_no_results_yet(desk, hr_round, at_tuesday_10):
    _answers(hr_round, {"hr": 6})
    assert selectors.pulse_results(round_id=hr_round.pk) is None


def test_small_groups_are_shown_together_when_together_they_reach_five(
    desk, hr_round, at_tuesday_10
):
    _answers(hr_round, {"it": 6, "hr": 3, "legal": 2})
    at_tuesday_10.shift(dt.timedelta(days=8))
    results = selectors.pulse_results(round_id=hr_round.pk)
    assert (
        {g.group: g.shown for g in results.groups},
        results.others.answers,
        results.others.shown,
        results.overall.answers,
    ) == ({"it": True, "hr": False, "legal": False}, 5, True, 11)


def test_the_total_leaves_out_small_groups_that_stay_hidden(desk, hr_round, at_tuesday_10):
    # Otherwise total minus the groups shown would give the one HR colleague's grade.
    _answers(hr_round, {"it": 6, "hr": 1}, job=7)
    at_tuesday_10.shift(dt.timedelta(days=8))
    results = selectors.pulse_results(round_id=hr_round.pk)
    assert (results.overall.answers, results.overall.job_mean, results.others) == (
        6,
        pytest.approx(7.5),
        None,
    )


def test_following_a_round_counts_members_and_answers_per_invited_group(
    desk, hr_round, at_tuesday_10
):
    services.pulse_answer(actor=desk.hr_specialist, round_id=hr_round.pk, job_grade=8, way_grade=7)
    status = selectors.pulse_round_status(actor=desk.change_lead, round_id=hr_round.pk)
    assert (
        [(g.group, g.invited, g.answered) for g in status.groups],
        status.state,
        status.results,
    ) == ([("hr", 1, 1)], "open", None)
