"""Form pieces shared by the pages of several apps."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> written in Python, not one template per option: filters with about a hundred
    options (the inbox, the knowledge search) render on every request, and Django's per-option
    templates cost more than the rest of such a page."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        parts = [format_html("<select{}>", flatatt(final))]
        for group, options, _index in self.optgroups(name, self.format_value(value)):
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"],
                        mark_safe(" selected") if option["selected"] else "",
                        option["label"],
                    )
                )
            if group:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))


def grouped_service_choices(services: Iterable) -> list[tuple[str, list[tuple[int, str]]]]:
    """Services as select options grouped by department (the list comes ordered by it)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for service in services:
        groups.setdefault(service.department.name, []).append((service.pk, service.name))
    return list(groups.items())
