"""A scan of the running server over real HTTP: the security headers on every main page of
every kind of user (and on files, errors and static files), the strict CSP to the letter, and
no open redirect through any `next`, the language switch or a path that looks like a URL."""

from __future__ import annotations

import http.client
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from eenloket.tickets import services
from tests.security.conftest import PDF

pytestmark = pytest.mark.slow

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(policy: str | None) -> dict[str, str]:
    """The policy as {directive: sources}, without the per-response nonce (tested apart)."""
    parsed = {}
    for part in (policy or "").split(";"):
        name, *sources = part.split()
        parsed[name] = " ".join(s for s in sources if not s.startswith("'nonce-"))
    return parsed


SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'none'"


def request(live_server, method, path, *, cookie="", body=None, headers=None):
    """One plain HTTP request (no redirects followed): (status, headers, body)."""
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    sent = {"Accept-Language": "en", **(headers or {})}
    if cookie:
        sent["Cookie"] = cookie
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    result = (response.status, response.headers, response.read())
    connection.close()
    return result


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def protective(headers) -> tuple:
    return (
        headers.get("X-Frame-Options"),
        headers.get("X-Content-Type-Options"),
        headers.get("Referrer-Policy"),
        headers.get("Cross-Origin-Opener-Policy"),
        "camera=()" in (headers.get("Permissions-Policy") or ""),
        headers.get("Strict-Transport-Security"),  # plain HTTP: no HSTS
    )


PROTECTED = ("DENY", "nosniff", "same-origin", "same-origin", True, None)


@pytest.fixture
def pages(desk, open_ticket):
    """The main page of each kind of user, with the user who sees it."""
    ticket = open_ticket(files=[services.Upload(name="scherm.pdf", content=PDF)])
    return [
        (None, reverse("login")),
        (None, reverse("counter:kiosk")),
        (None, reverse("counter:board")),
        (None, "/api/v1/docs"),
        (None, "/bestaat-niet/"),
        (desk.customer, reverse("portal:home")),
        (desk.customer, reverse("portal:ticket", args=[ticket.number])),
        (desk.customer, reverse("kb_portal:index")),
        (desk.agent, reverse("workspace:queue")),
        (desk.agent, reverse("workspace:ticket", args=[ticket.number])),
        (desk.agent, reverse("workspace:new")),
        (desk.agent, reverse("phone:calls")),
        (desk.agent, reverse("counter:desks")),
        (desk.agent, reverse("knowledge:index")),
        (desk.team_lead, reverse("reports:dashboard")),
        (desk.change_lead, reverse("transition:overview")),
        (desk.admin, reverse("admin:index")),
    ]


def test_every_main_page_carries_the_strict_csp_and_the_security_headers(live_server, pages):
    seen = {}
    for user, path in pages:
        status, headers, _body = request(
            live_server, "GET", path, cookie=session_of(user) if user else ""
        )
        seen[path] = (status in {200, 404}, directives(headers.get("Content-Security-Policy")))
        seen[path] += protective(headers)
    assert seen == dict.fromkeys(seen, (True, CSP, *PROTECTED))


def test_the_reports_page_allows_its_chart_styles_by_nonce_only(live_server, desk):
    _status, headers, body = request(
        live_server, "GET", reverse("reports:dashboard"), cookie=session_of(desk.team_lead)
    )
    policy = headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert (
        "unsafe-inline" in policy,
        body.count(b"<style ") == body.count(f'<style nonce="{nonce}"'.encode()),
        b" style=" in body,
    ) == (False, True, False)


def test_a_file_carries_the_sandbox_not_the_page_policy(live_server, desk, open_ticket):
    ticket = open_ticket(files=[services.Upload(name="scherm.pdf", content=PDF)])
    attachment = ticket.entries.get(attachments__isnull=False).attachments.get()
    status, headers, body = request(
        live_server,
        "GET",
        reverse("attachment", args=[attachment.pk]),
        cookie=session_of(desk.agent),
    )
    assert (status, headers["Content-Security-Policy"], body) == (200, SANDBOX, PDF)
    assert protective(headers)[:2] == ("DENY", "nosniff")


FOREIGN = ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", FOREIGN)
def test_no_open_redirect_on_the_running_server(live_server, desk, target):
    login = request(
        live_server,
        "POST",
        reverse("login"),
        body=urlencode({"username": "klant", "password": "demo", "next": target}),
    )
    language = request(
        live_server,
        "POST",
        reverse("set_language"),
        body=urlencode({"language": "en", "next": target}),
        cookie=session_of(desk.customer),
    )
    path = request(live_server, "GET", target if target.startswith("/") else f"/{target}")
    locations = [r[1].get("Location") or "" for r in (login, language, path)]
    assert [urlsplit(location).netloc for location in locations] == ["", "", ""]
    assert not any(location.startswith(("javascript:", "//", "/\\")) for location in locations)
