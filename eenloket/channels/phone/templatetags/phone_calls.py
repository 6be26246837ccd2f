"""Template helpers of the phone channel: durations, numbers, a ticket's recordings."""

from django import template

from eenloket.channels.phone.selectors import recordings_of_ticket
from eenloket.directory.phones import phone_display

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """125 -> "2:05"; hours when needed; a dash when unknown."""
    if seconds is None or seconds == "":
        return "\u2013"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def phone_number(value: str) -> str:
    return phone_display(value) if value and value.startswith("+") else (value or "")


@register.simple_tag(takes_context=True)
def call_recording(context, entry):
    """The recording of the call on this timeline entry; one query per ticket page."""
    cache = context.render_context.setdefault("phone_recordings", {})
    ticket_id = entry.ticket_id
    if ticket_id not in cache:
        cache[ticket_id] = recordings_of_ticket(ticket_id=ticket_id)
    return cache[ticket_id].get((entry.data or {}).get("phone_call"))
