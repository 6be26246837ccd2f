"""The transition pages: who reaches them, what they show, and bad input kept and explained."""

import pytest
from django.urls import reverse

from eenloket.transition import services
from eenloket.transition.models import Assessment, Message
from tests.transition.conftest import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(desk, change):
    services.transition_start(actor=desk.change_lead, department=desk.it)
    services.assessment_submit(
        actor=change.anna, assessment_round=change.round, employee=change.anna, scores=GOOD
    )
    return change


def test_the_change_lead_sees_departments_and_the_heat_map(client, desk, started):
    client.force_login(desk.change_lead)
    response = client.get(reverse("transition:overview"))
    text = response.content.decode()
    assert (response.status_code, "IT" in text, "Heat map of groups by ADKAR element" in text) == (
        200,
        True,
        True,
    )


def test_an_agent_is_sent_to_their_own_adkar(client, started):
    client.force_login(started.anna)
    response = client.get(reverse("transition:overview"))
    assert response.url == reverse("transition:mine")


def test_customers_do_not_reach_the_transition(client, desk):
    client.force_login(desk.customer)
    assert client.get(reverse("transition:overview")).status_code == 403


def test_the_overview_costs_a_fixed_number_of_queries(
    client, desk, started, django_assert_max_num_queries
):
    services.transition_start(actor=desk.change_lead, department=desk.hr)
    client.force_login(desk.change_lead)
    with django_assert_max_num_queries(24):
        assert client.get(reverse("transition:overview")).status_code == 200


def test_the_group_page_shows_individual_scores_to_the_supervisor(client, started):
    client.force_login(started.supervisor)
    text = client.get(reverse("transition:group", args=[started.group.pk])).content.decode()
    assert "Scores per employee" in text


def test_the_group_page_hides_individual_scores_from_a_team_lead(client, desk, started):
    client.force_login(desk.team_lead)
    text = client.get(reverse("transition:group", args=[started.group.pk])).content.decode()
    assert ("Scores per employee" in text, "Mean score per element" in text) == (False, True)


def test_an_employee_cannot_open_a_group_page(client, started):
    client.force_login(started.bram)
    assert client.get(reverse("transition:group", args=[started.group.pk])).status_code == 404


def test_an_employee_gives_their_scores_in_the_form(client, started):
    client.force_login(started.bram)
    response = client.post(
        reverse("transition:assess", args=[started.round.pk]),
        {"employee": started.bram.pk, **GOOD, "comment": "Gaat goed"},
    )
    assert (response.status_code, Assessment.objects.get(employee=started.bram).comment) == (
        302,
        "Gaat goed",
    )


def test_a_score_of_six_is_shown_next_to_the_field_and_the_rest_is_kept(client, started):
    client.force_login(started.bram)
    response = client.post(
        reverse("transition:assess", args=[started.round.pk]),
        {"employee": started.bram.pk, **GOOD, "ability": "6", "comment": "Mijn toelichting"},
    )
    text = response.content.decode()
    assert (response.status_code, "id_ability_error" in text, "Mijn toelichting" in text) == (
        400,
        True,
        True,
    )
    assert not Assessment.objects.filter(employee=started.bram).exists()


def test_an_employee_cannot_pick_a_colleague_in_the_form(client, started):
    client.force_login(started.bram)
    response = client.post(
        reverse("transition:assess", args=[started.round.pk]),
        {"employee": started.anna.pk, **GOOD},
    )
    assert response.status_code == 400
    assert Assessment.objects.get(employee=started.anna).scores() == GOOD


def test_someone_outside_the_group_gets_no_assessment_form(client, started):
    client.force_login(started.outsider)
    assert client.get(reverse("transition:assess", args=[started.round.pk])).status_code == 404


def test_a_closed_round_says_so_and_keeps_the_scores(client, desk, started):
    services.round_close(actor=desk.change_lead, assessment_round=started.round)
    client.force_login(started.anna)
    response = client.post(
        reverse("transition:assess", args=[started.round.pk]),
        {"employee": started.anna.pk, **GOOD, "desire": "1"},
    )
    assert (response.status_code, "This assessment round is closed" in response.content.decode())[1]
    assert Assessment.objects.get(employee=started.anna).desire == GOOD["desire"]


def test_planning_a_message_without_audience_shows_the_error(client, desk, started):
    client.force_login(desk.change_lead)
    response = client.post(
        reverse("transition:communication"),
        {
            "title": "Waarom",
            "kind": "why",
            "sender": "project",
            "channel": "email",
            "planned_on": "2026-03-10",
        },
    )
    assert (response.status_code, 'value="Waarom"' in response.content.decode()) == (400, True)
    assert not Message.objects.exists()


def test_a_team_lead_sees_the_plan_but_cannot_add_to_it(client, desk, started):
    client.force_login(desk.team_lead)
    page = client.get(reverse("transition:communication")).content.decode()
    response = client.post(
        reverse("transition:communication"),
        {
            "title": "Waarom",
            "audience": [started.group.pk],
            "kind": "why",
            "sender": "project",
            "channel": "email",
            "planned_on": "2026-03-10",
        },
    )
    assert ("Plan a message" in page, response.status_code) == (False, 400)
    assert not Message.objects.exists()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_transition_page_answers_in_both_languages(client, desk, started, language):
    client.force_login(desk.change_lead)
    client.cookies["django_language"] = language
    urls = [
        reverse("transition:overview"),
        reverse("transition:department", args=["it"]),
        reverse("transition:group", args=[started.group.pk]),
        reverse("transition:assess", args=[started.round.pk]),
        reverse("transition:mine"),
        reverse("transition:communication"),
        reverse("transition:sponsors"),
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)


def test_the_overview_costs_the_same_queries_for_more_departments(client, desk, started):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(desk.change_lead)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("transition:overview"))
    services.transition_start(actor=desk.change_lead, department=desk.hr)
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("transition:overview"))
    assert len(two) == len(one)
