"""The three zeros on the home page's dashboard (the home view, in the project's roof, adds
this panel; the casework's dashboard knows nothing of it)."""

from django.template.loader import render_to_string

from petitions.figures_cache import cached_for_areas

from . import zeros


def three_zeros_panel(request, period) -> str:
    """The period's incidents per goal and the communities holding all three (2 queries, kept
    in the shared cache with the dashboard's other figures)."""
    figures = cached_for_areas(
        request.user, "three_zeros", (period.start, period.end),
        lambda: zeros.summary(request.user, period.start, period.end),
    )  # fmt: skip
    totals = [(goal, zeros.GOAL_LABELS[goal], n) for goal, n in figures["totals"]]
    context = {"zeros": {**figures, "totals": totals}, "period": period}
    return render_to_string("safety/_dashboard_zeros.html", context, request=request)
