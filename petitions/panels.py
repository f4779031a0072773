"""The casework's sections on registry pages: the household's timeline of visits and petitions."""

from grids.panels import household_panel

from .history import household_timeline


@household_panel
def household_history(request, household):
    return "petitions/_household_timeline.html", {
        "household": household,
        "timeline": household_timeline(household),
    }
