"""The survey pages: by mail link without logging in, in the portal, and the pulse."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from eenloket.surveys import services
from eenloket.surveys.models import PulseAnswer, PulseRound, SurveyInvitation, SurveyResponse
from eenloket.tickets import services as tickets
from tests.factories import TUESDAY_10

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def resolved(desk, open_ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket()
        return tickets.ticket_resolve(actor=desk.agent, ticket=ticket, resolution="Opgelost")


@pytest.fixture
def link(resolved):
    return services.survey_link_for(resolved)


def test_the_mail_link_opens_the_survey_without_logging_in(client, link, resolved):
    response = client.get(link)
    assert (response.status_code, resolved.number in response.content.decode()) == (200, True)


def test_the_survey_page_takes_a_fixed_number_of_queries(
    client, link, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get(link)


def test_answering_by_link_stores_the_answer(client, link):
    response = client.post(link, {"grade": "9", "answered": "yes", "comment": "Snel geholpen"})
    assert (response.status_code, SurveyResponse.objects.get().grade) == (302, 9)


def test_a_grade_of_11_by_link_is_refused_with_a_message(client, link):
    response = client.post(link, {"grade": "11", "answered": "yes"})
    assert (response.status_code, "Give a grade from 1 to 10." in response.content.decode()) == (
        400,
        True,
    )
    assert not SurveyResponse.objects.exists()


def test_a_tampered_link_says_it_is_not_valid(client, link):
    response = client.get(link[:-3] + "abc/")
    assert (response.status_code, "not valid" in response.content.decode()) == (404, True)


def test_a_link_on_another_tickets_number_says_it_is_not_valid(client, link, resolved):
    other = link.replace(resolved.number, "M2026-99999")
    response = client.post(other, {"grade": "9", "answered": "yes"})
    assert (response.status_code, SurveyResponse.objects.count()) == (404, 0)


def test_an_expired_link_says_the_survey_has_closed(client, link, at_tuesday_10):
    at_tuesday_10.shift(dt.timedelta(days=15))
    response = client.post(link, {"grade": "9", "answered": "yes"})
    assert (response.status_code, "has closed" in response.content.decode()) == (410, True)
    assert not SurveyResponse.objects.exists()


def test_the_portal_shows_the_survey_on_a_resolved_ticket(client, desk, resolved):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = desk.customer
    html = Template("{% load surveys %}{% survey_on_ticket ticket %}").render(
        Context({"request": request, "ticket": resolved})
    )
    assert 'action="/enquete/portaal/' in html


def test_the_portal_survey_is_not_shown_to_someone_else(desk, resolved):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = desk.hr_specialist
    html = Template("{% load surveys %}{% survey_on_ticket ticket %}").render(
        Context({"request": request, "ticket": resolved})
    )
    assert html.strip() == ""


def test_answering_in_the_portal_returns_to_the_ticket(client, desk, resolved):
    client.force_login(desk.customer)
    response = client.post(
        reverse("surveys:portal_answer", args=[resolved.number]),
        {"grade": "7", "answered": "no"},
    )
    assert (response.status_code, SurveyResponse.objects.get().answered) == (302, False)


def test_a_bad_grade_in_the_portal_shows_the_form_again(client, desk, resolved):
    client.force_login(desk.customer)
    response = client.post(
        reverse("surveys:portal_answer", args=[resolved.number]), {"grade": "0", "answered": "no"}
    )
    assert (response.status_code, "Give a grade from 1 to 10." in response.content.decode()) == (
        400,
        True,
    )


def test_the_portal_survey_of_someone_elses_ticket_is_not_found(client, desk, resolved):
    client.force_login(desk.hr_specialist)
    response = client.post(
        reverse("surveys:portal_answer", args=[resolved.number]), {"grade": "7", "answered": "no"}
    )
    assert response.status_code == 404


@pytest.fixture
def pulse_round(desk):
    with time_machine.travel(TUESDAY_10 - dt.timedelta(days=1), tick=False):
        return services.pulse_round_open(
            actor=desk.change_lead,
            title="Pulse april",
            opens_at=TUESDAY_10 - dt.timedelta(days=1),
            closes_at=TUESDAY_10 + dt.timedelta(days=14),
        )


def test_staff_answer_the_pulse(client, desk, pulse_round, at_tuesday_10):
    client.force_login(desk.agent)
    response = client.post(reverse("surveys:pulse"), {"job_grade": "8", "way_grade": "7"})
    assert (response.status_code, PulseAnswer.objects.get().group) == (302, "servicedesk")


def test_the_pulse_page_says_when_it_was_answered(client, desk, pulse_round, at_tuesday_10):
    client.force_login(desk.agent)
    client.post(reverse("surveys:pulse"), {"job_grade": "8", "way_grade": "7"})
    response = client.get(reverse("surveys:pulse"))
    assert "already answered" in response.content.decode()


def test_customers_get_no_pulse_page(client, desk, pulse_round):
    client.force_login(desk.customer)
    assert client.get(reverse("surveys:pulse")).status_code == 403


def test_pulse_results_are_for_leads(client, desk, pulse_round):
    client.force_login(desk.agent)
    assert client.get(reverse("surveys:pulse_results")).status_code == 403


def test_pulse_results_say_small_groups_are_not_shown(client, desk, pulse_round, at_tuesday_10):
    client.force_login(desk.agent)
    client.post(reverse("surveys:pulse"), {"job_grade": "8", "way_grade": "7"})
    at_tuesday_10.shift(dt.timedelta(days=15))
    client.force_login(desk.change_lead)
    response = client.get(reverse("surveys:pulse_results"))
    assert "Fewer than 5 answers: not shown" in response.content.decode()


def test_pulse_results_show_no_open_round(client, desk, pulse_round, at_tuesday_10):
    client.force_login(desk.change_lead)
    response = client.get(reverse("surveys:pulse_results"))
    assert "No closed survey rounds yet." in response.content.decode()


# --- the rounds page -------------------------------------------------------------------------


def _open_form(desk, **changes):
    data = {
        "title": "Peiling mei",
        "opens_on": "2026-04-14",
        "closes_on": "2026-04-27",
        "groups": ["servicedesk", desk.it.code],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["change_lead", "team_lead", "admin"])
def test_leads_open_a_round_for_chosen_groups(client, desk, at_tuesday_10, role):
    client.force_login(getattr(desk, role))
    response = client.post(reverse("surveys:pulse_rounds"), _open_form(desk))
    round_ = PulseRound.objects.get()
    assert (response.status_code, round_.groups, round_.opened_by) == (
        302,
        [desk.it.code, "servicedesk"],
        getattr(desk, role),
    )


def test_a_round_runs_to_the_end_of_its_last_day(client, desk, at_tuesday_10):
    client.force_login(desk.change_lead)
    client.post(reverse("surveys:pulse_rounds"), _open_form(desk, opens_on="2026-04-14"))
    round_ = PulseRound.objects.get()
    assert (round_.opens_at, round_.closes_at) == (
        TUESDAY_10,  # today: from now
        dt.datetime(2026, 4, 28, 0, 0, tzinfo=AMSTERDAM),
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Geef de ronde een titel."),
        ({"groups": []}, "groups", "Nodig minstens één groep uit."),
        ({"closes_on": "2026-04-10"}, "closes_on", "De ronde moet sluiten na de opening."),
        ({"closes_on": ""}, "closes_on", "Zeg wanneer de ronde sluit."),
    ],
)
def test_a_bad_round_is_refused_with_a_clear_message(
    client, desk, at_tuesday_10, changes, field, message
):
    client.force_login(desk.change_lead)
    response = client.post(
        reverse("surveys:pulse_rounds"),
        _open_form(desk, **changes),
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert (response.status_code, message in response.content.decode()) == (400, True)
    assert not PulseRound.objects.exists()


def test_an_empty_form_is_refused_with_messages_not_an_error(client, desk, at_tuesday_10):
    client.force_login(desk.change_lead)
    response = client.post(reverse("surveys:pulse_rounds"), {})
    assert (response.status_code, PulseRound.objects.count()) == (400, 0)


def test_a_group_that_does_not_exist_is_refused(client, desk, at_tuesday_10):
    client.force_login(desk.change_lead)
    response = client.post(reverse("surveys:pulse_rounds"), _open_form(desk, groups=["nope"]))
    assert (response.status_code, PulseRound.objects.count()) == (400, 0)


@pytest.mark.parametrize("role", ["agent", "it_specialist", "customer"])
def test_only_leads_manage_rounds(client, desk, pulse_round, role):
    client.force_login(getattr(desk, role))
    assert (
        client.get(reverse("surveys:pulse_rounds")).status_code,
        client.get(reverse("surveys:pulse_round", args=[pulse_round.pk])).status_code,
        client.post(reverse("surveys:pulse_round_close", args=[pulse_round.pk])).status_code,
    ) == (403, 403, 403)


def test_following_an_open_round_shows_counts_and_no_grades(
    client, desk, pulse_round, at_tuesday_10
):
    client.force_login(desk.agent)
    client.post(reverse("surveys:pulse"), {"job_grade": "3", "way_grade": "2"})
    client.force_login(desk.change_lead)
    response = client.get(reverse("surveys:pulse_round", args=[pulse_round.pk]))
    status = response.context["status"]
    assert (
        status.state,
        status.results,
        status.answered,
        "Job satisfaction" in str(response.content),
    ) == (
        "open",
        None,
        1,
        False,
    )


def test_closing_a_round_shows_its_results(client, desk, pulse_round, at_tuesday_10):
    client.force_login(desk.change_lead)
    response = client.post(reverse("surveys:pulse_round_close", args=[pulse_round.pk]))
    pulse_round.refresh_from_db()
    follow = client.get(reverse("surveys:pulse_round", args=[pulse_round.pk]))
    assert (response.status_code, pulse_round.closes_at, follow.context["status"].state) == (
        302,
        TUESDAY_10,
        "closed",
    )


def test_a_closed_round_cannot_be_closed_again(client, desk, pulse_round, at_tuesday_10):
    client.force_login(desk.change_lead)
    client.post(reverse("surveys:pulse_round_close", args=[pulse_round.pk]))
    response = client.post(reverse("surveys:pulse_round_close", args=[pulse_round.pk]), follow=True)
    assert "This round has already closed." in response.content.decode()


def test_an_unknown_round_is_not_found(client, desk):
    client.force_login(desk.change_lead)
    assert client.get(reverse("surveys:pulse_round", args=[999])).status_code == 404


def test_the_rounds_page_lists_rounds_with_their_state(
    client, desk, pulse_round, at_tuesday_10, django_assert_max_num_queries
):
    client.force_login(desk.change_lead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("surveys:pulse_rounds"))
    assert [(line.round.title, line.state) for line in response.context["rounds"]] == [
        ("Pulse april", "open")
    ]


def test_no_invitation_means_no_link(desk, open_ticket):
    ticket = open_ticket()
    assert (services.survey_link_for(ticket), SurveyInvitation.objects.count()) == (None, 0)
