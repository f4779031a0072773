"""Extension points of the registry pages for the apps built on top of the registry.

The household page shows its members; the casework (visits, petitions) adds its timeline by
registering a panel here, so that the registry never depends on the casework.
"""

from collections.abc import Callable

from django.template.loader import render_to_string

# A panel takes (request, household) and returns (template name, context).
HouseholdPanel = Callable[..., tuple[str, dict]]
_household_panels: list[HouseholdPanel] = []


def household_panel(func: HouseholdPanel) -> HouseholdPanel:
    """Register `func` to add a section to the household page."""
    _household_panels.append(func)
    return func


def render_household_panels(request, household) -> list[str]:
    rendered = []
    for panel in _household_panels:
        template, context = panel(request, household)
        # render_to_string returns safe (auto-escaped) HTML already.
        rendered.append(render_to_string(template, context, request=request))
    return rendered


# A community panel takes (request, community) and returns (template name, context), or None
# when it has nothing to show.
_community_panels: list[HouseholdPanel] = []


def community_panel(func: HouseholdPanel) -> HouseholdPanel:
    """Register `func` to add a section to the community page (meetings, activities)."""
    _community_panels.append(func)
    return func


def render_community_panels(request, community) -> list[str]:
    rendered = []
    for panel in _community_panels:
        shown = panel(request, community)
        if shown is not None:
            template, context = shown
            rendered.append(render_to_string(template, context, request=request))
    return rendered
