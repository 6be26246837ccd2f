"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit, started by
the tests), and refused answers: forged tokens, replayed or missing state."""

import logging
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.messages import get_messages
from jwcrypto import jwk

from eenloket.directory.roles import Role
from eenloket.identity.models import ExternalIdentity
from eenloket.identity.oidc import ProviderBackend
from tests.identity.conftest import CLIENT_ID, authorize_params

pytestmark = pytest.mark.django_db


def _user(client):
    from django.contrib.auth import get_user

    return get_user(client)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_first_sso_login_creates_a_customer_of_the_organization(client, provider, sso_login):
    response = sso_login("carla")
    user = _user(client)
    assert (response.status_code, response["Location"]) == (302, "/")
    assert (user.role, user.person.organization, user.person.email) == (
        Role.CUSTOMER,
        provider.organization,
        "carla.smit@dordrecht.nl",
    )


def test_the_providers_groups_give_the_role_and_department(client, provider, sso_login, desk):
    sso_login("bert")
    user = _user(client)
    assert (user.role, [d.code for d in user.departments.all()]) == (Role.SPECIALIST, ["hr"])


def test_a_second_login_finds_the_same_login_by_its_subject(client, provider, sso_login):
    sso_login("carla")
    first = _user(client).pk
    client.logout()
    sso_login("carla")
    assert (_user(client).pk, ExternalIdentity.objects.count()) == (first, 1)


def test_an_existing_person_is_matched_by_employee_number(client, provider, sso_login, desk):
    from tests import factories as f

    person = f.PersonFactory(organization=desk.organization, employee_number="E100", email="")
    sso_login("anna")
    assert _user(client).person.pk == person.pk


def test_a_login_with_mfa_at_the_provider_needs_no_local_code(
    client, provider, sso_login, login_policy
):
    sso_login("anna")  # amr: pwd, mfa
    assert client.get("/werkplek/").status_code == 200


def test_a_staff_login_without_mfa_at_the_provider_is_asked_for_a_code(
    client, provider, sso_login, login_policy
):
    sso_login("bert")  # amr: pwd
    response = client.get("/werkplek/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/inloggen/tweestaps/instellen/?next=%2Fwerkplek%2F",
    )


def test_a_provider_that_enforces_mfa_counts_as_mfa(client, provider, sso_login, login_policy):
    provider.enforces_mfa = True
    provider.save()
    sso_login("bert")
    assert client.get("/werkplek/").status_code == 200


def test_the_login_page_offers_the_organization(client, provider):
    response = client.get("/inloggen/")
    assert b"Log in with Gemeente Dordrecht" in response.content


def test_the_login_page_lets_its_form_continue_to_the_provider_and_nowhere_else(client, provider):
    policy = client.get("/inloggen/")["Content-Security-Policy"]
    form_action = next(d for d in policy.split("; ") if d.startswith("form-action"))
    origin = provider.issuer.split("/", 3)[:3]
    assert form_action.split() == ["form-action", "'self'", "/".join(origin)]


def test_a_work_email_address_leads_to_its_provider(client, provider):
    response = client.post("/inloggen/sso/zoeken/", {"email": "iemand@Dordrecht.nl"})
    assert response["Location"].startswith("/inloggen/sso/dordrecht/")


def test_an_address_without_sso_is_told_so(client, provider):
    response = client.post("/inloggen/sso/zoeken/", {"email": "iemand@elders.nl"}, follow=True)
    assert "No single sign-on is configured for this organization." in _messages(response)


def test_a_replayed_state_is_refused_with_a_message_and_logged(
    client, provider, oidc_provider, caplog
):
    start = client.get("/inloggen/sso/dordrecht/")
    back = oidc_provider.sign_in("carla", start["Location"]).removeprefix("http://testserver")
    client.get(back)
    client.logout()
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        response = client.get(back, follow=True)
    assert not _user(client).is_authenticated
    assert "This login link has expired or was already used. Please start again." in _messages(
        response
    )
    assert "replayed state" in caplog.text


def test_a_callback_without_state_is_refused_and_logged(client, provider, caplog):
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        response = client.get("/inloggen/sso/terug/?code=abc", follow=True)
    assert "This login link has expired or was already used. Please start again." in _messages(
        response
    )
    assert [r.name for r in caplog.records] == ["eenloket.security"]


def _token(key_pem: bytes, kid_key_pem: bytes, **claims) -> str:
    now = int(time.time())
    payload = {"sub": "999", "iat": now, "exp": now + 300, **claims}
    kid = jwk.JWK.from_pem(kid_key_pem).thumbprint()
    return jwt.encode(payload, key_pem, algorithm="RS256", headers={"kid": kid})


def _other_key() -> bytes:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


FORGERIES = {
    "bad signature": ({"signed_by_other": True}, "signature is not valid"),
    "wrong audience": ({"aud": "another-application"}, "for another audience"),
    "expired": ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired"),
    "wrong issuer": ({"iss": "https://evil.example/"}, "from another issuer"),
    "wrong nonce": ({"nonce": "not-this-login"}, "nonce does not match"),
}


@pytest.mark.parametrize("case", list(FORGERIES))
def test_a_forged_id_token_is_refused_with_a_message_and_logged(
    client, provider, oidc_provider, monkeypatch, caplog, case
):
    changes, reason = FORGERIES[case]
    changes = dict(changes)
    start = client.get("/inloggen/sso/dordrecht/")
    params = authorize_params(start)
    key = _other_key() if changes.pop("signed_by_other", False) else oidc_provider.private_key_pem
    claims = {"iss": oidc_provider.issuer, "aud": CLIENT_ID, "nonce": params["nonce"], **changes}
    forged = _token(key, oidc_provider.private_key_pem, **claims)
    monkeypatch.setattr(ProviderBackend, "get_token", lambda self, payload: {"id_token": forged})
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        response = client.get(f"/inloggen/sso/terug/?code=x&state={params['state']}", follow=True)
    assert not _user(client).is_authenticated
    assert "Logging in through your organization did not succeed." in " ".join(_messages(response))
    assert reason in caplog.text


def test_a_provider_error_is_refused_with_a_message(client, provider, caplog):
    params = authorize_params(client.get("/inloggen/sso/dordrecht/"))
    with caplog.at_level(logging.WARNING, logger="eenloket.security"):
        response = client.get(
            f"/inloggen/sso/terug/?error=access_denied&state={params['state']}", follow=True
        )
    assert "Logging in through your organization did not succeed." in " ".join(_messages(response))
    assert "access_denied" in caplog.text


def test_a_deactivated_sso_login_loses_its_session(client, provider, sso_login):
    sso_login("carla")
    user = _user(client)
    user.is_active = False
    user.save()
    assert client.get("/portaal/").status_code == 302


def _provider_session_alive(oidc_provider, client_id: str = CLIENT_ID) -> bool:
    """Is the browser still signed in at the provider? An authorization request answers
    straight with a code then, else it sends the browser to the provider's login page."""
    response = oidc_provider.browser.get(
        f"{oidc_provider.issuer}/authorize/",
        params={
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": "http://testserver/inloggen/sso/terug/",
            "scope": "openid",
            "code_challenge": "x" * 43,
            "code_challenge_method": "S256",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"].startswith("http://testserver/")


def test_logging_out_after_sso_logs_out_at_the_provider_too(
    client, provider, sso_login, oidc_provider
):
    sso_login("anna")
    assert _provider_session_alive(oidc_provider)

    response = client.post("/uitloggen/")

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert f"{location.scheme}://{location.netloc}{location.path}".startswith(oidc_provider.issuer)
    assert query["client_id"] == CLIENT_ID
    assert query["post_logout_redirect_uri"] == "http://testserver/inloggen/"
    assert query["id_token_hint"].count(".") == 2  # the login's signed ID token
    assert not _user(client).is_authenticated  # logged out here at once
    # The browser follows to the provider, which ends its session and sends it back.
    back = oidc_provider.browser.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    assert back.headers["Location"] == "http://testserver/inloggen/"
    assert not _provider_session_alive(oidc_provider)


def test_a_password_login_logs_out_here_only(client, desk):
    client.force_login(desk.agent)

    response = client.post("/uitloggen/")

    assert (response.status_code, response["Location"]) == (302, "/inloggen/")
    assert "no-store" in response["Cache-Control"]
    assert not _user(client).is_authenticated


def test_logging_out_is_a_post_with_its_csrf_token(desk):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(desk.agent)

    assert browser.get("/uitloggen/").status_code == 405
    assert browser.post("/uitloggen/").status_code == 403
    assert _user(browser).is_authenticated  # neither logged anyone out


def test_when_the_provider_is_unreachable_the_logout_here_still_holds(
    client, provider, sso_login, caplog
):
    from django.core.cache import cache

    sso_login("anna")
    # The provider goes away: its discovery document cannot be fetched any more.
    provider.issuer = "http://127.0.0.1:9/o"
    provider.save()
    cache.clear()

    response = client.post("/uitloggen/", follow=True)

    assert response.redirect_chain == [("/inloggen/", 302)]
    assert not _user(client).is_authenticated
    assert any("but not of the sign-in service" in message for message in _messages(response))
    assert "not at the provider" in caplog.text


def test_a_provider_without_an_end_session_endpoint_logs_out_here_only(
    client, provider, sso_login, oidc_provider
):
    from django.core.cache import cache

    sso_login("anna")
    # A provider whose discovery document offers no RP-initiated logout.
    key = f"identity:discovery:{oidc_provider.issuer}"
    document = {k: v for k, v in cache.get(key).items() if k != "end_session_endpoint"}
    cache.set(key, document)

    response = client.post("/uitloggen/", follow=True)

    assert response.redirect_chain == [("/inloggen/", 302)]
    assert not _user(client).is_authenticated
    assert any("but not of the sign-in service" in message for message in _messages(response))
    assert _provider_session_alive(oidc_provider)  # nothing was asked of the provider
