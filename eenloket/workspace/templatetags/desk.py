"""Template helpers shared by the workspace and the portal: labels, phone numbers, SLA."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from eenloket.catalog.priority import Impact, Priority
from eenloket.core import businesstime, clock
from eenloket.core.calendars import schedule_for_calendar
from eenloket.directory.phones import phone_display
from eenloket.tickets.choices import Channel, Status
from eenloket.tickets.selectors import sla_state

register = template.Library()


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


@register.filter
def status_label(value: str) -> str:
    return _label(Status, value)


@register.filter
def priority_label(value: str) -> str:
    return _label(Priority, value)


@register.filter
def level_label(value: str) -> str:
    """Impact and urgency share their labels (high, medium, low)."""
    return _label(Impact, value)


@register.filter
def channel_label(value: str) -> str:
    return _label(Channel, value)


@register.filter
def phone(value: str) -> str:
    return phone_display(value)


@register.filter
def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def duration_text(span: timedelta) -> str:
    """Business time as hours and minutes: a business day is not 24 hours."""
    minutes = max(0, int(span.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}


@dataclass(frozen=True)
class SlaCountdown:
    state: str  # ok / at_risk / breached / paused / met (the colour class)
    label: str  # the same in words: colour is never the only signal
    text: str  # how much business time is left or over


def sla_countdown(ticket) -> SlaCountdown:
    """The resolution target as a countdown in business time of the service's calendar."""
    due = ticket.resolution_due_at
    if due is None:
        return SlaCountdown("met", _("No target"), "")
    state = sla_state(ticket)
    now = clock.now()
    schedule = schedule_for_calendar(ticket.service.sla_policy.calendar_id)
    if state == "met":
        return SlaCountdown(state, _("Met"), _("resolved in time"))
    if state == "breached":
        if due < now:
            late = businesstime.business_time_between(schedule, due, now)
            return SlaCountdown(
                state, _("Overdue"), _("%(time)s late") % {"time": duration_text(late)}
            )
        return SlaCountdown(state, pgettext("sla", "Missed"), _("target missed"))
    if state == "paused":
        left = businesstime.business_time_between(schedule, ticket.sla_paused_since, due)
        return SlaCountdown(
            state, _("Paused"), _("%(time)s left when resumed") % {"time": duration_text(left)}
        )
    left = businesstime.business_time_between(schedule, now, due)
    label = _("At risk") if state == "at_risk" else _("On time")
    return SlaCountdown(state, label, _("%(time)s left") % {"time": duration_text(left)})


@register.simple_tag
def sla_for(ticket) -> SlaCountdown:
    return sla_countdown(ticket)


# The inbox's rows: fifty per page on every refresh. Written in Python (like the filters'
# FastSelect) because the same markup through the template engine, one variable and filter
# at a time, cost more than everything else on the page; the markup is the one it had there.
INBOX_ROW = (
    '<tr><th scope="row"><a id="row-{number}" href="{url}">{number}</a><br>'
    '<span class="muted queue__sub">{channel}</span></th>'
    "<td>{title}</td>"
    '<td>{requester}<br><span class="muted">{organization}</span></td>'
    '<td>{service}<br><span class="muted">{queue}</span></td>'
    "<td>{status}</td><td>{priority}</td><td>{assignee}</td>"
    '<td><span class="sla sla--{sla_state}"><strong>{sla_label}</strong>{sla_text}</span>{due}</td>'
    "</tr>"
)


@register.simple_tag
def inbox_row(ticket, sla: SlaCountdown) -> SafeString:
    due = ticket.resolution_due_at
    if due is not None:
        due = localtime(due)
        due_html = format_html(
            '<br><time datetime="{}" class="muted">{}</time>',
            dateformat.format(due, "c"),
            formats.date_format(due, "D j M H:i"),
        )
    else:
        due_html = ""
    if ticket.assignee_id:
        assignee = person_name(ticket.assignee)
    else:
        assignee = format_html('<span class="muted">{}</span>', _("nobody"))
    return format_html(
        INBOX_ROW,
        number=ticket.number,
        url=reverse("workspace:ticket", args=[ticket.number]),
        # the choices' labels directly: get_FOO_display() rebuilds its choices on every call
        channel=channel_label(ticket.channel),
        title=ticket.title,
        requester=ticket.requester.full_name,
        organization=ticket.organization.name,
        service=ticket.service.name,
        queue=ticket.queue.name,
        status=status_label(ticket.status),
        priority=priority_label(ticket.priority),
        assignee=assignee,
        sla_state=sla.state,
        sla_label=sla.label,
        sla_text=format_html(": {}", sla.text) if sla.text else mark_safe(""),
        due=due_html,
    )
