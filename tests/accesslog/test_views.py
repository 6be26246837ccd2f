"""The access log pages: administrators search and export; to anyone else they do not exist."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from eenloket.accesslog.models import AccessEntry
from tests import factories as f
from tests.accesslog.factories import AccessEntryFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("accesslog:search")


def export_url(fmt):
    return reverse("accesslog:export", args=[fmt])


@pytest.fixture
def admin_client(client, desk):
    client.force_login(desk.admin)
    return client


@pytest.fixture
def entries(desk):
    """Karin's ticket seen by first line, a refused look by HR, another person's call."""
    other = f.PersonFactory(organization=desk.organization, first_name="Otto")
    return {
        "seen": AccessEntryFactory(
            person_id=desk.person.pk,
            actor_id=desk.agent.pk,
            object_ref="M2026-00001",
            started_at=dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC),
        ),
        "refused": AccessEntryFactory(
            actor_id=desk.hr_specialist.pk,
            actor_username="specialist-hr",
            actor_role="specialist",
            actor_department_ids=str(desk.hr.pk),
            object_ref="M2026-00001",
            result="refused",
            http_status=404,
            started_at=dt.datetime(2026, 4, 15, 8, 0, tzinfo=dt.UTC),
        ),
        "call": AccessEntryFactory(
            person_id=other.pk,
            object_kind="call",
            object_ref="c1",
            ticket_number="",
            activity="customer-contact",
            channel="api",
            action="change",
            started_at=dt.datetime(2026, 4, 16, 8, 0, tzinfo=dt.UTC),
        ),
    }


def shown(response) -> list[int]:
    return [entry.pk for entry, *_rest in response.context["rows"]]


def test_the_administrator_sees_the_newest_entries_first(admin_client, entries):
    response = admin_client.get(SEARCH)
    page = response.content.decode()
    assert response.status_code == 200
    assert shown(response) == [entries["call"].pk, entries["refused"].pk, entries["seen"].pk]
    assert "Karin" in page and "HR" in page  # the subject's name, the actor's department


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"melding": "M2026-00001"}, ["refused", "seen"]),
        ({"gebruiker": "specialist-hr"}, ["refused"]),
        ({"van": "2026-04-15", "tot": "2026-04-15"}, ["refused"]),
        ({"handeling": "change"}, ["call"]),
        ({"resultaat": "refused"}, ["refused"]),
        ({"kanaal": "api"}, ["call"]),
        ({"persoon": "Otto"}, ["call"]),
    ],
)
def test_the_search_filters(admin_client, entries, params, expected):
    response = admin_client.get(SEARCH, params)
    assert shown(response) == [entries[name].pk for name in expected]


def test_a_person_by_number(admin_client, desk, entries):
    response = admin_client.get(SEARCH, {"persoon": f"#{desk.person.pk}"})
    assert shown(response) == [entries["seen"].pk]


def test_a_person_search_that_matches_no_one_shows_nothing_and_says_so(admin_client, entries):
    response = admin_client.get(SEARCH, {"persoon": "Niemand"})
    assert (shown(response), "No person matches this search." in response.content.decode()) == (
        [],
        True,
    )


def test_a_bad_filter_is_explained_and_ignored(admin_client, entries):
    response = admin_client.get(SEARCH, {"van": "gisteren"})
    assert "Some filters were not understood" in response.content.decode()
    assert len(shown(response)) == 3


def test_pages_follow_by_keyset(admin_client, desk):
    AccessEntryFactory.create_batch(55)
    first = admin_client.get(SEARCH)
    cursor = first.context["next_cursor"]
    second = admin_client.get(SEARCH, {"na": cursor})
    ids = shown(first) + shown(second)
    assert (len(shown(first)), len(shown(second)), second.context["next_cursor"]) == (50, 5, None)
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 55


def test_searching_is_itself_logged(admin_client, desk, entries):
    before = set(AccessEntry.objects.values_list("pk", flat=True))
    admin_client.get(SEARCH, {"persoon": f"#{desk.person.pk}"})
    new = AccessEntry.objects.exclude(pk__in=before).get()
    assert (new.actor_username, new.action, new.object_kind, new.person_id, new.activity) == (
        "beheerder",
        "search",
        "access-log",
        desk.person.pk,
        "supervision",
    )


def test_the_search_page_has_a_fixed_number_of_queries(
    admin_client, desk, django_assert_num_queries
):
    AccessEntryFactory.create_batch(3, person_id=desk.person.pk)
    admin_client.get(SEARCH)  # the session and the user, once
    # The page, the subjects' names, the departments, the log's own INSERT (and the session
    # and the user).
    with django_assert_num_queries(6):
        admin_client.get(SEARCH)
    AccessEntryFactory.create_batch(30, person_id=desk.person.pk)
    with django_assert_num_queries(6):
        admin_client.get(SEARCH)


# --- export ------------------------------------------------------------------------------


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_csv_export_holds_the_filtered_entries_with_the_standards_fields(
    admin_client, entries, desk
):
    response = admin_client.get(export_url("csv"), {"melding": "M2026-00001"})
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert response["Content-Disposition"].startswith("attachment;")
    assert [(r["trace_id"], r["status_code"], r["data_subject_id"], r["result"]) for r in rows] == [
        (entries["refused"].trace_id, "2", "", "refused"),
        (entries["seen"].trace_id, "1", str(desk.person.pk), "ok"),
    ]


def test_the_json_export_holds_every_page(admin_client, desk):
    AccessEntryFactory.create_batch(60)
    response = admin_client.get(export_url("json"))
    data = json.loads(body(response))
    assert (len(data), data[-1]["start_time"], data[-1]["actor_department_ids"]) == (
        60,
        "2026-04-14T08:00:00+00:00",
        [],
    )


def test_the_processing_activity_points_into_the_register(admin_client, settings, entries):
    settings.EENLOKET_ACCESSLOG_ACTIVITY_URI = "https://register.example.nl/verwerkingen/{code}"
    data = json.loads(body(admin_client.get(export_url("json"), {"kanaal": "api"})))
    assert [row["processing_activity_id"] for row in data] == [
        "https://register.example.nl/verwerkingen/customer-contact"
    ]


def test_a_formula_in_a_csv_cell_stays_text(admin_client):
    AccessEntryFactory(actor_username="=HYPERLINK(1)")
    rows = list(csv.DictReader(io.StringIO(body(admin_client.get(export_url("csv"))))))
    assert rows[0]["actor_username"] == "'=HYPERLINK(1)"


def test_an_export_is_itself_logged(admin_client, entries):
    body(admin_client.get(export_url("csv"), {"melding": "M2026-00001"}))
    new = AccessEntry.objects.filter(action="export").get()
    assert (new.actor_username, new.object_kind, new.object_ref) == (
        "beheerder",
        "access-log",
        "export.csv",
    )


def test_an_unknown_export_format_is_not_found(admin_client):
    assert admin_client.get(export_url("xlsx")).status_code == 404


# --- everyone else -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "it_specialist", "team_lead", "change_lead", "customer"])
@pytest.mark.parametrize("url", [SEARCH, reverse("accesslog:export", args=["csv"])])
def test_anyone_but_an_administrator_finds_nothing(client, desk, entries, role, url):
    client.force_login(getattr(desk, role))
    assert client.get(url).status_code == 404


def test_without_login_the_log_asks_to_log_in(client):
    response = client.get(SEARCH)
    assert (response.status_code, response["Location"].startswith("/inloggen/")) == (302, True)


def test_the_menu_shows_the_log_to_administrators_only(client, desk):
    client.force_login(desk.admin)
    assert SEARCH in client.get(reverse("workspace:queue")).content.decode()
    client.force_login(desk.team_lead)
    assert SEARCH not in client.get(reverse("workspace:queue")).content.decode()
