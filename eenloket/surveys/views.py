"""Survey pages: the customer's survey by mail link (no login) or in the portal, and the
staff's anonymous pulse. Thin: the services decide what is valid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eenloket.core.exceptions import EenloketError, NotFound, ValidationFailed
from eenloket.directory.roles import STAFF_ROLES, Role
from eenloket.surveys import selectors, services
from eenloket.surveys.exceptions import SurveyLinkExpired, SurveyLinkInvalid
from eenloket.surveys.forms import PulseForm, SurveyForm, add_errors
from eenloket.tickets import selectors as tickets
from eenloket.tickets.exceptions import TicketNotFound

RESULT_ROLES = frozenset({Role.TEAM_LEAD, Role.CHANGE_LEAD, Role.ADMINISTRATOR})


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
    round_ = selectors.pulse_round_current()
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
    if request.user.role not in RESULT_ROLES:
        raise PermissionDenied
    rounds = selectors.pulse_rounds()
    results = [selectors.pulse_results(round_id=r.pk) for r in rounds[:6]]
    return render(
        request,
        "surveys/pulse_results.html",
        {"results": results, "min_group": selectors.PULSE_MIN_GROUP},
    )
