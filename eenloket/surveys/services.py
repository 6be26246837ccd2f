"""Every write of the surveys: invitations, answers, alerts to the team lead, the pulse.

Customer satisfaction: a resolved ticket gets one invitation (unless its customer was asked
less than `EENLOKET_SURVEY_MIN_DAYS_BETWEEN` days ago). Its link is signed (Django's signing
with the secret key, a salt and a per-invitation nonce), names one ticket, and takes answers
and changes for `EENLOKET_SURVEY_OPEN_DAYS` days. A "no" or a grade of
`EENLOKET_SURVEY_ALERT_MAX_GRADE` or lower alerts the team leads.

Employee pulse: an answer stores the group (department) and the grades, never the person; a
separate participation row says only that the person answered the round.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.core import clock
from eenloket.core.exceptions import NotAllowed, NotFound, ValidationFailed
from eenloket.directory.roles import DESK_WIDE_ROLES, STAFF_ROLES, Role
from eenloket.surveys.exceptions import (
    PulseAlreadyAnswered,
    PulseClosed,
    SurveyLinkExpired,
    SurveyLinkInvalid,
)
from eenloket.surveys.models import (
    PulseAnswer,
    PulseParticipation,
    PulseRound,
    SatisfactionAlert,
    SurveyInvitation,
    SurveyResponse,
)
from eenloket.tickets import services as ticket_services

if TYPE_CHECKING:
    from eenloket.directory.models import User

SALT = "eenloket.surveys.invitation"
MAX_COMMENT = 2000
# Who may follow up alerts and open pulse rounds.
LEAD_ROLES = frozenset({Role.TEAM_LEAD, Role.ADMINISTRATOR})
# Who may open, close and follow pulse rounds.
PULSE_ADMIN_ROLES = frozenset({Role.CHANGE_LEAD, Role.TEAM_LEAD, Role.ADMINISTRATOR})
DESK_GROUP = "servicedesk"


def open_days() -> int:
    return int(getattr(settings, "EENLOKET_SURVEY_OPEN_DAYS", 14))


def min_days_between() -> int:
    return int(getattr(settings, "EENLOKET_SURVEY_MIN_DAYS_BETWEEN", 30))


def alert_max_grade() -> int:
    return int(getattr(settings, "EENLOKET_SURVEY_ALERT_MAX_GRADE", 5))


# --- invitations and links -----------------------------------------------------------------


def _recently_asked(person_id: int, at: datetime) -> bool:
    since = at - timedelta(days=min_days_between())
    return SurveyInvitation.objects.filter(
        person_id=person_id, created_at__gt=since, created_at__lte=at
    ).exists()


def invitation_for_ticket(ticket: Any) -> SurveyInvitation | None:
    """The ticket's invitation, made now if its customer may be asked; else None.

    Idempotent: a ticket reopened and resolved again keeps its one invitation.
    """
    existing = SurveyInvitation.objects.filter(ticket_id=ticket.pk).first()
    if existing is not None:
        return existing
    if ticket.resolved_at is None:
        return None
    at = ticket.resolved_at
    if _recently_asked(ticket.requester_id, at):
        return None
    try:
        with transaction.atomic():
            return SurveyInvitation.objects.create(
                ticket_id=ticket.pk,
                person_id=ticket.requester_id,
                nonce=secrets.token_hex(16),
                created_at=at,
                closes_at=at + timedelta(days=open_days()),
                organization_id=ticket.organization_id,
                department_id=ticket.department_id,
                service_id=ticket.service_id,
                channel=ticket.channel,
            )
    except IntegrityError:  # made at the same moment by the mail channel's call
        return SurveyInvitation.objects.filter(ticket_id=ticket.pk).first()


def invitation_create_for_resolved(ticket: Any) -> None:
    """The hook the tickets app calls after a resolution is committed."""
    invitation_for_ticket(ticket)


def survey_token(invitation: SurveyInvitation) -> str:
    return signing.dumps([invitation.pk, invitation.nonce], salt=SALT, compress=True)


def survey_link_for(ticket: Any) -> str | None:
    """The path of the ticket's survey page (prefix the site's address), or None when this
    customer is not asked this time. For the mail channel's "your ticket is resolved" mail."""
    invitation = invitation_for_ticket(ticket)
    if invitation is None:
        return None
    return reverse("surveys:answer", args=[ticket.number, survey_token(invitation)])


