"""`{{ entry|mail_body }}`: a mail's text with its quoted history folded away (kept)."""

from django import template
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.utils.html import format_html
from django.utils.translation import gettext as _

from eenloket.channels.email.selectors import body_split

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
