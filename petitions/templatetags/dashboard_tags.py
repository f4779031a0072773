from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def percent(value):
    """0.8512 → 85.1%; no data → —."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def three_trust_cells(rates):
    """The table cells of a 三双 `Rates` (know, trust, approve): "85.3% 29/34", or "–" when
    nobody was asked. A filter, not an included template: the cadre list shows a hundred rows."""
    cells = [
        format_html(
            '<td class="num">{}%<small class="muted"> {}/{}</small></td>',
            localize(r.percent), localize(r.yes), localize(r.asked),
        )
        if r.asked
        else format_html('<td class="num">{}</td>', "–")
        for r in rates
    ]  # fmt: skip
    return format_html_join("", "{}", ((cell,) for cell in cells))
