"""The dispute list's rows as plain values, as the petition list reads its own
(`petitions/list_rows.py`): a row is the ten columns it shows, and what is the same for every
row (the URL prefix, the choice labels) is looked up once per page instead of building a
dispute with its kind, grid, community, street, building and compound for each row."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from core.personal_data import free_text_for_display

from .models import Dispute

COLUMNS = (
    "pk", "status", "level", "risk", "found_by", "description", "created_at", "kind__name",
    "grid__name", "grid__community__name", "building__name", "building__compound__name",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DisputeRow:
    pk: int
    url: str
    kind: str
    status: str
    level: str
    high_risk: bool
    description: str
    community: str
    place: str
    found_by: str
    created: str


def dispute_rows(disputes) -> list[DisputeRow]:
    """`disputes` (a sliced queryset, ordered) as rows, in one query."""
    statuses = {value: str(label) for value, label in Dispute.Status.choices}
    levels = {value: str(label) for value, label in Dispute.Level.choices}
    found_by = {value: str(label) for value, label in Dispute.FoundBy.choices}
    detail = reverse("disputes:detail", args=[0]).removesuffix("0/")
    rows = []
    for values in disputes.values_list(*COLUMNS):
        (pk, status, level, risk, found, description, created_at, kind, grid, community,
         building, compound) = values  # fmt: skip
        rows.append(
            DisputeRow(
                pk=pk,
                url=f"{detail}{pk}/",
                kind=kind,
                status=statuses.get(status, status),
                level=levels.get(level, level),
                high_risk=risk == "high",
                description=Truncator(free_text_for_display(description)).chars(80),
                community=community,
                place=f"{compound} {building}" if building is not None else grid,
                found_by=found_by.get(found, found),
                created=f"{timezone.localtime(created_at):%Y-%m-%d}",
            )
        )
    return rows
