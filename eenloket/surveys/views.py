"""Survey pages: the customer's survey by mail link (no login) or in the portal, and the
staff's anonymous pulse. Thin: the services decide what is valid."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eenloket.core.exceptions import EenloketError, NotFound, ValidationFailed
from eenloket.directory.roles import STAFF_ROLES
from eenloket.surveys import selectors, services
from eenloket.surveys.exceptions import SurveyLinkExpired, SurveyLinkInvalid
from eenloket.surveys.forms import PulseForm, PulseRoundForm, SurveyForm, add_errors
from eenloket.tickets import selectors as tickets
from eenloket.tickets.exceptions import TicketNotFound


def _initial(response) -> dict:
    if response is None:
        return {}
    return {
        "grade": str(response.grade),
        "answered": "yes" if response.answered else "no",
        "comment": response.comment,
    }


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """The survey behind the mail link: works without logging in."""
    try:
        invitation = services.invitation_from_link(number=number, token=token)
    except SurveyLinkInvalid as exc:
        return render(request, "surveys/link_problem.html", {"message": exc.message}, status=404)
    response = getattr(invitation, "response", None)
    is_open = services.invitation_is_open(invitation)
    if not is_open:
        message = SurveyLinkExpired.default_message % {"days": services.open_days()}
        return render(
            request,
            "surveys/link_problem.html",
            {"message": message, "response": response},
            status=410,
        )
    form = SurveyForm(request.POST or None, initial=_initial(response))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                invitation=invitation,
                grade=form.cleaned_data["grade"],
                answered=form.answered_value(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc.field_errors)
            status = 400
        except SurveyLinkExpired as exc:
            return render(request, "surveys/link_problem.html", {"message": exc.message}, 410)
        else:
            messages.success(
                request,
                _("Thank you! You can change your answer until %(date)s.")
                % {"date": invitation.closes_at.strftime("%d-%m-%Y")},
            )
            return redirect(request.path)
    return render(
        request,
        "surveys/answer.html",
        {"form": form, "ticket": invitation.ticket, "invitation": invitation, "response": response},
        status=status,
    )


@login_required
@require_POST
def portal_answer(request: HttpRequest, number: str) -> HttpResponse:
    """The survey form on a resolved ticket in the portal posts here."""
    try:
        ticket = tickets.ticket_for_customer(actor=request.user, number=number)
    except TicketNotFound:
        raise Http404(_("No such ticket.")) from None
    form = SurveyForm(request.POST)
    form.is_valid()
    try:
        services.survey_answer_by_customer(
            actor=request.user,
            ticket=ticket,
            grade=form.cleaned_data.get("grade"),
            answered=form.answered_value(),
            comment=form.cleaned_data.get("comment", ""),
        )
    except NotFound:
        raise Http404(_("No such ticket.")) from None
    except ValidationFailed as exc:
        add_errors(form, exc.field_errors)
        survey = selectors.survey_for_customer(actor=request.user, ticket=ticket)
        return render(
            request,
            "surveys/portal_survey_page.html",
            {"form": form, "ticket": ticket, "survey": survey},
            status=400,
        )
    except EenloketError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for your answer!"))
    return redirect(reverse("portal:ticket", args=[ticket.number]) + "#tevredenheid")


def _staff_required(request: HttpRequest) -> None:
    if request.user.role not in STAFF_ROLES:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def pulse(request: HttpRequest) -> HttpResponse:
    """The open round of the anonymous employee pulse."""
    _staff_required(request)
    round_ = selectors.pulse_round_current(actor=request.user)
    answered = round_ is not None and selectors.pulse_has_answered(
        actor=request.user, round_id=round_.pk
    )
    form = PulseForm(request.POST or None)
    status = 200
    if request.method == "POST" and round_ is not None and not answered and form.is_valid():
        try:
            services.pulse_answer(
                actor=request.user,
                round_id=round_.pk,
                job_grade=form.cleaned_data["job_grade"],
                way_grade=form.cleaned_data["way_grade"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc.field_errors)
            status = 400
        except EenloketError as exc:
            messages.error(request, exc.message)
            return redirect("surveys:pulse")
        else:
            messages.success(request, _("Thank you! Your answer is stored without your name."))
            return redirect("surveys:pulse")
    return render(
        request,
        "surveys/pulse.html",
        {"round": round_, "answered": answered, "form": form},
        status=status,
    )


@login_required
def pulse_results(request: HttpRequest) -> HttpResponse:
    """The last closed rounds' results; an open round shows none until it closes."""
    if not selectors.pulse_results_allowed(request.user):
        raise PermissionDenied
    closed = [r for r in selectors.pulse_rounds() if selectors.round_is_closed(r)]
    results = [selectors.pulse_results(round_id=r.pk) for r in closed[:6]]
    return render(
        request,
        "surveys/pulse_results.html",
        {
            "results": results,
            "min_group": selectors.PULSE_MIN_GROUP,
            "can_manage": request.user.role in services.PULSE_ADMIN_ROLES,
        },
    )


