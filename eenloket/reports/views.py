"""Dashboards for team leads and management, the department page, exports and the alerts
list. Thin: the selectors compute and scope, the tables module lays out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eenloket.catalog.selectors import service_list
from eenloket.core.exceptions import EenloketError
from eenloket.directory import selectors as directory
from eenloket.reports import selectors, services
from eenloket.reports.charts import trend_charts
from eenloket.reports.forms import ReportFilterForm
from eenloket.reports.tables import dashboard_tables, table_csv, table_xlsx
from eenloket.surveys import selectors as surveys
from eenloket.surveys import services as survey_services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reports_required(request: HttpRequest) -> None:
    if not selectors.can_see_reports(request.user):
        raise PermissionDenied


def _reference(request: HttpRequest) -> selectors.Reference:
    """The organizations, departments and services, read once per request."""
    return selectors.Reference(
        organizations=list(directory.organization_list()),
        departments=list(directory.department_list()),
        services=list(service_list()),
    )


def _departments_for(request: HttpRequest, reference: selectors.Reference) -> list:
    ids = selectors.report_department_ids(request.user)
    departments = reference.departments
    return departments if ids is None else [d for d in departments if d.pk in ids]


def _read_filters(request: HttpRequest, reference: selectors.Reference, *, department=None):
    form = ReportFilterForm(
        request.GET or None,
        organizations=reference.organizations,
        departments=_departments_for(request, reference),
        services=reference.services,
    )
    data = form.cleaned_data if form.is_valid() else {}
    default = selectors.Period.last_weeks(4)
    first = data.get("van") or default.first
    last = data.get("tot") or (default.last if not data.get("van") else max(first, default.last))
    period = selectors.Period(first, last)
    filters = selectors.ReportFilters(
        organization_id=data.get("organisatie"),
        department_id=department.pk if department else data.get("afdeling"),
        channel=data.get("kanaal") or None,
        service_id=data.get("dienst"),
    )
    return form, period, filters


def _context(request: HttpRequest, *, department=None) -> dict:
    reference = _reference(request)
    form, period, filters = _read_filters(request, reference, department=department)
    board = selectors.dashboard(
        actor=request.user, period=period, filters=filters, reference=reference
    )
    return {
        "form": form,
        "board": board,
        "tables": dashboard_tables(board),
        "charts": trend_charts(board.weeks),
        "department": department,
        "departments": _departments_for(request, reference),
        "query": request.GET.urlencode(),
        "subscribed": services.is_subscribed(actor=request.user),
        "open_alerts": surveys.open_alert_count(actor=request.user),
        "pulse_results": surveys.pulse_results_allowed(request.user),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _reports_required(request)
    return render(request, "reports/dashboard.html", _context(request))


def _department_or_404(request: HttpRequest, code: str):
    department = next((d for d in directory.department_list() if d.code == code), None)
    if department is None or not selectors.can_see_department(request.user, department.pk):
        raise Http404(_("No such department."))
    return department


@login_required
@require_GET
def department(request: HttpRequest, code: str) -> HttpResponse:
    """The page a department head reads: the dashboard for their own department."""
    _reports_required(request)
    dep = _department_or_404(request, code)
    return render(request, "reports/dashboard.html", _context(request, department=dep))


@login_required
@require_GET
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """One table of the dashboard, with the same filters, as CSV or XLSX."""
    _reports_required(request)
    code = request.GET.get("afdelingscode")
    dep = _department_or_404(request, code) if code else None
    reference = _reference(request)
    _form, period, filters = _read_filters(request, reference, department=dep)
    board = selectors.dashboard(
        actor=request.user, period=period, filters=filters, reference=reference
    )
    tables = dashboard_tables(board)
    if table not in tables:
        raise Http404(_("No such table."))
    name = f"eenloket-{slugify(table)}-{period.first:%Y%m%d}-{period.last:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + table_csv(tables[table]), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(table_xlsx(tables[table]), content_type=XLSX)
    else:
        raise Http404(_("Exports are CSV or XLSX."))
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("abonneren") == "1"
    try:
        services.summary_subscribe(actor=request.user, subscribed=wanted)
    except EenloketError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("You will get the weekly summary every Monday.")
            if wanted
            else _("You no longer get the weekly summary."),
        )
    return redirect("reports:dashboard")


def _lead_required(request: HttpRequest) -> None:
    if request.user.role not in survey_services.LEAD_ROLES:
        raise PermissionDenied


@login_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    """Low grades and unanswered questions, for the team lead to follow up."""
    _lead_required(request)
    return render(
        request,
        "reports/alerts.html",
        {"alerts": surveys.alerts_for_lead(actor=request.user)},
    )


@login_required
@require_POST
def alert_action(request: HttpRequest, alert_id: int) -> HttpResponse:
    _lead_required(request)
    try:
        if request.POST.get("action") == "reopen":
            survey_services.alert_reopen_ticket(
                actor=request.user,
                alert_id=alert_id,
                reason=request.POST.get("reason")
                or _("Reopened after the customer's survey answer."),
            )
            messages.success(request, _("The ticket is open again."))
        else:
            survey_services.alert_handle(actor=request.user, alert_id=alert_id)
            messages.success(request, _("The alert is marked as handled."))
    except EenloketError as exc:
        messages.error(request, exc.message)
    return redirect("reports:alerts")
