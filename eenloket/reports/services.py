"""Writes of the reports app: subscribing to the weekly summary, and sending it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from eenloket.core import clock
from eenloket.core.exceptions import NotAllowed, ValidationFailed
from eenloket.reports import selectors
from eenloket.reports.models import SummarySubscription

if TYPE_CHECKING:
    from eenloket.directory.models import User


@transaction.atomic
def summary_subscribe(*, actor: User, subscribed: bool) -> bool:
    """Turn the weekly summary mail on or off for the actor; returns the new state."""
    if not selectors.can_see_reports(actor):
        raise NotAllowed()
    if subscribed and not actor.email:
        raise ValidationFailed(
            _("Your account has no mail address; ask an administrator to add one.")
        )
    if subscribed:
        SummarySubscription.objects.get_or_create(user=actor, defaults={"created_at": clock.now()})
    else:
        SummarySubscription.objects.filter(user=actor).delete()
    return subscribed


def is_subscribed(*, actor: User) -> bool:
    return SummarySubscription.objects.filter(user=actor).exists()


def weekly_summary_send() -> int:
    """Mail last week's figures (Monday to Sunday) to each subscriber, in their scope.
    A subscriber already mailed for that week is skipped, so a rerun sends nothing twice."""
    today = clock.now().astimezone(selectors.AMSTERDAM).date()
    period = selectors.Period.last_weeks(1, today=today)
    sent = 0
    subscriptions = SummarySubscription.objects.select_related("user").filter(user__is_active=True)
    for subscription in subscriptions:
        user = subscription.user
        if subscription.last_sent_for == period.first or not selectors.can_see_reports(user):
            continue
        filters = selectors.ReportFilters()
        figures = selectors.ticket_figures(actor=user, period=period, filters=filters)
        previous = selectors.ticket_figures(actor=user, period=period.previous(), filters=filters)
        satisfaction = selectors.satisfaction(actor=user, period=period, filters=filters)
        with translation.override("nl"):
            subject = _("Eenloket: the week of %(date)s") % {
                "date": period.first.strftime("%d-%m-%Y")
            }
            body = render_to_string(
                "reports/summary_mail.txt",
                {
                    "period": period,
                    "figures": figures,
                    "previous": previous,
                    "satisfaction": satisfaction,
                    "user": user,
                },
            )
        send_mail(subject, body, None, [user.email])
        subscription.last_sent_for = period.first
        subscription.save(update_fields=["last_sent_for"])
        sent += 1
    return sent
