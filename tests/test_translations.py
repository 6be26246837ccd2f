"""The Dutch catalogues are complete: every source string has a translation, none is fuzzy,
and each compiled catalogue matches its source. The project and each app that has a `locale/`
directory keep their own catalogue (`tools/messages.py`, `make messages`)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "eenloket"
sys.path.insert(0, str(ROOT / "tools"))
import catalogues  # noqa: E402

CATALOGUES = catalogues.catalogues(PACKAGE)
ENTRY = re.compile(
    r"(#, [^\n]*\n)?(?:#\|[^\n]*\n)*"
    r'(?:msgctxt ((?:"[^\n]*"\n)+))?'
    r'msgid ((?:"[^\n]*"\n)+)'
    r'(?:msgid_plural (?:"[^\n]*"\n)+)?'
    r'((?:msgstr(?:\[\d\])? (?:"[^\n]*"\n)+)+)'
)


def entries(text: str) -> dict[str, tuple[bool, list[str]]]:
    """msgid (with its msgctxt, if any, before a \x04) -> (fuzzy, translations)."""
    found = {}
    for flags, context, msgid, msgstrs in ENTRY.findall(text + "\n"):
        key = "".join(re.findall(r'"(.*)"', msgid))
        if context and key:
            key = "".join(re.findall(r'"(.*)"', context)) + "\x04" + key
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


def name(catalogue: Path) -> str:
    return str(catalogue.relative_to(PACKAGE))


def test_the_project_and_the_apps_each_have_a_catalogue():
    assert {name(po) for po in CATALOGUES} >= {
        "locale/nl/LC_MESSAGES/django.po",
        "workspace/locale/nl/LC_MESSAGES/django.po",
        "portal/locale/nl/LC_MESSAGES/django.po",
    }


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=name)
def test_every_dutch_entry_is_translated_and_not_fuzzy(catalogue):
    found = entries(catalogue.read_text(encoding="utf-8"))
    incomplete = sorted(msgid for msgid, (fuzzy, texts) in found.items() if fuzzy or not all(texts))
    assert (len(found) > 0, incomplete) == (True, [])


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=name)
def test_no_translation_says_its_text_twice(catalogue):
    # What a merge that keeps both sides of a conflict leaves behind: the page then shows
    # its introduction twice (it happened to the access log's).
    doubled = sorted(
        msgid
        for msgid, (_fuzzy, texts) in entries(catalogue.read_text(encoding="utf-8")).items()
        for text in texts
        if len(text) > 10 and text[: len(text) // 2] * 2 == text
    )
    assert doubled == []


def test_the_catalogues_cover_every_source_string(tmp_path):
    require_gettext()
    copy = tmp_path / "eenloket"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    fresh = catalogues.regenerate(copy, compile_=False)
    missing = {
        str(po.relative_to(copy)): sorted(
            set(entries(po.read_text("utf-8")))
            - set(entries((PACKAGE / po.relative_to(copy)).read_text("utf-8")))
        )
        for po in fresh
    }
    assert missing == {str(po.relative_to(copy)): [] for po in fresh}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=name)
def test_the_compiled_catalogue_is_current(tmp_path, catalogue):
    require_gettext()
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(catalogue)], check=True)
    assert compiled.read_bytes() == catalogue.with_suffix(".mo").read_bytes()


def test_a_source_string_reads_the_same_in_every_catalogue():
    # Django takes a msgid from the first catalogue that has it (the project's, then the apps'
    # in INSTALLED_APPS order), so two translations of one msgid show the wrong one somewhere.
    # Words that mean different things in different places get a context (pgettext).
    seen: dict[str, dict[str, tuple[str, ...]]] = {}
    for catalogue in CATALOGUES:
        for msgid, (_fuzzy, texts) in entries(catalogue.read_text(encoding="utf-8")).items():
            seen.setdefault(msgid, {})[name(catalogue)] = tuple(texts)
    differing = {msgid: found for msgid, found in seen.items() if len(set(found.values())) > 1}
    assert differing == {}
