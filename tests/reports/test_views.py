"""The dashboards, the department page, exports and the alerts list."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from eenloket.reports.models import SummarySubscription
from tests.reports.factories import NOW, make_history

WEEK = {"van": "2026-04-13", "tot": "2026-04-19"}


@pytest.fixture
def history(desk):
    with time_machine.travel(NOW, tick=False):
        yield make_history(desk)


@pytest.fixture
def lead(client, desk):
    client.force_login(desk.team_lead)
    return client


def test_the_dashboard_shows_the_key_figures_with_the_previous_period(lead, history):
    html = lead.get(reverse("reports:dashboard"), WEEK).content.decode()
    assert ("First-contact resolution" in html, "20.0%" in html, "100.0%" in html) == (
        True,
        True,
        True,
    )


def test_the_dashboard_takes_a_fixed_number_of_queries(
    lead, history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(32):
        lead.get(reverse("reports:dashboard"), WEEK)


def test_each_chart_has_a_title_a_description_and_a_table(lead, history):
    html = lead.get(reverse("reports:dashboard"), WEEK).content.decode()
    assert (
        html.count('role="img"'),
        html.count('aria-labelledby="chart-volume-title chart-volume-desc"'),
        'id="table-weeks"' in html,
        "<script" in html.split("<main", 1)[1],
    ) == (4, 1, True, False)


def test_an_empty_period_says_there_is_no_data(lead, history):
    html = lead.get(reverse("reports:dashboard"), {"van": "2025-01-06", "tot": "2025-01-12"})
    assert "There are no tickets and no survey answers in this period" in html.content.decode()


def test_a_period_ending_before_it_starts_is_explained(lead, history):
    html = lead.get(reverse("reports:dashboard"), {"van": "2026-04-19", "tot": "2026-04-13"})
    assert "The end of the period lies before its start." in html.content.decode()


def test_a_customer_gets_no_dashboard(client, desk):
    client.force_login(desk.customer)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_a_department_head_reads_their_own_department(client, desk, history):
    client.force_login(desk.hr_specialist)
    response = client.get(reverse("reports:department", args=["hr"]), WEEK)
    assert (response.status_code, "Figures of HR" in response.content.decode()) == (200, True)


def test_the_employee_survey_link_is_shown_only_to_those_who_may_read_it(client, desk, history):
    pulse = reverse("surveys:pulse_results")
    client.force_login(desk.hr_specialist)
    specialist = client.get(reverse("reports:department", args=["hr"]), WEEK).content.decode()
    client.force_login(desk.team_lead)
    lead = client.get(reverse("reports:dashboard"), WEEK).content.decode()
    assert (pulse in specialist, pulse in lead) == (False, True)


def test_a_department_head_cannot_read_another_department(client, desk, history):
    client.force_login(desk.hr_specialist)
    assert client.get(reverse("reports:department", args=["it"]), WEEK).status_code == 404


def test_the_department_page_counts_only_that_department(lead, history):
    response = lead.get(
        reverse("reports:export", args=["contacts_department", "csv"]),
        {**WEEK, "afdelingscode": "it"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Department", "Tickets"], ["ICT", "3"]]


def test_a_table_exports_as_csv(lead, history):
    response = lead.get(reverse("reports:export", args=["contacts_channel", "csv"]), WEEK)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert (response["Content-Disposition"], rows[:2]) == (
        'attachment; filename="eenloket-contacts_channel-20260413-20260419.csv"',
        [["Channel", "Tickets"], ["Phone", "2"]],
    )


def test_a_table_exports_as_xlsx(lead, history):
    response = lead.get(reverse("reports:export", args=["kpis", "xlsx"]), WEEK)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[3]] == ["First-contact resolution", 20.0, 100.0]


@pytest.mark.parametrize("table", ["kpis", "sla", "handovers", "backlog", "grades", "weeks"])
def test_every_table_exports(lead, history, table):
    response = lead.get(reverse("reports:export", args=[table, "xlsx"]), WEEK)
    assert response.status_code == 200


def test_an_unknown_export_is_not_found(lead, history):
    assert lead.get(reverse("reports:export", args=["nope", "csv"])).status_code == 404


def test_subscribing_to_the_weekly_summary(lead, desk):
    desk.team_lead.email = "lead@ssc.example"
    desk.team_lead.save()
    lead.post(reverse("reports:subscribe"), {"abonneren": "1"})
    assert SummarySubscription.objects.filter(user=desk.team_lead).exists()


def test_subscribing_without_a_mail_address_is_explained(lead, desk):
    response = lead.post(reverse("reports:subscribe"), {"abonneren": "1"}, follow=True)
    assert "no mail address" in response.content.decode()


def test_the_alerts_list_shows_the_low_grade(lead, history):
    from eenloket.surveys.models import SatisfactionAlert

    SatisfactionAlert.objects.create(response=history.t2.survey_response, created_at=NOW)
    html = lead.get(reverse("reports:alerts")).content.decode()
    assert (history.t2.number in html, "Duurde te lang" in html) == (True, True)


def test_reopening_from_the_alerts_list(lead, history):
    from eenloket.surveys.models import SatisfactionAlert

    alert = SatisfactionAlert.objects.create(response=history.t2.survey_response, created_at=NOW)
    lead.post(reverse("reports:alert_action", args=[alert.pk]), {"action": "reopen"})
    history.t2.refresh_from_db()
    assert history.t2.status == "handed_over"


def test_agents_get_no_alerts_list(client, desk):
    client.force_login(desk.agent)
    assert client.get(reverse("reports:alerts")).status_code == 403


def test_the_team_lead_finds_the_reports_in_the_menu(lead):
    html = lead.get(reverse("workspace:queue")).content.decode()
    assert f'href="{reverse("reports:dashboard")}"' in html


def test_a_first_line_agent_has_no_reports_in_the_menu(client, desk):
    client.force_login(desk.agent)
    html = client.get(reverse("workspace:queue")).content.decode()
    assert f'href="{reverse("reports:dashboard")}"' not in html
