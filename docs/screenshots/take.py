"""Take the documentation screenshots from a running Eenloket (normally `eenloket demo`).

    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8012/
    .venv/bin/python docs/screenshots/take.py --demo     # start a fresh demo, shoot, stop it

`make screenshots` runs the second form.

Logs in as the demo users `servicedesk`, `beheerder`, `klant`, `teamleider`, `specialist-hr` and
`verandermanager` (password `demo`), plays two dozen calls through the CTI endpoint of a fresh
demo, and writes full-page
PNGs at 1280 px width next to this script. Uses Debian's Chromium; never downloads a browser.
"""

import argparse
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from eenloket.identity.demo import demo_code

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "demo"  # noqa: S105 -- the published password of the demo users


def log_in(page, username: str, second_factor_to: Path | None = None) -> None:
    """Log in, past the second factor; with second_factor_to, shoot the code page on the way."""
    page.goto("inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    for _attempt in range(3):
        if "/inloggen/tweestaps/" not in page.url:
            break
        if second_factor_to is not None:
            shoot(page, "login-second-factor", second_factor_to)
            second_factor_to = None
        # Demo staff share the published demo key (docs/identity.md). A code works once, so
        # a second login in the same 30 seconds waits for the next one.
        page.fill("#id_code", demo_code())
        page.locator("form.stack button[type=submit]").click()
        if "/inloggen/tweestaps/" in page.url:
            time.sleep(31 - time.time() % 30)
    page.wait_for_url(re.compile(r"/(werkplek|portaal)/(transitie/)?$"))


def shoot(page, name: str, out: Path) -> None:
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
    print(f"{name}.png  {page.url}")


def busiest_ticket(page, links: str, tries: int = 12) -> str:
    """Of the first tickets in a list, the one that shows the most: a long timeline, and a
    reply form (a closed ticket has none)."""
    hrefs = page.eval_on_selector_all(links, "els => els.map(e => e.getAttribute('href'))")
    best, most = hrefs[0], -1
    for href in hrefs[:tries]:
        page.goto(href)
        score = page.locator(".timeline > li").count()
        score += 100 * page.locator("textarea").count()
        if score > most:
            best, most = href, score
    return best


def shoot_workspace(page, out: Path) -> None:
    """The agent's pages: the inbox and a saved view, a busy ticket, new contact step by step,
    and the keyboard shortcuts dialog."""
    shoot(page, "queue", out)
    page.locator("#view-at_risk").click()
    page.wait_for_url(re.compile(r"view=at_risk"))
    shoot(page, "queue-at-risk", out)
    page.goto("werkplek/")
    page.goto(busiest_ticket(page, "table.queue tbody th a"))
    shoot(page, "ticket", out)
    page.wait_for_load_state("load")  # the shortcuts script is deferred
    page.locator("body").press("?")
    page.wait_for_selector("#shortcuts-dialog[open]")
    page.screenshot(path=str(out / "shortcuts.png"))  # the viewport: the dialog is modal
    print(f"shortcuts.png  {page.url}")
    page.keyboard.press("Escape")

    # New contact as an agent takes a call: the caller found as they type, a service found
    # by searching the catalogue, the question with "solved at first contact" chosen.
    page.goto("werkplek/nieuw/")
    page.fill("#id_q", "de")
    page.wait_for_selector("#person-results tbody a")
    shoot(page, "new-contact-person", out)
    page.locator("#person-results tbody a").first.click()
    page.fill("#id_zoek", "laptop")
    page.wait_for_selector("#service-choice select")
    page.wait_for_timeout(600)  # the search answers as you type
    shoot(page, "new-contact-service", out)
    page.locator("#id_dienst").select_option(index=0)  # the first (here: only) match
    page.locator("#service-choice button[type=submit]").click()
    page.wait_for_selector("#id_title")
    page.fill("#id_title", "Laptop start niet op")
    page.fill("#id_description", "Zwart scherm na het aanzetten; lampje brandt wel.")
    for choice in page.locator("select[name^=form_]").all():  # the service's own form
        choice.select_option(index=1)
    page.locator("#id_outcome_1").check()
    page.fill("#id_resolution", "Accu leeg: laptop aan de lader, start weer.")
    shoot(page, "new-ticket", out)


def take(base_url: str, out: Path, language: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        locale = "nl-NL" if language == "nl" else "en-GB"
        context = browser.new_context(
            base_url=base_url, locale=locale, viewport={"width": 1280, "height": 800}
        )
        page = context.new_page()
        page.goto("inloggen/")
        shoot(page, "login", out)

        log_in(page, "servicedesk", second_factor_to=out)
        shoot_workspace(page, out)
        take_knowledge_and_phone(page, out)
        context.clear_cookies()

        log_in(page, "beheerder")
        take_administration(page, out)
        context.clear_cookies()

        take_portal(page, out)
        page.goto("portaal/afspraken/")
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_load_state()
        shoot(page, "counter-booking", out)
        context.clear_cookies()

        counter(page, out)
        context.clear_cookies()

        log_in(page, "verandermanager")
        take_transition(page, out)
        context.clear_cookies()

        # Dashboards: half a year, so the trend shows the desk improving.
        log_in(page, "teamleider")
        today = dt.date.today()
        page.goto(f"werkplek/rapportages/?van={today - dt.timedelta(weeks=26)}&tot={today}")
        shoot(page, "dashboard", out)
        page.goto("werkplek/rapportages/signalen/")
        shoot(page, "satisfaction-alerts", out)
        context.clear_cookies()
        log_in(page, "specialist-hr")
        page.goto("werkplek/rapportages/afdeling/hr/")
        shoot(page, "dashboard-department", out)
        context.clear_cookies()
        log_in(page, "verandermanager")
        page.goto("enquete/medewerkers/resultaten/")
        shoot(page, "pulse-results", out)
        browser.close()


def fill_required(page) -> None:
    """Answer every required field of a request form with something plausible."""
    page.fill("#id_title", "Nieuwe collega per maandag")
    page.fill("#id_description", "Graag alles klaarzetten voor de eerste werkdag.")
    for select in page.locator("form select[required]").all():
        select.select_option(index=1)
    for date in page.locator("form input[type=date][required]").all():
        date.fill("2030-01-07")
    for text in page.locator("form textarea[required], form input[type=text][required]").all():
        if not text.input_value():
            text.fill("Femke de Groot")


def take_portal(page, out: Path) -> None:
    """The customer's pages, as the demo customer `klant` sees them."""
    log_in(page, "klant")
    shoot(page, "portal", out)
    page.goto("portaal/zoeken/?q=wachtwoord")
    shoot(page, "portal-search", out)
    page.goto("portaal/meldingen/")
    shoot(page, "portal-requests", out)
    page.goto(busiest_ticket(page, "table.requests tbody th a"))
    shoot(page, "portal-ticket", out)
    # A request form with typed fields, and (it adds one ticket to the demo) its confirmation.
    page.goto("portaal/")
    page.locator(".catalogue a", has_text=re.compile("account", re.IGNORECASE)).first.click()
    page.wait_for_selector("#id_title")
    shoot(page, "portal-request", out)
    fill_required(page)
    page.locator(".request-form button[type=submit]").click()
    page.wait_for_selector(".confirmation__number")
    shoot(page, "portal-received", out)


def take_transition(page, out: Path) -> None:
    """The change lead's pages: departments and heat map, a live department, the desk's ADKAR
    group, the communication plan and the sponsor map."""
    page.goto("werkplek/transitie/")
    shoot(page, "transition", out)
    page.goto("werkplek/transitie/afdelingen/it/")
    shoot(page, "transition-department", out)
    page.goto("werkplek/transitie/")
    page.get_by_role("link", name="Centrale servicedesk").click()
    shoot(page, "transition-group", out)
    page.goto("werkplek/transitie/communicatie/")
    shoot(page, "transition-communication", out)
    page.goto("werkplek/transitie/sponsors/")
    shoot(page, "transition-sponsors", out)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def fresh_demo(timeout: float = 300):
    """`eenloket demo` in a temporary folder (SQLite) on a free port; stopped afterwards."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix="eenloket-shots-")
    env = {**os.environ, "EENLOKET_VAR_DIR": folder, "PORT": str(port)}
    env.pop("DATABASE_URL", None)
    env.pop("SECRET_KEY", None)  # the demo's staff get the published demo key only in a demo
    command = [sys.executable, "-c", "import sys; from eenloket.cli import main; sys.exit(main())"]
    log = open(Path(folder) / "demo.log", "w")  # noqa: SIM115 -- open while the demo runs
    print(f"Starting the demo on port {port} (log: {log.name}) ...")
    server = subprocess.Popen(
        [*command, "demo"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=HERE.parents[1],
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                sys.exit(f"The demo stopped (exit {server.returncode}); see {log.name}")
            try:
                urllib.request.urlopen(url + "inloggen/", timeout=2)  # noqa: S310 -- our own demo
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit(f"The demo did not answer within {timeout:.0f} s; see {log.name}")
                time.sleep(1)
        play_calls(command, env, url)
        yield url
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()


# Half an hour, two dozen calls, no waiting between events, always the same calls.
SIMULATION = ["--minutes", "30", "--calls", "24", "--speed", "0", "--seed", "7"]


def play_calls(command: list[str], env: dict, url: str) -> None:
    """Half an hour of telephone-exchange events through the real CTI endpoint, so the call
    log shows answered, missed and recorded calls (the demo itself starts with none)."""
    created = subprocess.run(
        [*command, "cti", "token", "create", "--name", "Screenshots"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parents[1],
    )
    token = next(line for line in created.stdout.splitlines() if line.startswith("cti_"))
    print("Playing calls against the demo ...")
    subprocess.run(
        [*command, "cti", "simulate", "--url", url.rstrip("/"), "--token", token, *SIMULATION],
        env=env,
        capture_output=True,
        check=True,
        cwd=HERE.parents[1],
    )


def take_knowledge_and_phone(page, out: Path) -> None:
    """The knowledge base as an agent searches it, one article, and the call log."""
    page.goto("werkplek/kennisbank/?q=wachtwoord vergeten")
    shoot(page, "knowledge-search", out)
    page.goto(page.locator(".kb-result__title a").first.get_attribute("href"))
    shoot(page, "knowledge-article", out)
    page.goto("werkplek/telefonie/")
    shoot(page, "call-log", out)


def take_administration(page, out: Path) -> None:
    """What an administrator sees of privacy: retention rules and runs, and the access log."""
    page.goto("werkplek/privacy/")
    shoot(page, "privacy", out)
    page.goto("werkplek/logboek/")
    shoot(page, "access-log", out)


def counter(page, out: Path) -> None:
    """The counter: the kiosk (a number taken when open), the desk serving a visitor, the
    board showing the call. Outside the counter's opening hours the kiosk shows "closed"."""
    page.goto("balie/kiosk/")
    shoot(page, "counter-kiosk", out)
    enabled = page.locator("button.kiosk-topic:not([disabled])")
    if enabled.count():
        enabled.first.click()
        page.wait_for_selector(".receipt__number")
        shoot(page, "counter-number", out)
    log_in(page, "servicedesk")
    page.goto("balie/")
    page.locator(".desk-list a").first.click()
    call_next = page.locator("button.desk-call-next")
    if call_next.count():
        call_next.click()
    serve = page.locator("form[action$='/helpen/'] button")
    if serve.count():
        serve.click()
        search = page.locator("#id_zoek")
        if search.count():
            search.fill("de")
            search.press("Enter")
            page.locator("form[action$='/identificeren/'] button").first.click()
    shoot(page, "counter-desk", out)
    # A second desk calls the next visitor, so the board shows a fresh call.
    page.goto("balie/")
    page.locator(".desk-list a").nth(1).click()
    call_next = page.locator("button.desk-call-next")
    if call_next.count():
        call_next.click()
    page.goto("balie/bord/")
    page.wait_for_timeout(500)
    shoot(page, "counter-board", out)


def main(argv: list[str]) -> None:
    """Parse the command line and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "url", nargs="?", help="base URL of a running Eenloket, e.g. http://127.0.0.1:8012/"
    )
    parser.add_argument(
        "--demo", action="store_true", help="start a fresh demo for the pictures, then stop it"
    )
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the PNGs")
    parser.add_argument("--language", choices=["nl", "en"], default="nl")
    args = parser.parse_args(argv)
    if bool(args.url) == args.demo:
        parser.error("give either the URL of a running Eenloket or --demo")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.demo:
        with fresh_demo() as url:
            take(url, args.out, args.language)
    else:
        take(args.url.rstrip("/") + "/", args.out, args.language)
    print(f"Done: the pictures are in {args.out}. Look at each one before committing it.")


if __name__ == "__main__":
    main(sys.argv[1:])
