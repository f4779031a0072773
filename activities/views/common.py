"""What the activity pages share: the communities a user may organise in, and the one chosen."""

from django.db.models import Q

from communities.models import Community, Grid
from communities.scoping import area_q
from core.forms import IdField

from ..dashboard import RECTIFIED  # noqa: F401 - the views read it from here


def communities_of(user):
    """Communities the user serves as a whole or through one of their grids."""
    through_grids = Q(pk__in=Grid.objects.visible_to(user).values("community_id"))
    return (
        Community.objects.filter(area_q(user, "community") | through_grids)
        .select_related("street")
        .order_by("code")
    )


def chosen_community(request):
    """The community in ?community= (or the only one the user serves), or None to choose."""
    field = IdField()
    raw = request.GET.get("community", "")
    try:
        pk = field.clean(raw)
    except Exception:  # noqa: BLE001 - any bad value: choose again
        pk = None
    communities = communities_of(request.user)
    if pk is not None:
        return communities.filter(pk=pk).first()
    only = list(communities[:2])
    return only[0] if len(only) == 1 else None
