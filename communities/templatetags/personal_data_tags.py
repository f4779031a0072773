"""Template filters for personal data shown on pages.

`free_text` is applied to everything someone typed (a petition's description, a visit's notes,
an event's note): invisible and direction characters are removed and phone- or ID-card-shaped
numbers are masked, as the Excel ledgers do. Apply it before `truncatechars`, so that a cut
never leaves the visible half of a number unmasked.
"""

from django import template

from core.personal_data import free_text_for_display

register = template.Library()


@register.filter
def free_text(value):
    """Typed text as shown to any official: neutralised, numbers in it masked."""
    if value is None:
        return ""
    return free_text_for_display(str(value))
