"""The administrator's privacy pages in the browser: axe-core, and an erasure with its
confirmation step."""

import pytest
from playwright.sync_api import expect

from eenloket.privacy import services
from tests import factories as f
from tests.e2e.conftest import axe_violations, log_in


def no_violations(page) -> str:
    return "\n".join(axe_violations(page))


@pytest.fixture
def person(desk):
    return f.PersonFactory(
        organization=desk.organization, first_name="Wietske", last_name="Zandvliet"
    )


@pytest.mark.parametrize(
    "path",
    ["/werkplek/privacy/", "/werkplek/privacy/personen/?q=Zandvliet", "person", "erase", "run"],
)
def test_privacy_pages_have_no_axe_violations(page, desk, person, path):
    run = services.retention_run(actor=desk.admin, dry_run=True)
    urls = {
        "person": f"/werkplek/privacy/personen/{person.pk}/",
        "erase": f"/werkplek/privacy/personen/{person.pk}/wissen/",
        "run": f"/werkplek/privacy/runs/{run.pk}/",
    }
    log_in(page, "beheerder")
    page.goto(urls.get(path, path))
    assert axe_violations(page) == [], no_violations(page)


def test_an_administrator_erases_a_person_after_confirming(page, desk, person):
    log_in(page, "beheerder")
    page.goto("/werkplek/privacy/")
    page.get_by_role("link", name="Privacy").first.click()
    page.fill("#id_q", "Zandvliet")
    page.get_by_role("button", name="Zoeken").first.click()
    page.get_by_role("link", name="Wietske Zandvliet").click()
    page.get_by_role("link", name="Deze persoon wissen…").click()
    page.fill("#id_requested_by", "De persoon, per brief")
    page.get_by_role("button", name="Definitief wissen").click()
    expect(page.locator(".field-error")).to_contain_text("Vink het vakje aan")
    page.check("#id_confirm")
    page.get_by_role("button", name="Definitief wissen").click()
    expect(page.get_by_role("status")).to_contain_text("De persoon is gewist")
    person.refresh_from_db()
    assert person.last_name == ""
