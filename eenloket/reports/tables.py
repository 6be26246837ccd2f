"""The dashboard's tables, built once and used by the page, the CSV and the XLSX export, so
that an export always holds what the page shows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from eenloket.reports.selectors import Dashboard

# A cell's kind says how to show it: a share as a percentage, seconds as hours.
INT, PCT, HOURS, GRADE, TEXT, DAYS = "int", "pct", "hours", "grade", "text", "days"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = INT


@dataclass(frozen=True)
class Table:
    name: str  # used in export file names
    title: str
    columns: list[Column]
    rows: list[list[Any]]


def export_value(value: Any, kind: str) -> Any:
    """The number as an export holds it: percentages 0-100, business time in hours."""
    if value is None:
        return ""
    if kind == PCT:
        return round(value * 100, 1)
    if kind == HOURS:
        return round(value / 3600, 2)
    if kind in (GRADE, DAYS):
        return round(value, 2)
    return value


def _kpi_rows(d: Dashboard) -> list[list[Any]]:
    f, p, s, ps = d.figures, d.previous_figures, d.satisfaction, d.previous_satisfaction
    pulse, _answers = d.pulse
    rows = [
        (_("Tickets opened"), f.opened, p.opened, INT),
        (_("First-contact resolution"), f.fcr_rate, p.fcr_rate, PCT),
        (_("Solved by first line without handover"), f.first_line_rate, p.first_line_rate, PCT),
        (_("Handover rate"), f.handover_rate, p.handover_rate, PCT),
        (_("Reopen rate"), f.reopen_rate, p.reopen_rate, PCT),
        (_("Response within SLA"), f.response_compliance, p.response_compliance, PCT),
        (_("Resolution within SLA"), f.resolution_compliance, p.resolution_compliance, PCT),
        (
            _("Time to first response, median (business hours)"),
            f.response_median,
            p.response_median,
            HOURS,
        ),
        (_("Time to first response, p90 (business hours)"), f.response_p90, p.response_p90, HOURS),
        (
            _("Time to resolution, median (business hours)"),
            f.resolution_median,
            p.resolution_median,
            HOURS,
        ),
        (_("Time to resolution, p90 (business hours)"), f.resolution_p90, p.resolution_p90, HOURS),
        (_("Customer grade, mean"), s.mean, ps.mean, GRADE),
        (_("Survey response rate"), s.response_rate, ps.response_rate, PCT),
        (_("Question answered"), s.answered_share, ps.answered_share, PCT),
        (_("Employee pulse, mean job satisfaction"), pulse, None, GRADE),
    ]
    return [[label, (now, kind), (before, kind)] for label, now, before, kind in rows]


def dashboard_tables(d: Dashboard) -> dict[str, Table]:
    """Every table of the dashboard, by name. Cells are (value, kind) or plain text."""
    tables: dict[str, Table] = {}
    tables["kpis"] = Table(
        "kpis",
        _("Key figures"),
        [
            Column(_("Figure"), TEXT),
            Column(_("This period"), TEXT),
            Column(_("Previous period"), TEXT),
        ],
        _kpi_rows(d),
    )
    titles = {
        "channel": _("Contacts per channel"),
        "organization": _("Contacts per organization"),
        "department": _("Contacts per department"),
        "service": _("Contacts per service"),
    }
    headers = {
        "channel": _("Channel"),
        "organization": _("Organization"),
        "department": _("Department"),
        "service": _("Service"),
    }
    for dimension, rows in d.contacts.items():
        tables[f"contacts_{dimension}"] = Table(
            f"contacts_{dimension}",
            titles[dimension],
            [Column(headers[dimension], TEXT), Column(_("Tickets"))],
            [[row.label, (row.count, INT)] for row in rows],
        )
    tables["sla"] = Table(
        "sla",
        _("SLA compliance per department and priority"),
        [
            Column(_("Department"), TEXT),
            Column(_("Priority"), TEXT),
            Column(_("Response measured")),
            Column(_("Response within SLA"), PCT),
            Column(_("Resolution measured")),
            Column(_("Resolution within SLA"), PCT),
        ],
        [
            [
                r.department,
                r.priority,
                (r.response_measured, INT),
                (r.response_compliance, PCT),
                (r.resolution_measured, INT),
                (r.resolution_compliance, PCT),
            ]
            for r in d.sla
        ],
    )
    tables["handovers"] = Table(
        "handovers",
        _("Handovers and returns per department"),
        [
            Column(_("Department"), TEXT),
            Column(_("Tickets")),
            Column(_("Handed over")),
            Column(_("Handover rate"), PCT),
            Column(_("Returned to first line")),
            Column(_("Return rate"), PCT),
        ],
        [
            [
                r.department,
                (r.opened, INT),
                (r.handed_over, INT),
                (r.handover_rate, PCT),
                (r.returned, INT),
                (r.return_rate, PCT),
            ]
            for r in d.handovers
        ],
    )
    tables["backlog"] = Table(
        "backlog",
        _("Backlog now, by age in days"),
        [Column(_("Age (days)"), TEXT), Column(_("Open tickets"))],
        [[label, (count, INT)] for label, count in d.backlog.buckets]
        + [[_("Total"), (d.backlog.total, INT)]],
    )
    tables["grades"] = Table(
        "grades",
        _("Customer grades"),
        [Column(_("Grade"), TEXT), Column(_("Answers"))],
        [[str(g), (d.satisfaction.distribution.get(g, 0), INT)] for g in range(1, 11)],
    )
    tables["weeks"] = Table(
        "weeks",
        _("Per week"),
        [
            Column(_("Week of"), TEXT),
            Column(_("Tickets opened")),
            Column(_("First-contact resolution"), PCT),
            Column(_("Handover rate"), PCT),
            Column(_("Resolution within SLA"), PCT),
            Column(_("Customer grade, mean"), GRADE),
        ],
        [
            [
                w.monday.strftime("%d-%m-%Y"),
                (w.opened, INT),
                (w.fcr_rate, PCT),
                (w.handover_rate, PCT),
                (w.resolution_compliance, PCT),
                (w.grade_mean, GRADE),
            ]
            for w in d.weeks
        ],
    )
    return tables


def _plain(cell: Any) -> Any:
    if isinstance(cell, tuple):
        return export_value(*cell)
    return cell


def _header(column: Column) -> str:
    suffix = {PCT: " (%)", HOURS: ""}.get(column.kind, "")
    return f"{column.title}{suffix}"


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # what Dutch spreadsheet programs expect
    writer.writerow([_header(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_safe(_plain(cell)) for cell in row])
    return out.getvalue()


def _safe(value: Any) -> Any:
    # A cell that starts like a formula is neutralized (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def table_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.name[:31]
    sheet.append([_header(c) for c in table.columns])
    for row in table.rows:
        sheet.append([_safe(_plain(cell)) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
