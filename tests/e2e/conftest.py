"""Playwright fixtures for the browser tests: one Chromium per session, a fresh page per test.

The pages are Dutch (the default language), as most users see them. Time is not frozen: the
live server runs in another thread and the browser keeps its own clock.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django then refuses database calls
# from the test body unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTH = 1280


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": WIDTH, "height": 800}
    )
    context.set_default_timeout(5_000)
    # Every page runs under the real Content-Security-Policy: a violation (an inline script or
    # style, eval, an inline event handler) fails the test that caused it.
    violations: list[str] = []
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on("console", lambda message: _record_csp(violations, message.text))
    page.on("pageerror", lambda error: _record_csp(violations, str(error)))
    page.csp_violations = violations  # for the test that shows the listener works
    yield page
    # A page may still be loading a fragment (htmx on load, e.g. the ticket's knowledge
    # panel); let it finish before the database is flushed under the live server.
    page.wait_for_load_state("networkidle")
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


# Runs before the page's own scripts (through the browser's debugging protocol, which the
# CSP does not govern) and reports each violation on the console, where the page fixture
# collects it; Chromium also logs "Refused to ..." there itself.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


def _record_csp(violations: list[str], text: str) -> None:
    if "CSP violation" in text or "Content Security Policy" in text or "unsafe-eval" in text:
        violations.append(text)


@pytest.fixture
def ticket(desk):
    """An open laptop ticket of the customer, made the way the phone channel does."""
    from eenloket.tickets import services

    return services.ticket_open(
        actor=desk.agent,
        requester=desk.person,
        service=desk.laptop,
        channel="phone",
        title="Laptop start niet op",
        description="Zwart scherm na het aanzetten.",
    )


def log_in(page, username):
    """Log in through the login form, as a person would."""
    page.goto("/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/(werkplek|portaal)/$"))


def axe_violations(page) -> list[str]:
    """Every axe-core violation on the page, one readable line per offending element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} — {violation['help']}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def screenshot(page, name: str) -> None:
    """With EENLOKET_SCREENSHOTS=1 (or a directory) keep a full-page picture of the page."""
    wanted = os.environ.get("EENLOKET_SCREENSHOTS", "")
    if not wanted or wanted == "0":
        return
    folder = SCREENSHOT_DIR if wanted == "1" else Path(wanted)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
