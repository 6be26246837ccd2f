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


@register.simple_tag(takes_context=True)
def chart_svg(context, chart):
    """A trend chart's SVG with the response's CSP nonce on its inline <style>."""
    from eenloket.reports.charts import with_nonce

    return with_nonce(chart.svg, str(context["request"].csp_nonce))


@register.simple_tag
def report_table(table, query: str = "", department=None):
    """A dashboard table with its download links, built in Python: the dashboards hold a
    thousand cells, which the template language renders ten times slower."""
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    numeric = ' class="num"'
    head = "".join(
        f'<th scope="col"{numeric if i else ""}>{escape(c.title)}</th>'
        for i, c in enumerate(table.columns)
    )
    body = []
    for row in table.rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>']
        cells += [f'<td class="num">{escape(cell(value))}</td>' for value in row[1:]]
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        empty = escape(_("No data in this period."))
        body.append(f'<tr><td colspan="{len(table.columns)}">{empty}</td></tr>')
    extra = f"&amp;afdelingscode={escape(department.code)}" if department else ""
    links = " · ".join(
        f'<a href="{reverse("reports:export", args=[table.name, fmt])}?{escape(query)}{extra}">'
        f'{label}<span class="visually-hidden"> \u2013 {escape(table.title)}</span></a>'
        for fmt, label in (("csv", "CSV"), ("xlsx", "Excel (XLSX)"))
    )
    return mark_safe(  # every value above is escaped
        f'<div class="report-block"><div class="table-scroll">'
        f'<table class="table report-table" id="table-{table.name}">'
        f"<caption>{escape(table.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
        f'<p class="exports">{escape(_("Download"))}: {links}</p></div>'
    )
