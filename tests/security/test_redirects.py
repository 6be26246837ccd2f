"""No user-controlled redirect: every place that takes a `next` (the login, the logout, the
language switch of the pages and of the counter screens) sends a user only to our own pages,
and a path that looks like another site (`//evil.example`) stays on ours."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

OPEN_REDIRECTS = [
    "//evil.example",
    "//evil.example/pad",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "http:///evil.example",
    "/%09/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " //evil.example",
    "data:text/html,<script>alert(1)</script>",
]


def stays_here(response) -> bool:
    location = response["Location"]
    return (
        url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"})
        and "evil.example" not in urlsplit(location).netloc
        and not location.lower().lstrip().startswith(("javascript:", "data:"))
    )


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_login_never_sends_the_user_elsewhere(client, desk, target):
    response = client.post(
        reverse("login"), {"username": "klant", "password": "demo", "next": target}
    )
    assert (response.status_code, stays_here(response)) == (302, True)


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_the_login_page_does_not_carry_a_foreign_next_along(client, db, target):
    kept = client.get(reverse("login"), {"next": target}).context["next"]
    assert kept == "" or url_has_allowed_host_and_scheme(kept, allowed_hosts={"testserver"})


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_logout_never_sends_the_user_elsewhere(client, desk, target):
    client.force_login(desk.customer)
    response = client.post(reverse("logout"), {"next": target})
    assert (response.status_code, stays_here(response)) == (302, True)


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_the_language_switch_never_sends_the_user_elsewhere(client, desk, target):
    client.force_login(desk.customer)
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert (response.status_code, stays_here(response)) == (302, True)


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_the_language_switch_ignores_a_foreign_referer(client, db, target):
    response = client.post(reverse("set_language"), {"language": "nl"}, HTTP_REFERER=target)
    assert (response.status_code, stays_here(response)) == (302, True)


@pytest.mark.parametrize("path", ["//evil.example", "//evil.example/", "/\\evil.example/"])
def test_a_path_that_looks_like_another_site_is_no_redirect_there(client, db, path):
    response = client.get(path)
    location = response.headers.get("Location", "")
    assert "evil.example" not in urlsplit(location).netloc


def test_a_login_with_a_next_of_our_own_goes_there(client, desk):
    response = client.post(
        reverse("login"), {"username": "klant", "password": "demo", "next": "/portaal/meldingen/"}
    )
    assert response["Location"] == "/portaal/meldingen/"
