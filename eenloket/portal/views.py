"""The customer portal: search, the service catalogue, request forms, "my requests".

Every logged-in user is a customer here, staff too: a specialist of one department asks the
others for help like anyone else. What they see is their customer scope, never their queue.
Every action is a plain form POST followed by a redirect, so it all works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eenloket.catalog.exceptions import SlaTargetMissing, UnknownService
from eenloket.catalog.selectors import request_fields, service_catalogue, service_get, sla_targets
from eenloket.core.exceptions import EenloketError
from eenloket.portal import forms
from eenloket.tickets import selectors as tickets
from eenloket.tickets import services as ticket_services
from eenloket.tickets.choices import Channel, Status
from eenloket.tickets.exceptions import TicketNotFound

RECENT_ON_HOME = 5


def _person(request: HttpRequest):
    return tickets.customer_person(request.user)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Search, the catalogue by what customers need, and the latest of my requests."""
    recent, more = tickets.customer_requests(actor=request.user, limit=RECENT_ON_HOME)
    return render(
        request,
        "portal/home.html",
        {
            "person": _person(request),
            "search_form": forms.SearchForm(),
            "groups": service_catalogue(),
            "recent": recent,
            "more_requests": more is not None,
        },
    )


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search results. Services for now; other kinds of results (knowledge articles) get
    their own section in the template."""
    form = forms.SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        "portal/search.html",
        {
            "person": _person(request),
            "search_form": form,
            "query": query,
            "groups": service_catalogue(query=query) if query else [],
        },
    )


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The whole catalogue; `?dienst=` (old links) goes to that service's form."""
    if request.GET.get("dienst"):
        return redirect("portal:request", service_id=request.GET["dienst"])
    return render(
        request,
        "portal/catalogue.html",
        {"person": _person(request), "groups": service_catalogue()},
    )


def _service_or_404(service_id):
    try:
        return service_get(service_id=service_id)
    except UnknownService:
        raise Http404(_("No such service.")) from None


@login_required
@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest, service_id: str) -> HttpResponse:
    """A service's request form; on success the confirmation with number and response time."""
    service = _service_or_404(service_id)
    person = _person(request)
    fields = request_fields(service)
    if request.method != "POST" or person is None:
        form = forms.RequestForm(request_fields=fields)
        return _render_request(request, service, form, person)
    form = forms.RequestForm(request.POST, request.FILES, request_fields=fields)
    if not form.is_valid():
        return _render_request(request, service, form, person, status=400)
    try:
        ticket = ticket_services.ticket_open(
            actor=request.user,
            requester=person,
            service=service.pk,
            channel=Channel.PORTAL,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            form_data=form.form_data(),
            form_files=form.form_files(),
            files=form.uploads(),
        )
    except EenloketError as exc:
        forms.apply_service_error(form, exc)
        return _render_request(request, service, form, person, status=400)
    return redirect("portal:received", number=ticket.number)


def _render_request(request, service, form, person, status: int = 200) -> HttpResponse:
    return render(
        request,
        "portal/request_form.html",
        {"service": service, "form": form, "person": person},
        status=status,
    )


def _ticket_or_404(request: HttpRequest, number: str):
    try:
        return tickets.ticket_for_customer(actor=request.user, number=number)
    except TicketNotFound:
        raise Http404(_("No such ticket.")) from None


def _working_time(minutes: int) -> str:
    """A service-level target in words: "4 working hours", "30 working minutes"."""
    if minutes % 60:
        return ngettext("%(count)d working minute", "%(count)d working minutes", minutes) % {
            "count": minutes
        }
    hours = minutes // 60
    return ngettext("%(count)d working hour", "%(count)d working hours", hours) % {"count": hours}