def invitation_from_link(*, number: str, token: str) -> SurveyInvitation:
    """The invitation a link names. Tampered, unknown, or for another ticket: invalid.
    Expiry is checked when answering, so an old answer can still be shown."""
    try:
        pk, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise SurveyLinkInvalid() from None
    invitation = (
        SurveyInvitation.objects.select_related("ticket", "response")
        .filter(pk=pk, nonce=nonce)
        .first()
    )
    if invitation is None or invitation.ticket.number != number:
        raise SurveyLinkInvalid()
    return invitation


def invitation_is_open(invitation: SurveyInvitation) -> bool:
    return clock.now() <= invitation.closes_at


# --- answers -------------------------------------------------------------------------------


def _clean_answer(grade: Any, answered: Any, comment: str | None) -> tuple[int, bool, str]:
    errors: dict[str, list[str]] = {}
    try:
        grade_value = int(grade)
    except (TypeError, ValueError):
        grade_value = None
    if grade_value is None or not 1 <= grade_value <= 10:
        errors["grade"] = [_("Give a grade from 1 to 10.")]
    if answered not in (True, False):
        errors["answered"] = [_("Say whether your question was answered.")]
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [_("At most %(max)s characters.") % {"max": MAX_COMMENT}]
    if errors:
        raise ValidationFailed(field_errors=errors)
    return grade_value, answered, comment


def _is_alarming(response: SurveyResponse) -> bool:
    return response.grade <= alert_max_grade() or not response.answered


@transaction.atomic
def survey_answer(
    *,
    invitation: SurveyInvitation,
    grade: Any,
    answered: Any,
    comment: str = "",
) -> SurveyResponse:
    """Record or change the answer to the ticket's survey, while it is open."""
    grade, answered, comment = _clean_answer(grade, answered, comment)
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation_is_open(invitation):
        raise SurveyLinkExpired(SurveyLinkExpired.default_message % {"days": open_days()})
    ticket = invitation.ticket
    at = clock.now()
    response = SurveyResponse.objects.filter(invitation=invitation).first()
    if response is None:
        response = SurveyResponse(
            invitation=invitation,
            ticket_id=ticket.pk,
            organization_id=ticket.organization_id,
            department_id=ticket.department_id,
            service_id=ticket.service_id,
            channel=ticket.channel,
            resolved_at=invitation.created_at,
            created_at=at,
        )
    response.grade, response.answered, response.comment = grade, answered, comment
    response.updated_at = at
    response.save()
    # One alert per response; a later, better answer leaves it for the team lead to close.
    if _is_alarming(response) and not response.alerts.exists():
        alert = SatisfactionAlert.objects.create(response=response, created_at=at)
        transaction.on_commit(lambda: _enqueue_alert_mail(alert.pk))
    # The webhooks app can emit "satisfaction received" here once it exists.
    return response


def survey_answer_by_customer(
    *, actor: User, ticket: Any, grade: Any, answered: Any, comment: str = ""
) -> SurveyResponse:
    """The portal's way in: only the customer who asked may answer, on their own ticket."""
    invitation = SurveyInvitation.objects.filter(ticket_id=ticket.pk).first()
    if invitation is None or invitation.person.user_id != actor.pk:
        raise NotFound()
    return survey_answer(invitation=invitation, grade=grade, answered=answered, comment=comment)


def _enqueue_alert_mail(alert_id: int) -> None:
    from eenloket.surveys.tasks import alert_mail_send

    alert_mail_send.enqueue(alert_id=alert_id)


# --- alerts --------------------------------------------------------------------------------


def _lead_only(actor: User) -> None:
    if getattr(actor, "role", None) not in LEAD_ROLES:
        raise NotAllowed()


