from django import template

register = template.Library()


@register.simple_tag
def revealed_value(revealed, resident_pk, field):
    """The number revealed for (resident, field) in this response, if any."""
    return revealed.get((resident_pk, field), "")
