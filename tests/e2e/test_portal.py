"""The customer portal in a real browser: the flows a customer goes through, without
JavaScript too, and axe-core on every portal page in Dutch and in English."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import WIDTH, axe_violations, screenshot
from tests.factories import PDF

NUMBER = re.compile(r"M\d{4}-\d{5}")


def log_in(page, username):
    """Log in with the form, whatever the page's language."""
    page.goto("/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(r"/(werkplek|portaal)/$"))


@pytest.fixture
def new_page(browser, live_server):
    """A page in a language of choice, with or without JavaScript."""
    contexts = []

    def make(locale="nl-NL", javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport={"width": WIDTH, "height": 800},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def answered(desk, ticket):
    """The customer's laptop ticket, answered and solved by the desk."""
    from eenloket.tickets import services

    services.ticket_reply(actor=desk.agent, ticket=ticket, body="Houd de aan-knop 30 seconden in.")
    services.ticket_resolve(actor=desk.agent, ticket=ticket, resolution="Harde reset gedaan.")
    return ticket


@pytest.fixture
def pass_service(desk):
    """A service with typed fields: a choice, a date, a number and a file."""
    from tests import factories as f

    service = f.ServiceFactory(
        code="toegangspas",
        name_nl="Toegangspas aanvragen",
        name_en="Request an access pass",
        description_nl="Een nieuwe of vervangende pas voor de kantoren.",
        description_en="A new or replacement pass for the offices.",
        department=desk.it,
        sla_policy=desk.policy,
    )
    fields = [
        ("gebouw", "Gebouw", "Building", "choice", True, {"choices": ["Stadskantoor", "Spui"]}),
        ("vanaf", "Nodig vanaf", "Needed from", "date", True, {}),
        ("aantal", "Aantal passen", "Number of passes", "number", False, {"min_value": 1}),
        ("foto", "Pasfoto", "Passport photo", "file", False, {}),
    ]
    for order, (key, nl, en, kind, required, extra) in enumerate(fields):
        f.RequestFieldFactory(
            service=service,
            key=key,
            label_nl=nl,
            label_en=en,
            field_type=kind,
            required=required,
            order=order,
            **extra,
        )
    return service


# --- flows ---------------------------------------------------------------------------------


def test_the_customer_sees_the_answer_and_reopens_the_ticket(page, answered):
    log_in(page, "klant")
    page.get_by_role("link", name=answered.number).click()
    expect(page.locator(".timeline")).to_contain_text("Houd de aan-knop 30 seconden in.")
    expect(page.locator(".ticket-facts")).to_contain_text("Opgelost")
    page.fill("#id_reopen-reason", "Na de reset start hij nog steeds niet.")
    page.get_by_role("button", name="Aanvraag heropenen").click()
    expect(page.locator(".messages")).to_contain_text("Uw aanvraag is weer geopend")
    expect(page.locator(".ticket-facts")).to_contain_text("In behandeling")
    expect(page.locator(".timeline")).to_contain_text("Na de reset start hij nog steeds niet.")


def test_the_customer_submits_a_request_with_a_file_and_sees_its_number(
    page, pass_service, tmp_path
):
    photo = tmp_path / "pasfoto.pdf"
    photo.write_bytes(PDF)
    log_in(page, "klant")
    page.get_by_role("link", name="Toegangspas aanvragen").click()
    page.fill("#id_title", "Pas kwijt")
    page.fill("#id_description", "Mijn pas is gisteren kwijtgeraakt.")
    page.select_option("#id_form_gebouw", "Stadskantoor")
    page.fill("#id_form_vanaf", "2030-01-07")
    page.set_input_files("#id_form_foto", str(photo))
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvraag ontvangen")
    expect(page.locator(".confirmation__number")).to_have_text(NUMBER)
    expect(page.locator(".expected-response")).to_contain_text("U krijgt uiterlijk")
    page.get_by_role("link", name=re.compile("Aanvraag M")).click()
    expect(page.locator(".timeline")).to_contain_text("pasfoto.pdf")
    expect(page.locator(".form-data")).to_contain_text("Stadskantoor")


def test_a_rejected_file_shows_the_error_next_to_the_field_and_keeps_the_text(page, desk, tmp_path):
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"MZ this is a program")
    log_in(page, "klant")
    page.goto(f"/portaal/diensten/{desk.laptop.pk}/")
    page.fill("#id_title", "Scherm kapot")
    page.fill("#id_description", "Barst in het scherm.")
    page.set_input_files("#id_files", str(fake))
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.locator("#id_files_error")).to_contain_text("scan.pdf")
    expect(page.locator("#id_description")).to_have_value("Barst in het scherm.")
    expect(page.locator("#error-summary")).to_be_focused()


