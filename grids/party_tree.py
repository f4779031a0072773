"""Reading party organizations for the pages: a community's tree and a grid's branch."""

from django.db.models import Prefetch

from .models import PartyMembership, PartyOrganization, StarRating


def _with_leaders(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "memberships",
            queryset=PartyMembership.objects.filter(
                post=PartyMembership.Post.SECRETARY
            ).select_related("resident", "official"),
            to_attr="secretaries",
        ),
        Prefetch(
            "star_ratings",
            queryset=StarRating.objects.order_by("-year"),
            to_attr="ratings",
        ),
    )


def party_tree(community):
    """The community's organizations, parents before their children, with depth for indenting.

    Three queries whatever the number of branches: organizations, secretaries, ratings.
    """
    organizations = list(
        _with_leaders(
            PartyOrganization.objects.filter(community=community).select_related("grid", "compound")
        ).order_by("id")
    )
    children = {}
    for org in organizations:
        children.setdefault(org.parent_id, []).append(org)
    ordered = []

    def walk(parent_id, depth):
        for org in sorted(children.get(parent_id, []), key=lambda o: (o.grid_id or 0, o.name)):
            org.depth = depth
            ordered.append(org)
            walk(org.pk, depth + 1)

    walk(None, 0)
    return ordered


def grid_branch(grid):
    """The grid's party branch with its secretary and ratings, or None."""
    return _with_leaders(
        PartyOrganization.objects.filter(grid=grid, kind=PartyOrganization.Kind.GRID_BRANCH)
    ).first()
