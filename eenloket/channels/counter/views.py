"""Counter pages: the kiosk and the display board (public, numbers only), the agent's desk,
appointments (portal and agents) and the figures for team leads.

Thin adapters: selectors read, services decide. A service error comes back as a message on
the page and changes nothing; success redirects (POST/redirect/GET).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eenloket.accesslog.services import access_note_people
from eenloket.channels.counter import forms, selectors, services
from eenloket.channels.counter.exceptions import VisitNotFound
from eenloket.core import clock
from eenloket.core.exceptions import EenloketError, NotFound, ValidationFailed
from eenloket.directory import selectors as directory
from eenloket.tickets import selectors as tickets

TICKET_SALT = "counter.visit"
KIOSK_RETURN_SECONDS = 30


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.works_counter(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def screen(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The kiosk and the board: no login, but only from the screens' networks when the
    setting lists them (the address is the one the web server sees)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        networks = getattr(settings, "EENLOKET_COUNTER_SCREEN_NETWORKS", [])
        if networks:
            try:
                address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
            except ValueError:
                raise PermissionDenied from None
            if not any(address in ipaddress.ip_network(n, strict=False) for n in networks):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _error(request: HttpRequest, exc: EenloketError) -> None:
    texts = [str(exc.message)] if not exc.field_errors else []
    texts += [str(m) for errors in exc.field_errors.values() for m in errors]
    for text in dict.fromkeys(texts):
        messages.error(request, text)


# --- kiosk -------------------------------------------------------------------------------


@screen
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    """Pick a topic (one big button each), optionally say who you are, get a number."""
    form = forms.KioskForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_take_number(
                topic_id=request.POST.get("topic"),
                identification=form.cleaned_data["identification"],
            )
        except EenloketError as exc:
            error = exc.message
        else:
            token = signing.dumps(visit.pk, salt=TICKET_SALT)
            return redirect("counter:kiosk_number", token=token)
    topics = selectors.kiosk_topics()
    status = 200 if error is None and not form.errors else 400
    return render(
        request,
        "counter/kiosk.html",
        {
            "form": form,
            "topics": topics,
            "any_open": any(t.is_open for t in topics),
            "error": error,
            "takes_appointments": any(t.topic.takes_appointments for t in topics),
        },
        status=status,
    )


@screen
@require_GET
def kiosk_number(request: HttpRequest, token: str) -> HttpResponse:
    """The queue number on screen, with a print stylesheet for the receipt printer."""
    try:
        visit = selectors.visit_for_kiosk(visit_id=signing.loads(token, salt=TICKET_SALT))
    except (signing.BadSignature, VisitNotFound):
        raise Http404(_("No such queue number.")) from None
    return render(
        request,
        "counter/kiosk_number.html",
        {
            "visit": visit,
            "ahead": selectors.visits_ahead(visit),
            "return_seconds": KIOSK_RETURN_SECONDS,
        },
    )


@screen
@require_http_methods(["GET", "POST"])
def kiosk_check_in(request: HttpRequest) -> HttpResponse:
    form = forms.CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.appointment_check_in(code=form.cleaned_data["code"])
        except ValidationFailed as exc:
            for message in exc.field_errors.get("code", [exc.message]):
                form.add_error("code", str(message))
        except EenloketError as exc:
            form.add_error(None, str(exc.message))
        else:
            return redirect("counter:kiosk_number", token=signing.dumps(visit.pk, salt=TICKET_SALT))
    status = 400 if form.errors else 200
    return render(request, "counter/kiosk_check_in.html", {"form": form}, status=status)


# --- display board -----------------------------------------------------------------------


@screen
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    template = "counter/board.html#live" if request.htmx else "counter/board.html"
    return render(request, template, {"board": selectors.board()})


# --- the agent's desk --------------------------------------------------------------------


@agent_required
@require_GET
def desks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "counter/desks.html",
        {
            "desks": list(selectors.desk_list()),
            "sees_figures": selectors.sees_figures(request.user),
        },
    )


def _desk_context(request: HttpRequest, desk, finish_form=None) -> dict[str, Any]:
    current = selectors.desk_current_visit(desk)
    context: dict[str, Any] = {
        "desk": desk,
        "topics": [t for t in desk.topics.all() if t.is_active],
        "queues": selectors.desk_queue(desk=desk),
        "current": current,
    }
    if current is None:
        return context
    all_topics = list(selectors.topic_list())
    context["transfer_form"] = forms.TransferForm(
        topics=[t for t in all_topics if t.pk != current.topic_id]
    )
    if current.status == current.Status.SERVING:
        context["finish_form"] = finish_form or forms.FinishForm(
            initial={"question": current.appointment.question if current.appointment else ""},
            services=selectors.topic_services(current.topic),
            departments=list(directory.department_list()),
        )
    if current.person_id:
        context["person_tickets"] = tickets.tickets_of_requester(
            actor=request.user, person_id=current.person_id, limit=5
        )
    query = request.GET.get("zoek", "").strip()
    if query:
        context["query"] = query
        context["found"] = list(directory.person_search(actor=request.user, query=query))
        access_note_people(people=context["found"])
    return context


def _desk_or_404(desk_id: int):
    try:
        return selectors.desk_get(desk_id=desk_id)
    except NotFound:
        raise Http404(_("No such counter desk.")) from None


@agent_required
@require_GET
def desk(request: HttpRequest, desk_id: int) -> HttpResponse:
    counter_desk = _desk_or_404(desk_id)
    if request.htmx and request.GET.get("deel") == "wachtrij":
        return render(
            request,
            "counter/desk.html#queue",
            {"queues": selectors.desk_queue(desk=counter_desk), "desk": counter_desk},
        )
    return render(request, "counter/desk.html", _desk_context(request, counter_desk))


@agent_required
@require_POST
def desk_call_next(request: HttpRequest, desk_id: int) -> HttpResponse:
    counter_desk = _desk_or_404(desk_id)
    try:
        visit = services.visit_call_next(actor=request.user, desk_id=counter_desk.pk)
    except EenloketError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("%(number)s is called to %(desk)s.") % {"number": visit.number, "desk": visit.desk},
        )
    return redirect("counter:desk", desk_id=counter_desk.pk)


VISIT_ACTIONS = {
    "recall": lambda request, visit: services.visit_recall(actor=request.user, visit_id=visit.pk),
    "no_show": lambda request, visit: services.visit_no_show(actor=request.user, visit_id=visit.pk),
    "serve": lambda request, visit: services.visit_start_serving(
        actor=request.user, visit_id=visit.pk
    ),
    "transfer": lambda request, visit: services.visit_transfer(
        actor=request.user, visit_id=visit.pk, topic_id=_int(request.POST.get("topic"))
    ),
    "identify": lambda request, visit: services.visit_identify(
        actor=request.user, visit_id=visit.pk, person_id=_int(request.POST.get("person"))
    ),
}
DONE_MESSAGES = {
    "recall": gettext_lazy("Called again."),
    "no_show": gettext_lazy("Marked as not shown."),
    "serve": gettext_lazy("Serving started."),
    "transfer": gettext_lazy(
        "Transferred: the visitor waits in the other queue with the same number."
    ),
    "identify": gettext_lazy("Visitor identified."),
}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@agent_required
@require_POST
def visit_action(request: HttpRequest, visit_id: int, action: str) -> HttpResponse:
    try:
        visit = selectors.visit_get(actor=request.user, visit_id=visit_id)
    except NotFound:
        raise Http404(_("No such visit.")) from None
    desk_id = visit.desk_id or _int(request.POST.get("desk"))
    try:
        VISIT_ACTIONS[action](request, visit)
    except EenloketError as exc:
        _error(request, exc)
    else:
        messages.success(request, str(DONE_MESSAGES[action]))
    if desk_id is None:
        return redirect("counter:desks")
    return redirect("counter:desk", desk_id=desk_id)


@agent_required
@require_POST
def visit_finish(request: HttpRequest, visit_id: int) -> HttpResponse:
    try:
        visit = selectors.visit_get(actor=request.user, visit_id=visit_id)
    except NotFound:
        raise Http404(_("No such visit.")) from None
    if visit.desk_id is None:
        messages.error(request, _("This visit is no longer at a desk."))
        return redirect("counter:desks")
    form = forms.FinishForm(
        request.POST,
        services=selectors.topic_services(visit.topic),
        departments=list(directory.department_list()),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = services.visit_finish(
                actor=request.user,
                visit_id=visit.pk,
                question=data["question"],
                outcome=data["outcome"],
                resolution=data["resolution"],
                service_id=data["service"],
                department_id=data["department"],
                needed=data["needed"],
            )
        except EenloketError as exc:
            for key, errors in exc.field_errors.items():
                for message in errors:
                    form.add_error(key if key in form.fields else None, str(message))
            if not exc.field_errors:
                form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Visit %(number)s recorded as ticket %(ticket)s.")
                % {"number": done.number, "ticket": done.ticket_number},
            )
            return redirect("counter:desk", desk_id=visit.desk_id)
    counter_desk = _desk_or_404(visit.desk_id)
    context = _desk_context(request, counter_desk, finish_form=form)
    return render(request, "counter/desk.html", context, status=400)


# --- appointments ------------------------------------------------------------------------


def _parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _booking_context(request: HttpRequest, data) -> dict[str, Any]:
    """The topic/day chooser and, once both are chosen, that day's times."""
    topics = [t for t in selectors.topic_list() if t.takes_appointments]
    today = localdate(clock.now())
    initial = {"topic": topics[0].pk if topics else None, "day": today + timedelta(days=1)}
    slot_form = forms.SlotForm(data if data.get("topic") else None, topics=topics, initial=initial)
    slots: list = []
    topic = None
    if slot_form.is_bound and slot_form.is_valid():
        topic = next(t for t in topics if t.pk == slot_form.cleaned_data["topic"])
        day = slot_form.cleaned_data["day"]
        if day < today:
            slot_form.add_error("day", _("Choose today or a later day."))
        else:
            slots = selectors.appointment_slots(topic=topic, day=day)
    return {
        "topics": topics,
        "slot_form": slot_form,
        "slots": slots,
        "topic": topic,
        "book_form": forms.BookForm(slots=slots),
    }


