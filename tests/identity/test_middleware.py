"""The login policy costs a verified session no query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/werkplek/", "/portaal/"])
def test_a_verified_session_costs_no_extra_query(client, desk, settings, url):
    client.force_login(desk.agent)
    session = client.session
    session["eenloket_mfa"] = "totp"
    session.save()
    client.get(url)
    without = _queries(client, url)
    settings.EENLOKET_MFA_REQUIRED = True
    settings.EENLOKET_SESSION_IDLE_SECONDS = 3600
    settings.EENLOKET_SESSION_MAX_SECONDS = 36000
    assert _queries(client, url) == without


def test_a_customer_without_mfa_is_checked_once_per_session(client, desk, settings):
    client.force_login(desk.customer)
    client.get("/portaal/")
    without = _queries(client, "/portaal/")
    settings.EENLOKET_MFA_REQUIRED = True
    client.get("/portaal/")  # looks for an authenticator once and remembers "none"
    assert _queries(client, "/portaal/") == without
