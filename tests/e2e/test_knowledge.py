"""The knowledge base in the browser: first line answers from an article, a customer finds an
answer and does not submit; axe-core on the knowledge pages."""

import pytest
from playwright.sync_api import expect

from eenloket.knowledge import selectors
from eenloket.tickets.models import Ticket
from tests.e2e.conftest import axe_violations, log_in, screenshot
from tests.knowledge.factories import publish

ANSWER = "Houd de aan-uitknop 15 seconden ingedrukt en start opnieuw."


@pytest.fixture
def article(desk):
    return publish(desk, title="Laptop start niet op", body=ANSWER, service_ids=[desk.laptop.pk])


@pytest.fixture
def script(desk):
    return publish(
        desk, title="Belscript laptop defect", audience="internal",
        body="Vraag het inventarisnummer van de laptop.", service_ids=[desk.laptop.pk],
    )  # fmt: skip


def no_violations(page) -> str:
    return "\n".join(axe_violations(page))


def test_the_agent_answers_from_an_article_and_resolves(page, ticket, article, script):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    panel = page.locator("#kb-panel")
    expect(panel).to_contain_text("Laptop start niet op")
    panel.get_by_role("button", name="Invoegen in reactie").first.click()
    expect(panel).to_contain_text("Antwoord ingevoegd in de reactie")
    expect(page.locator("#id_reply-body")).to_have_value(
        f"{ANSWER}\n\nMeer informatie: {page.url.split('/werkplek')[0]}/portaal/kennisbank/"
        f"{article.pk}/"
    )
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".timeline")).to_contain_text(ANSWER)
    page.locator("summary", has_text="Oplossen").click()
    page.fill("#id_resolve-resolution", "Opgelost met het kennisartikel.")
    page.locator("form[action$='/oplossen/'] button[type=submit]").click()
    expect(page.locator(".ticket-facts .status")).to_have_text("Opgelost")
    assert selectors.article_figures(article)["uses"] == 1


def test_a_customer_finds_an_answer_and_does_not_submit(page, desk, article, script):
    tickets_before = Ticket.objects.count()
    log_in(page, "klant")
    page.goto(f"/portaal/nieuw/?dienst={desk.laptop.pk}")
    page.locator("#id_title").press_sequentially("laptop start niet", delay=20)
    suggestions = page.locator("#kb-suggest")
    expect(suggestions).to_contain_text("Laptop start niet op")
    expect(suggestions).not_to_contain_text("Belscript")
    suggestions.get_by_role("link", name="Laptop start niet op").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laptop start niet op")
    page.get_by_role("button", name="Ja").click()
    expect(page.locator("#kb-feedback")).to_contain_text("fijn dat we konden helpen")
    assert (Ticket.objects.count(), selectors.article_figures(article)["helpful"]) == (
        tickets_before,
        1,
    )


def test_a_customer_searches_the_answers_in_the_portal(page, desk, article, script):
    log_in(page, "klant")
    page.goto("/portaal/nieuw/")
    page.fill("#kb-portal-q", "laptop inventarisnummer")
    page.locator(".kb-search-box button").click()
    expect(page.locator(".kb-results")).to_contain_text("Laptop start niet op")
    expect(page.locator(".kb-results")).not_to_contain_text("Belscript")


# --- axe ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/werkplek/kennisbank/?q=laptop",
        "/werkplek/kennisbank/{article}/",
        "/werkplek/kennisbank/{article}/wijzigen/",
        "/werkplek/kennisbank/{article}/versies/",
        "/werkplek/kennisbank/{article}/versies/1/",
        "/werkplek/kennisbank/nieuw/",
        "/werkplek/kennisbank/voorstellen/",
        "/werkplek/kennisbank/verouderd/",
        "/werkplek/kennisbank/cijfers/",
    ],
)
def test_staff_knowledge_pages_have_no_axe_violations(page, desk, article, script, path):
    log_in(page, "specialist-it")
    page.goto(path.format(article=article.pk))
    screenshot(page, "knowledge-" + path.strip("/").replace("/", "-").replace("?q=", "-"))
    assert not no_violations(page), no_violations(page)


@pytest.mark.parametrize(
    "path", ["/portaal/kennisbank/?q=laptop", "/portaal/kennisbank/{article}/"]
)
def test_portal_knowledge_pages_have_no_axe_violations(page, desk, article, path):
    log_in(page, "klant")
    page.goto(path.format(article=article.pk))
    screenshot(page, "knowledge-portal-" + path.strip("/").replace("/", "-").replace("?q=", "-"))
    assert not no_violations(page), no_violations(page)


def test_the_ticket_page_with_the_panel_has_no_axe_violations(page, ticket, article, script):
    log_in(page, "servicedesk")
    page.goto(f"/werkplek/meldingen/{ticket.number}/")
    assert not no_violations(page), no_violations(page)
