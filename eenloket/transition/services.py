"""Every write of the transition: onboarding, ADKAR rounds and scores, actions, the
communication plan and sponsorship. Each checks who acts and records it in the audit trail."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eenloket.catalog.selectors import service_list
from eenloket.core import clock
from eenloket.core.exceptions import NotAllowed, ValidationFailed
from eenloket.core.services import audit_record
from eenloket.transition import access
from eenloket.transition.exceptions import (
    InvalidScores,
    MayNotAssess,
    NotInGroup,
    RoundAlreadyOpen,
    RoundClosed,
)
from eenloket.transition.models import (
    ELEMENTS,
    Assessment,
    AssessmentRound,
    ChangeAction,
    ChangeGroup,
    ChecklistItem,
    Element,
    Message,
    Phase,
    ServiceReadiness,
    Sponsor,
    SponsorAct,
    Transition,
)


def _today() -> date:
    return timezone.localdate(clock.now())


def _require_manager(actor) -> None:
    if not access.can_manage(actor):
        raise NotAllowed()


# --- department onboarding ----------------------------------------------------------------


@transaction.atomic
def transition_start(*, actor, department) -> Transition:
    """Open (or refresh) a department's transition: one checklist row per active service."""
    _require_manager(actor)
    transition, created = Transition.objects.get_or_create(
        department=department, defaults={"updated_at": clock.now()}
    )
    known = set(
        ServiceReadiness.objects.filter(transition=transition).values_list("service_id", flat=True)
    )
    ServiceReadiness.objects.bulk_create(
        ServiceReadiness(transition=transition, service=service)
        for service in service_list(department_id=department.pk)
        if service.pk not in known
    )
    if created:
        audit_record(actor=actor, obj=transition, action="transition_start")
    return transition


@transaction.atomic
def transition_set_phase(*, actor, transition: Transition, phase: str) -> Transition:
    _require_manager(actor)
    if phase not in Phase.values:
        raise ValidationFailed(field_errors={"phase": [_("Choose one of the phases.")]})
    old = transition.phase
    transition.phase = phase
    if phase in (Phase.LIVE, Phase.REINFORCED) and transition.live_since is None:
        transition.live_since = _today()
    if phase not in (Phase.LIVE, Phase.REINFORCED):
        transition.live_since = None
    transition.updated_at = clock.now()
    transition.save(update_fields=["phase", "live_since", "updated_at"])
    audit_record(actor=actor, obj=transition, action="phase", changes={"phase": (old, phase)})
    return transition


@transaction.atomic
def readiness_update(
    *,
    actor,
    readiness: ServiceReadiness,
    script_ready: bool,
    routing_agreed: bool,
    script_reference: str = "",
) -> ServiceReadiness:
    _require_manager(actor)
    changes = {
        "script_ready": (readiness.script_ready, script_ready),
        "routing_agreed": (readiness.routing_agreed, routing_agreed),
        "script_reference": (readiness.script_reference, script_reference.strip()),
    }
    readiness.script_ready = script_ready
    readiness.routing_agreed = routing_agreed
    readiness.script_reference = script_reference.strip()[:200]
    readiness.save(update_fields=["script_ready", "routing_agreed", "script_reference"])
    audit_record(actor=actor, obj=readiness, action="readiness", changes=changes)
    return readiness


