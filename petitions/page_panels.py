"""Extension point of the petition page for the apps built on the casework.

An activity's finding (where a patrol found the problem) is shown on its petition's page by a
panel registered here, so that the casework never depends on the apps that open petitions.
"""

from collections.abc import Callable

from django.template.loader import render_to_string

# A panel takes (request, petition) and returns (template name, context), or None when it has
# nothing to show for this petition.
PetitionPanel = Callable[..., tuple[str, dict] | None]
_petition_panels: list[PetitionPanel] = []


def petition_panel(func: PetitionPanel) -> PetitionPanel:
    """Register `func` to add a section to the petition page."""
    _petition_panels.append(func)
    return func


def render_petition_panels(request, petition) -> list[str]:
    rendered = []
    for panel in _petition_panels:
        shown = panel(request, petition)
        if shown is not None:
            template, context = shown
            rendered.append(render_to_string(template, context, request=request))
    return rendered
