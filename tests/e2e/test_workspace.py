"""The agent workspace in the browser: the three flows of a working day, the keyboard, and
axe-core on the inbox, the ticket page and new contact in Dutch and in English.

Each page test also keeps a screenshot when EENLOKET_SCREENSHOTS is set (see conftest).
"""

import re

import pytest
from playwright.sync_api import expect

from eenloket.directory.roles import Role
from eenloket.tickets import services
from tests import factories as f
from tests.e2e.conftest import axe_violations, log_in, screenshot


def no_violations(page) -> str:
    """The assertion message: empty when axe finds nothing serious or critical."""
    return "\n".join(
        line for line in axe_violations(page) if "(serious)" in line or "(critical)" in line
    )


def press(page, key: str) -> None:
    """Press a shortcut once the page's scripts run (they are deferred to the page's load)."""
    page.wait_for_load_state("load")
    page.keyboard.press(key)


def in_english(page) -> None:
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.fixture
def handed_to_hr(desk, ticket):
    """The laptop ticket, handed over to HR by first line (it turned out to be about pay)."""
    services.ticket_hand_over(
        actor=desk.agent,
        ticket=ticket,
        department=desk.hr,
        question="Laptopvergoeding staat niet op de loonstrook",
        tried="Loonstrook met de klant doorgenomen",
        needed="Vergoeding nakijken en uitbetalen",
    )
    ticket.refresh_from_db()
    return ticket


# --- the flows of a working day ---------------------------------------------------------------


def test_an_agent_takes_a_phone_call_and_solves_it_at_first_contact(page, desk):
    log_in(page, "servicedesk")
    press(page, "c")  # the shortcut for a new contact
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw contact")

    # The caller is found as the agent types: no button pressed.
    page.locator("#id_q").press_sequentially("Kar")
    page.get_by_role("link", name=re.compile("Kies Karin")).click()

    page.locator("#id_zoek").press_sequentially("laptop")
    expect(page.locator("#service-choice")).to_contain_text("1 dienst past bij “laptop”.")
    page.select_option("#id_dienst", label="Laptop defect")
    page.get_by_role("button", name="Volgende").click()

    page.fill("#id_title", "Laptop start niet op")
    page.fill("#id_description", "Zwart scherm na het aanzetten.")
    expect(page.locator("#id_resolution")).to_be_hidden()  # until the agent says it is solved
    page.get_by_label("Opgelost bij eerste contact").check()
    page.fill("#id_resolution", "Accu was leeg; laptop aan de lader gelegd, start weer.")
    page.get_by_role("button", name="Melding aanmaken").click()

    expect(page.locator(".messages")).to_contain_text("is opgelost bij het eerste contact")
    expect(page.locator(".ticket-facts .status")).to_have_text("Opgelost")
    expect(page.locator(".timeline")).to_contain_text("Accu was leeg")


def test_another_agent_hands_a_ticket_over_to_hr(page, desk, ticket):
    f.UserFactory(username="balie", role=Role.FIRST_LINE, first_name="Bas")
    log_in(page, "balie")
    page.get_by_role("link", name=ticket.number).click()
    press(page, "h")  # opens the handover form with the cursor in it
    expect(page.locator("#id_hand_over-department")).to_be_focused()
    page.select_option("#id_hand_over-department", label="HRM")
    page.fill("#id_hand_over-question", "Laptopvergoeding staat niet op de loonstrook")
    page.fill("#id_hand_over-tried", "Loonstrook met de klant doorgenomen")
    page.fill("#id_hand_over-needed", "Vergoeding nakijken en uitbetalen")
    page.get_by_role("button", name="Overdragen", exact=True).click()

    expect(page.locator(".ticket-facts .status")).to_have_text("Overgedragen")
    expect(page.locator(".ticket-facts")).to_contain_text("Tweede lijn HRM")
    expect(page.locator(".entry--handover")).to_contain_text("Vergoeding nakijken en uitbetalen")


