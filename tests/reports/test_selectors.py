"""Each KPI on a hand-made history with known answers (tests/reports/factories.py)."""

import datetime as dt
import math

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from eenloket.reports import selectors as s
from tests.reports.factories import NOW, make_history, make_pulse

WEEK = s.Period(dt.date(2026, 4, 13), dt.date(2026, 4, 19))
ALL = s.ReportFilters()


@pytest.fixture
def history(desk):
    with time_machine.travel(NOW, tick=False):
        yield make_history(desk)


def figures(desk, filters=ALL, actor=None, period=WEEK):
    return s.ticket_figures(actor=actor or desk.team_lead, period=period, filters=filters)


def test_the_previous_period_is_the_same_length_just_before():
    assert WEEK.previous() == s.Period(dt.date(2026, 4, 6), dt.date(2026, 4, 12))


def test_tickets_opened_count_the_period_cohort(desk, history):
    assert figures(desk).opened == 5


def test_first_contact_resolution_is_the_share_of_opened_tickets(desk, history):
    assert figures(desk).fcr_rate == pytest.approx(1 / 5)


def test_solved_by_first_line_is_the_share_of_resolved_tickets_never_handed_over(desk, history):
    assert figures(desk).first_line_rate == pytest.approx(1 / 3)


def test_reopen_rate_is_the_share_of_resolved_tickets_reopened(desk, history):
    assert figures(desk).reopen_rate == pytest.approx(1 / 3)


def test_handover_rate_is_the_share_of_opened_tickets_handed_over(desk, history):
    assert figures(desk).handover_rate == pytest.approx(2 / 5)


def test_response_compliance_counts_late_unanswered_tickets_as_missed(desk, history):
    result = figures(desk)
    assert (result.response_met, result.response_measured) == (4, 5)


def test_resolution_compliance_counts_open_breached_tickets_as_missed(desk, history):
    result = figures(desk)
    assert (result.resolution_met, result.resolution_measured) == (2, 4)


def test_time_to_first_response_median_and_p90(desk, history):
    result = figures(desk)
    assert (result.response_median, result.response_p90) == (
        pytest.approx(1200),
        pytest.approx(3060),
    )


def test_time_to_resolution_median_and_p90(desk, history):
    result = figures(desk)
    assert (result.resolution_median, result.resolution_p90) == (
        pytest.approx(7200),
        pytest.approx(30240),
    )


def test_contacts_per_channel(desk, history):
    rows = s.contacts_by(actor=desk.team_lead, period=WEEK, filters=ALL, dimension="channel")
    assert [(r.key, r.count) for r in rows] == [
        ("phone", 2),
        ("counter", 1),
        ("email", 1),
        ("portal", 1),
    ]


def test_contacts_per_department(desk, history):
    rows = s.contacts_by(actor=desk.team_lead, period=WEEK, filters=ALL, dimension="department")
    assert [(r.label, r.count) for r in rows] == [("ICT", 3), ("HRM", 2)]


def test_contacts_per_organization(desk, history):
    rows = s.contacts_by(actor=desk.team_lead, period=WEEK, filters=ALL, dimension="organization")
    assert [(r.label, r.count) for r in rows] == [
        ("Gemeente Dordrecht", 4),
        ("Gemeente Zwijndrecht", 1),
    ]


def test_contacts_per_service(desk, history):
    rows = s.contacts_by(actor=desk.team_lead, period=WEEK, filters=ALL, dimension="service")
    assert [(r.label, r.count) for r in rows] == [
        ("Laptop defect", 3),
        ("Vraag over loonstrook", 2),
    ]


def test_sla_compliance_per_department_and_priority(desk, history):
    rows = s.sla_by_department_priority(actor=desk.team_lead, period=WEEK, filters=ALL)
    assert [
        (
            r.department,
            r.priority,
            r.response_met,
            r.response_measured,
            r.resolution_met,
            r.resolution_measured,
        )
        for r in rows
    ] == [
        ("HRM", "P4", 1, 2, 1, 1),
        ("ICT", "P2", 1, 1, 0, 1),
        ("ICT", "P3", 2, 2, 1, 2),
    ]


