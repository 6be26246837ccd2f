"""Secrets only from the environment: the settings read them from there, and no tracked file
holds a private key or a credential."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# Private keys and the shapes of common cloud and forge tokens, and assignments of a long
# literal to something called a password, secret or key outside the tests.
PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "GitHub token": re.compile(r"gh[pousr]_[A-Za-z0-9]{30,}"),
    "Slack token": re.compile(r"xox[abprs]-[A-Za-z0-9-]{10,}"),
    "Stripe key": re.compile(r"sk_live_[A-Za-z0-9]{10,}"),
    "Fernet or Django key": re.compile(
        r"(SECRET_KEY|EENLOKET_MAIL_KEY|client_secret)\s*=\s*['\"][A-Za-z0-9_\-+/=]{32,}['\"]"
    ),
}
# Keys in the tests are made up for the tests; the demo key is refused by `eenloket serve`.
MADE_UP = {"Fernet or Django key": ("tests/",)}
DEMO_KEY = "insecure-demo-key-set-SECRET_KEY-in-production"
SKIPPED_SUFFIXES = {".png", ".jpg", ".mo", ".sqlite3", ".wav", ".mp3", ".ogg", ".pdf", ".xlsx"}


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in listed.decode().split("\0") if name]


def test_no_tracked_file_holds_a_secret():
    found = []
    for path in tracked_files():
        if path.suffix in SKIPPED_SUFFIXES or not path.is_file():
            continue
        text = path.read_text("utf-8", errors="ignore")
        name = str(path.relative_to(ROOT))
        for kind, pattern in PATTERNS.items():
            if name.startswith(MADE_UP.get(kind, ())):
                continue
            if any(DEMO_KEY not in match.group(0) for match in pattern.finditer(text)):
                found.append(f"{name}: {kind}")
    assert found == []


def test_the_scanner_recognizes_a_private_key():
    dashes = "-" * 5  # written apart, or this file would hold what it looks for
    pem = f"{dashes}BEGIN RSA PRIVATE KEY{dashes}\nMIIB\n{dashes}END RSA PRIVATE KEY{dashes}"
    assert PATTERNS["private key"].search(pem) is not None


def test_settings_take_the_secret_key_from_the_environment():
    source = (ROOT / "eenloket" / "settings.py").read_text()
    assert (
        'os.environ.get("SECRET_KEY")' in source,
        settings.SECRET_KEY_FROM_ENV or settings.SECRET_KEY == settings.DEMO_SECRET_KEY,
    ) == (True, True)
