"""The three zeros on the home page's dashboard (the home view, in the project's roof, adds
this panel; the casework's dashboard knows nothing of it)."""

from django.template.loader import render_to_string

from . import zeros


def three_zeros_panel(request, period) -> str:
    """The period's incidents per goal and the communities holding all three (2 queries)."""
    context = {"zeros": zeros.summary(request.user, period.start, period.end),
               "goals": zeros.GOAL_LABELS, "period": period}  # fmt: skip
    return render_to_string("safety/_dashboard_zeros.html", context, request=request)
