"""The casework's sections on registry pages (the household's timeline of visits and petitions),
and the extension points of the petition and visit pages for the apps built on petitions
(disputes)."""

from collections.abc import Callable

from django.template.loader import render_to_string

from grids.panels import household_panel

from .history import household_timeline
from .models import PetitionContribution

# A petition panel takes (request, petition) and returns (template name, context), or None
# when it has nothing to show.
PetitionPanel = Callable[..., tuple[str, dict] | None]
_petition_panels: list[PetitionPanel] = []


def petition_panel(func: PetitionPanel) -> PetitionPanel:
    """Register `func` to add a section to the petition page (petitions never imports it)."""
    _petition_panels.append(func)
    return func


def render_petition_panels(request, petition) -> list[str]:
    return _render(_petition_panels, request, petition)


# A visit panel takes (request, visit), as a petition panel does: the visit page's section of
# an app built on petitions (the disputes found during the visit, and a way to record one).
_visit_panels: list[PetitionPanel] = []


def visit_panel(func: PetitionPanel) -> PetitionPanel:
    """Register `func` to add a section to the visit page (petitions never imports it)."""
    _visit_panels.append(func)
    return func


def render_visit_panels(request, visit) -> list[str]:
    return _render(_visit_panels, request, visit)


def _render(panels, request, obj) -> list[str]:
    rendered = []
    for panel in panels:
        if (found := panel(request, obj)) is not None:
            template, context = found
            rendered.append(render_to_string(template, context, request=request))
    return rendered


@household_panel
def household_history(request, household):
    return "petitions/_household_timeline.html", {
        "household": household,
        "timeline": household_timeline(household),
        # What the household paid towards repairs (集资), newest first: one query.
        "contributions": PetitionContribution.objects.filter(household=household)
        .select_related("resolution", "petition__category__parent")
        .order_by("-resolution__resolved_at", "-id")[:50],
    }
