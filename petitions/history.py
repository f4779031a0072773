"""A household's history: its visits and petitions in one timeline, newest first."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from .models import Petition, Visit, VisitPhoto


@dataclass
class Entry:
    at: datetime
    visit: Visit | None = None
    petition: Petition | None = None


def household_timeline(household, limit=100) -> list[Entry]:
    """Three queries: visits, their photos, petitions."""
    visits = (
        Visit.objects.filter(household=household)
        .select_related("author__official")
        .prefetch_related(Prefetch("photos", queryset=VisitPhoto.objects.order_by("id")))
        .order_by("-visited_at")[:limit]
    )
    petitions = (
        Petition.objects.filter(household=household)
        .select_related("category__parent")
        .order_by("-created_at")[:limit]
    )
    entries = [Entry(v.visited_at, visit=v) for v in visits]
    entries += [Entry(p.created_at, petition=p) for p in petitions]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
