"""Showing a dashboard cell: a share as a percentage, business seconds as hours, a grade with
one decimal; no value is a dash with a spoken "no data"."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from eenloket.reports.tables import GRADE, HOURS, PCT

register = template.Library()


def _text(value, kind) -> str:
    if kind == PCT:
        return f"{number_format(value * 100, 1)}%"
    if kind == HOURS:
        return _("%(hours)s h") % {"hours": number_format(value / 3600, 1)}
    if kind == GRADE:
        return number_format(value, 1)
    return number_format(value, 0, force_grouping=True)


@register.filter
def cell(value):
    if not isinstance(value, tuple):
        return value
    number, kind = value
    if number is None:
        return format_html(
            '<span aria-hidden="true">\u2013</span><span class="visually-hidden">{}</span>',
            _("no data"),
        )
    return _text(number, kind)


@register.filter
def change(pair):
    """The direction from the previous period: ▲/▼ with the difference in words."""
    now, before = pair
    if not isinstance(now, tuple) or now[0] is None or before[0] is None:
        return ""
    difference = now[0] - before[0]
    if abs(difference) < 1e-9:
        return _("unchanged")
    arrow = "▲" if difference > 0 else "▼"
    return format_html(
        "{} {}",
        arrow,
        _text(abs(difference), now[1])
        if now[1] != PCT
        else f"{abs(difference) * 100:.1f} pp".replace(".", ","),
    )


@register.filter
def add_pair(now, before):
    return (now, before)
