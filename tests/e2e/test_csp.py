"""The CSP holds in the browser: an inline script and an inline style are refused, and the
page fixture notices (so every other browser test would fail on a violation). Eval cannot be
tried from here: code the test runs through the debugging protocol is exempt from the CSP."""

from tests.e2e.conftest import log_in

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.head.appendChild(script);
  const style = document.createElement("style");
  style.textContent = "body { background: red }";
  document.head.appendChild(style);
}"""


def test_inline_script_and_style_are_refused_and_noticed(page, db):
    page.goto("/inloggen/", timeout=60_000)
    page.evaluate(INJECT)
    page.wait_for_timeout(300)  # violation events are dispatched asynchronously
    outcome = page.evaluate(
        "() => [window.injected === true, getComputedStyle(document.body).backgroundColor]"
    )
    noticed = list(page.csp_violations)
    page.csp_violations.clear()  # seen on purpose: do not fail the fixture
    assert (outcome[0], outcome[1] != "rgb(255, 0, 0)", len(noticed) >= 2) == (
        False,
        True,
        True,
    ), noticed


def test_the_admin_and_the_api_docs_work_under_the_csp(page, desk):
    """Pages we do not template ourselves: Django's admin and django-ninja's Swagger UI."""
    page.set_default_timeout(60_000)  # Swagger UI is a large script on a busy machine
    log_in(page, "beheerder")
    for path in ("/beheer/", "/beheer/directory/person/", "/beheer/directory/person/add/"):
        page.goto(path, timeout=60_000)
        page.wait_for_load_state("networkidle")
    page.goto("/api/v1/docs", timeout=60_000)
    page.locator(".swagger-ui .info").first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    assert page.csp_violations == []
