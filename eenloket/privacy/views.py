"""The administrator's privacy pages: retention rules and runs, export and erasure of a
person. Thin: the services do the work, the selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eenloket.core.exceptions import EenloketError
from eenloket.directory import selectors as directory
from eenloket.privacy import selectors, services
from eenloket.privacy.exceptions import ExportGone, ExportLinkExpired, ExportLinkInvalid
from eenloket.privacy.forms import EraseForm, RequestedByForm, RuleForm, SearchForm
from eenloket.privacy.models import Action, Kind, RetentionRun


def _administrator(request: HttpRequest) -> None:
    if not selectors.may_manage_privacy(request.user):
        raise PermissionDenied


def _rule_form(data=None) -> RuleForm:
    return RuleForm(data, organizations=list(directory.organization_list()))


def _home(request: HttpRequest, *, rule_form: RuleForm | None = None, status: int = 200):
    return render(
        request,
        "privacy/home.html",
        {
            "overview": selectors.retention_overview(),
            "rule_form": rule_form or _rule_form(),
            "runs": selectors.retention_runs(),
            "requests": selectors.subject_requests(),
            "search_form": SearchForm(),
        },
        status=status,
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    return _home(request)


@login_required
@require_POST
def rule_save(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    form = _rule_form(request.POST)
    if form.is_valid():
        try:
            services.retention_rule_save(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                organization_id=form.cleaned_data["organization"],
                period=form.cleaned_data["period"],
                action=form.cleaned_data["action"],
            )
        except EenloketError as exc:
            for name, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, _("The retention rule is saved."))
            return redirect("privacy:home")
    return _home(request, rule_form=form, status=400)


@login_required
@require_POST
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    _administrator(request)
    try:
        services.retention_rule_delete(actor=request.user, rule_id=rule_id)
    except EenloketError:
        raise Http404 from None
    messages.success(request, _("The rule is removed; the default applies again."))
    return redirect("privacy:home")


@login_required
@require_POST
def dry_run(request: HttpRequest) -> HttpResponse:
    """A preview from the page; the real run is the daily job or `eenloket retention run`."""
    _administrator(request)
    run = services.retention_run(
        actor=request.user, trigger=RetentionRun.Trigger.PAGE, dry_run=True
    )
    return redirect("privacy:run", run_id=run.pk)


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    _administrator(request)
    run = selectors.retention_run_get(run_id)
    if run is None:
        raise Http404
    kinds = {**dict(Kind.choices), "exports": _("Expired exports")}
    actions = dict(Action.choices)
    rows = [
        {
            **row,
            "label": kinds.get(row["kind"], row["kind"]),
            "action_label": actions.get(row["action"], row["action"]),
        }
        for row in run.counts
    ]
    return render(request, "privacy/run.html", {"run": run, "rows": rows})


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = selectors.person_search(query=query) if query else []
    return render(
        request, "privacy/people.html", {"search_form": form, "query": query, "people": found}
    )


def _person_or_404(person_id: int):
    try:
        counts = services.person_erase_preview(person_id=person_id)
    except EenloketError:
        raise Http404 from None
    return selectors.person_get(person_id), counts


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's data at a glance, and the export (POST makes one and shows its link)."""
    _administrator(request)
    found, counts = _person_or_404(person_id)
    form = RequestedByForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            export = services.person_export(
                actor=request.user,
                person_id=person_id,
                requested_by=form.cleaned_data["requested_by"],
            )
        except EenloketError as exc:
            form.add_error(None, str(exc.message))
        else:
            link = request.build_absolute_uri(
                reverse("privacy:download", args=[services.export_link_token(export)])
            )
    return render(
        request,
        "privacy/person.html",
        {
            "person": found,
            "counts": counts,
            "form": form,
            "link": link,
            "hours": services.EXPORT_LINK_SECONDS // 3600,
        },
        status=400 if request.method == "POST" and not link else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, person_id: int) -> HttpResponse:
    """The confirmation step of an erasure: what goes, who asked, a box to tick."""
    _administrator(request)
    found, counts = _person_or_404(person_id)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(
                actor=request.user,
                person_id=person_id,
                requested_by=form.cleaned_data["requested_by"],
            )
        except EenloketError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The person is erased. Their figures stay counted."))
            return redirect("privacy:home")
    return render(
        request,
        "privacy/erase.html",
        {"person": found, "counts": counts, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def download(request: HttpRequest, token: str) -> HttpResponse:
    _administrator(request)
    try:
        export = services.export_open(actor=request.user, token=token)
    except (ExportLinkInvalid, ExportLinkExpired, ExportGone) as exc:
        status = 400 if isinstance(exc, ExportLinkInvalid) else 410
        return render(request, "privacy/link_refused.html", {"message": exc.message}, status=status)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"eenloket-export-{export.person_id}-{export.at:%Y%m%d}.zip",
        content_type="application/zip",
    )
