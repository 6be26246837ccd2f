"""The transition in the browser: a round from opening to the heat map, and axe-core on every
transition page in Dutch and English."""

import re

import pytest

from eenloket.directory.roles import Role
from eenloket.transition import services
from eenloket.transition.models import ChangeGroup
from tests import factories as f
from tests.e2e.conftest import axe_violations, screenshot

GOOD = {"awareness": 5, "desire": 4, "knowledge": 4, "ability": 4, "reinforcement": 4}


def log_in(page, username):
    page.goto("/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/(werkplek|portaal)/"))


@pytest.fixture
def group(desk):
    anna = f.UserFactory(username="anna", role=Role.FIRST_LINE, first_name="Anna")
    group = ChangeGroup.objects.create(name="Servicedesk", kind="desk", supervisor=desk.team_lead)
    group.members.set([anna, desk.agent])
    services.transition_start(actor=desk.change_lead, department=desk.it)
    return group


@pytest.fixture
def scored(desk, group):
    assessment_round = services.round_open(actor=desk.change_lead, group=group, title="Nulmeting")
    for member in group.members.all():
        services.assessment_submit(
            actor=desk.change_lead,
            assessment_round=assessment_round,
            employee=member,
            scores={**GOOD, "ability": 2},
        )
    return assessment_round


def test_a_round_goes_from_the_change_lead_to_the_employee_and_back(page, desk, group):
    log_in(page, "verandermanager")
    page.get_by_role("link", name="Servicedesk").click()
    page.get_by_label("Titel van de ronde").fill("Nulmeting")
    page.get_by_role("button", name="Ronde openen").click()
    assert page.get_by_text("De meetronde is open.").is_visible()

    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, "anna")
    page.goto("/werkplek/transitie/")  # an employee is sent to their own ADKAR
    page.get_by_role("link", name=re.compile("Mijn scores invullen")).click()
    for legend, score in [
        ("Bewustzijn", "5"),
        ("Bereidheid", "4"),
        ("Kennis", "3"),
        ("Vaardigheid", "2"),
        ("Borging", "2"),
    ]:
        page.get_by_role("group", name=re.compile(legend)).get_by_label(score).check()
    page.get_by_role("button", name="Scores opslaan").click()
    assert page.get_by_role("row", name=re.compile("Nulmeting")).inner_text().count("Kennis") == 1

    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, "verandermanager")
    heat_row = page.get_by_role("row", name=re.compile("Servicedesk"))
    assert "3,0" in heat_row.inner_text()  # knowledge: the group's only answer so far


def test_a_score_left_out_is_shown_next_to_its_element(page, desk, group, scored):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/transitie/rondes/{scored.pk}/scores/")
    page.get_by_role("group", name=re.compile("Bewustzijn")).get_by_label("4").check()
    page.get_by_label("Toelichting (niet verplicht)").fill("Ik twijfel nog")
    page.get_by_role("button", name="Scores opslaan").click()
    assert page.locator("#id_desire_error").is_visible()
    assert page.get_by_label("Toelichting (niet verplicht)").input_value() == "Ik twijfel nog"


PAGES = {
    "overview": "/werkplek/transitie/",
    "department": "/werkplek/transitie/afdelingen/it/",
    "group": "/werkplek/transitie/groepen/{group}/",
    "assess": "/werkplek/transitie/rondes/{round}/scores/",
    "mine": "/werkplek/transitie/mijn-adkar/",
    "communication": "/werkplek/transitie/communicatie/",
    "sponsors": "/werkplek/transitie/sponsors/",
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_transition_pages_have_no_axe_violations(page, desk, group, scored, name, language):
    log_in(page, "verandermanager")
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(PAGES[name].format(group=group.pk, round=scored.pk))
    screenshot(page, f"transition-{name}-{language}")
    assert axe_violations(page) == []
