"""Weekly trend charts: server-rendered SVG (pygal) without scripts, each with a title, a
description and its data as a table next to it (see the template)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pygal.style import Style

from eenloket.reports.selectors import Week

SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
STYLE_ATTRIBUTE = re.compile(r'style="opacity: ([0-9.]+)"')
STYLE_ELEMENT = "<style "
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#4f5965",
    colors=("#1d3a5f", "#9a4d00", "#0a5c2b"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
)


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    svg: SafeString


def _svg(chart, slug: str) -> SafeString:
    chart.config.js = []  # no scripts (a strict CSP comes); the data table carries the values
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    # pygal still writes its config as an inline script; the page needs none of it.
    svg = SCRIPT.sub("", svg)
    # The CSP refuses style attributes; the (script-driven, now unused) tooltip is hidden by
    # the SVG attribute instead. Its <style> element gets the page's nonce (with_nonce).
    svg = STYLE_ATTRIBUTE.sub(r'opacity="\1"', svg)
    # The figure's caption names the chart; the picture itself is labelled by it.
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" focusable="false" aria-labelledby="chart-{slug}-title '
        f'chart-{slug}-desc" ',
        1,
    )
    return mark_safe(svg)


def with_nonce(svg: str, nonce: str) -> SafeString:
    """The chart with its <style> element allowed by this response's CSP nonce."""
    return mark_safe(svg.replace(STYLE_ELEMENT, f'<style nonce="{escape(nonce)}" ', 1))


def _line(slug: str, labels: list[str], series: dict[str, list], *, percent: bool, range_=None):
    chart = pygal.Line(
        style=STYLE,
        width=640,
        height=300,
        show_dots=True,
        dots_size=4,
        stroke_style={"width": 3},
        x_label_rotation=0,
        truncate_label=-1,
        show_minor_x_labels=False,
        legend_at_bottom=True,
        range=range_,
        value_formatter=(lambda v: f"{v:.0f}%") if percent else (lambda v: f"{v:.1f}"),
        print_values=False,
        explicit_size=False,
    )
    chart.x_labels = labels
    chart.x_labels_major = labels[:: max(1, len(labels) // 6)]
    for name, values in series.items():
        chart.add(name, values)
    return _svg(chart, slug)


def _pct(value):
    return None if value is None else round(value * 100, 1)


_drawn: dict[tuple, list[Chart]] = {}
KEEP_DRAWN = 64


def trend_charts(weeks: list[Week]) -> list[Chart]:
    """The four trend charts; the same figures give the same pictures, so they are drawn once
    (pygal takes tens of milliseconds per chart)."""
    key = (
        get_language(),
        tuple(
            (w.monday, w.opened, w.fcr_rate, w.handover_rate, w.resolution_compliance, w.grade_mean)
            for w in weeks
        ),
    )
    if key not in _drawn:
        if len(_drawn) >= KEEP_DRAWN:
            _drawn.pop(next(iter(_drawn)))
        _drawn[key] = _draw(weeks)
    return _drawn[key]


def _draw(weeks: list[Week]) -> list[Chart]:
    labels = [f"{w.monday.day}-{w.monday.month}" for w in weeks]
    volume = pygal.Bar(
        style=STYLE,
        width=640,
        height=300,
        legend_at_bottom=True,
        show_minor_x_labels=False,
        truncate_label=-1,
    )
    volume.x_labels = labels
    volume.x_labels_major = labels[:: max(1, len(labels) // 6)]
    volume.add(_("Tickets opened"), [w.opened for w in weeks])
    return [
        Chart(
            "volume",
            _("Tickets opened per week"),
            _("Bar chart: the number of tickets opened in each week of the period."),
            _svg(volume, "volume"),
        ),
        Chart(
            "lines",
            _("First-contact resolution and handover rate per week"),
            _(
                "Line chart in percent: the share of tickets solved at first contact, and the "
                "share handed over to a department, per week."
            ),
            _line(
                "lines",
                labels,
                {
                    _("First-contact resolution"): [_pct(w.fcr_rate) for w in weeks],
                    _("Handover rate"): [_pct(w.handover_rate) for w in weeks],
                },
                percent=True,
                range_=(0, 100),
            ),
        ),
        Chart(
            "sla",
            _("Resolution within SLA per week"),
            _("Line chart in percent: the share of tickets resolved within their service level."),
            _line(
                "sla",
                labels,
                {_("Resolution within SLA"): [_pct(w.resolution_compliance) for w in weeks]},
                percent=True,
                range_=(0, 100),
            ),
        ),
        Chart(
            "grades",
            _("Customer grade per week"),
            _("Line chart: the mean grade (1 to 10) customers gave, per week of resolution."),
            _line(
                "grades",
                labels,
                {_("Customer grade, mean"): [w.grade_mean for w in weeks]},
                percent=False,
                range_=(1, 10),
            ),
        ),
    ]
