"""The agent workspace: the queue, a ticket with its actions, a new ticket for a caller.

Thin adapters: selectors decide what the agent may see, services what they may do. A service
error re-renders the page with the typed text kept; success redirects (POST/redirect/GET).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from eenloket.accesslog.services import access_note_people
from eenloket.catalog.exceptions import UnknownService
from eenloket.catalog.selectors import (
    request_fields,
    service_get,
    service_list,
    services_active_cached,
)
from eenloket.core import clock
from eenloket.core.exceptions import EenloketError, NotFound
from eenloket.directory import selectors as directory
from eenloket.directory.services import person_create
from eenloket.tickets import selectors as tickets
from eenloket.tickets import services as ticket_services
from eenloket.tickets.exceptions import TicketConflict, TicketNotFound
from eenloket.workspace import forms
from eenloket.workspace.templatetags.desk import sla_countdown

# --- access ------------------------------------------------------------------------------


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and working tickets; anyone else gets 403 (the home page sends them on)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.works_tickets:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


# --- the queue ---------------------------------------------------------------------------


VIEW_LABELS = {
    "all": gettext_lazy("All open tickets"),
    "mine": gettext_lazy("My tickets"),
    "first_line": gettext_lazy("First line"),
    "at_risk": gettext_lazy("SLA at risk"),
    "waiting": gettext_lazy("Waiting for customer"),
    "handed_over": gettext_lazy("Handed over"),
}


def view_label(view) -> str:
    return view.queue_name or str(VIEW_LABELS[view.key])


@agent_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The unified inbox: a saved view, filters, soonest resolution due first, a page at a
    time (keyset). htmx polls the same URL for the list alone, so the agent keeps their place."""
    # The filters' choices come from the per-process reference cache: no query for them.
    queues = directory.queues_cached()
    form = forms.QueueFilterForm(
        request.GET,
        queues=queues,
        departments=directory.departments_cached(),
        services=services_active_cached(),
        organizations=directory.organizations_active_cached(),
        staff=directory.staff_choices_cached(),
    )
    form.is_valid()  # invalid filters are shown with their error and otherwise ignored
    data = form.cleaned_data
    views = tickets.inbox_views(actor=request.user, queues=queues)
    current = next((v for v in views if v.key == request.GET.get("view")), views[0])
    assignee_id, unassigned = form.assignee(request.user)
    chosen = {
        "queue_id": data.get("queue"),
        "department_id": data.get("department"),
        "service_id": data.get("service"),
        "organization_id": data.get("organization"),
        "status": data.get("status") or "open",
        "channel": data.get("channel") or None,
        "priority": data.get("priority") or None,
        "assignee_id": assignee_id,
        "unassigned": unassigned,
    }
    # The saved view's own condition wins over a filter on the same field.
    filters = tickets.TicketFilters(**{**chosen, **current.filters})
    page, next_cursor = tickets.ticket_queue(
        actor=request.user, filters=filters, after=tickets.Cursor.decode(request.GET.get("na"))
    )
    counts = tickets.inbox_counts(actor=request.user, views=views)
    context = {
        "form": form,
        "views": [(view, view_label(view), counts[view.key]) for view in views],
        "current_view": current,
        "current_label": view_label(current),
        "rows": [(ticket, sla_countdown(ticket)) for ticket in page],
        "next_cursor": next_cursor.encode() if next_cursor else None,
        "is_later_page": bool(request.GET.get("na")),
        "refreshed_at": clock.now(),
        "shortcut_page": "inbox",
    }
    if request.htmx:
        return render(request, "workspace/queue.html#inbox", context)
    return render(request, "workspace/queue.html", context)


# --- one ticket --------------------------------------------------------------------------


def _ticket_or_404(request: HttpRequest, number: str):
    try:
        return tickets.ticket_for_agent(actor=request.user, number=number)
    except TicketNotFound:
        raise Http404(_("No such ticket.")) from None


def _colleagues(ticket) -> list:
    return list(directory.staff_who_can_work(department_id=ticket.queue.department_id))


@dataclass(frozen=True)
class Action:
    """One action on a ticket: its form, the service call and what to say on success."""

    name: str
    form_class: type[forms.ActionForm]
    perform: Callable[[HttpRequest, Any, Any], None]
    success: str
    fallback_field: str = ""