def _book(request: HttpRequest, person_id: int | None) -> tuple[Any, dict[str, Any]]:
    """Handle a booking POST; returns (appointment or None, page context)."""
    context = _booking_context(request, request.POST)
    form = forms.BookForm(request.POST, slots=context["slots"])
    context["book_form"] = form
    if context["topic"] is None or not form.is_valid():
        if context["topic"] is not None and not form.errors:
            form.add_error(None, _("Choose one of the times offered."))
        return None, context
    try:
        appointment = services.appointment_book(
            actor=request.user,
            topic_id=context["topic"].pk,
            starts_at=datetime.fromisoformat(form.cleaned_data["starts_at"]),
            person_id=person_id,
            question=form.cleaned_data["question"],
        )
    except EenloketError as exc:
        for message in exc.field_errors.get("starts_at", []) or [exc.message]:
            form.add_error(None, str(message))
        return None, context
    return appointment, context


@login_required
@require_http_methods(["GET", "POST"])
def portal_appointments(request: HttpRequest) -> HttpResponse:
    """The customer's appointments and the booking form."""
    person = directory.person_for_user(request.user)
    if request.method == "POST":
        if person is None:
            raise PermissionDenied
        appointment, context = _book(request, None)
        if appointment is not None:
            messages.success(
                request,
                _("Your appointment is booked. Your code is %(code)s; we have mailed it to you.")
                % {"code": appointment.code},
            )
            return redirect("counter_portal:list")
        status = 400
    else:
        context = _booking_context(request, request.GET)
        status = 200
    context.update(
        person=person, appointments=selectors.appointments_of_customer(actor=request.user)
    )
    return render(request, "counter/portal_appointments.html", context, status=status)


