"""Pages of the phone channel under /werkplek/telefonie/: the call log, missed calls to do,
a call, the live pop-up (polled by htmx) and recording playback with range requests."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eenloket.channels.phone import selectors, services
from eenloket.channels.phone.exceptions import CallNotFound, RecordingGone
from eenloket.channels.phone.forms import CallFilterForm, LinkTicketForm
from eenloket.channels.phone.models import Call
from eenloket.core.exceptions import EenloketError, NotFound
from eenloket.core.files import harden_file_response
from eenloket.core.redirects import safe_next_url

CHUNK = 64 * 1024


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.works_tickets:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def new_contact_url(call: Call, person_id: int | None = None) -> str:
    """The workspace's "new contact" page for this caller (the one hook into the workspace)."""
    person_id = person_id or call.person_id
    params: dict[str, Any] = {"channel": "phone", "call": call.call_id}
    if person_id:
        params["persoon"] = person_id
    elif call.number:
        params["q"] = call.number
    try:
        return reverse("workspace:new") + "?" + urlencode(params)
    except NoReverseMatch:
        return ""


def _call_or_404(request: HttpRequest, call_id: str) -> Call:
    try:
        return selectors.call_get(actor=request.user, call_id=call_id)
    except CallNotFound:
        raise Http404(_("No such call.")) from None


def _cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    if not value or "~" not in value:
        return None
    at, _sep, pk = value.rpartition("~")
    try:
        parsed = dt.datetime.fromisoformat(at)
        number = int(pk)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed, number


@staff_required
@require_GET
def call_log(request: HttpRequest) -> HttpResponse:
    form = CallFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.CallFilters(
        direction=data.get("direction") or None,
        result=data.get("result") or None,
        day=data.get("day"),
    )
    page, cursor = selectors.call_log(
        actor=request.user, filters=filters, before=_cursor(request.GET.get("voor"))
    )
    query = request.GET.copy()
    query.pop("voor", None)
    if cursor:
        query["voor"] = f"{cursor[0].isoformat()}~{cursor[1]}"
    return render(
        request,
        "phone/call_log.html",
        {
            "form": form,
            "calls": page,
            "next_url": f"?{query.urlencode()}" if cursor else "",
            "todo_count": selectors.missed_calls_todo_count(actor=request.user),
        },
    )


@staff_required
@require_GET
def missed_calls(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "phone/missed.html",
        {"calls": selectors.missed_calls_todo(actor=request.user)},
    )


@staff_required
@require_POST
def missed_call_done(request: HttpRequest, call_id: str) -> HttpResponse:
    call = _call_or_404(request, call_id)
    try:
        services.call_mark_done(actor=request.user, call=call)
    except EenloketError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The missed call was marked done."))
    return redirect("phone:missed")


def _add_candidate_links(panel: selectors.CallerPanel) -> None:
    """Several people share the number: a new contact for each, the agent picks."""
    panel.candidates = [
        (person, new_contact_url(panel.call, person.pk)) for person in panel.candidates
    ]


def _call_context(request: HttpRequest, call: Call, link_form=None) -> dict[str, Any]:
    panel = selectors.call_panel(actor=request.user, call=call)
    _add_candidate_links(panel)
    recording = getattr(call, "recording", None)
    return {
        "call": call,
        "panel": panel,
        "recording": recording,
        "new_contact_url": new_contact_url(call),
        "link_form": link_form or LinkTicketForm(),
    }


@staff_required
@require_GET
def call_detail(request: HttpRequest, call_id: str) -> HttpResponse:
    call = _call_or_404(request, call_id)
    return render(request, "phone/call.html", _call_context(request, call))