@login_required
@require_GET
def received(request: HttpRequest, number: str) -> HttpResponse:
    """The confirmation after a request: its number and when to expect a response."""
    ticket = _ticket_or_404(request, number)
    try:
        response_target, _resolution = sla_targets(
            policy_id=ticket.service.sla_policy_id, priority=ticket.priority
        )
        target = _working_time(int(response_target.total_seconds() // 60))
    except SlaTargetMissing:
        target = ""
    return render(request, "portal/received.html", {"ticket": ticket, "target": target})


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    """All my requests (and with the right my organization's), newest first, by keyset."""
    status = request.GET.get("status", "")
    status = status if status in tickets.CUSTOMER_STATUS_GROUPS else ""
    sees_organization = tickets.customer_sees_organization(request.user)
    mine_only = sees_organization and request.GET.get("van") == "mij"
    after = tickets.CustomerCursor.decode(request.GET.get("na"))
    page, next_cursor = tickets.customer_requests(
        actor=request.user, status=status, mine_only=mine_only, after=after
    )
    query = request.GET.copy()
    query.pop("na", None)
    first_url = f"{reverse('portal:requests')}?{query.urlencode()}"
    next_url = ""
    if next_cursor is not None:
        query["na"] = next_cursor.encode()
        next_url = f"{reverse('portal:requests')}?{query.urlencode()}"
    return render(
        request,
        "portal/requests.html",
        {
            "tickets": page,
            "status": status,
            "sees_organization": sees_organization,
            "mine_only": mine_only,
            "next_url": next_url,
            "first_url": first_url,
            "is_later_page": after is not None,
        },
    )


def _render_ticket(request, ticket, *, message_form=None, solved_form=None, reopen_form=None):
    deadline = tickets.reopen_deadline(ticket)
    answers = []
    if ticket.form_data:
        labels = {field.key: field.label for field in request_fields(ticket.service)}
        answers = [(labels.get(key, key), value) for key, value in ticket.form_data.items()]
    failed = any(form is not None for form in (message_form, solved_form, reopen_form))
    return render(
        request,
        "portal/ticket.html",
        {
            "ticket": ticket,
            "answers": answers,
            "timeline": tickets.ticket_timeline(ticket=ticket, internal=False),
            "message_form": message_form or forms.MessageForm(),
            "solved_form": solved_form or forms.SolvedForm(prefix="solved"),
            "reopen_form": reopen_form or forms.ReopenForm(prefix="reopen"),
            "reopen_deadline": deadline,
            "may_reopen": tickets.customer_may_reopen(ticket),
            "awaiting_response": ticket.is_open and ticket.first_response_at is None,
            "Status": Status,
        },
        status=400 if failed else 200,
    )


@login_required
@require_GET
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_ticket(request, _ticket_or_404(request, number))


def _no_customer_record(form) -> None:
    form.add_error(None, _("Your login has no customer record. Ask the service desk."))


@login_required
@require_POST
def reply(request: HttpRequest, number: str) -> HttpResponse:
    """A message, a file, or both. A waiting ticket goes on."""
    ticket = _ticket_or_404(request, number)
    form = forms.MessageForm(request.POST, request.FILES)
    person = _person(request)
    if form.is_valid() and person is None:
        _no_customer_record(form)
    if not form.is_valid():
        return _render_ticket(request, ticket, message_form=form)
    files = forms.uploads_from(form.cleaned_data["files"])
    try:
        if ticket.status == Status.RESOLVED:
            # A message on a solved ticket reopens it: only within the reopen period.
            ticket_services.ticket_customer_reopen(
                actor=request.user,
                ticket=ticket,
                person=person,
                reason=form.cleaned_data["body"],
                channel=Channel.PORTAL,
                files=files,
            )
        else:
            ticket_services.ticket_add_customer_message(
                actor=request.user,
                ticket=ticket,
                person=person,
                body=form.cleaned_data["body"],
                channel=Channel.PORTAL,
                files=files,
            )
    except TicketNotFound:
        raise Http404(_("No such ticket.")) from None
    except EenloketError as exc:
        forms.apply_service_error(form, exc, fallback="body", aliases={"reason": "body"})
        return _render_ticket(request, ticket, message_form=form)
    messages.success(request, _("Your message was sent."))
    return redirect("portal:ticket", number=ticket.number)


@login_required
@require_POST
def mark_solved(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket_or_404(request, number)
    form = forms.SolvedForm(request.POST, prefix="solved")
    person = _person(request)
    if form.is_valid() and person is None:
        _no_customer_record(form)
    if not form.is_valid():
        return _render_ticket(request, ticket, solved_form=form)
    try:
        ticket_services.ticket_customer_resolve(
            actor=request.user,
            ticket=ticket,
            person=person,
            comment=form.cleaned_data["comment"],
            channel=Channel.PORTAL,
        )
    except TicketNotFound:
        raise Http404(_("No such ticket.")) from None
    except EenloketError as exc:
        forms.apply_service_error(form, exc)
        return _render_ticket(request, ticket, solved_form=form)
    messages.success(request, _("Thank you. Your request is marked as solved."))
    return redirect("portal:ticket", number=ticket.number)


@login_required
@require_POST
def reopen(request: HttpRequest, number: str) -> HttpResponse:
    ticket = _ticket_or_404(request, number)
    form = forms.ReopenForm(request.POST, request.FILES, prefix="reopen")
    person = _person(request)
    if form.is_valid() and person is None:
        _no_customer_record(form)
    if not form.is_valid():
        return _render_ticket(request, ticket, reopen_form=form)
    try:
        ticket_services.ticket_customer_reopen(
            actor=request.user,
            ticket=ticket,
            person=person,
            reason=form.cleaned_data["reason"],
            channel=Channel.PORTAL,
            files=forms.uploads_from(form.cleaned_data["files"]),
        )
    except TicketNotFound:
        raise Http404(_("No such ticket.")) from None
    except EenloketError as exc:
        forms.apply_service_error(form, exc)
        return _render_ticket(request, ticket, reopen_form=form)
    messages.success(request, _("Your request is open again. We will get back to you."))
    return redirect("portal:ticket", number=ticket.number)