@login_required
@require_POST
def appointment_cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    try:
        appointment = services.appointment_cancel(actor=request.user, appointment_id=appointment_id)
    except NotFound:
        raise Http404(_("No such appointment.")) from None
    except EenloketError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("Appointment %(code)s is cancelled.") % {"code": appointment.code}
        )
    if selectors.works_counter(request.user) and request.POST.get("from") == "desk":
        day = _parse_day(request.POST.get("dag"), localdate(clock.now()))
        return redirect(reverse("counter:appointments") + f"?dag={day.isoformat()}")
    return redirect("counter_portal:list")


@agent_required
@require_http_methods(["GET", "POST"])
def appointments(request: HttpRequest) -> HttpResponse:
    """Agents: the day's appointments, and booking one for a customer."""
    day = _parse_day(request.GET.get("dag"), localdate(clock.now()))
    person = None
    person_id = _int(request.POST.get("persoon") or request.GET.get("persoon"))
    if person_id:
        try:
            person = directory.person_get(actor=request.user, person_id=person_id)
        except NotFound:
            raise Http404(_("No such person.")) from None
    status = 200
    if request.method == "POST" and person is not None:
        appointment, context = _book(request, person.pk)
        if appointment is not None:
            messages.success(
                request,
                _("Appointment %(code)s booked for %(name)s.")
                % {"code": appointment.code, "name": person.full_name},
            )
            return redirect(
                reverse("counter:appointments")
                + f"?dag={localdate(appointment.starts_at).isoformat()}"
            )
        status = 400
    else:
        context = _booking_context(request, request.GET)
    query = request.GET.get("zoek", "").strip()
    found = list(directory.person_search(actor=request.user, query=query)) if query else []
    access_note_people(people=found)
    context.update(
        day=day,
        day_appointments=selectors.appointments_on_day(actor=request.user, day=day),
        person=person,
        query=query,
        found=found,
    )
    return render(request, "counter/appointments.html", context, status=status)


# --- figures -----------------------------------------------------------------------------


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    if not selectors.sees_figures(request.user):
        raise PermissionDenied
    today = localdate(clock.now())
    form = forms.PeriodForm(
        request.GET if request.GET else None,
        initial={"van": today - timedelta(days=6), "tot": today},
    )
    first, last = today - timedelta(days=6), today
    if form.is_bound and form.is_valid():
        first, last = form.cleaned_data["van"], form.cleaned_data["tot"]
    result = selectors.counter_figures(actor=request.user, first_day=first, last_day=last)
    return render(
        request,
        "counter/figures.html",
        {"form": form, "figures": result, "norm_minutes": 15},
        status=400 if form.errors else 200,
    )
