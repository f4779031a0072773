"""The street › community › grid filters of a list, as (id, name) pairs narrowing like a cascade.

A district has hundreds of communities and thousands of grids: one long <select> of them was
most of a district's page time at city size (1,300 options rendered on every load) and useless
on a phone. Communities are offered once a street is chosen (or when the user serves one street
at most), grids once a community is chosen (or when the user serves one community at most).
"""

from .models import Community, Grid, Street


def area_choices(user, street=None, community=None, *, communities=None, grids=True) -> dict:
    """{"streets", "communities", "grids"} for `user`'s filters, `street` and `community` the
    chosen ids. `communities` replaces the communities the user sees (e.g. those served
    through a grid too); `grids=False` offers no grid filter."""
    streets = list(Street.objects.visible_to(user).order_by("code").values_list("pk", "name"))
    offered = Community.objects.visible_to(user) if communities is None else communities
    if street:
        offered = offered.filter(street_id=street)
    elif len(streets) > 1:
        offered = offered.none()
    offered = list(offered.order_by("code").values_list("pk", "name"))
    grid_choices = []
    if grids:
        in_grids = Grid.objects.visible_to(user)
        if community:
            in_grids = in_grids.filter(community_id=community)
        elif len(offered) > 1 or len(streets) > 1:
            in_grids = in_grids.none()
        grid_choices = list(in_grids.values_list("pk", "name"))
    return {"streets": streets, "communities": offered, "grids": grid_choices}