def test_handover_and_return_rate_per_department(desk, history):
    rows = s.handovers_by_department(actor=desk.team_lead, period=WEEK, filters=ALL)
    assert [(r.department, r.opened, r.handed_over, r.returned, r.return_rate) for r in rows] == [
        ("HRM", 2, 0, 0, None),
        ("ICT", 3, 2, 1, 0.5),
    ]


def test_backlog_counts_open_tickets_by_age(desk, history):
    with time_machine.travel(NOW, tick=False):
        result = s.backlog(actor=desk.team_lead, filters=ALL)
    assert (result.total, result.buckets, round(result.oldest_days, 2)) == (
        2,
        [("< 1", 0), ("1-3", 1), ("3-7", 1), ("7-30", 0), ("> 30", 0)],
        6.0,
    )


def test_customer_grade_mean_distribution_and_response_rate(desk, history):
    result = s.satisfaction(actor=desk.team_lead, period=WEEK, filters=ALL)
    assert (result.mean, result.distribution, result.invited, result.response_rate) == (
        6.0,
        {4: 1, 8: 1},
        3,
        pytest.approx(2 / 3),
    )


def test_question_answered_share(desk, history):
    result = s.satisfaction(actor=desk.team_lead, period=WEEK, filters=ALL)
    assert result.answered_share == 0.5


def test_pulse_mean_of_rounds_closed_in_the_period(desk):
    make_pulse([("it", 6, 5), ("it", 7, 6), ("it", 8, 7), ("hr", 7, 8), ("hr", 7, 9)])
    assert s.pulse_mean(period=WEEK) == (7.0, 5)


def test_pulse_mean_is_withheld_below_five_answers(desk):
    make_pulse([("it", 6, 5), ("it", 7, 6), ("it", 8, 7), ("hr", 7, 8)])
    assert s.pulse_mean(period=WEEK) == (None, 4)


def test_weekly_trend_has_one_row_per_week(desk, history):
    two_weeks = s.Period(dt.date(2026, 4, 6), dt.date(2026, 4, 19))
    weeks = s.weekly_trend(actor=desk.team_lead, period=two_weeks, filters=ALL)
    assert [(w.monday, w.opened, w.fcr_rate, w.grade_mean) for w in weeks] == [
        (dt.date(2026, 4, 6), 1, 1.0, 6.0),
        (dt.date(2026, 4, 13), 5, 0.2, 6.0),
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ("department", 2),
        ("channel", 2),
        ("organization", 1),
        ("service", 3),
    ],
)
def test_filters_narrow_the_cohort(desk, history, filters, expected):
    chosen = {
        "department": s.ReportFilters(department_id=desk.hr.pk),
        "channel": s.ReportFilters(channel="phone"),
        "organization": s.ReportFilters(organization_id=history.other_organization.pk),
        "service": s.ReportFilters(service_id=desk.laptop.pk),
    }[filters]
    assert figures(desk, chosen).opened == expected


def test_a_specialist_sees_only_their_own_department(desk, history):
    assert figures(desk, actor=desk.hr_specialist).opened == 2


def test_a_specialist_asking_for_another_department_gets_nothing(desk, history):
    assert figures(desk, s.ReportFilters(department_id=desk.it.pk), desk.hr_specialist).opened == 0


def test_a_customer_sees_no_reports(desk):
    assert not s.can_see_reports(desk.customer)


def test_a_period_without_data_gives_no_figures_rather_than_zero_percent(desk, history):
    empty = s.Period(dt.date(2025, 1, 6), dt.date(2025, 1, 12))
    result = figures(desk, period=empty)
    assert (result.opened, result.fcr_rate, result.response_median, result.response_compliance) == (
        0,
        None,
        None,
        None,
    )


