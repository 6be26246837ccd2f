"""Take the documentation screenshots from a running Eenloket (normally `eenloket demo`).

    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8012/

Logs in as the demo users `servicedesk`, `klant`, `teamleider`, `specialist-hr` and
`verandermanager` (password `demo`) and writes full-page
PNGs at 1280 px width next to this script. Uses Debian's Chromium; never downloads a browser.
"""

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "demo"  # noqa: S105 -- the published password of the demo users


def log_in(page, username: str) -> None:
    page.goto("inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(r"/(werkplek|portaal)/$"))


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

        log_in(page, "servicedesk")
        shoot(page, "queue", out)
        page.goto(busiest_ticket(page, "table.queue tbody th a"))
        shoot(page, "ticket", out)

        # The new-ticket form as an agent fills it in: a caller found by name, a service chosen.
        page.goto("werkplek/nieuw/")
        page.fill("#id_q", "de")
        page.locator("#id_q").press("Enter")
        page.locator("#person-results tbody a").first.click()
        service = page.locator("#id_dienst option", has_text="Laptop")
        if service.count():
            page.locator("#id_dienst").select_option(service.first.get_attribute("value"))
        else:
            page.locator("#id_dienst").select_option(index=1)
        page.locator("form.stack button[type=submit]").click()
        page.wait_for_selector("#id_title")
        shoot(page, "new-ticket", out)
        context.clear_cookies()

        log_in(page, "klant")
        shoot(page, "portal", out)
        page.goto(busiest_ticket(page, "table tbody th a"))
        shoot(page, "portal-ticket", out)
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


def main(argv: list[str]) -> None:
    """Parse the command line and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="base URL of a running Eenloket, e.g. http://127.0.0.1:8012/")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the PNGs")
    parser.add_argument("--language", choices=["nl", "en"], default="nl")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    take(args.url.rstrip("/") + "/", args.out, args.language)


if __name__ == "__main__":
    main(sys.argv[1:])