def _reply(request, ticket, form) -> None:
    data = form.cleaned_data
    ticket_services.ticket_reply(
        actor=request.user,
        ticket=ticket,
        body=data["body"],
        files=forms.uploads_from(data["files"]),
        wait_for_customer=data["wait_for_customer"],
        expected_version=data["version"],
    )


def _note(request, ticket, form) -> None:
    data = form.cleaned_data
    ticket_services.ticket_note(
        actor=request.user,
        ticket=ticket,
        body=data["body"],
        files=forms.uploads_from(data["files"]),
        expected_version=data["version"],
    )


def _assign(request, ticket, form) -> None:
    data = form.cleaned_data
    ticket_services.ticket_assign(
        actor=request.user,
        ticket=ticket,
        assignee=form.colleagues.get(data["assignee"]),
        expected_version=data["version"],
    )


def _classify(request, ticket, form) -> None:
    data = form.cleaned_data
    ticket_services.ticket_classify(
        actor=request.user,
        ticket=ticket,
        service=data["service"],
        impact=data["impact"],
        urgency=data["urgency"],
        expected_version=data["version"],
    )


def _hand_over(request, ticket, form) -> None:
    data = form.cleaned_data
    ticket_services.ticket_hand_over(
        actor=request.user,
        ticket=ticket,
        department=form.departments[data["department"]],
        question=data["question"],
        tried=data["tried"],
        needed=data["needed"],
        expected_version=data["version"],
    )


def _return(request, ticket, form) -> None:
    ticket_services.ticket_return_to_first_line(
        actor=request.user,
        ticket=ticket,
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"],
    )


def _wait(request, ticket, form) -> None:
    ticket_services.ticket_wait_for_customer(
        actor=request.user,
        ticket=ticket,
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"],
    )


def _resolve(request, ticket, form) -> None:
    ticket_services.ticket_resolve(
        actor=request.user,
        ticket=ticket,
        resolution=form.cleaned_data["resolution"],
        expected_version=form.cleaned_data["version"],
    )


def _close(request, ticket, form) -> None:
    ticket_services.ticket_close(
        actor=request.user, ticket=ticket, expected_version=form.cleaned_data["version"]
    )


def _reopen(request, ticket, form) -> None:
    ticket_services.ticket_reopen(
        actor=request.user,
        ticket=ticket,
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"],
    )


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "reply",
            forms.ReplyForm,
            _reply,
            gettext_lazy("Your reply was sent."),
            fallback_field="files",
        ),
        Action(
            "note",
            forms.NoteForm,
            _note,
            gettext_lazy("Your internal note was added."),
            fallback_field="files",
        ),
        Action(
            "assign",
            forms.AssignForm,
            _assign,
            gettext_lazy("The assignment was changed."),
        ),
        Action(
            "classify",
            forms.ClassifyForm,
            _classify,
            gettext_lazy("Service and priority were saved."),
        ),
        Action(
            "hand_over",
            forms.HandOverForm,
            _hand_over,
            gettext_lazy("The ticket was handed over."),
        ),
        Action(
            "return",
            forms.ReturnForm,
            _return,
            gettext_lazy("The ticket went back to first line."),
        ),
        Action(
            "wait",
            forms.WaitForm,
            _wait,
            gettext_lazy("The ticket now waits for the customer; the SLA clock is paused."),
        ),
        Action(
            "resolve",
            forms.ResolveForm,
            _resolve,
            gettext_lazy("The ticket was resolved."),
        ),
        Action(
            "close",
            forms.CloseForm,
            _close,
            gettext_lazy("The ticket was closed."),
        ),
        Action(
            "reopen",
            forms.ReopenForm,
            _reopen,
            gettext_lazy("The ticket was reopened."),
        ),
    )
}


def _form_kwargs(name: str, ticket, choices: dict[str, Any]) -> dict[str, Any]:
    if name == "assign":
        return {"colleagues": choices["colleagues"]}
    if name == "classify":
        return {"services": choices["services"]}
    if name == "hand_over":
        return {"departments": choices["departments"]}
    return {}


def _choices(ticket, names: set[str]) -> dict[str, Any]:
    """The option lists the visible forms need, each loaded once."""
    choices: dict[str, Any] = {}
    if "assign" in names:
        choices["colleagues"] = _colleagues(ticket)
    if "classify" in names:
        choices["services"] = list(service_list())
    if "hand_over" in names:
        current = ticket.queue.department_id
        choices["departments"] = [d for d in directory.department_list() if d.pk != current]
    return choices