def test_the_dashboard_of_an_empty_period_says_it_is_empty(desk, history):
    empty = s.Period(dt.date(2025, 1, 6), dt.date(2025, 1, 12))
    assert s.dashboard(actor=desk.team_lead, period=empty, filters=ALL).is_empty


def test_percentile_interpolates_between_ranks():
    assert s.percentile([0, 600, 1800, 3600], 0.9) == pytest.approx(3060)


# --- the summary tables ----------------------------------------------------------------------


@pytest.fixture
def summarized(desk, history):
    from eenloket.reports import summary

    with time_machine.travel(NOW, tick=False):
        summary.summary_refresh(zone=s.AMSTERDAM, days=None)


def _dashboards(desk, filters=ALL, actor=None):
    """The dashboard from the summary, and the same computed raw."""
    from eenloket.reports.models import SummaryState

    actor = actor or desk.team_lead
    with time_machine.travel(NOW, tick=False):
        from_summary = s.dashboard(actor=actor, period=WEEK, filters=filters)
        SummaryState.objects.all().delete()
        raw = s.dashboard(actor=actor, period=WEEK, filters=filters)
    return from_summary, raw


COUNTS = (
    "opened",
    "first_contact",
    "resolved",
    "first_line_only",
    "reopened",
    "handed_over",
    "response_measured",
    "response_met",
    "resolution_measured",
    "resolution_met",
)


def test_the_summary_gives_the_same_counts_as_the_tickets(desk, summarized):
    summed, raw = _dashboards(desk)
    assert [getattr(summed.figures, c) for c in COUNTS] == [getattr(raw.figures, c) for c in COUNTS]


def test_the_summary_gives_the_same_breakdowns(desk, summarized):
    summed, raw = _dashboards(desk)
    assert (summed.contacts, summed.sla, summed.handovers) == (raw.contacts, raw.sla, raw.handovers)


def test_the_summary_gives_the_same_weeks(desk, summarized):
    summed, raw = _dashboards(desk)
    assert summed.weeks == raw.weeks


def test_the_summary_respects_a_department_heads_scope(desk, summarized):
    summed, raw = _dashboards(desk, actor=desk.hr_specialist)
    assert (summed.figures.opened, raw.figures.opened) == (2, 2)


def _filter_sets():
    names = ("organization", "department", "channel", "service")
    return [
        tuple(name for bit, name in enumerate(names) if mask & (1 << bit)) for mask in range(16)
    ]


@pytest.mark.parametrize("chosen", _filter_sets(), ids=lambda c: "+".join(c) or "none")
def test_every_filter_combination_is_answered_from_the_summary_as_from_the_tickets(
    desk, summarized, chosen
):
    values = {
        "organization": {"organization_id": desk.organization.pk},
        "department": {"department_id": desk.it.pk},
        "channel": {"channel": "phone"},
        "service": {"service_id": desk.laptop.pk},
    }
    filters = s.ReportFilters(**{k: v for name in chosen for k, v in values[name].items()})
    summed, raw = _dashboards(desk, filters)
    assert (
        [getattr(summed.figures, c) for c in COUNTS],
        summed.contacts,
        summed.sla,
        summed.handovers,
        summed.weeks,
    ) == (
        [getattr(raw.figures, c) for c in COUNTS],
        raw.contacts,
        raw.sla,
        raw.handovers,
        raw.weeks,
    )


@pytest.mark.parametrize("chosen", ["channel", "organization", "service"])
def test_a_department_heads_filtered_view_is_answered_from_the_summary_in_scope(
    desk, summarized, chosen
):
    filters = {
        "channel": s.ReportFilters(channel="counter"),
        "organization": s.ReportFilters(organization_id=desk.organization.pk),
        "service": s.ReportFilters(service_id=desk.laptop.pk),
    }[chosen]
    summed, raw = _dashboards(desk, filters, actor=desk.hr_specialist)
    assert (summed.figures.opened, summed.contacts, summed.sla) == (
        raw.figures.opened,
        raw.contacts,
        raw.sla,
    )


