"""The access log pages: search and export, administrators only (anyone else: not found).

Reading the log is itself a processing of personal data: the search and every export are
logged too (activity "supervision")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from eenloket.accesslog import selectors
from eenloket.accesslog.exceptions import AccessLogNotFound
from eenloket.accesslog.forms import AccessSearchForm
from eenloket.accesslog.models import AccessEntry, Action, Activity, ObjectKind
from eenloket.accesslog.services import access_note, access_trace_id
from eenloket.directory import selectors as directory
from eenloket.directory.roles import Role


def _admin_or_404(request: HttpRequest) -> None:
    if not selectors.may_read_access_log(request.user):
        raise Http404(str(AccessLogNotFound().message))


def _people(request: HttpRequest, form: AccessSearchForm) -> tuple[tuple[int, ...] | None, list]:
    """The people the search is about: `#12` is person 12; other text searches the directory
    as "new contact" does (and so is logged as a search of those people)."""
    text = form.cleaned_data.get("persoon", "").strip() if form.is_valid() else ""
    if not text:
        return None, []
    if text.startswith("#") and text[1:].strip().isdigit():
        person_id = int(text[1:])
        return (person_id,), [(person_id, directory.person_names(ids=[person_id]).get(person_id))]
    found = list(directory.person_search(actor=request.user, query=text, limit=20))
    return tuple(p.pk for p in found), [(p.pk, p.full_name) for p in found]


def _note_review(action: str, person_ids: tuple[int, ...] | None, ref: str) -> None:
    for person_id in person_ids or (None,):
        access_note(
            kind=ObjectKind.ACCESS_LOG,
            ref=ref,
            person_id=person_id,
            action=action,
            activity=Activity.SUPERVISION,
        )


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    _admin_or_404(request)
    form = AccessSearchForm(request.GET)
    person_ids, people = _people(request, form)
    after = request.GET.get("na", "")
    page, next_cursor = selectors.access_entries(
        actor=request.user,
        filters=form.filters(person_ids=person_ids),
        after=int(after) if after.isdigit() else None,
    )
    _note_review(Action.SEARCH, person_ids, "search")
    names = directory.person_names(ids=[e.person_id for e in page if e.person_id])
    departments = {d.pk: d.name for d in directory.department_list()}
    query = request.GET.copy()
    query.pop("na", None)
    return render(
        request,
        "accesslog/search.html",
        {
            "form": form,
            "people": people,
            "rows": [
                (
                    entry,
                    names.get(entry.person_id, ""),
                    _role_label(entry.actor_role),
                    [departments.get(int(i), i) for i in _ids(entry.actor_department_ids)],
                )
                for entry in page
            ],
            "next_cursor": next_cursor,
            "is_later_page": after.isdigit(),
            "query": query.urlencode(),
            "retention_days": selectors.retention_days(),
        },
    )


def _ids(text: str) -> list[str]:
    return [part for part in text.split(",") if part.isdigit()]


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


# The export's fields, named as in the Logboek Dataverwerkingen standard where it has a name.
EXPORT_FIELDS = [
    "trace_id",
    "span_id",
    "parent_span_id",
    "start_time",
    "end_time",
    "status_code",
    "name",
    "processing_activity",
    "processing_activity_id",
    "action",
    "result",
    "http_status",
    "object_kind",
    "object_ref",
    "ticket_number",
    "data_subject_id",
    "actor_id",
    "actor_username",
    "actor_role",
    "actor_department_ids",
    "channel",
    "api_key_id",
    "ip_address",
]


def export_row(entry: AccessEntry) -> dict:
    return {
        "trace_id": entry.trace_id,
        "span_id": entry.span_id,
        "parent_span_id": entry.parent_span_id,
        "start_time": entry.started_at.astimezone(dt.UTC).isoformat(),
        "end_time": entry.ended_at.astimezone(dt.UTC).isoformat(),
        # STATUS_CODE_OK (1) or STATUS_CODE_ERROR (2): refused and failed did not happen.
        "status_code": 1 if entry.result == "ok" else 2,
        "name": entry.name,
        "processing_activity": entry.activity,
        "processing_activity_id": selectors.activity_uri(entry.activity),
        "action": entry.action,
        "result": entry.result,
        "http_status": entry.http_status,
        "object_kind": entry.object_kind,
        "object_ref": entry.object_ref,
        "ticket_number": entry.ticket_number,
        "data_subject_id": entry.person_id,
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "actor_role": entry.actor_role,
        "actor_department_ids": [int(i) for i in _ids(entry.actor_department_ids)],
        "channel": entry.channel,
        "api_key_id": entry.api_key_id,
        "ip_address": entry.ip_address,
    }


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value)
    # A spreadsheet runs a cell that starts with = + - @ as a formula; user names are typed.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv_lines(entries: Iterable[AccessEntry]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(EXPORT_FIELDS)
    yield "\ufeff" + flush()
    for entry in entries:
        row = export_row(entry)
        writer.writerow([_csv_cell(row[name]) for name in EXPORT_FIELDS])
        yield flush()


def _json_lines(entries: Iterable[AccessEntry]) -> Iterator[str]:
    yield "["
    separator = "\n"
    for entry in entries:
        yield separator + json.dumps(export_row(entry), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The entries the search shows (every page of them), as CSV or JSON."""
    _admin_or_404(request)
    if fmt not in ("csv", "json"):
        raise Http404(_("Exports are CSV or JSON."))
    form = AccessSearchForm(request.GET)
    person_ids, _people_found = _people(request, form)
    entries = selectors.access_entries_export(
        actor=request.user, filters=form.filters(person_ids=person_ids), trace_id=access_trace_id()
    )
    _note_review(Action.EXPORT, person_ids, f"export.{fmt}")
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines(entries), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(_json_lines(entries), content_type="application/json")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="eenloket-toegangslog-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
