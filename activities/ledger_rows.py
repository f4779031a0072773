"""The activity ledger's rows as plain values, as the petition and dispute lists read theirs.

A ledger page of 20 activities was read as activities with their community and grid, each
with its partner units and photos prefetched as models; here a row is the columns it shows,
with the partners' names, the first three photos' thumbnails and the findings counted for the
page's activities in one query each. The Excel export reads the same partners and findings
(`partner_names`, `finding_counts`) a thousand rows at a time.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from .dashboard import RECTIFIED
from .models import Activity, ActivityPhoto, Finding

COLUMNS = (
    "pk", "held_on", "community__name", "grid_id", "grid__name", "kind", "title", "location",
    "participants",
)  # fmt: skip
THUMBNAILS = 3  # shown per row


@dataclass(frozen=True, slots=True)
class LedgerRow:
    pk: int
    url: str
    held_on: datetime.date
    community: str
    grid_id: int | None
    grid: str | None
    kind: str
    title: str
    location: str
    participants: int
    partners: tuple[str, ...]
    finding_count: int
    rectified_count: int
    thumbnails: tuple[str, ...]


def partner_names(pks) -> dict[int, list[str]]:
    """Activity id -> its partner units' names, by name (one query)."""
    names: dict[int, list[str]] = {}
    for activity, name in (
        Activity.partners.through.objects.filter(activity__in=pks)
        .order_by("department__name")
        .values_list("activity", "department__name")
    ):
        names.setdefault(activity, []).append(name)
    return names


def finding_counts(pks) -> dict[int, tuple[int, int]]:
    """Activity id -> (findings, of those rectified) (one query)."""
    return {
        activity: (n, rectified)
        for activity, n, rectified in Finding.objects.filter(activity__in=pks)
        .values("activity")
        .annotate(n=Count("id"), rectified=Count("id", filter=Q(petition__status__in=RECTIFIED)))
        .order_by()
        .values_list("activity", "n", "rectified")
    }


def ledger_rows(activities) -> list[LedgerRow]:
    """`activities` (a sliced queryset, ordered) as rows: four queries whatever the rows."""
    values = list(activities.values_list(*COLUMNS))
    pks = [row[0] for row in values]
    if not pks:
        return []
    kinds = {key: str(label) for key, label in Activity.Kind.choices}
    detail = reverse("activities:detail", args=[0]).removesuffix("0/")
    photo = reverse("activities:photo", args=[0, "thumb"]).removesuffix("0/thumb/")
    partners = partner_names(pks)
    findings = finding_counts(pks)
    thumbnails: dict[int, list[str]] = {}
    photos = ActivityPhoto.objects.filter(activity__in=pks).order_by("activity", "pk")
    for activity, pk in photos.values_list("activity", "pk"):
        shown = thumbnails.setdefault(activity, [])
        if len(shown) < THUMBNAILS:
            shown.append(f"{photo}{pk}/thumb/")
    rows = []
    for pk, held_on, community, grid_id, grid, kind, title, location, participants in values:
        found, rectified = findings.get(pk, (0, 0))
        rows.append(
            LedgerRow(
                pk=pk,
                url=f"{detail}{pk}/",
                held_on=held_on,
                community=community,
                grid_id=grid_id,
                grid=grid,
                kind=kinds.get(kind, kind),
                title=title,
                location=location,
                participants=participants,
                partners=tuple(partners.get(pk, ())),
                finding_count=found,
                rectified_count=rectified,
                thumbnails=tuple(thumbnails.get(pk, ())),
            )  # fmt: skip
        )
    return rows
