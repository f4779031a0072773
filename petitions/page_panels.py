"""Extension point of the petition page for the apps built on the casework: a meeting app adds
"put on a meeting's agenda" and the meetings that discussed the petition, without the casework
depending on it (the same pattern as `grids.panels` for the household page)."""

from collections.abc import Callable

from django.template.loader import render_to_string

# A panel takes (request, petition) and returns (template name, context), or None to show nothing.
PetitionPanel = Callable[..., tuple[str, dict] | None]
_petition_panels: list[PetitionPanel] = []


def petition_panel(func: PetitionPanel) -> PetitionPanel:
    """Register `func` to add a section to the petition page."""
    _petition_panels.append(func)
    return func


def render_petition_panels(request, petition) -> list[str]:
    rendered = []
    for panel in _petition_panels:
        answer = panel(request, petition)
        if answer is not None:
            template, context = answer
            rendered.append(render_to_string(template, context, request=request))
    return rendered