def _within_bucket_bound(estimate, values, fraction):
    """The documented bound: the estimate and the exact percentile both lie between the
    lower edge of the bucket of the lower neighbouring rank and the upper edge of the bucket
    of the upper one."""
    from eenloket.reports import summary
    from eenloket.reports.models import BUCKETS

    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below, above = ordered[math.floor(position)], ordered[math.ceil(position)]
    low = BUCKETS[summary.bucket_of(below)]
    top = summary.bucket_of(above)
    high = BUCKETS[top + 1] if top + 1 < len(BUCKETS) else max(values) + 1
    return low <= estimate <= high and low <= s.percentile(values, fraction) <= high


def test_the_summary_percentiles_are_within_their_bucket_of_the_exact_ones(desk, summarized):
    summed, raw = _dashboards(desk)
    response = [3600, 1800, 600, 0]  # the week's response times (test_selectors' history)
    resolution = [0, 7200, 36000]
    assert (
        (raw.figures.response_median, raw.figures.resolution_p90) == (1200, 30240),
        _within_bucket_bound(summed.figures.response_median, response, 0.5),
        _within_bucket_bound(summed.figures.response_p90, response, 0.9),
        _within_bucket_bound(summed.figures.resolution_median, resolution, 0.5),
        _within_bucket_bound(summed.figures.resolution_p90, resolution, 0.9),
    ) == (True, True, True, True, True)


def test_a_percentile_in_the_zero_bucket_is_exact():
    from eenloket.reports import summary

    # Solved at first contact: no business time at all. The estimate is 0, not "half a minute".
    assert summary.bucket_percentile([3, 1] + [0] * 29, 0.5, maximum=40) == 0


def test_the_open_last_bucket_ends_at_the_largest_value():
    from eenloket.reports import summary
    from eenloket.reports.models import BUCKETS

    counts = [0] * (len(BUCKETS) - 1) + [1]
    assert summary.bucket_percentile(counts, 0.9, maximum=BUCKETS[-1] + 5000) == pytest.approx(
        BUCKETS[-1] + 2500
    )


def test_days_after_the_last_refresh_are_read_from_the_tickets(desk, history):
    from eenloket.reports import summary

    with time_machine.travel(s.Period(WEEK.first, WEEK.first).start, tick=False):
        summary.summary_refresh(zone=s.AMSTERDAM, days=None)  # holds nothing of the week
    with time_machine.travel(NOW, tick=False):
        assert s.dashboard(actor=desk.team_lead, period=WEEK, filters=ALL).figures.opened == 5


def test_bucket_percentile_of_an_empty_histogram_is_none():
    from eenloket.reports import summary

    assert summary.bucket_percentile([0, 0, 0], 0.5) is None


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=3_000_000), min_size=1, max_size=60),
    fraction=st.sampled_from([0.5, 0.9]),
)
def test_a_histogram_percentile_stays_within_the_documented_bound(values, fraction):
    from eenloket.reports import summary
    from eenloket.reports.models import BUCKETS

    counts = [0] * len(BUCKETS)
    for value in values:
        counts[summary.bucket_of(value)] += 1
    estimate = summary.bucket_percentile(counts, fraction, maximum=max(values))
    assert _within_bucket_bound(estimate, values, fraction)


def test_pulse_mean_leaves_out_a_small_group_that_stays_hidden(desk):
    # Six IT answers of 6 and one HR answer of 10: the mean is IT's alone, else the dashboard
    # would give away the HR colleague's grade next to the results page.
    make_pulse([("it", 6, 5)] * 6 + [("hr", 10, 10)])
    assert s.pulse_mean(period=WEEK) == (6.0, 7)


def test_the_summary_dashboard_gives_the_same_satisfaction(desk, summarized):
    summed, raw = _dashboards(desk)
    assert (summed.satisfaction, summed.weeks) == (raw.satisfaction, raw.weeks)
