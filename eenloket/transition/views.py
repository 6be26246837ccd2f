"""The transition pages: thin adapters over the transition's selectors and services. A service
error re-renders the form with the typed values kept; success redirects (POST/redirect/GET)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eenloket.core.exceptions import EenloketError, NotFound
from eenloket.directory.selectors import department_list
from eenloket.transition import access, forms, selectors, services
from eenloket.transition.models import ELEMENTS, Element, Message, Phase


def _requires(may_enter: Callable[[Any], bool]):
    """Logged in and allowed in (else 403); a selector's NotFound becomes a 404."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not may_enter(request.user):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFound as error:
                raise Http404(str(error.message)) from None

        return login_required(wrapper)

    return decorator


viewer_required = _requires(access.can_view)
staff_required = _requires(lambda user: user.is_desk_staff)


def _show_errors(form, error: EenloketError) -> None:
    for field, texts in error.field_errors.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)
    if not error.field_errors:
        form.add_error(None, str(error.message))


# --- overview and onboarding ----------------------------------------------------------------


@staff_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not access.can_view(request.user):
        return redirect("transition:mine")  # an employee's own part of the transition
    return render(
        request,
        "transition/overview.html",
        {
            "summaries": selectors.transition_overview(actor=request.user),
            "not_started": list(selectors.departments_without_transition()),
            "heat_map": selectors.heat_map(actor=request.user),
            "elements": Element.choices,
            "can_manage": access.can_manage(request.user),
        },
    )


@viewer_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    department = department_list().filter(code=request.POST.get("department", "")).first()
    if department is None:
        messages.error(request, _("Choose a department to start."))
        return redirect("transition:overview")
    try:
        services.transition_start(actor=request.user, department=department)
    except EenloketError as error:
        messages.error(request, str(error.message))
        return redirect("transition:overview")
    return redirect("transition:department", code=department.code)


def _department_page(request, summary, *, status=200, **forms_):
    context = {
        "summary": summary,
        "transition": summary.transition,
        "phase_form": forms.PhaseForm(initial={"phase": summary.transition.phase}),
        "checklist_form": forms.ChecklistItemForm(),
        "phases": Phase.choices,
        "can_manage": access.can_manage(request.user),
        **forms_,
    }
    return render(request, "transition/department.html", context, status=status)


@viewer_required
@require_GET
def department(request: HttpRequest, code: str) -> HttpResponse:
    summary = selectors.transition_for_department(actor=request.user, department_code=code)
    return _department_page(request, summary)


@viewer_required
@require_POST
def set_phase(request: HttpRequest, code: str) -> HttpResponse:
    summary = selectors.transition_for_department(actor=request.user, department_code=code)
    form = forms.PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.transition_set_phase(
                actor=request.user, transition=summary.transition, phase=form.cleaned_data["phase"]
            )
        except EenloketError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The phase is changed."))
            return redirect("transition:department", code=code)
    return _department_page(request, summary, phase_form=form, status=400)


@viewer_required
@require_POST
def checklist_add(request: HttpRequest, code: str) -> HttpResponse:
    summary = selectors.transition_for_department(actor=request.user, department_code=code)
    form = forms.ChecklistItemForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(
                actor=request.user, transition=summary.transition, **form.cleaned_data
            )
        except EenloketError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Added to the checklist."))
            return redirect("transition:department", code=code)
    return _department_page(request, summary, checklist_form=form, status=400)