def _initial(name: str, ticket) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": ticket.version}
    if name == "assign":
        initial["assignee"] = ticket.assignee_id
    elif name == "classify":
        initial |= {"service": ticket.service_id, "impact": ticket.impact}
        initial["urgency"] = ticket.urgency
    elif name == "hand_over":
        initial["department"] = ticket.department_id
    return initial


def _render_ticket(
    request: HttpRequest,
    ticket,
    *,
    failed: tuple[str, forms.ActionForm] | None = None,
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    available = tickets.ticket_actions(ticket)
    choices = _choices(ticket, available)
    action_forms: dict[str, forms.ActionForm] = {}
    # A failed form is shown even when its action is no longer possible (a colleague
    # resolved the ticket meanwhile): the typed text must not be lost.
    for name in available | ({failed[0]} if failed else set()):
        if failed and failed[0] == name:
            form = failed[1]
            # The typed text stays; the version becomes the one shown now, so that after a
            # conflict the agent can look at the new state and send again.
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = str(ticket.version)
        else:
            form = ACTIONS[name].form_class(
                prefix=name,
                ticket=ticket,
                initial=_initial(name, ticket),
                **_form_kwargs(name, ticket, choices),
            )
        action_forms[name] = form
    requester = ticket.requester
    other_tickets = [
        other
        for other in tickets.tickets_of_requester(actor=request.user, person_id=requester.pk)
        if other.pk != ticket.pk
    ]
    context = {
        "ticket": ticket,
        "sla": sla_countdown(ticket),
        "timeline": tickets.ticket_timeline(ticket=ticket, internal=True),
        "requester": requester,
        "open_tickets": [other for other in other_tickets if other.is_open],
        "recent_tickets": [other for other in other_tickets if not other.is_open][:5],
        "request_form": tickets.ticket_request_form(ticket=ticket),
        "shortcut_page": "ticket",
        "forms": action_forms,
        "failed_form": failed[1] if failed else None,
        "failed_action": failed[0] if failed else "",
        "conflict": conflict,
        "assign_to_me": "assign" in available
        and ticket.assignee_id != request.user.pk
        and any(user.pk == request.user.pk for user in choices.get("colleagues", ())),
    }
    return render(request, "workspace/ticket.html", context, status=status)


@agent_required
@require_GET
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_ticket(request, _ticket_or_404(request, number))


@agent_required
@require_POST
def ticket_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action; on an error show the page again with the typed text and the error."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    ticket = _ticket_or_404(request, number)
    choices = _choices(ticket, {action})
    form = spec.form_class(
        request.POST,
        request.FILES,
        prefix=action,
        ticket=ticket,
        **_form_kwargs(action, ticket, choices),
    )
    if action not in tickets.ticket_actions(ticket):
        form.is_valid()
        if form.cleaned_data.get("version") not in (None, ticket.version):
            # Someone changed the status since the page was shown: say so, not just "no".
            form.add_error(None, TicketConflict().message)
            return _render_ticket(request, ticket, failed=(action, form), conflict=True, status=409)
        form.add_error(None, _("This action is not possible in the ticket's current status."))
        return _render_ticket(request, ticket, failed=(action, form), status=400)
    if not form.is_valid():
        return _render_ticket(request, ticket, failed=(action, form), status=400)
    try:
        spec.perform(request, ticket, form)
    except TicketConflict as exc:
        form.add_error(None, exc.message)
        return _render_ticket(request, ticket, failed=(action, form), conflict=True, status=409)
    except TicketNotFound:
        raise Http404(_("No such ticket.")) from None
    except EenloketError as exc:
        forms.apply_service_error(form, exc, fallback_field=spec.fallback_field)
        return _render_ticket(request, ticket, failed=(action, form), status=400)
    messages.success(request, str(spec.success))
    return redirect("workspace:ticket", number=ticket.number)


# --- a new ticket for a caller -----------------------------------------------------------


def _new_url(**params: Any) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    return reverse("workspace:new") + (f"?{query}" if query else "")


def _search_context(request: HttpRequest, person_form=None) -> dict[str, Any]:
    search = forms.PersonSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    people = list(directory.person_search(actor=request.user, query=query)) if query else []
    access_note_people(people=people)
    return {
        "step": "person",
        "search_form": search,
        "query": query,
        "people": people,
        "person_form": person_form
        or forms.PersonCreateForm(organizations=list(directory.organization_list())),
        "shortcut_page": "new",
    }


@agent_required
def new_ticket(request: HttpRequest) -> HttpResponse:
    """Find or create the caller, pick the service, then fill in the ticket (three steps)."""
    person_id = request.GET.get("persoon")
    if not person_id:
        if request.method == "POST":
            return redirect("workspace:new")
        context = _search_context(request)
        if request.htmx:
            return render(request, "workspace/new_ticket.html#person-results", context)
        return render(request, "workspace/new_ticket.html", context)
    try:
        person = directory.person_get(actor=request.user, person_id=person_id)
    except NotFound:
        raise Http404(_("No such person.")) from None
    service = None
    if request.GET.get("dienst"):
        try:
            service = service_get(service_id=request.GET["dienst"])
        except UnknownService:
            service = None
    if service is None:
        return _render_service_step(request, person)
    fields = request_fields(service)
    departments = list(directory.department_list())
    initial = {"department": service.department_id}
    if request.method != "POST":
        form = forms.CallerTicketForm(
            request_fields=fields, departments=departments, initial=initial
        )
        return _render_new(request, person, service, form)
    form = forms.CallerTicketForm(
        request.POST, request.FILES, request_fields=fields, departments=departments
    )
    if not form.is_valid():
        return _render_new(request, person, service, form, status=400)
    data = form.cleaned_data
    common = {
        "actor": request.user,
        "requester": person,
        "service": service.pk,
        "channel": data["channel"],
        "title": data["title"],
        "description": data["description"],
        "impact": data["impact"] or None,
        "urgency": data["urgency"] or None,
        "form_data": form.form_data(),
        "files": form.uploads(),
    }
    outcome = data["outcome"]
    try:
        if outcome == "hand_over":
            ticket = ticket_services.ticket_open_and_hand_over(
                **common,
                department=form.departments[data["department"]],
                tried=data["tried"],
                needed=data["needed"],
            )
        else:
            ticket = ticket_services.ticket_open(
                **common, resolve_with=data["resolution"] if outcome == "solved" else None
            )
    except EenloketError as exc:
        form.apply_error(exc)
        return _render_new(request, person, service, form, status=400)
    done = {
        "solved": _("Ticket %(number)s was solved at first contact."),
        "hand_over": _("Ticket %(number)s was opened and handed over to %(department)s."),
    }.get(outcome, _("Ticket %(number)s was opened."))
    messages.success(request, done % {"number": ticket.number, "department": ticket.queue.name})
    return redirect("workspace:ticket", number=ticket.number)


def _render_new(request, person, service, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "workspace/new_ticket.html",
        {
            "step": "ticket",
            "person": person,
            "service": service,
            "form": form,
            "change_service_url": _new_url(persoon=person.pk),
            "straight_to_department": service.routing == "department",
            "shortcut_page": "new",
        },
        status=status,
    )


def _render_service_step(request: HttpRequest, person) -> HttpResponse:
    """Pick the service: a search narrows the catalogue down (as you type with htmx)."""
    search = forms.ServiceSearchForm(request.GET)
    query = search.cleaned_data["zoek"] if search.is_valid() else ""
    services = list(service_list(query=query))
    # Bound when a service was asked for, so an unknown one shows as a field error.
    choose = forms.ServiceChoiceForm(
        request.GET if request.GET.get("dienst") else None, services=services
    )
    context = {
        "step": "service",
        "person": person,
        "service_form": choose,
        "search_form": search,
        "query": query,
        "service_count": len(services),
        "shortcut_page": "new",
    }
    if request.htmx:
        return render(request, "workspace/new_ticket.html#service-choice", context)
    status = 400 if choose.is_bound and not choose.is_valid() else 200
    return render(request, "workspace/new_ticket.html", context, status=status)


@agent_required
@require_POST
def new_person(request: HttpRequest) -> HttpResponse:
    """Record a caller who is not in the directory yet, then go on with their ticket."""
    form = forms.PersonCreateForm(request.POST, organizations=list(directory.organization_list()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = person_create(
                actor=request.user,
                organization=form.organizations[data["organization"]],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                mobile=data["mobile"],
                employee_number=data["employee_number"],
            )
        except EenloketError as exc:
            forms.apply_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect(_new_url(persoon=person.pk))
    return render(request, "workspace/new_ticket.html", _search_context(request, form), status=400)
