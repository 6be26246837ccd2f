"""Requests from systems (the exchange, health probes, API keys without a session) take the
short middleware chain (core/middleware.py, MachineRequestMiddleware); a browser's request,
with its session cookie, keeps the whole one. Both answers carry the protective headers."""

from __future__ import annotations

import pytest
from django.conf import settings

from eenloket.channels.phone import services as phone_services
from eenloket.core.middleware import MACHINE_POLICY
from eenloket.integrations import services as integration_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_key(desk):
    return integration_services.apikey_create(actor=None, name="CRM", role="first_line")[1]


def protective(response) -> tuple:
    return (
        response.headers.get("X-Frame-Options"),
        response.headers.get("X-Content-Type-Options"),
        "camera=()" in response.headers.get("Permissions-Policy", ""),
    )


def page_policy(response) -> bool:
    return "script-src 'self'" in response.headers.get("Content-Security-Policy", "")


def test_an_exchange_event_gets_the_machine_answer(client):
    _token, plaintext = phone_services.cti_token_create(actor=None, name="Centrale")
    response = client.post(
        f"/api/v1/cti/{plaintext}",
        {
            "event": "newCall",
            "callId": "m-1",
            "direction": "in",
            "from": "0781234567",
            "to": "+31788",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {}
    assert response.headers["Content-Length"] == "2"
    assert response.headers["Content-Security-Policy"] == MACHINE_POLICY
    assert protective(response) == ("DENY", "nosniff", True)
    # No session was opened or read: no cookie goes back, and the answer does not vary by one.
    assert not response.cookies
    assert "Cookie" not in response.headers.get("Vary", "")


def test_a_wrong_exchange_token_is_still_refused(client):
    response = client.post(
        "/api/v1/cti/not-a-token", {"event": "newCall"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.headers["Content-Security-Policy"] == MACHINE_POLICY


def test_a_health_probe_takes_the_short_chain(client):
    response = client.get("/api/v1/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert response.headers["Content-Security-Policy"] == MACHINE_POLICY


def test_an_api_key_takes_the_short_chain_and_errors_stay_in_the_callers_language(client, api_key):
    headers = {"Authorization": f"Bearer {api_key}"}
    response = client.get("/api/v1/tickets", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == MACHINE_POLICY
    assert protective(response) == ("DENY", "nosniff", True)
    english = client.post(
        "/api/v1/tickets", {"title": ""}, content_type="application/json", headers=headers
    )
    dutch = client.post(
        "/api/v1/tickets",
        {"title": ""},
        content_type="application/json",
        headers={**headers, "Accept-Language": "nl"},
    )
    assert english.status_code == dutch.status_code == 400
    assert english.json()["message"] != dutch.json()["message"]
    assert english.headers["Content-Language"] == "en"
    assert dutch.headers["Content-Language"] == "nl"


def test_a_wrong_api_key_is_refused_on_the_short_chain(client, desk):
    response = client.get("/api/v1/tickets", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401
    assert response.headers["Content-Security-Policy"] == MACHINE_POLICY


def test_a_browser_session_keeps_the_whole_chain(client, desk):
    client.force_login(desk.agent)
    response = client.get("/api/v1/tickets")
    assert response.status_code == 200
    assert page_policy(response)
    # A key sent beside a session cookie: the browser's request, the whole chain too.
    response = client.get("/api/v1/tickets", headers={"Authorization": "Bearer nonsense"})
    assert page_policy(response)


def test_pages_keep_the_whole_chain(client, desk):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    assert page_policy(response)
    assert settings.CSRF_COOKIE_NAME in response.cookies


def test_connections_are_kept_between_requests_by_default(monkeypatch):
    from eenloket.settings import conn_max_age

    # The same on SQLite as on PostgreSQL: a new SQLite connection per request cost about
    # 7 ms of CPU, seven health checks.
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    assert conn_max_age() == 60
    monkeypatch.setenv("CONN_MAX_AGE", "0")
    assert conn_max_age() == 0