@viewer_required
@require_POST
def checklist_toggle(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.checklist_item_get(actor=request.user, item_id=item_id)
    try:
        services.checklist_item_set_done(
            actor=request.user, item=item, done=request.POST.get("done") == "1"
        )
    except EenloketError as error:
        messages.error(request, str(error.message))
    return redirect("transition:department", code=item.transition.department.code)


@viewer_required
@require_POST
def readiness(request: HttpRequest, readiness_id: int) -> HttpResponse:
    row = selectors.readiness_get(actor=request.user, readiness_id=readiness_id)
    form = forms.ReadinessForm(request.POST)
    code = row.transition.department.code
    if not form.is_valid():
        messages.error(request, _("The script may be at most 200 characters."))
        return redirect("transition:department", code=code)
    try:
        services.readiness_update(actor=request.user, readiness=row, **form.cleaned_data)
    except EenloketError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved: %(service)s.") % {"service": row.service.name})
    return redirect(f"{_department_url(code)}#service-{row.pk}")


def _department_url(code: str) -> str:
    from django.urls import reverse

    return reverse("transition:department", kwargs={"code": code})


# --- ADKAR ----------------------------------------------------------------------------------


def _group_page(request, group, *, status=200, **forms_):
    results = selectors.round_results(group=group)
    open_round = next((r.round for r in results if r.round.is_open), None)
    newest = results[-1] if results else None
    context = {
        "group": group,
        "results": results,
        "newest": newest,
        "open_round": open_round,
        "individuals": selectors.individual_assessments(
            actor=request.user, assessment_round=newest.round
        )
        if newest
        else [],
        "sees_individuals": access.sees_individual_scores(request.user, group=group),
        "actions": selectors.actions_for_group(group=group),
        "pulse": selectors.pulse_beside(group),
        "suggestions": [
            (value, label, selectors.SUGGESTED_ACTIONS[value]) for value, label in Element.choices
        ],
        "elements": Element.choices,
        "element_keys": ELEMENTS,
        "can_manage": access.can_manage(request.user),
        "round_form": forms.RoundOpenForm(),
        "action_form": forms.ActionForm(owners=selectors.action_owners()),
        **forms_,
    }
    return render(request, "transition/group.html", context, status=status)


@login_required
@require_GET
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    try:
        found = selectors.group_get(actor=request.user, group_id=group_id)
    except NotFound:
        raise Http404 from None
    return _group_page(request, found)


@viewer_required
@require_POST
def round_open(request: HttpRequest, group_id: int) -> HttpResponse:
    found = selectors.group_get(actor=request.user, group_id=group_id)
    form = forms.RoundOpenForm(request.POST)
    if form.is_valid():
        try:
            services.round_open(actor=request.user, group=found, title=form.cleaned_data["title"])
        except EenloketError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The assessment round is open."))
            return redirect("transition:group", group_id=found.pk)
    return _group_page(request, found, round_form=form, status=400)


@viewer_required
@require_POST
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    assessment_round = selectors.round_get(actor=request.user, round_id=round_id)
    try:
        services.round_close(actor=request.user, assessment_round=assessment_round)
    except EenloketError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The assessment round is closed."))
    return redirect("transition:group", group_id=assessment_round.group_id)


@viewer_required
@require_POST
def action_create(request: HttpRequest, group_id: int) -> HttpResponse:
    found = selectors.group_get(actor=request.user, group_id=group_id)
    form = forms.ActionForm(request.POST, owners=selectors.action_owners())
    if form.is_valid():
        try:
            services.action_create(actor=request.user, group=found, **form.cleaned_data)
        except EenloketError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The action is planned."))
            return redirect("transition:group", group_id=found.pk)
    return _group_page(request, found, action_form=form, status=400)


@staff_required
@require_POST
def action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get(actor=request.user, action_id=action_id)
    try:
        services.action_mark_done(actor=request.user, action=action)
    except EenloketError as error:
        messages.error(request, str(error.message))
    return redirect("transition:group", group_id=action.group_id)


@staff_required
def assess(request: HttpRequest, round_id: int) -> HttpResponse:
    """Enter ADKAR scores: one's own, or as supervisor or change lead for a group member."""
    assessment_round = selectors.round_get(actor=request.user, round_id=round_id)
    members = selectors.round_members(actor=request.user, assessment_round=assessment_round)
    status = 200
    if request.method == "POST":
        form = forms.AssessmentForm(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.assessment_submit(
                    actor=request.user,
                    assessment_round=assessment_round,
                    employee=data["employee"],
                    scores={element: data[element] for element in ELEMENTS},
                    comment=data["comment"],
                )
            except EenloketError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("The scores are saved."))
                if access.sees_individual_scores(request.user, group=assessment_round.group):
                    return redirect("transition:assess", round_id=assessment_round.pk)
                return redirect("transition:mine")
        status = 400
    else:
        form = forms.AssessmentForm(members=members, initial={"employee": request.user.pk})
    return render(
        request,
        "transition/assess.html",
        {"round": assessment_round, "form": form, "elements": Element.choices},
        status=status,
    )


@staff_required
@require_GET
def my_adkar(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transition/mine.html",
        {"rounds": selectors.my_rounds(actor=request.user), "element_keys": ELEMENTS},
    )


# --- communication and sponsorship ----------------------------------------------------------


def _communication_page(request, *, status=200, **forms_):
    context = {
        "plan": selectors.communication_plan(actor=request.user),
        "heard": selectors.heard_counts(actor=request.user),
        "kinds": Message.Kind.choices,
        "target": selectors.HEARD_TARGET,
        "can_manage": access.can_manage(request.user),
        "message_form": forms.MessageForm(groups=selectors.groups_for(request.user)),
        **forms_,
    }
    return render(request, "transition/communication.html", context, status=status)


@viewer_required
def communication(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _communication_page(request)
    form = forms.MessageForm(request.POST, groups=selectors.groups_for(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.message_plan(
                actor=request.user, **{**data, "audience": list(data["audience"])}
            )
        except EenloketError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The message is in the plan."))
            return redirect("transition:communication")
    return _communication_page(request, message_form=form, status=400)


@viewer_required
@require_POST
def message_sent(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get(actor=request.user, message_id=message_id)
    form = forms.SentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date on which the message was sent."))
        return redirect("transition:communication")
    try:
        services.message_mark_sent(actor=request.user, message=message, **form.cleaned_data)
    except EenloketError as error:
        texts = [text for field_texts in error.field_errors.values() for text in field_texts]
        messages.error(request, " ".join(texts) or str(error.message))
    else:
        messages.success(request, _("Marked as sent."))
    return redirect("transition:communication")


def _sponsors_page(request, *, status=200, failed=None):
    context = {
        "sponsors": selectors.sponsor_map(actor=request.user),
        "can_manage": access.can_manage(request.user),
        "act_form": forms.SponsorActForm(),
        "failed": failed,
    }
    return render(request, "transition/sponsors.html", context, status=status)


@viewer_required
@require_GET
def sponsors(request: HttpRequest) -> HttpResponse:
    return _sponsors_page(request)


@viewer_required
@require_POST
def sponsor_act(request: HttpRequest, sponsor_id: int) -> HttpResponse:
    sponsor = selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    form = forms.SponsorActForm(request.POST)
    if form.is_valid():
        try:
            services.sponsor_act_record(actor=request.user, sponsor=sponsor, **form.cleaned_data)
        except EenloketError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The act is recorded."))
            return redirect("transition:sponsors")
    return _sponsors_page(request, status=400, failed=(sponsor.pk, form))
