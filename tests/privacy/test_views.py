"""The administrator's privacy pages: only administrators, a confirmation step for erasure,
the signed download link."""

import logging

import pytest

from eenloket.privacy import services
from eenloket.privacy.models import DataSubjectRequest, RetentionRule, RetentionRun
from tests.privacy.conftest import NAME

PAGES = [
    ("get", "/werkplek/privacy/"),
    ("get", "/werkplek/privacy/personen/?q=Zwanette"),
    ("get", "/werkplek/privacy/personen/{person}/"),
    ("get", "/werkplek/privacy/personen/{person}/wissen/"),
    ("post", "/werkplek/privacy/personen/{person}/wissen/"),
    ("post", "/werkplek/privacy/bewaartermijnen/"),
    ("post", "/werkplek/privacy/proefdraai/"),
]


@pytest.mark.parametrize("role", ["customer", "agent", "it_specialist", "team_lead", "change_lead"])
@pytest.mark.parametrize(("method", "url"), PAGES)
def test_only_administrators_get_in(client, desk, world, role, method, url):
    client.force_login(getattr(desk, role))
    response = getattr(client, method)(
        url.format(person=world.person.pk),
        {"requested_by": "x", "confirm": "on", "kind": "tickets", "period": "1", "action": "delete"}
        if method == "post"
        else None,
    )
    assert response.status_code == 403
    world.person.refresh_from_db()
    assert world.person.last_name == NAME[1]
    assert not RetentionRule.objects.exists()
    assert not RetentionRun.objects.exists()


def test_the_download_link_is_for_administrators_only(client, desk, world):
    export = services.person_export(
        actor=desk.admin, person_id=world.person.pk, requested_by="Zelf"
    )
    client.force_login(desk.team_lead)
    url = f"/werkplek/privacy/export/{services.export_link_token(export)}/"
    assert client.get(url).status_code == 403


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client):
    response = client.get("/werkplek/privacy/")
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]


def test_the_overview_shows_rules_runs_and_requests_in_fixed_queries(
    client, desk, world, django_assert_max_num_queries
):
    services.retention_rule_save(
        actor=desk.admin,
        kind="recordings",
        organization_id=desk.organization.pk,
        period=30,
        action="delete",
    )
    services.retention_run(actor=desk.admin, dry_run=True)
    client.force_login(desk.admin)
    with django_assert_max_num_queries(12):
        response = client.get("/werkplek/privacy/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Gemeente Dordrecht" in text
    assert "Call recordings" in text


def test_the_overview_is_in_dutch_by_default(desk, world):
    from django.test import Client

    client = Client()
    client.force_login(desk.admin)
    text = client.get("/werkplek/privacy/").content.decode()
    assert "Bewaartermijnen" in text


def test_an_administrator_sets_a_rule_and_sees_a_clear_error_for_a_bad_one(client, desk):
    client.force_login(desk.admin)
    response = client.post(
        "/werkplek/privacy/bewaartermijnen/",
        {"kind": "tickets", "organization": "", "period": "3", "action": "anonymize"},
    )
    assert response.status_code == 400
    assert "1, 5, 10 or 20 years" in response.content.decode()
    response = client.post(
        "/werkplek/privacy/bewaartermijnen/",
        {
            "kind": "tickets",
            "organization": desk.organization.pk,
            "period": "10",
            "action": "anonymize",
        },
    )
    assert response.status_code == 302
    assert RetentionRule.objects.get().period == 10


def test_the_dry_run_button_shows_what_would_go(client, desk, world):
    client.force_login(desk.admin)
    response = client.post("/werkplek/privacy/proefdraai/", follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "nothing was changed" in text
    assert "Call recordings" in text
    assert RetentionRun.objects.get().dry_run is True


def test_an_export_gives_a_link_that_downloads_the_zip(client, desk, world):
    client.force_login(desk.admin)
    response = client.post(
        f"/werkplek/privacy/personen/{world.person.pk}/", {"requested_by": "Zelf, per mail"}
    )
    assert response.status_code == 200
    link = response.context["link"]
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_an_export_and_an_erasure_are_in_the_access_log(client, desk, world):
    from eenloket.accesslog.models import AccessEntry

    client.force_login(desk.admin)
    client.post(f"/werkplek/privacy/personen/{world.person.pk}/", {"requested_by": "Zelf"})
    client.post(
        f"/werkplek/privacy/personen/{world.person.pk}/wissen/",
        {"requested_by": "Zelf", "confirm": "on"},
    )
    entries = AccessEntry.objects.filter(person_id=world.person.pk, actor_id=desk.admin.pk)
    assert sorted(entries.values_list("action", flat=True)) == ["change", "export"]


def test_a_tampered_link_shows_a_clear_message_and_is_logged(client, desk, world, caplog):
    export = services.person_export(
        actor=desk.admin, person_id=world.person.pk, requested_by="Zelf"
    )
    token = services.export_link_token(export)
    client.force_login(desk.admin)
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        response = client.get(f"/werkplek/privacy/export/{token[:-3]}abc/")
    assert response.status_code == 400
    assert "This download link is not valid" in response.content.decode()
    assert any(record.name == "eenloket.security" for record in caplog.records)


def test_erasure_needs_the_confirmation_box_and_who_asked(client, desk, world):
    client.force_login(desk.admin)
    page = client.get(f"/werkplek/privacy/personen/{world.person.pk}/wissen/")
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    response = client.post(
        f"/werkplek/privacy/personen/{world.person.pk}/wissen/", {"requested_by": "Zelf"}
    )
    assert response.status_code == 400
    assert "Tick the box to confirm the erasure." in response.content.decode()
    world.person.refresh_from_db()
    assert world.person.last_name == NAME[1]


def test_a_confirmed_erasure_is_done_and_recorded(client, desk, world):
    client.force_login(desk.admin)
    response = client.post(
        f"/werkplek/privacy/personen/{world.person.pk}/wissen/",
        {"requested_by": "Zelf, per brief", "confirm": "on"},
    )
    assert response.status_code == 302
    world.person.refresh_from_db()
    assert world.person.last_name == ""
    assert DataSubjectRequest.objects.get().handled_by == desk.admin


def test_an_unknown_person_is_not_found(client, desk):
    client.force_login(desk.admin)
    assert client.get("/werkplek/privacy/personen/999999/").status_code == 404


def test_the_person_search_finds_by_email(client, desk, world):
    client.force_login(desk.admin)
    response = client.get("/werkplek/privacy/personen/", {"q": world.person.email})
    assert f"/werkplek/privacy/personen/{world.person.pk}/" in response.content.decode()
