"""The Dutch catalogue is complete: every source string has a translation, none is fuzzy,
and the compiled catalogue matches the source catalogue."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "eenloket"
CATALOGUE = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(
    r"(#, [^\n]*\n)?(?:#\|[^\n]*\n)*"
    r'msgid ((?:"[^\n]*"\n)+)'
    r'(?:msgid_plural (?:"[^\n]*"\n)+)?'
    r'((?:msgstr(?:\[\d\])? (?:"[^\n]*"\n)+)+)'
)


def entries(text: str) -> dict[str, tuple[bool, list[str]]]:
    """msgid -> (fuzzy, translations)."""
    found = {}
    for flags, msgid, msgstrs in ENTRY.findall(text + "\n"):
        key = "".join(re.findall(r'"(.*)"', msgid))
        translations = [
            "".join(re.findall(r'"(.*)"', block))
            for block in re.split(r"msgstr(?:\[\d\])? ", msgstrs)
            if block.strip()
        ]
        if key:
            found[key] = ("fuzzy" in flags, translations)
    return found


def require_gettext():
    if shutil.which("xgettext") is None or shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")


def test_every_dutch_entry_is_translated_and_not_fuzzy():
    catalogue = entries(CATALOGUE.read_text(encoding="utf-8"))
    incomplete = sorted(
        msgid for msgid, (fuzzy, texts) in catalogue.items() if fuzzy or not all(texts)
    )
    assert (len(catalogue) > 100, incomplete) == (True, [])


def test_the_catalogue_covers_every_source_string(tmp_path):
    require_gettext()
    copy = tmp_path / "eenloket"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "eenloket.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
        },
    )
    fresh = set(entries((copy / "locale/nl/LC_MESSAGES/django.po").read_text("utf-8")))
    committed = set(entries(CATALOGUE.read_text(encoding="utf-8")))
    assert sorted(fresh - committed) == []


def test_the_compiled_catalogue_is_current(tmp_path):
    require_gettext()
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE)], check=True)
    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes()
