"""Dashboards and survey pages in the browser: flows, axe-core, screenshots."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from eenloket.surveys import services as surveys
from eenloket.tickets import services as tickets
from tests.e2e.conftest import axe_violations, log_in, screenshot


def no_violations(page) -> str:
    return "\n".join(axe_violations(page))


@pytest.fixture(autouse=True)
def _backlog_counted_fresh(settings):
    settings.EENLOKET_REPORTS_BACKLOG_SECONDS = 0


@pytest.fixture
def history(desk):
    from tests.reports.factories import make_history

    return make_history(desk)


@pytest.fixture
def survey_link(desk, ticket):
    resolved = tickets.ticket_resolve(actor=desk.agent, ticket=ticket, resolution="Nieuwe laptop")
    return surveys.survey_link_for(resolved)


WEEK = "?van=2026-04-06&tot=2026-04-19"


def test_the_dashboard_passes_axe(page, desk, history):
    log_in(page, "teamleider")
    page.goto("/werkplek/rapportages/" + WEEK)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    screenshot(page, "e2e-dashboard")
    assert axe_violations(page) == [], no_violations(page)


def test_the_chart_data_opens_as_a_table(page, desk, history):
    log_in(page, "teamleider")
    page.goto("/werkplek/rapportages/" + WEEK)
    page.get_by_text("De gegevens van de grafieken als tabel").click()
    expect(page.locator("#table-weeks")).to_be_visible()


def test_filtering_by_department_narrows_the_figures(page, desk, history):
    log_in(page, "teamleider")
    page.goto("/werkplek/rapportages/?van=2026-04-13&tot=2026-04-19")
    page.select_option("#id_afdeling", label="HRM")
    page.get_by_role("button", name="Tonen").click()
    row = page.locator("#table-kpis tbody tr").first
    expect(row.locator("td").first).to_have_text("2")


def test_the_department_page_passes_axe(page, desk, history):
    log_in(page, "specialist-hr")
    page.goto("/werkplek/rapportages/afdeling/hr/" + WEEK)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers van HRM")
    assert axe_violations(page) == [], no_violations(page)


def test_the_alerts_page_passes_axe(page, desk, history):
    from eenloket.surveys.models import SatisfactionAlert

    SatisfactionAlert.objects.create(
        response=history.t2.survey_response, created_at=dt.datetime.now(dt.UTC)
    )
    log_in(page, "teamleider")
    page.goto("/werkplek/rapportages/signalen/")
    expect(page.locator("table")).to_contain_text("Duurde te lang")
    screenshot(page, "e2e-alerts")
    assert axe_violations(page) == [], no_violations(page)


def test_a_customer_answers_the_survey_from_the_mail_link(page, survey_link):
    page.goto(survey_link)
    page.get_by_label("8", exact=True).check()
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".message--success")).to_contain_text("Dank u wel")


def test_the_survey_page_passes_axe(page, survey_link):
    page.goto(survey_link)
    screenshot(page, "survey")
    assert axe_violations(page) == [], no_violations(page)


def test_a_survey_without_a_grade_shows_the_error_summary(page, survey_link):
    page.goto(survey_link)
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator("#error-summary")).to_contain_text("Geef een cijfer van 1 tot en met 10.")
    assert axe_violations(page) == [], no_violations(page)


def test_a_tampered_survey_link_says_so(page, survey_link):
    page.goto(survey_link[:-4] + "xyz/")
    expect(page.get_by_role("alert")).to_contain_text("niet geldig")


def test_the_portal_ticket_shows_the_survey_and_passes_axe(page, desk, survey_link, ticket):
    log_in(page, "klant")
    page.goto(f"/portaal/meldingen/{ticket.number}/")
    expect(page.get_by_role("heading", name="Hoe hebben we het gedaan?")).to_be_visible()
    screenshot(page, "portal-survey")
    assert axe_violations(page) == [], no_violations(page)


def test_the_pulse_page_passes_axe(page, desk):
    now = dt.datetime.now(dt.UTC)
    surveys.pulse_round_open(
        actor=desk.change_lead,
        title="Medewerkerspeiling",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
    )
    log_in(page, "servicedesk")
    page.goto("/enquete/medewerkers/")
    screenshot(page, "pulse")
    assert axe_violations(page) == [], no_violations(page)


def test_a_lead_opens_follows_and_closes_a_round(page, desk):
    log_in(page, "teamleider")
    page.goto("/enquete/medewerkers/rondes/")
    assert axe_violations(page) == [], no_violations(page)
    page.get_by_label("Titel").fill("Peiling najaar")
    page.get_by_label("HRM").uncheck()
    page.get_by_role("button", name="Ronde openen").click()
    expect(page.get_by_role("heading", name="Peiling najaar")).to_be_visible()
    expect(page.get_by_role("cell", name="HRM")).to_have_count(0)
    screenshot(page, "pulse-round")
    assert axe_violations(page) == [], no_violations(page)
    page.get_by_role("button", name="Ronde sluiten").click()
    expect(page.get_by_role("heading", name="Uitkomsten")).to_be_visible()
    assert axe_violations(page) == [], no_violations(page)


def test_a_bad_round_says_what_is_wrong_and_passes_axe(page, desk):
    log_in(page, "teamleider")
    page.goto("/enquete/medewerkers/rondes/")
    page.get_by_role("button", name="Ronde openen").click()
    expect(page.get_by_text("Geef de ronde een titel.").first).to_be_visible()
    assert axe_violations(page) == [], no_violations(page)