def _open_alert(alert_id: int) -> SatisfactionAlert:
    alert = (
        SatisfactionAlert.objects.select_for_update()
        .select_related("response__ticket")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        raise NotFound()
    return alert


@transaction.atomic
def alert_handle(*, actor: User, alert_id: int) -> SatisfactionAlert:
    """The team lead has followed the alert up (called the customer, say)."""
    _lead_only(actor)
    alert = _open_alert(alert_id)
    if alert.handled_at is None:
        alert.handled_at = clock.now()
        alert.handled_by = actor
        alert.save(update_fields=["handled_at", "handled_by"])
    return alert


@transaction.atomic
def alert_reopen_ticket(*, actor: User, alert_id: int, reason: str) -> SatisfactionAlert:
    """Reopen the ticket behind the alert (through the ticket services) and close the alert."""
    _lead_only(actor)
    alert = _open_alert(alert_id)
    ticket_services.ticket_reopen(actor=actor, ticket=alert.response.ticket, reason=reason)
    alert.handled_at = clock.now()
    alert.handled_by = actor
    alert.reopened = True
    alert.save(update_fields=["handled_at", "handled_by", "reopened"])
    return alert


# --- employee pulse ------------------------------------------------------------------------


def pulse_group_of(user: User) -> str:
    """The group an answer counts for: the person's department, or the central desk."""
    codes = sorted(d.code for d in user.departments.all())
    return group_for(user.role, codes)


def group_for(role: str, department_codes: list[str]) -> str:
    if role in DESK_WIDE_ROLES:
        return DESK_GROUP
    return min(department_codes) if department_codes else role


def is_invited(round_: PulseRound, group: str) -> bool:
    return not round_.groups or group in round_.groups


@transaction.atomic
def pulse_round_open(
    *,
    actor: User,
    title: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    groups: list[str] | None = None,
    known_groups: list[str] | None = None,
) -> PulseRound:
    """Plan a round of the employee pulse for the given groups of staff (None: everyone).
    A start in the past means now. `known_groups` (the groups there are) guards the choice."""
    if getattr(actor, "role", None) not in PULSE_ADMIN_ROLES:
        raise NotAllowed()
    now = clock.now()
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the round a title.")]
    elif len(title) > 120:
        errors["title"] = [_("At most %(max)s characters.") % {"max": 120}]
    if opens_at is None:
        opens_at = now
    opens_at = max(opens_at, now)
    if closes_at is None:
        errors["closes_at"] = [_("Say when the round closes.")]
    elif closes_at <= opens_at:
        errors["closes_at"] = [_("The round must close after it opens.")]
    if groups is not None:
        groups = sorted(set(groups))
        if not groups:
            errors["groups"] = [_("Invite at least one group.")]
        elif known_groups is not None and not set(groups) <= set(known_groups):
            errors["groups"] = [_("Choose groups from the list.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    return PulseRound.objects.create(
        title=title, opens_at=opens_at, closes_at=closes_at, groups=groups or [], opened_by=actor
    )


@transaction.atomic
def pulse_round_close(*, actor: User, round_id: int) -> PulseRound:
    """Close an open round now (its results can then be read), or withdraw a planned one
    (it has no answers yet). A closed round stays closed: reopening it would let a reader
    compare the results before and after one more answer."""
    if getattr(actor, "role", None) not in PULSE_ADMIN_ROLES:
        raise NotAllowed()
    round_ = PulseRound.objects.select_for_update().filter(pk=round_id).first()
    if round_ is None:
        raise NotFound()
    now = clock.now()
    if round_.closes_at <= now:
        raise PulseClosed(_("This round has already closed."))
    if round_.opens_at > now:
        round_.delete()
        return round_
    round_.closes_at = now
    round_.closed_early_by = actor
    round_.save(update_fields=["closes_at", "closed_early_by"])
    return round_


@transaction.atomic
def pulse_answer(
    *, actor: User, round_id: int, job_grade: Any, way_grade: Any, comment: str = ""
) -> None:
    """Store an anonymous answer and, apart, that the actor answered. Returns nothing: not
    even the caller gets a handle on the answer row."""
    if getattr(actor, "role", None) not in STAFF_ROLES:
        raise NotAllowed()
    round_ = PulseRound.objects.filter(pk=round_id).first()
    now = clock.now()
    if round_ is None or not (round_.opens_at <= now < round_.closes_at):
        raise PulseClosed()
    group = pulse_group_of(actor)
    if not is_invited(round_, group):
        raise NotAllowed(_("Your group is not invited to this round."))
    errors: dict[str, list[str]] = {}
    grades = {}
    for field, value in (("job_grade", job_grade), ("way_grade", way_grade)):
        try:
            grades[field] = int(value)
        except (TypeError, ValueError):
            grades[field] = 0
        if not 1 <= grades[field] <= 10:
            errors[field] = [_("Give a grade from 1 to 10.")]
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [_("At most %(max)s characters.") % {"max": MAX_COMMENT}]
    if errors:
        raise ValidationFailed(field_errors=errors)
    try:
        with transaction.atomic():
            PulseParticipation.objects.create(round=round_, user=actor)
    except IntegrityError:
        raise PulseAlreadyAnswered() from None
    PulseAnswer.objects.create(round=round_, group=group, comment=comment, **grades)