@transaction.atomic
def checklist_item_add(*, actor, transition: Transition, kind: str, title: str) -> ChecklistItem:
    _require_manager(actor)
    title = title.strip()
    errors = {}
    if not title:
        errors["title"] = [_("Say what has to be arranged.")]
    if kind not in ChecklistItem.Kind.values:
        errors["kind"] = [_("Choose a kind.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    item = ChecklistItem.objects.create(transition=transition, kind=kind, title=title[:200])
    audit_record(actor=actor, obj=item, action="checklist_add")
    return item


@transaction.atomic
def checklist_item_set_done(*, actor, item: ChecklistItem, done: bool) -> ChecklistItem:
    _require_manager(actor)
    item.done = done
    item.done_at = clock.now() if done else None
    item.done_by = actor if done else None
    item.save(update_fields=["done", "done_at", "done_by"])
    audit_record(actor=actor, obj=item, action="checklist_done" if done else "checklist_undone")
    return item


# --- ADKAR ----------------------------------------------------------------------------------


@transaction.atomic
def round_open(*, actor, group: ChangeGroup, title: str) -> AssessmentRound:
    _require_manager(actor)
    title = title.strip()
    if not title:
        raise ValidationFailed(field_errors={"title": [_("Give the round a title.")]})
    if AssessmentRound.objects.select_for_update().filter(group=group, closed_at=None).exists():
        raise RoundAlreadyOpen()
    assessment_round = AssessmentRound.objects.create(
        group=group, title=title[:100], opened_at=clock.now(), opened_by=actor
    )
    audit_record(actor=actor, obj=assessment_round, action="round_open")
    return assessment_round


@transaction.atomic
def round_close(*, actor, assessment_round: AssessmentRound) -> AssessmentRound:
    _require_manager(actor)
    if not assessment_round.is_open:
        raise RoundClosed()
    assessment_round.closed_at = clock.now()
    assessment_round.save(update_fields=["closed_at"])
    audit_record(actor=actor, obj=assessment_round, action="round_close")
    return assessment_round


def _clean_scores(scores: dict) -> dict[str, int]:
    cleaned, errors = {}, {}
    for element in ELEMENTS:
        value = scores.get(element)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or str(value).strip() != str(number) or not 1 <= number <= 5:
            errors[element] = [_("Give a whole score from 1 to 5.")]
        else:
            cleaned[element] = number
    if errors:
        raise InvalidScores(field_errors=errors)
    return cleaned


@transaction.atomic
def assessment_submit(
    *, actor, assessment_round: AssessmentRound, employee, scores: dict, comment: str = ""
) -> Assessment:
    """An employee's scores for this round (self-assessment, or by supervisor or change lead);
    entering them again while the round is open replaces the earlier ones."""
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    group = assessment_round.group
    if not access.sees_individual_scores(actor, group=group, employee=employee):
        raise MayNotAssess()
    if not assessment_round.is_open:
        raise RoundClosed()
    if not group.members.filter(pk=employee.pk).exists():
        raise NotInGroup()
    cleaned = _clean_scores(scores)
    values = {**cleaned, "comment": comment.strip(), "assessed_by": actor, "at": clock.now()}
    try:
        assessment, created = Assessment.objects.update_or_create(
            round=assessment_round, employee=employee, defaults=values
        )
    except IntegrityError:  # pragma: no cover - the checks above keep the constraints
        raise InvalidScores() from None
    audit_record(
        actor=actor,
        obj=assessment,
        action="assessment_submit" if created else "assessment_change",
    )
    return assessment


@transaction.atomic
def action_create(
    *, actor, group: ChangeGroup, element: str, description: str, owner, due_on: date | None
) -> ChangeAction:
    _require_manager(actor)
    errors = {}
    if element not in Element.values:
        errors["element"] = [_("Choose the barrier point this action addresses.")]
    if not description.strip():
        errors["description"] = [_("Describe the action.")]
    if owner is None:
        errors["owner"] = [_("Choose who owns the action.")]
    if due_on is None:
        errors["due_on"] = [_("Give a date.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    action = ChangeAction.objects.create(
        group=group,
        element=element,
        description=description.strip()[:300],
        owner=owner,
        due_on=due_on,
    )
    audit_record(actor=actor, obj=action, action="action_create")
    return action


@transaction.atomic
def action_mark_done(*, actor, action: ChangeAction) -> ChangeAction:
    if not (access.can_manage(actor) or actor.pk == action.owner_id):
        raise NotAllowed()
    if action.done_at is None:
        action.done_at = clock.now()
        action.save(update_fields=["done_at"])
        audit_record(actor=actor, obj=action, action="action_done")
    return action


# --- communication plan and sponsorship -----------------------------------------------------


@transaction.atomic
def message_plan(
    *,
    actor,
    title: str,
    audience: list[ChangeGroup],
    sender: str,
    channel: str,
    kind: str,
    planned_on: date | None,
    sender_name: str = "",
) -> Message:
    _require_manager(actor)
    errors = {}
    if not title.strip():
        errors["title"] = [_("Give the message a title.")]
    if not audience:
        errors["audience"] = [_("Choose at least one group.")]
    for field, value, choices in (
        ("sender", sender, Message.Sender.values),
        ("channel", channel, Message.Channel.values),
        ("kind", kind, Message.Kind.values),
    ):
        if value not in choices:
            errors[field] = [_("Choose one of the options.")]
    if planned_on is None:
        errors["planned_on"] = [_("Give a date.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    message = Message.objects.create(
        title=title.strip()[:200],
        sender=sender,
        sender_name=sender_name.strip()[:100],
        channel=channel,
        kind=kind,
        planned_on=planned_on,
    )
    message.audience.set(audience)
    audit_record(actor=actor, obj=message, action="message_plan")
    return message


@transaction.atomic
def message_mark_sent(*, actor, message: Message, sent_on: date | None = None) -> Message:
    _require_manager(actor)
    sent_on = sent_on or _today()
    if sent_on > _today():
        raise ValidationFailed(
            field_errors={"sent_on": [_("A message cannot be sent later than today.")]}
        )
    old = message.sent_on
    message.sent_on = sent_on
    message.save(update_fields=["sent_on"])
    audit_record(
        actor=actor, obj=message, action="message_sent", changes={"sent_on": (old, sent_on)}
    )
    return message


@transaction.atomic
def sponsor_act_record(*, actor, sponsor: Sponsor, on: date | None, description: str) -> SponsorAct:
    _require_manager(actor)
    errors = {}
    if not description.strip():
        errors["description"] = [_("Say what the sponsor did.")]
    if on is None:
        errors["on"] = [_("Give a date.")]
    elif on > _today():
        errors["on"] = [_("A visible act cannot lie in the future.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    act = SponsorAct.objects.create(sponsor=sponsor, on=on, description=description.strip()[:300])
    audit_record(actor=actor, obj=act, action="sponsor_act")
    return act
