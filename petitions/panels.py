"""The casework's sections on registry pages: the household's timeline of visits and petitions."""

from grids.panels import household_panel

from .history import household_timeline
from .models import PetitionContribution


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
