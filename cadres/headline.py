"""The newspaper page's sentence about first secretaries, with the system's own live numbers
beside it: "48 heads of district units serve as first secretaries of 89 communities; 539 district
cadres serve as grid first secretaries"."""

from django.db.models import Count, Q

from communities.models import Assignment

# The page's figures (魏都区, 2023).
PAGE_UNIT_HEADS = 48
PAGE_COMMUNITIES = 89
PAGE_GRID_SECRETARIES = 539


def page_figures(user) -> dict:
    """Current first secretaries among the assignments `user` may see: one query."""
    community = Q(community__isnull=False)
    counts = (
        Assignment.objects.visible_to(user)
        .current()
        .first_secretaries()
        .aggregate(
            unit_heads=Count("official", distinct=True, filter=community),
            communities=Count("community", distinct=True),
            grid_secretaries=Count("official", distinct=True, filter=Q(grid__isnull=False)),
        )
    )
    page = {
        "unit_heads": PAGE_UNIT_HEADS,
        "communities": PAGE_COMMUNITIES,
        "grid_secretaries": PAGE_GRID_SECRETARIES,
    }
    return {**counts, "page": page, "smaller": any(counts[k] < page[k] for k in page)}
