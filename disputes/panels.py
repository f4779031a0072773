"""The dispute sections of the petition and visit pages: the disputes opened from this petition
(or found during this visit), and the way to open one from it (registered with petitions' panel
registry; petitions never imports disputes)."""

from communities.models import Grid
from communities.scoping import reaches
from petitions.panels import petition_panel, visit_panel

from .models import Dispute


@petition_panel
def disputes_of_petition(request, petition):
    disputes = Dispute.objects.visible_to(request.user).filter(petition=petition)
    disputes = list(disputes.select_related("kind").order_by("created_at", "id"))
    # Turning it into a dispute belongs to the officials of its place (not a department's).
    # (answered from the scope: the petition page loads its grid with the community)
    may_open = petition.is_open and reaches(request.user, petition.grid, "grid")
    if not disputes and not may_open:
        return None
    return "disputes/_petition_panel.html", {
        "petition": petition,
        "disputes": disputes,
        "may_open": may_open,
    }


@visit_panel
def disputes_of_visit(request, visit):
    disputes = Dispute.objects.visible_to(request.user).filter(visit=visit)
    disputes = list(disputes.select_related("kind").order_by("created_at", "id"))
    # Recording one belongs to the officials of the household's place, as from a petition.
    may_open = Grid.objects.visible_to(request.user).filter(pk=visit.grid_id).exists()
    if not disputes and not may_open:
        return None
    return "disputes/_visit_panel.html", {
        "visit": visit,
        "disputes": disputes,
        "may_open": may_open,
    }
