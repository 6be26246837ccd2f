"""How the portal words things for customers: statuses and timeline entries."""

from django import template
from django.utils.translation import gettext_lazy as _

from eenloket.tickets.choices import Channel, Status
from eenloket.tickets.selectors import recorded_by_agent

register = template.Library()

# The desk's statuses in the customer's words: "handed over" is the desk's business.
CUSTOMER_STATUS = {
    Status.NEW: _("Received"),
    Status.IN_PROGRESS: _("Being worked on"),
    Status.HANDED_OVER: _("Being worked on"),
    Status.WAITING: _("Waiting for your answer"),
    Status.RESOLVED: _("Solved"),
    Status.CLOSED: _("Closed"),
}


@register.filter
def customer_status(status: str) -> str:
    return CUSTOMER_STATUS.get(status, status)


@register.filter
def status_class(status: str) -> str:
    """One colour per customer status (worked on is one state for the customer)."""
    return "in_progress" if status == Status.HANDED_OVER else status


@register.simple_tag(takes_context=True)
def entry_heading(context, entry) -> str:
    """The heading of a public timeline entry, from the customer's point of view."""
    user = context["user"]
    data = entry.data or {}
    by_me = entry.author_person is not None and entry.author_person.user_id == user.pk
    name = entry.author_person.full_name if entry.author_person else str(_("The customer"))
    if entry.kind == "customer_message":
        if recorded_by_agent(entry):
            if entry.channel == Channel.COUNTER:
                return str(_("Question taken down at the counter"))
            if entry.channel == Channel.PHONE:
                return str(_("Question taken down on the phone"))
            return str(_("Question taken down by the service desk"))
        if data.get("reopened"):
            if by_me:
                return str(_("You reopened the request: not solved yet"))
            return str(_("%(name)s reopened the request: not solved yet") % {"name": name})
        return str(_("Your message")) if by_me else name
    if entry.kind == "reply":
        return str(_("Answer from the service desk"))
    if data.get("resolved_by_customer"):
        if by_me:
            return str(_("You marked this as solved"))
        return str(_("%(name)s marked this as solved") % {"name": name})
    status_to = data.get("status_to")
    if status_to == Status.RESOLVED:
        return str(_("Solved by the service desk"))
    if status_to == Status.WAITING:
        return str(_("The service desk is waiting for your answer"))
    if status_to == Status.CLOSED:
        return str(_("Closed"))
    if data.get("status_from") == Status.RESOLVED:
        return str(_("Reopened by the service desk"))
    if status_to:
        return str(_("Status: %(status)s") % {"status": customer_status(status_to)})
    return str(_("Update"))