# --- pulse rounds: open, follow, close ------------------------------------------------------


def _pulse_admin_required(request: HttpRequest) -> None:
    if request.user.role not in services.PULSE_ADMIN_ROLES:
        raise PermissionDenied


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), timezone.get_current_timezone())


@login_required
@require_http_methods(["GET", "POST"])
def pulse_rounds(request: HttpRequest) -> HttpResponse:
    """The change lead's (and team lead's) page: every round, and a form to open one."""
    _pulse_admin_required(request)
    choices = selectors.pulse_group_choices()
    today = timezone.localdate()
    initial = {
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=13),
        "groups": [code for code, _label in choices],
    }
    # Bound on every POST, an empty one too: the checks below read what was sent.
    data = request.POST if request.method == "POST" else None
    form = PulseRoundForm(data, initial=initial, group_choices=choices)
    status = 200
    if request.method == "POST":
        form.is_valid()
        data = form.cleaned_data
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        try:
            round_ = services.pulse_round_open(
                actor=request.user,
                title=data.get("title", ""),
                opens_at=_local_midnight(opens_on) if opens_on else None,
                closes_at=_local_midnight(closes_on + dt.timedelta(days=1)) if closes_on else None,
                groups=data.get("groups", []),
                known_groups=[code for code, _label in choices],
            )
        except ValidationFailed as exc:
            errors = {
                ("closes_on" if k == "closes_at" else k): v for k, v in exc.field_errors.items()
            }
            add_errors(form, errors)
            status = 400
        else:
            message = (
                _("The round “%(title)s” is open.")
                if selectors.round_state(round_) == "open"
                else _("The round “%(title)s” is planned.")
            )
            messages.success(request, message % {"title": round_.title})
            return redirect("surveys:pulse_round", round_id=round_.pk)
    return render(
        request,
        "surveys/pulse_rounds.html",
        {"rounds": selectors.pulse_round_list(actor=request.user), "form": form},
        status=status,
    )


@login_required
@require_GET
def pulse_round(request: HttpRequest, round_id: int) -> HttpResponse:
    """Follow one round: who is invited, how many answered, and once closed the results."""
    _pulse_admin_required(request)
    try:
        status = selectors.pulse_round_status(actor=request.user, round_id=round_id)
    except NotFound:
        raise Http404(_("No such round.")) from None
    return render(
        request,
        "surveys/pulse_round.html",
        {"status": status, "min_group": selectors.PULSE_MIN_GROUP},
    )


@login_required
@require_POST
def pulse_round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    _pulse_admin_required(request)
    try:
        round_ = services.pulse_round_close(actor=request.user, round_id=round_id)
    except NotFound:
        raise Http404(_("No such round.")) from None
    except EenloketError as exc:
        messages.error(request, exc.message)
        return redirect("surveys:pulse_round", round_id=round_id)
    if round_.pk is None:  # a planned round is withdrawn
        messages.success(request, _("The planned round is withdrawn."))
        return redirect("surveys:pulse_rounds")
    messages.success(request, _("The round is closed; its results can be read below."))
    return redirect("surveys:pulse_round", round_id=round_id)
