"""Regenerate and compile the Dutch catalogues: `make messages`.

Each app that has a `locale/` directory keeps its own catalogue (so that work on one app never
collides with work on another); every other string goes to the project catalogue in
`eenloket/locale/`. Translations already made anywhere are offered to new entries (msgmerge's
compendium), so moving strings between catalogues loses nothing.
"""

import os
import subprocess
import sys
from pathlib import Path

LANGUAGE = "nl"


def app_dirs(package: Path) -> list[Path]:
    """The apps (at any depth) that own a catalogue, the project's own locale excluded."""
    return sorted(
        locale.parent
        for locale in package.rglob("locale")
        if locale.is_dir() and locale.parent != package and "static" not in locale.parts
    )


def catalogues(package: Path) -> list[Path]:
    return [
        directory / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
        for directory in [package, *app_dirs(package)]
    ]


def _makemessages(cwd: Path, ignores: list[str], env: dict) -> None:
    # -P: the working directory stays off sys.path, so an app's selectors.py cannot shadow the
    # standard library's `selectors` (which subprocess imports).
    command = [
        sys.executable,
        "-P",
        "-m",
        "django",
        "makemessages",
        "-l",
        LANGUAGE,
        "--no-obsolete",
    ]
    for pattern in ignores:
        command += ["--ignore", pattern]
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, env=env)


def regenerate(package: Path, *, compile_: bool = True) -> list[Path]:
    """Regenerate every catalogue under `package` (an `eenloket` directory); return them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eenloket.settings",
        "PYTHONPATH": str(package.parent),
        # makemessages runs inside each app: keep its selectors.py from shadowing the stdlib's.
        "PYTHONSAFEPATH": "1",
    }
    before = {po: po.read_text("utf-8") for po in catalogues(package) if po.exists()}
    apps = app_dirs(package)
    _makemessages(package, [str(app.relative_to(package)) for app in apps], env)
    for app in apps:
        _makemessages(app, [], env)
    compendium = package.parent / ".messages-compendium.po"
    copies = []
    for number, text in enumerate(before.values()):
        copies.append(package.parent / f".messages-before-{number}.po")
        copies[-1].write_text(text, "utf-8")
    try:
        found = catalogues(package)
        if copies:
            subprocess.run(
                ["msgcat", "--use-first", "-o", str(compendium), *map(str, copies)],
                check=True,
                capture_output=True,
            )
        for po in found:
            _fill_header(po)
            if before and po.exists():
                subprocess.run(
                    [
                        *("msgmerge", "--quiet", "--no-fuzzy-matching", "--update"),
                        *("--backup=none", "--compendium", str(compendium), str(po), str(po)),
                    ],
                    check=True,
                    capture_output=True,
                )
            if compile_:
                subprocess.run(
                    ["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True
                )
    finally:
        for path in [compendium, *copies]:
            path.unlink(missing_ok=True)
    return found


HEADER_DEFAULTS = {
    '"Project-Id-Version: PACKAGE VERSION\\n"': '"Project-Id-Version: Eenloket\\n"',
    '"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"': '"PO-Revision-Date: 2026-11-22 00:00+0100\\n"',
    '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"': '"Last-Translator: Eenloket\\n"',
    '"Language-Team: LANGUAGE <LL@li.org>\\n"': '"Language-Team: Dutch\\n"',
    '"Language: \\n"': f'"Language: {LANGUAGE}\\n"',
}


def _fill_header(po: Path) -> None:
    """A new catalogue starts with makemessages' placeholders, which msgfmt warns about."""
    text = po.read_text("utf-8")
    for placeholder, value in HEADER_DEFAULTS.items():
        text = text.replace(placeholder, value)
    text = text.replace('#, fuzzy\nmsgid ""', 'msgid ""', 1)
    po.write_text(text, "utf-8")


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] + " Rewrites every catalogue that changed.",
        epilog=__doc__.split("\n\n", 1)[1],
    ).parse_args()  # no options: --help explains, anything else is refused
    package = Path(__file__).resolve().parent.parent / "eenloket"
    for po in regenerate(package):
        print(f"{po.relative_to(package.parent)}")