def test_the_hr_specialist_answers_and_resolves_the_handover(page, desk, handed_to_hr):
    log_in(page, "specialist-hr")
    page.get_by_role("link", name=re.compile("^Tweede lijn HRM")).click()
    page.get_by_role("link", name=handed_to_hr.number).click()
    expect(page.locator(".entry--handover")).to_contain_text("Vergoeding nakijken")

    page.fill("#id_reply-body", "De vergoeding komt mee met de salarisbetaling van deze maand.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".messages")).to_contain_text("Uw antwoord is verstuurd.")

    page.locator("summary", has_text="Oplossen").click()
    page.fill("#id_resolve-resolution", "Vergoeding toegevoegd aan de salarisrun.")
    page.get_by_role("button", name="Oplossen", exact=True).click()

    expect(page.locator(".ticket-facts .status")).to_have_text("Opgelost")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("De vergoeding komt mee met de salarisbetaling")
    expect(timeline).to_contain_text("Vergoeding toegevoegd aan de salarisrun.")


def test_a_bad_handover_keeps_what_was_typed(page, desk, ticket):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    page.locator("summary", has_text="Overdragen aan een afdeling").click()
    page.fill("#id_hand_over-question", "Laptopvergoeding ontbreekt")
    page.get_by_role("button", name="Overdragen", exact=True).click()
    expect(page.locator("#id_hand_over-tried_error")).to_be_visible()
    expect(page.locator("#id_hand_over-question")).to_have_value("Laptopvergoeding ontbreekt")


# --- the inbox and the keyboard ---------------------------------------------------------------


def test_a_saved_view_shows_its_tickets_and_count(page, desk, ticket, handed_to_hr):
    other = services.ticket_open(
        actor=desk.agent,
        requester=desk.person,
        service=desk.laptop,
        channel="email",
        title="Printer hapert",
        description="Papier loopt vast.",
    )
    log_in(page, "servicedesk")
    handed = page.locator("#view-handed_over")
    expect(handed.locator(".count")).to_contain_text("1")
    handed.click()
    expect(page.locator("table.queue")).to_contain_text(handed_to_hr.number)
    expect(page.locator("table.queue")).not_to_contain_text(other.number)


def test_j_and_k_move_through_the_inbox(page, desk, ticket):
    log_in(page, "servicedesk")
    press(page, "j")
    expect(page.get_by_role("link", name=ticket.number)).to_be_focused()


def test_the_question_mark_shows_the_shortcuts(page, desk, ticket):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    press(page, "?")
    dialog = page.get_by_role("dialog", name="Sneltoetsen")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Overdrachtsformulier openen")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_typing_in_a_field_never_triggers_a_shortcut(page, desk, ticket):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    page.locator("#id_reply-body").press_sequentially("hallo")
    expect(page.locator("#id_reply-body")).to_have_value("hallo")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_refresh_keeps_the_filters_and_the_focused_row(page, desk, ticket):
    log_in(page, "servicedesk")
    page.goto("/werkplek/?view=first_line&channel=phone")
    row = page.get_by_role("link", name=ticket.number)
    row.focus()
    services.ticket_open(
        actor=desk.agent,
        requester=desk.person,
        service=desk.laptop,
        channel="phone",
        title="Tweede telefoontje",
        description="Nog een vraag.",
    )
    # What the 30-second poll does, now: ask the element's own URL and swap the list.
    page.evaluate(
        "htmx.ajax('GET', document.getElementById('inbox').getAttribute('hx-get'),"
        " {target: '#inbox', swap: 'innerHTML'})"
    )
    expect(page.locator("table.queue")).to_contain_text("Tweede telefoontje")
    expect(page.get_by_role("link", name=ticket.number)).to_be_focused()
    expect(page.locator("#id_channel")).to_have_value("phone")
    expect(page.locator("#view-first_line")).to_have_attribute("aria-current", "page")


# --- accessibility in both languages ----------------------------------------------------------

LANGUAGES = ["nl", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_inbox_has_no_serious_axe_violations(page, ticket, language):
    log_in(page, "servicedesk")
    if language == "en":
        in_english(page)
    expect(page.locator("#view-all .count")).to_be_visible()
    screenshot(page, f"inbox-{language}")
    assert not no_violations(page), no_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_ticket_page_has_no_serious_axe_violations(page, handed_to_hr, language):
    log_in(page, "specialist-hr")
    if language == "en":
        in_english(page)
    page.goto(f"/werkplek/meldingen/{handed_to_hr.number}/")
    press(page, "s")  # the resolve form open: an open action is checked too
    screenshot(page, f"ticket-{language}")
    assert not no_violations(page), no_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_shortcuts_dialog_has_no_serious_axe_violations(page, ticket, language):
    log_in(page, "servicedesk")
    if language == "en":
        in_english(page)
    press(page, "?")
    expect(page.locator("#shortcuts-dialog")).to_be_visible()
    assert not no_violations(page), no_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_new_contact_steps_have_no_serious_axe_violations(page, desk, language):
    log_in(page, "servicedesk")
    if language == "en":
        in_english(page)
    page.goto("/werkplek/nieuw/?q=Karin")
    expect(page.locator("#person-results table")).to_be_visible()
    found = no_violations(page)
    page.goto(f"/werkplek/nieuw/?persoon={desk.person.pk}&zoek=laptop")
    found += no_violations(page)
    page.goto(f"/werkplek/nieuw/?persoon={desk.person.pk}&dienst={desk.laptop.pk}")
    page.locator("#id_outcome_2").check()  # the handover part shown
    screenshot(page, f"new-contact-{language}")
    found += no_violations(page)
    assert not found, found


@pytest.mark.parametrize("language", LANGUAGES)
def test_new_contact_with_errors_has_no_serious_axe_violations(page, desk, language):
    log_in(page, "servicedesk")
    if language == "en":
        in_english(page)
    page.goto(f"/werkplek/nieuw/?persoon={desk.person.pk}&dienst={desk.laptop.pk}")
    page.locator("#id_outcome_2").check()
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert not no_violations(page), no_violations(page)
