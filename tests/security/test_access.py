"""Who reaches what: every URL pattern of every app (pages, API, admin), asked by every role,
with the IDs of things that role must not see.

The table below names, for each URL pattern, what to fill in and who may see that thing (the
insiders). Everyone else must get "not found" (404), "forbidden" (403), "method not allowed"
(405), "unauthorized" (401, the API) or, when not logged in, a redirect to the login page;
never a 200 with someone else's data, and nobody ever a 500. Whatever the status, the answer
must not contain a secret the role may not see (see conftest.FORBIDDEN).

A URL pattern that is not in the table fails `test_every_url_pattern_is_in_the_table`: a new
page or endpoint must say here who may see it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import FORBIDDEN, KEY_ROLES, ROLES

pytestmark = pytest.mark.slow

DESK_WIDE = {"first_line", "team_lead", "administrator"}
IT_AGENTS = DESK_WIDE | {"it_specialist"}
HR_AGENTS = DESK_WIDE | {"hr_specialist"}
NOBODY: set[str] = set()
STAFF = DESK_WIDE | {"it_specialist", "hr_specialist", "change_lead"}
ADMINISTRATORS = {"administrator"}
MISSING = 999999  # an id that exists nowhere: must be 404 (or 403/302), never 500

# What to fill in for each kind of URL argument.
ARGS = {
    "ticket_a": lambda w: {"number": w.ticket_a.number},
    "ticket_b": lambda w: {"number": w.ticket_b.number},
    "attachment_b": lambda w: {"attachment_id": w.attachment_b.pk},
    "person_b": lambda w: {"person_id": w.person_b.pk},
    "organization_b": lambda w: {"organization_id": w.organization_b.pk},
    "department_hr": lambda w: {"code": w.desk.hr.code},
    "service_hr": lambda w: {"service_id": w.desk.payslip.pk},
    "queue_hr": lambda w: {"queue_id": w.desk.hr_queue.pk},
}


def missing(*names: str, kind=int):
    return lambda w: dict.fromkeys(names, MISSING if kind is int else "onbekend")


def route(args=None, insiders=None, public=False, api=False, refused_to=None):
    """args: a key of ARGS or a function of the world; insiders: the roles that may see the
    thing the URL names (None: the URL names nothing of anyone's); public: open without login;
    refused_to: a form action that refuses by redirecting to this page with an error message."""
    fill = ARGS[args] if isinstance(args, str) else (args or (lambda w: {}))
    return {
        "fill": fill,
        "insiders": insiders,
        "public": public,
        "api": api,
        "refused_to": refused_to,
    }


# Ticket B (customer B, at HR) in the customer's pages, ticket A (customer A, at IT) in the
# agents' pages: both reachable only by their own people.
TABLE: dict[str, dict] = {
    "": route(),
    "inloggen/": route(public=True),
    "uitloggen/": route(public=True),
    "i18n/setlang/": route(public=True),
    # single sign-on and the second factor: an unknown provider sends back to the login page
    "inloggen/sso/<slug:slug>/": route(
        missing("slug", kind=str), NOBODY, public=True, refused_to="login"
    ),
    "inloggen/sso/terug/": route(public=True),
    "inloggen/sso/zoeken/": route(public=True),
    "inloggen/tweestaps/": route(),
    "inloggen/tweestaps/instellen/": route(),
    "inloggen/tweestaps/herstelcodes/": route(),
    # privacy and the access log: administrators only
    "werkplek/privacy/": route(None, ADMINISTRATORS),
    "werkplek/privacy/bewaartermijnen/": route(None, ADMINISTRATORS),
    "werkplek/privacy/bewaartermijnen/<int:rule_id>/verwijderen/": route(
        missing("rule_id"), NOBODY
    ),
    "werkplek/privacy/proefdraai/": route(None, ADMINISTRATORS),
    "werkplek/privacy/runs/<int:run_id>/": route(missing("run_id"), NOBODY),
    "werkplek/privacy/personen/": route(None, ADMINISTRATORS),
    "werkplek/privacy/personen/<int:person_id>/": route("person_b", ADMINISTRATORS),
    "werkplek/privacy/personen/<int:person_id>/wissen/": route("person_b", ADMINISTRATORS),
    "werkplek/privacy/export/<str:token>/": route(missing("token", kind=str), NOBODY),
    "werkplek/logboek/": route(None, ADMINISTRATORS),
    "werkplek/logboek/export.<str:fmt>": route(lambda w: {"fmt": "csv"}, ADMINISTRATORS),
    # a mail's HTML and the consent to its remote images: the agents of its ticket
    "werkplek/mail/<int:inbound_id>/html/": route(missing("inbound_id"), NOBODY),
    "werkplek/mail/<int:inbound_id>/externe-afbeeldingen/": route(missing("inbound_id"), NOBODY),
    "bijlagen/<int:attachment_id>/": route("attachment_b", HR_AGENTS | {"customer_b"}),
    # the transition (change lead and desk staff)
    "werkplek/transitie/": route(),
    "werkplek/transitie/start/": route(),
    "werkplek/transitie/afdelingen/<slug:code>/": route("department_hr", None),
    "werkplek/transitie/afdelingen/<slug:code>/fase/": route("department_hr", None),
    "werkplek/transitie/afdelingen/<slug:code>/checklist/": route("department_hr", None),
    "werkplek/transitie/checklist/<int:item_id>/": route(missing("item_id"), NOBODY),
    "werkplek/transitie/diensten/<int:readiness_id>/": route(missing("readiness_id"), NOBODY),
    "werkplek/transitie/groepen/<int:group_id>/": route(missing("group_id"), NOBODY),
    "werkplek/transitie/groepen/<int:group_id>/ronde/": route(missing("group_id"), NOBODY),
    "werkplek/transitie/groepen/<int:group_id>/acties/": route(missing("group_id"), NOBODY),
    "werkplek/transitie/acties/<int:action_id>/klaar/": route(missing("action_id"), NOBODY),
    "werkplek/transitie/rondes/<int:round_id>/sluiten/": route(missing("round_id"), NOBODY),
    "werkplek/transitie/rondes/<int:round_id>/scores/": route(missing("round_id"), NOBODY),
    "werkplek/transitie/mijn-adkar/": route(),
    "werkplek/transitie/communicatie/": route(),
    "werkplek/transitie/communicatie/<int:message_id>/verstuurd/": route(
        missing("message_id"), NOBODY
    ),
    "werkplek/transitie/sponsors/": route(),
    "werkplek/transitie/sponsors/<int:sponsor_id>/": route(missing("sponsor_id"), NOBODY),
    # the knowledge base
    "werkplek/kennisbank/": route(),
    "werkplek/kennisbank/nieuw/": route(),
    "werkplek/kennisbank/voorstellen/": route(),
    "werkplek/kennisbank/verouderd/": route(),
    "werkplek/kennisbank/cijfers/": route(),
    "werkplek/kennisbank/bijlagen/<int:attachment_id>/": route(missing("attachment_id"), NOBODY),
    "werkplek/kennisbank/<int:article_id>/": route(missing("article_id"), NOBODY),
    "werkplek/kennisbank/<int:article_id>/wijzigen/": route(missing("article_id"), NOBODY),
    "werkplek/kennisbank/<int:article_id>/versies/": route(missing("article_id"), NOBODY),
    "werkplek/kennisbank/<int:article_id>/eigenaar/": route(missing("article_id"), NOBODY),
    "werkplek/kennisbank/verhuizingen/<int:transfer_id>/": route(missing("transfer_id"), NOBODY),
    "portaal/kennisbank/bijlagen/<int:attachment_id>/": route(missing("attachment_id"), NOBODY),
    "werkplek/kennisbank/<int:article_id>/versies/<int:number>/": route(
        missing("article_id", "number"), NOBODY
    ),
    "werkplek/kennisbank/<int:article_id>/versies/<int:number>/beoordelen/": route(
        missing("article_id", "number"), NOBODY
    ),
    "werkplek/kennisbank/melding/<str:number>/": route("ticket_b", HR_AGENTS),
    "werkplek/kennisbank/melding/<str:number>/koppelen/<int:article_id>/": route(
        lambda w: {"number": w.ticket_b.number, "article_id": MISSING}, HR_AGENTS
    ),
    "portaal/kennisbank/": route(),
    "portaal/kennisbank/suggesties/": route(),
    "portaal/kennisbank/<int:article_id>/": route(missing("article_id"), NOBODY),
    "portaal/kennisbank/<int:article_id>/beoordelen/": route(missing("article_id"), NOBODY),
    # telephony
    "werkplek/telefonie/": route(),
    "werkplek/telefonie/gemist/": route(),
    "werkplek/telefonie/live/": route(),
    "werkplek/telefonie/gesprekken/<str:call_id>/": route(missing("call_id", kind=str), NOBODY),
    "werkplek/telefonie/gesprekken/<str:call_id>/koppelen/": route(
        missing("call_id", kind=str), NOBODY
    ),
    "werkplek/telefonie/gesprekken/<str:call_id>/afgehandeld/": route(
        missing("call_id", kind=str), NOBODY
    ),
    "werkplek/telefonie/opnamen/<int:recording_id>/": route(missing("recording_id"), NOBODY),
    "werkplek/telefonie/opnamen/<int:recording_id>/vasthouden/": route(
        missing("recording_id"), NOBODY
    ),
    "werkplek/telefonie/opnamen/<int:recording_id>/vrijgeven/": route(
        missing("recording_id"), NOBODY
    ),
    # reports: a department's figures for the department, its leads and the desk-wide roles
    "werkplek/rapportages/": route(),
    "werkplek/rapportages/afdeling/<slug:code>/": route(
        "department_hr", DESK_WIDE | {"hr_specialist", "change_lead"}
    ),
    "werkplek/rapportages/export/<slug:table>.<str:fmt>": route(
        lambda w: {"table": "kpis", "fmt": "csv"}
    ),
    "werkplek/rapportages/abonnement/": route(),
    "werkplek/rapportages/signalen/": route(),
    "werkplek/rapportages/signalen/<int:alert_id>/": route(
        missing("alert_id"), NOBODY, refused_to="reports:alerts"
    ),
    # the agents' workspace
    "werkplek/": route(),
    "werkplek/nieuw/": route(),
    "werkplek/nieuw/persoon/": route(),
    **{
        f"werkplek/meldingen/<str:number>/{action}": route("ticket_a", IT_AGENTS)
        for action in (
            "",
            "antwoorden/",
            "notitie/",
            "toewijzen/",
            "classificeren/",
            "overdragen/",
            "terug-naar-eerste-lijn/",
            "wachten-op-klant/",
            "oplossen/",
            "sluiten/",
            "heropenen/",
        )
    },
    # surveys
    "enquete/medewerkers/": route(),
    "enquete/medewerkers/resultaten/": route(),
    "enquete/medewerkers/rondes/": route(),
    "enquete/medewerkers/rondes/<int:round_id>/": route(missing("round_id"), NOBODY),
    "enquete/medewerkers/rondes/<int:round_id>/sluiten/": route(missing("round_id"), NOBODY),
    "enquete/portaal/<str:number>/": route("ticket_b", {"customer_b"}),
    "enquete/<str:number>/<str:token>/": route(
        lambda w: {"number": w.ticket_b.number, "token": "vervalst"}, NOBODY, public=True
    ),
    # the customers' portal
    "portaal/afspraken/": route(),
    "portaal/afspraken/<int:appointment_id>/annuleren/": route(missing("appointment_id"), NOBODY),
    "portaal/": route(),
    "portaal/zoeken/": route(),
    "portaal/nieuw/": route(),
    "portaal/diensten/<str:service_id>/": route("service_hr"),
    "portaal/meldingen/": route(),
    **{
        f"portaal/meldingen/<str:number>/{action}": route("ticket_b", {"customer_b"})
        for action in ("", "ontvangen/", "reageren/", "opgelost/", "heropenen/")
    },
    # the counter: kiosk and board are for the screens in the office (no login)
    "balie/": route(),
    "balie/kiosk/": route(public=True),
    "balie/kiosk/volgnummer/<str:token>/": route(missing("token", kind=str), NOBODY, public=True),
    "balie/kiosk/afspraak/": route(public=True),
    "balie/bord/": route(public=True),
    "balie/balies/<int:desk_id>/": route(missing("desk_id"), NOBODY),
    "balie/balies/<int:desk_id>/volgende/": route(missing("desk_id"), NOBODY),
    **{
        f"balie/bezoek/<int:visit_id>/{action}": route(missing("visit_id"), NOBODY)
        for action in (
            "opnieuw-oproepen/",
            "niet-verschenen/",
            "helpen/",
            "doorverwijzen/",
            "identificeren/",
            "afronden/",
        )
    },
    "balie/afspraken/": route(),
    "balie/afspraken/<int:appointment_id>/annuleren/": route(missing("appointment_id"), NOBODY),
    "balie/cijfers/": route(),
    # the API
    "api/v1/openapi.json": route(public=True, api=True),
    "api/v1/docs": route(public=True, api=True),
    "api/v1/": route(public=True, api=True),
    "api/v1/health": route(public=True, api=True),
    "api/v1/knowledge/articles": route(api=True),
    "api/v1/knowledge/articles/<article_id>": route(missing("article_id"), NOBODY, api=True),
    "api/v1/cti/<token>": route(missing("token", kind=str), NOBODY, public=True, api=True),
    "api/v1/calls/<call_id>/recording": route(missing("call_id", kind=str), NOBODY, api=True),
    "api/v1/tickets": route(api=True),
    "api/v1/attachments/<attachment_id>": route(
        "attachment_b", HR_AGENTS | {"customer_b", "key_first_line"}, api=True
    ),
    **{
        f"api/v1/tickets/<number>{action}": route(
            "ticket_b", HR_AGENTS | {"customer_b", "key_first_line"}, api=True
        )
        for action in ("", "/entries", "/sla")
    },
    **{
        f"api/v1/tickets/<number>/{action}": route(
            "ticket_b", HR_AGENTS | {"key_first_line"}, api=True
        )
        for action in (
            "replies",
            "notes",
            "attachments",
            "assign",
            "handover",
            "wait",
            "resolve",
            "close",
            "reopen",
        )
    },
    "api/v1/people": route(api=True),
    "api/v1/people/<person_id>": route(
        "person_b",
        DESK_WIDE
        | {"it_specialist", "hr_specialist", "customer_b", "key_first_line"}
        | {"key_it_specialist", "change_lead"},
        api=True,
    ),
    "api/v1/organizations": route(api=True),
    # Staff read every customer organization; a customer only their own.
    "api/v1/organizations/<organization_id>": route(
        "organization_b",
        STAFF | {"customer_b", "key_it_specialist", "key_first_line"},
        api=True,
    ),
    "api/v1/departments": route(api=True),
    "api/v1/queues": route(api=True),
    "api/v1/queues/<queue_id>": route("queue_hr", None, api=True),
    "api/v1/services": route(api=True),
    "api/v1/services/<service_id>": route("service_hr", None, api=True),
}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL pattern, nested includes flattened."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name


def is_admin(route_: str) -> bool:
    return route_.startswith("beheer/")


def test_every_url_pattern_is_in_the_table():
    routes = {r for r, _name in url_patterns() if not is_admin(r)}
    assert (sorted(routes - TABLE.keys()), sorted(TABLE.keys() - routes)) == ([], [])


def resolved_urls(world) -> list[tuple[str, str, dict]]:
    """(route, url, table row) for every non-admin URL pattern, filled in from the world."""
    urls, seen = [], set()
    for route_, name in url_patterns():
        if is_admin(route_) or route_ in seen:
            continue
        seen.add(route_)
        row = TABLE[route_]
        urls.append((route_, reverse(name, kwargs=row["fill"](world)), row))
    return urls


# An empty POST may also be refused as invalid (400, 422) before the thing is looked up: that
# tells nothing about it either.
REFUSED = {400, 401, 403, 404, 405, 422}


def problems_for(world, role: str) -> list[str]:
    """Every URL by GET and by an empty POST as this role; what went wrong, one line each."""
    forbidden = FORBIDDEN[role]
    client = world.client(role)
    found = []
    for route_, url, row in resolved_urls(world):
        if role in KEY_ROLES and not row["api"]:
            continue  # a key is for the API; on a page it is nobody (tested as anonymous)
        for method in ("get", "post"):
            if role not in KEY_ROLES and role != "anonymous":
                client.force_login(world.users[role])  # the logout page ends the session
            response = getattr(client, method)(url)
            status = response.status_code
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            where = f"{role} {method.upper()} {url} ({route_}) -> {status}"
            if status >= 500:
                found.append(f"{where}: server error")
            leaked = sorted(secret for secret in forbidden if secret in text)
            if leaked:
                found.append(f"{where}: shows {', '.join(leaked)}")
            outsider = row["insiders"] is not None and role not in row["insiders"]
            if role == "anonymous" and not row["public"]:
                login = status == 302 and urlsplit(response["Location"]).path.startswith(
                    (reverse("login"), reverse("admin:login"))
                )
                if not (login or status in {401, 403, 404, 405}):
                    found.append(f"{where}: open to anonymous")
            elif outsider and status not in REFUSED and not refused_by_redirect(row, response):
                found.append(f"{where}: outsider not refused")
    return found


def refused_by_redirect(row, response) -> bool:
    return (
        row["refused_to"] is not None
        and response.status_code == 302
        and response["Location"] == reverse(row["refused_to"])
    )


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_what_is_not_theirs(world, role):
    problems = problems_for(world, role)
    assert not problems, "\n".join(problems)


ADMIN_ROLES = {"administrator"}


@pytest.mark.parametrize("role", [r for r in ROLES if r not in KEY_ROLES | ADMIN_ROLES])
def test_the_admin_is_closed_to_everyone_but_administrators(world, role):
    """Every admin URL pattern (each model's list, add, change, delete and history pages and
    the admin's own pages) sends anyone without staff rights to the admin's login."""
    client = world.client(role)
    refused, opened = 0, []
    for route_, name in url_patterns():
        if not is_admin(route_) or name in {None, "admin:login", "admin:logout"}:
            continue
        url = admin_url(name)
        if url is None:
            continue
        response = client.get(url)
        if response.status_code == 302 and urlsplit(response["Location"]).path.startswith(
            (reverse("admin:login"), reverse("login"))
        ):
            refused += 1
        elif response.status_code != 404 and not url.startswith(reverse("admin:login")):
            opened.append(f"{url} -> {response.status_code}")
    assert (opened, refused > len(admin.site._registry) * 4) == ([], True)


def admin_url(name: str) -> str | None:
    """The URL of an admin pattern, with placeholder arguments where it takes some."""
    for kwargs in (
        {},
        {"object_id": str(MISSING)},
        {"app_label": "directory"},
        {"content_type_id": "1", "object_id": "1"},
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None