def test_without_javascript_the_customer_requests_replies_and_marks_solved(new_page, desk):
    page = new_page(javascript=False)
    log_in(page, "klant")
    page.goto(f"/portaal/diensten/{desk.payslip.pk}/")
    page.fill("#id_title", "Loonstrook maart")
    page.fill("#id_description", "Mijn overuren ontbreken.")
    page.get_by_role("button", name="Aanvraag versturen").click()
    page.get_by_role("link", name=re.compile("Aanvraag M")).click()
    page.fill("#id_body", "Het gaat om 6 uur.")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator(".timeline")).to_contain_text("Het gaat om 6 uur.")
    page.get_by_role("button", name="Markeren als opgelost").click()
    expect(page.locator(".ticket-facts")).to_contain_text("Opgelost")


def test_the_search_box_finds_a_service(page, desk):
    log_in(page, "klant")
    page.fill("#id_q", "loonstrook")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("region", name="Diensten")).to_contain_text("Vraag over loonstrook")


def test_the_language_switch_keeps_the_portal_page(page, ticket):
    log_in(page, "klant")
    page.goto("/portaal/meldingen/?status=open")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/portaal/meldingen/\?status=open$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My requests")


# --- accessibility in both languages, and screenshots ---------------------------------------

LANGUAGES = [("nl-NL", "nl"), ("en-GB", "en")]


def check_axe(page, name, language):
    if language == "nl":
        screenshot(page, name)
    # The issue asks for no serious or critical violation; we hold the portal to none at all.
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_portal_home_has_no_axe_violations(new_page, ticket, locale, language):
    page = new_page(locale)
    log_in(page, "klant")
    expect(page.locator("html")).to_have_attribute("lang", language)
    check_axe(page, "portal", language)


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_request_form_has_no_axe_violations(new_page, pass_service, locale, language):
    page = new_page(locale)
    log_in(page, "klant")
    page.goto(f"/portaal/diensten/{pass_service.pk}/")
    check_axe(page, "portal-request", language)


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_request_form_with_errors_has_no_axe_violations(new_page, desk, locale, language, tmp_path):
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"MZ this is a program")
    page = new_page(locale)
    log_in(page, "klant")
    page.goto(f"/portaal/diensten/{desk.laptop.pk}/")
    page.fill("#id_title", "Scherm kapot")
    page.fill("#id_description", "Barst")
    page.set_input_files("#id_files", str(fake))
    page.locator(".request-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check_axe(page, "portal-request-error", language)


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_confirmation_has_no_axe_violations(new_page, desk, locale, language):
    page = new_page(locale)
    log_in(page, "klant")
    page.goto(f"/portaal/diensten/{desk.payslip.pk}/")
    page.fill("#id_title", "Loonstrook")
    page.fill("#id_description", "Overuren ontbreken")
    page.locator(".request-form button[type=submit]").click()
    expect(page.locator(".confirmation__number")).to_have_text(NUMBER)
    check_axe(page, "portal-received", language)


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_my_requests_has_no_axe_violations(new_page, answered, locale, language):
    page = new_page(locale)
    log_in(page, "klant")
    page.goto("/portaal/meldingen/")
    expect(page.get_by_role("link", name=answered.number)).to_be_visible()
    check_axe(page, "portal-requests", language)


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_open_ticket_page_has_no_axe_violations(new_page, ticket, locale, language):
    page = new_page(locale)
    log_in(page, "klant")
    page.goto(f"/portaal/meldingen/{ticket.number}/")
    check_axe(page, "portal-ticket", language)


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_solved_ticket_page_has_no_axe_violations(new_page, answered, locale, language):
    page = new_page(locale)
    log_in(page, "klant")
    page.goto(f"/portaal/meldingen/{answered.number}/")
    check_axe(page, "portal-ticket-solved", language)


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_search_results_have_no_axe_violations(new_page, desk, locale, language):
    page = new_page(locale)
    log_in(page, "klant")
    page.goto("/portaal/zoeken/?q=laptop")
    check_axe(page, "portal-search", language)
