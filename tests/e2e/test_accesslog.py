"""The access log in the browser: an administrator finds who opened a ticket; axe-core."""

from playwright.sync_api import expect

from tests.accesslog.factories import AccessEntryFactory
from tests.e2e.conftest import axe_violations, log_in


def test_the_administrator_finds_who_opened_a_ticket_and_the_page_passes_axe(page, desk, ticket):
    AccessEntryFactory(object_ref=ticket.number, person_id=desk.person.pk, actor_id=desk.agent.pk)
    log_in(page, "beheerder")
    page.get_by_role("link", name="Toegangslog").click()
    page.get_by_label("Meldingnummer").fill(ticket.number)
    page.get_by_role("button", name="Zoeken").click()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("servicedesk")
    expect(row).to_contain_text(desk.person.full_name)
    assert axe_violations(page) == [], "\n".join(axe_violations(page))
