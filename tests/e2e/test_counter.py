"""The counter in the browser: kiosk, display board and desk together, a portal booking
checked in at the kiosk, and axe-core on every counter page in Dutch and English.

The counter's calendar here is open day and night, so the tests pass at any hour.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from eenloket.core.models import BusinessCalendar, OpeningHours
from tests.counter.factories import CounterDeskFactory, CounterTopicFactory
from tests.e2e.conftest import WIDTH, axe_violations

LANGUAGES = ["nl-NL", "en-GB"]


@pytest.fixture
def counter(desk):
    always = BusinessCalendar.objects.create(name="Altijd open", holiday_country="")
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=always, weekday=day, opens=datetime.time(0), closes=datetime.time(0))
        for day in range(7)
    )
    general = CounterTopicFactory(
        code="algemeen",
        letter="A",
        name_nl="Algemene vragen",
        name_en="General questions",
        calendar=always,
        default_service=desk.laptop,
        appointment_minutes=5,
        appointment_capacity=2,
    )
    passes = CounterTopicFactory(
        code="passen",
        letter="P",
        name_nl="Toegangspassen",
        name_en="Access passes",
        calendar=always,
        default_service=desk.laptop,
        appointment_capacity=0,
    )
    return {
        "general": general,
        "passes": passes,
        "desk": CounterDeskFactory(number=1, name="Balie 1", topics=[general, passes]),
    }


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a browser context of its own (a kiosk, a board, an agent). Every
    context is closed after the test, so no board keeps polling the next test's server."""
    contexts = []

    def make(locale="nl-NL"):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": WIDTH, "height": 800}
        )
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, username):
    """Log in through the form, in whichever language the page is."""
    page.goto("/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(r"/(werkplek|portaal)/$"))


def no_violations(page) -> str:
    return "\n".join(axe_violations(page))


def take_number(page) -> None:
    page.goto("/balie/kiosk/")
    page.get_by_role("button", name=re.compile("Algemene vragen|General questions")).click()
    expect(page.locator(".receipt__number")).to_be_visible()


def serve_first(page, desk_id) -> None:
    """The agent calls the next visitor, starts serving and identifies Karin."""
    page.goto(f"/balie/balies/{desk_id}/")
    page.locator("button.desk-call-next").click()
    page.locator("form[action$='/helpen/'] button").click()
    page.fill("#id_zoek", "Karin")
    page.locator("#id_zoek").press("Enter")
    page.locator("form[action$='/identificeren/'] button").first.click()


# --- flows -------------------------------------------------------------------------------


def test_a_visitor_is_called_on_the_board_served_and_recorded(new_page, counter):
    kiosk = new_page()
    take_number(kiosk)
    expect(kiosk.locator(".receipt__number")).to_have_text("A001")

    board = new_page()
    board.goto("/balie/bord/")
    expect(board.locator(".board-call--empty")).to_be_visible()

    agent = new_page()
    log_in(agent, "servicedesk")
    agent.goto(f"/balie/balies/{counter['desk'].pk}/")
    agent.get_by_role("button", name="Volgende oproepen").click()
    expect(agent.locator(".messages")).to_contain_text("A001 is opgeroepen naar Balie 1")

    # The board polls: the call appears without a reload, with the visible signal.
    expect(board.locator(".board-call--latest .board-call__number")).to_have_text(
        "A001", timeout=10_000
    )
    expect(board.locator(".board-call--new")).to_be_visible()
    expect(board.locator("#board-announcer")).to_have_text("Nummer A001 naar Balie 1")

    agent.get_by_role("button", name="Helpen").click()
    agent.fill("#id_zoek", "Karin")
    agent.get_by_role("button", name="Zoeken").click()
    agent.get_by_role("button", name="Dit is de bezoeker").click()
    agent.fill("#id_question", "Mijn toegangspas werkt niet meer")
    agent.fill("#id_resolution", "Pas opnieuw geactiveerd")
    agent.get_by_role("button", name="Klaar", exact=True).click()
    message = agent.locator(".messages").inner_text()
    number = re.search(r"M\d{4}-\d{5}", message).group(0)

    agent.goto(f"/werkplek/meldingen/{number}/")
    expect(agent.locator(".timeline")).to_contain_text("Volgnummer A001 aan Balie 1")
    expect(agent.locator(".ticket-facts .status")).to_have_text("Opgelost")


def test_the_board_recovers_after_a_network_drop(new_page, counter):
    board = new_page()
    board.goto("/balie/bord/")
    board.context.set_offline(True)
    expect(board.locator("#board-connection")).to_be_visible(timeout=10_000)
    board.context.set_offline(False)
    expect(board.locator("#board-connection")).to_be_hidden(timeout=10_000)


def test_a_portal_booking_is_checked_in_at_the_kiosk(new_page, counter):
    customer = new_page()
    log_in(customer, "klant")
    customer.get_by_role("link", name="Afspraken").click()
    soon = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")) + datetime.timedelta(minutes=10)
    customer.select_option("#id_topic", label="Algemene vragen")
    customer.fill("#id_day", soon.date().isoformat())
    customer.get_by_role("button", name="Vrije tijden tonen").click()
    customer.locator(".slot input").first.check()
    customer.get_by_role("button", name="Afspraak maken").click()
    code = re.search(r"code is ([A-Z0-9]{6})", customer.locator(".messages").inner_text()).group(1)
    expect(customer.locator("table")).to_contain_text(code)

    kiosk = new_page()
    kiosk.goto("/balie/kiosk/")
    kiosk.get_by_role("link", name="Ik heb een afspraak").click()
    kiosk.fill("#id_code", code.lower())
    kiosk.get_by_role("button", name="Aanmelden").click()
    expect(kiosk.locator(".receipt__number")).to_have_text("A001")
    expect(kiosk.locator(".receipt")).to_contain_text("Afspraak om")


def test_an_unknown_code_at_the_kiosk_says_so(new_page, counter):
    kiosk = new_page()
    kiosk.goto("/balie/kiosk/afspraak/")
    kiosk.fill("#id_code", "QQQQQQ")
    kiosk.get_by_role("button", name="Aanmelden").click()
    expect(kiosk.locator("#error-summary")).to_contain_text("Deze afspraakcode is onbekend")


# --- accessibility -----------------------------------------------------------------------


@pytest.mark.parametrize("locale", LANGUAGES)
def test_kiosk_pages_have_no_axe_violations(new_page, counter, locale):
    page = new_page(locale)
    page.goto("/balie/kiosk/")
    problems = no_violations(page)
    take_number(page)
    problems += no_violations(page)
    page.goto("/balie/kiosk/afspraak/")
    page.locator("button[type=submit]").last.click()
    expect(page.locator("#error-summary")).to_be_visible()
    problems += no_violations(page)
    assert not problems, problems


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_board_has_no_axe_violations(new_page, counter, locale):
    page = new_page(locale)
    take_number(page)
    agent = new_page(locale)
    log_in(agent, "servicedesk")
    agent.goto(f"/balie/balies/{counter['desk'].pk}/")
    agent.locator("button.desk-call-next").click()
    page.goto("/balie/bord/")
    expect(page.locator(".board-call__number")).to_have_text("A001")
    assert not no_violations(page), no_violations(page)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_desk_has_no_axe_violations(new_page, counter, locale):
    kiosk = new_page(locale)
    take_number(kiosk)
    take_number(kiosk)
    agent = new_page(locale)
    log_in(agent, "servicedesk")
    agent.goto("/balie/")
    problems = no_violations(agent)
    serve_first(agent, counter["desk"].pk)
    expect(agent.locator("#id_question")).to_be_visible()
    problems += no_violations(agent)
    agent.locator("form[action$='/afronden/'] button[type=submit]").click()
    expect(agent.locator("#error-summary")).to_be_visible()
    problems += no_violations(agent)
    assert not problems, problems


@pytest.mark.parametrize("locale", LANGUAGES)
def test_booking_pages_have_no_axe_violations(new_page, counter, locale):
    customer = new_page(locale)
    log_in(customer, "klant")
    customer.goto("/portaal/afspraken/")
    customer.locator("form.filters button[type=submit]").click()
    expect(customer.locator(".slot").first).to_be_visible()
    problems = no_violations(customer)
    agent = new_page(locale)
    log_in(agent, "teamleider")
    agent.goto("/balie/afspraken/?zoek=Karin")
    agent.locator(".plain-list a").first.click()
    problems += no_violations(agent)
    agent.goto("/balie/cijfers/")
    problems += no_violations(agent)
    assert not problems, problems
