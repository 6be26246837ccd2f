"""The mail channel's part of the agent's timeline.

`{{ entry|mail_body }}`: a mail's text with its quoted history folded away (kept).
`{% mail_html entry ticket %}`: a mail's HTML in a sandboxed frame, the remote-images choice,
and the text version.
"""

from django import template
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.utils.html import format_html
from django.utils.translation import gettext as _

from eenloket.channels.email.selectors import body_split, remote_images_allowed

register = template.Library()


@register.filter
def mail_body(entry):
    text, quoted = body_split(entry.body, entry.data)
    if not quoted:
        return linebreaks(text, autoescape=True)
    return format_html(
        '{}<details class="mail-quote"><summary>{}</summary>{}</details>',
        linebreaks(text, autoescape=True),
        _("Show the quoted history"),
        linebreaks(quoted, autoescape=True),
    )


@register.filter
def mail_has_html(entry) -> bool:
    mail = (entry.data or {}).get("mail") or {}
    return bool(mail.get("html") and mail.get("inbound_id"))


@register.inclusion_tag("email_channel/includes/mail_html.html", takes_context=True)
def mail_html(context, entry, ticket):
    mail = (entry.data or {}).get("mail") or {}
    inbound_id = mail.get("inbound_id")
    remote = mail.get("remote_images") or 0
    # One query per page, and only for a ticket with a mail that has remote images.
    allowed = remote_images_allowed(ticket=ticket).get(inbound_id) if remote else None
    return {
        "entry": entry,
        "inbound_id": inbound_id,
        "remote_images": remote,
        "allowed": allowed,
        "csrf_token": context.get("csrf_token"),
    }
