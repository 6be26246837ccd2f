"""A real OpenID Connect provider for the single sign-on tests, and the login policy on."""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from eenloket.directory.roles import Role
from eenloket.identity.models import GroupRoleMapping, IdentityProvider

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "eenloket-test"
CLIENT_SECRET = "s3cret-for-the-test-provider"
SECRET_ENV = "EENLOKET_TEST_OIDC_SECRET"
PASSWORD = "pw"

# The people the provider knows, with the claims it sends about them.
PEOPLE = {
    "anna": {
        "email": "anna.dekker@dordrecht.nl",
        "given_name": "Anna",
        "family_name": "Dekker",
        "groups": ["eenloket-servicedesk"],
        "amr": ["pwd", "mfa"],
        "employee_number": "E100",
    },
    "bert": {
        "email": "bert.visser@dordrecht.nl",
        "given_name": "Bert",
        "family_name": "Visser",
        "groups": ["eenloket-hr", "alle-medewerkers"],
        "amr": ["pwd"],
    },
    "carla": {
        "email": "carla.smit@dordrecht.nl",
        "given_name": "Carla",
        "family_name": "Smit",
        "groups": ["alle-medewerkers"],
        "amr": ["pwd"],
    },
}


@dataclass
class TestProvider:
    url: str
    issuer: str
    private_key_pem: bytes
    # The browser of the last sign_in, with its session at the provider.
    browser: requests.Session | None = None

    def sign_in(self, username: str, authorize_url: str) -> str:
        """Log in at the provider as a browser would; the redirect back to Eenloket."""
        browser = self.browser = requests.Session()
        response = browser.post(
            f"{self.url}/login/",
            data={"username": username, "password": PASSWORD},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text
        response = browser.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / "key.pem").write_bytes(pem)
    config = {
        "users": {
            name: {"password": PASSWORD, "claims": claims} for name, claims in PEOPLE.items()
        },
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": "http://testserver/inloggen/sso/terug/",
            "post_logout_redirect_uri": "http://testserver/inloggen/",
        },
    }
    (folder / "config.json").write_text(json.dumps(config))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TEST_OP_DIR": str(folder),
        "TEST_OP_ISSUER": f"{url}/o",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.identity.provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(folder / "provider.log", "w"),  # noqa: SIM115 -- open while it runs
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "ready", (folder / "provider.log").read_text()
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{url}/o/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the test provider does not answer"
                time.sleep(0.2)
        yield TestProvider(url=url, issuer=f"{url}/o", private_key_pem=pem)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def provider(desk, oidc_provider, monkeypatch):
    """Gemeente Dordrecht's provider: servicedesk group -> first line, hr group -> HR."""
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setenv(SECRET_ENV, CLIENT_SECRET)
    idp = IdentityProvider.objects.create(
        organization=desk.organization,
        name="Gemeente Dordrecht",
        slug="dordrecht",
        issuer=oidc_provider.issuer,
        client_id=CLIENT_ID,
        client_secret_env=SECRET_ENV,
        email_domains="dordrecht.nl",
        employee_number_claim="employee_number",
    )
    GroupRoleMapping.objects.create(
        provider=idp, group="eenloket-servicedesk", role=Role.FIRST_LINE
    )
    GroupRoleMapping.objects.create(
        provider=idp, group="eenloket-hr", role=Role.SPECIALIST, department=desk.hr
    )
    return idp


@pytest.fixture
def sso_login(client, oidc_provider):
    """Log in through the provider: start at Eenloket, sign in there, come back."""

    def log_in(username: str, slug: str = "dordrecht"):
        start = client.get(f"/inloggen/sso/{slug}/")
        assert start.status_code == 302, start
        back = oidc_provider.sign_in(username, start["Location"])
        assert back.startswith("http://testserver/"), back
        return client.get(back.removeprefix("http://testserver"))

    return log_in


def authorize_params(response) -> dict[str, str]:
    return {
        key: values[0] for key, values in parse_qs(urlsplit(response["Location"]).query).items()
    }


@pytest.fixture
def login_policy(settings):
    """The policy as in production: second factor required, sessions expire."""
    settings.EENLOKET_MFA_REQUIRED = True
    settings.EENLOKET_SESSION_IDLE_SECONDS = 60 * 60
    settings.EENLOKET_SESSION_MAX_SECONDS = 10 * 60 * 60
