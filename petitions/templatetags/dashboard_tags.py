from django import template

register = template.Library()


@register.filter
def percent(value):
    """0.8512 → 85.1%; no data → —."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"
