"""HTTPS settings from the environment: HSTS and Secure cookies with EENLOKET_HTTPS, the
proxy's scheme header trusted only when named, HSTS only on secure requests."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
]


def settings_with(**env) -> dict:
    """The named settings as a fresh process reads them from this environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "EENLOKET_HTTPS")) and k != "DATABASE_URL"
    }
    code = (
        "import json; from eenloket import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {NAMES!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_plain_http_by_default():
    assert settings_with() == {
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_https_turns_on_secure_cookies_hsts_and_a_named_proxy_header():
    assert settings_with(EENLOKET_HTTPS="1", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto") == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


@pytest.mark.parametrize(("secure", "expected"), [(True, "max-age=31536000"), (False, None)])
def test_hsts_only_on_secure_requests(client, db, settings, secure, expected):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/inloggen/", secure=secure)
    assert response.headers.get("Strict-Transport-Security") == expected


def test_a_forged_proxy_header_is_ignored_unless_configured(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/inloggen/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
