"""Small filters for the transition pages."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def heat(mean) -> str:
    """A mean ADKAR score as a heat class: 3 or lower is a barrier, as for a person."""
    if mean is None:
        return "none"
    if mean <= 3:
        return "low"
    return "mid" if mean < 4 else "high"


@register.filter
def heat_word(mean) -> str:
    return {
        "none": _("no answers"),
        "low": _("barrier"),
        "mid": _("growing"),
        "high": _("strong"),
    }[heat(mean)]


@register.filter
def percent(share) -> str:
    if share is None:
        return "-"
    return f"{number_format(share * 100, 0)}%"


@register.filter
def signed(change) -> str:
    if change is None:
        return ""
    text = number_format(change, 1)
    return f"+{text}" if change > 0 else text


@register.filter
def score(mean) -> str:
    return "-" if mean is None else number_format(mean, 1)
