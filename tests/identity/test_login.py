"""Password login: one message for every failure, lock-out, session expiry."""

import logging

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db

WRONG = "Please enter a correct username and password. Note that both fields may be case-sensitive."


@pytest.fixture
def passwords(desk):
    desk.agent.set_password("demo")
    desk.agent.save()


def _attempt(client, username, password="wrong", ip="10.0.0.1"):
    return client.post("/inloggen/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_an_unknown_user_and_a_wrong_password_get_the_same_message(client, passwords):
    unknown = _attempt(client, "niemand")
    wrong = _attempt(client, "servicedesk")
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert wrong.context["form"].non_field_errors() == [WRONG]


def test_the_fifth_failure_locks_the_username_with_a_message_and_a_log(
    client, passwords, caplog, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, "servicedesk")
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        response = _attempt(client, "servicedesk")
    assert response.status_code == 429
    assert b"Too many failed attempts to log in." in response.content
    assert "login locked out: username 'servicedesk' from 10.0.0.1" in caplog.text


def test_a_locked_username_stays_locked_with_the_right_password(client, passwords, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "servicedesk")
    response = _attempt(client, "servicedesk", password="demo")
    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")


def test_an_unknown_username_is_locked_out_the_same_way(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _attempt(client, "niemand")
    assert (response.status_code, b"Too many failed attempts to log in." in response.content) == (
        429,
        True,
    )


def test_the_lock_is_per_username_and_address(client, passwords, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "servicedesk", ip="10.0.0.1")
    response = _attempt(client, "servicedesk", password="demo", ip="10.0.0.2")
    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, passwords, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "servicedesk")
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timezone.timedelta(seconds=5)
    with time_machine.travel(later):
        response = _attempt(client, "servicedesk", password="demo")
    assert response.status_code == 302


def test_the_lock_out_message_is_dutch_by_default(passwords, settings):
    from django.test import Client

    dutch = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = dutch.post(
            "/inloggen/", {"username": "servicedesk", "password": "x"}, REMOTE_ADDR="10.0.0.9"
        )
    assert "Te veel mislukte pogingen om in te loggen." in response.content.decode()


def test_an_idle_session_sends_to_the_login_page(client, desk, login_policy, settings):
    client.force_login(desk.agent)
    session = client.session
    session["eenloket_mfa"] = "totp"
    session.save()
    later = timezone.now() + timezone.timedelta(seconds=settings.EENLOKET_SESSION_IDLE_SECONDS + 5)
    with time_machine.travel(later):
        response = client.get("/werkplek/", follow=True)
    assert response.redirect_chain[0][0] == "/inloggen/?next=%2Fwerkplek%2F"
    assert "Your session has expired. Please log in again." in response.content.decode()


def test_a_session_ends_at_its_maximum_age_however_busy(client, desk, login_policy, settings):
    client.force_login(desk.agent)
    session = client.session
    session["eenloket_mfa"] = "totp"
    session.save()
    start = timezone.now()
    step = timezone.timedelta(minutes=50)
    for minute in range(1, 14):
        with time_machine.travel(start + step * minute):
            response = client.get("/werkplek/")
    assert response["Location"].startswith("/inloggen/?next=")
    assert "_auth_user_id" not in client.session


def test_a_used_session_stays_open(client, desk, login_policy):
    client.force_login(desk.agent)
    session = client.session
    session["eenloket_mfa"] = "totp"
    session.save()
    start = timezone.now()
    for minute in (30, 60, 90):
        with time_machine.travel(start + timezone.timedelta(minutes=minute)):
            response = client.get("/werkplek/")
    assert response.status_code == 200


def test_the_session_cookie_is_http_only_and_same_site(client, passwords):
    response = _attempt(client, "servicedesk", password="demo")
    cookie = response.cookies["sessionid"]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")


def _attempt_via_proxy(client, username, forwarded_for):
    return client.post(
        "/inloggen/",
        {"username": username, "password": "wrong"},
        REMOTE_ADDR="10.9.9.9",  # the reverse proxy
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_trusted_proxy_the_lock_is_on_the_clients_address(
    client, passwords, settings, caplog
):
    settings.EENLOKET_TRUSTED_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt_via_proxy(client, "servicedesk", "203.0.113.7")
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        locked = _attempt_via_proxy(client, "servicedesk", "203.0.113.7")
    # Another client behind the same proxy is not locked out with them.
    other = _attempt_via_proxy(client, "servicedesk", "198.51.100.20")
    assert (locked.status_code, other.status_code) == (429, 200)
    assert "from 203.0.113.7" in caplog.text


def test_a_client_cannot_choose_its_address_through_the_header(client, passwords, settings):
    # One trusted proxy appends the address it saw; what the client wrote before it is not
    # believed, so rotating a made-up address does not escape the lock.
    settings.EENLOKET_TRUSTED_PROXIES = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _attempt_via_proxy(client, "servicedesk", f"192.0.2.{n}, 203.0.113.7")
    assert response.status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(client, passwords, settings, caplog):
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        for n in range(settings.AXES_FAILURE_LIMIT):
            response = _attempt_via_proxy(client, "servicedesk", f"192.0.2.{n}")
    assert (response.status_code, "from 10.9.9.9" in caplog.text) == (429, True)