@staff_required
@require_POST
def call_link(request: HttpRequest, call_id: str) -> HttpResponse:
    """Link the call to a ticket; from the pop-up this also opens the ticket."""
    call = _call_or_404(request, call_id)
    form = LinkTicketForm(request.POST)
    if form.is_valid():
        try:
            call = services.call_link_ticket(
                actor=request.user, call=call, ticket_number=form.cleaned_data["ticket"]
            )
        except EenloketError as exc:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.field_errors:
                form.add_error(None, str(exc.message))
        else:
            if request.POST.get("open"):
                return redirect("workspace:ticket", number=form.cleaned_data["ticket"].strip())
            messages.success(request, _("The call was linked to the ticket."))
            return redirect("phone:call", call_id=call.call_id)
    return render(request, "phone/call.html", _call_context(request, call, form), status=400)


@staff_required
@require_GET
def live(request: HttpRequest) -> HttpResponse:
    """The pop-up: polled every 2 s; 204 (nothing to swap) while nothing changed."""
    calls = selectors.calls_live(actor=request.user)
    fingerprint = selectors.calls_live_fingerprint(calls)
    if request.GET.get("v") == fingerprint:
        return HttpResponse(status=204)
    panels = selectors.caller_panels(actor=request.user, calls=calls)
    for panel in panels:
        _add_candidate_links(panel)
    return render(
        request,
        "phone/includes/live.html",
        {
            "panels": [(panel, new_contact_url(panel.call)) for panel in panels],
            "fingerprint": fingerprint,
            "here": request.GET.get("here", ""),
        },
    )


# --- playback ----------------------------------------------------------------------------

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(start, end) inclusive for one satisfiable range; None for no (usable) range header;
    False when the range cannot be satisfied."""
    header = header.strip()
    if not header or "," in header:
        return None  # several ranges: the whole file is a valid answer
    match = _RANGE.match(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        return False
    return start, min(end, size - 1)


def _chunks(handle, start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


@staff_required
@require_GET
def recording_play(request: HttpRequest, recording_id: int) -> HttpResponse:
    """Stream a recording to staff who may see its ticket; ranges for seeking; logged."""
    try:
        recording = selectors.recording_for_playback(actor=request.user, recording_id=recording_id)
    except RecordingGone as exc:
        return HttpResponse(str(exc.message), status=410, content_type="text/plain")
    except NotFound:
        raise Http404 from None
    try:
        handle = recording.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    size = recording.size
    header = request.headers.get("Range", "")
    wanted = _byte_range(header, size)
    if wanted is False:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    services.playback_record(actor=request.user, recording=recording, byte_range=header)
    start, end = wanted if wanted else (0, size - 1)
    length = end - start + 1
    response = StreamingHttpResponse(
        _chunks(handle, start, length),
        status=206 if wanted else 200,
        content_type=recording.content_type,
    )
    response["Content-Length"] = str(length)
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    # Played by the page's <audio>: inline only for a sound type, never as a page.
    return harden_file_response(
        response,
        filename=f"opname-{recording.pk}",
        content_type=recording.content_type,
        inline=True,
    )


# --- holds -------------------------------------------------------------------------------


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the form was on (the ticket's timeline), if it is one of ours."""
    return redirect(
        safe_next_url(request, request.POST.get("next"), fallback=reverse("phone:calls"))
    )


@staff_required
@require_POST
def recording_hold(request: HttpRequest, recording_id: int) -> HttpResponse:
    """Keep a recording past its retention, with a reason (e.g. a complaint)."""
    try:
        services.recording_hold_place_by_staff(
            actor=request.user, recording_id=recording_id, reason=request.POST.get("reason", "")
        )
    except NotFound:
        raise Http404 from None
    except EenloketError as exc:
        errors = [str(m) for msgs in exc.field_errors.values() for m in msgs]
        messages.error(request, " ".join(errors) or str(exc.message))
    else:
        messages.success(request, _("The recording is kept until the hold is released."))
    return _back(request)


@staff_required
@require_POST
def recording_release(request: HttpRequest, recording_id: int) -> HttpResponse:
    """Release the holds: the recording is deleted when its retention has passed."""
    try:
        released = services.recording_holds_release_by_staff(
            actor=request.user, recording_id=recording_id
        )
    except NotFound:
        raise Http404 from None
    if released:
        messages.success(
            request, _("The hold was released: the recording follows its retention period again.")
        )
    return _back(request)
