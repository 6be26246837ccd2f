"""What a user notices in the browser, and axe-core on every main page.

Each page test also keeps a screenshot when EENLOKET_SCREENSHOTS is set (see conftest).
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, log_in, screenshot


def no_violations(page) -> str:
    """The assertion message: empty when axe is happy, else one line per violation."""
    return "\n".join(axe_violations(page))


# --- flows -------------------------------------------------------------------------------


def test_the_agent_logs_in_and_lands_on_the_queue(page, desk):
    log_in(page, "servicedesk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtrij")


def test_the_stylesheet_loads(page, desk):
    page.goto("/inloggen/")
    background = page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_clicking_a_ticket_number_in_the_queue_opens_the_ticket(page, ticket):
    log_in(page, "servicedesk")
    page.get_by_role("link", name=ticket.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laptop start niet op")


def test_a_reply_appears_on_the_timeline(page, ticket):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    page.fill("#id_reply-body", "Probeert u de laptop aan de lader?")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".timeline")).to_contain_text("Probeert u de laptop aan de lader?")


def test_handing_over_to_a_department_shows_handed_over(page, ticket):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    page.get_by_text("Overdragen aan een afdeling").click()
    page.select_option("#id_hand_over-department", label="ICT")
    page.fill("#id_hand_over-question", "Laptop start niet")
    page.fill("#id_hand_over-tried", "Harde reset")
    page.fill("#id_hand_over-needed", "Vervangende laptop")
    page.get_by_role("button", name="Overdragen", exact=True).click()
    expect(page.locator(".ticket-facts .status")).to_have_text("Overgedragen")


def test_an_empty_reply_shows_the_error_next_to_the_field(page, ticket):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator("#id_reply-body_error")).to_be_visible()


def test_an_empty_reply_puts_the_focus_on_the_error_summary(page, ticket):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator("#error-summary")).to_be_focused()


def test_a_new_ticket_for_a_caller_lands_on_the_ticket(page, desk):
    log_in(page, "servicedesk")
    page.goto("/werkplek/nieuw/")
    page.fill("#id_q", "Karin")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name=re.compile("Karin")).click()
    page.select_option("#id_dienst", label="Laptop defect")
    page.get_by_role("button", name="Volgende").click()
    page.fill("#id_title", "Scherm flikkert")
    page.fill("#id_description", "Sinds vanochtend.")
    page.get_by_role("button", name="Melding aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scherm flikkert")


def test_the_customer_sees_their_ticket_in_the_portal(page, ticket):
    log_in(page, "klant")
    expect(page.get_by_role("link", name=ticket.number)).to_be_visible()


def test_the_customer_replies_in_the_portal(page, ticket):
    log_in(page, "klant")
    page.get_by_role("link", name=ticket.number).click()
    page.fill("#id_body", "Hij doet het nog steeds niet.")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator(".timeline")).to_contain_text("Hij doet het nog steeds niet.")


def test_the_language_switch_shows_the_page_in_english(page, desk):
    log_in(page, "servicedesk")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Queue")


# --- accessibility and screenshots --------------------------------------------------------


def test_login_page_has_no_axe_violations(page, desk):
    page.goto("/inloggen/")
    screenshot(page, "login")
    assert not no_violations(page), no_violations(page)


def test_login_page_with_errors_has_no_axe_violations(page, desk):
    page.goto("/inloggen/")
    page.fill("#id_username", "servicedesk")
    page.fill("#id_password", "fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert not no_violations(page), no_violations(page)


def test_queue_has_no_axe_violations(page, ticket):
    log_in(page, "servicedesk")
    screenshot(page, "queue")
    assert not no_violations(page), no_violations(page)


def test_ticket_page_has_no_axe_violations(page, ticket):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    screenshot(page, "ticket")
    assert not no_violations(page), no_violations(page)


def test_ticket_page_with_an_error_has_no_axe_violations(page, ticket):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert not no_violations(page), no_violations(page)


def test_new_ticket_search_step_has_no_axe_violations(page, desk):
    log_in(page, "servicedesk")
    page.goto("/werkplek/nieuw/?q=Karin")
    expect(page.locator("#person-results table")).to_be_visible()
    assert not no_violations(page), no_violations(page)


def test_new_ticket_service_step_has_no_axe_violations(page, desk):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/nieuw/?persoon={desk.person.pk}")
    assert not no_violations(page), no_violations(page)


def test_new_ticket_form_step_has_no_axe_violations(page, desk):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/nieuw/?persoon={desk.person.pk}&dienst={desk.laptop.pk}")
    screenshot(page, "new-ticket")
    assert not no_violations(page), no_violations(page)


def test_portal_list_has_no_axe_violations(page, ticket):
    log_in(page, "klant")
    screenshot(page, "portal")
    assert not no_violations(page), no_violations(page)


def test_portal_ticket_has_no_axe_violations(page, ticket):
    log_in(page, "klant")
    page.goto(f"/portaal/meldingen/{ticket.number}/")
    screenshot(page, "portal-ticket")
    assert not no_violations(page), no_violations(page)


def test_portal_new_request_service_step_has_no_axe_violations(page, desk):
    log_in(page, "klant")
    page.goto("/portaal/nieuw/")
    assert not no_violations(page), no_violations(page)


def test_portal_new_request_form_has_no_axe_violations(page, desk):
    log_in(page, "klant")
    page.goto(f"/portaal/nieuw/?dienst={desk.laptop.pk}")
    assert not no_violations(page), no_violations(page)
