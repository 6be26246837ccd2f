"""The customer portal: my tickets, one ticket with its public timeline, a new request.

Every logged-in user is a customer here, staff too: a specialist of one department asks the
others for help like anyone else. What they see is their customer scope, never their queue.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eenloket.catalog.exceptions import UnknownService
from eenloket.catalog.selectors import request_fields, service_get, service_list
from eenloket.core.exceptions import EenloketError
from eenloket.directory.selectors import person_for_user
from eenloket.portal import forms
from eenloket.tickets import selectors as tickets
from eenloket.tickets import services as ticket_services
from eenloket.tickets.choices import Channel, Status
from eenloket.tickets.exceptions import TicketNotFound


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The customer's tickets, newest first."""
    return render(
        request,
        "portal/home.html",
        {
            "tickets": tickets.customer_ticket_list(actor=request.user),
            "person": person_for_user(request.user),
        },
    )


def _ticket_or_404(request: HttpRequest, number: str):
    try:
        return tickets.ticket_for_customer(actor=request.user, number=number)
    except TicketNotFound:
        raise Http404(_("No such ticket.")) from None


def _render_ticket(request, ticket, form=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "portal/ticket.html",
        {
            "ticket": ticket,
            "timeline": tickets.ticket_timeline(ticket=ticket, internal=False),
            "form": form or forms.CustomerReplyForm(),
            "can_reply": ticket.status != Status.CLOSED,
        },
        status=status,
    )


@login_required
@require_GET
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_ticket(request, _ticket_or_404(request, number))


@login_required
@require_POST
def reply(request: HttpRequest, number: str) -> HttpResponse:
    """The customer answers; a resolved ticket reopens, a waiting one goes on."""
    ticket = _ticket_or_404(request, number)
    form = forms.CustomerReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_ticket(request, ticket, form, status=400)
    person = person_for_user(request.user)
    if person is None:
        form.add_error(None, _("Your login has no customer record. Ask the service desk."))
        return _render_ticket(request, ticket, form, status=400)
    try:
        ticket_services.ticket_add_customer_message(
            actor=request.user,
            ticket=ticket,
            person=person,
            body=form.cleaned_data["body"],
            channel=Channel.PORTAL,
            files=forms.uploads_from(form.cleaned_data["files"]),
        )
    except TicketNotFound:
        raise Http404(_("No such ticket.")) from None
    except EenloketError as exc:
        if exc.field_errors:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            form.add_error("files" if exc.code == "upload_rejected" else None, exc.message)
        return _render_ticket(request, ticket, form, status=400)
    messages.success(request, _("Your message was sent."))
    return redirect("portal:ticket", number=ticket.number)


@login_required
def new_request(request: HttpRequest) -> HttpResponse:
    """Pick a service from the catalogue, then fill in its request form."""
    person = person_for_user(request.user)
    service = None
    if request.GET.get("dienst"):
        try:
            service = service_get(service_id=request.GET["dienst"])
        except UnknownService:
            messages.error(request, _("Unknown service: pick a service from the catalogue."))
    if person is None or service is None:
        groups: dict[str, list] = {}
        for item in service_list():
            groups.setdefault(item.department.name, []).append(item)
        return render(
            request,
            "portal/new_request.html",
            {"step": "service", "person": person, "groups": groups},
        )
    fields = request_fields(service)
    if request.method != "POST":
        form = forms.RequestForm(request_fields=fields)
        return _render_new(request, service, form)
    form = forms.RequestForm(request.POST, request.FILES, request_fields=fields)
    if not form.is_valid():
        return _render_new(request, service, form, status=400)
    try:
        ticket = ticket_services.ticket_open(
            actor=request.user,
            requester=person,
            service=service.pk,
            channel=Channel.PORTAL,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            form_data=form.form_data(),
            files=form.uploads(),
        )
    except EenloketError as exc:
        form.apply_error(exc)
        return _render_new(request, service, form, status=400)
    messages.success(
        request, _("Your request was received as ticket %(number)s.") % {"number": ticket.number}
    )
    return redirect("portal:ticket", number=ticket.number)


def _render_new(request, service, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "portal/new_request.html",
        {"step": "form", "service": service, "form": form},
        status=status,
    )
