"""The petition list's rows as plain values.

The list is the page officials open most. Loading each row as a Petition with eleven related
models and letting the template resolve URLs, choice labels and badges per row cost most of the
page's time (issue 22: ~0.37 ms a row); here a row is read as the dozen columns it shows, and
what is the same for every row (the URL prefix, the labels) is looked up once per page.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from core.personal_data import free_text_for_display
from grids.models.registry import address_of

from .deadline_badges import Badge, BadgeLabels, deadline_badges
from .models import Category, Petition

COLUMNS = (
    "pk", "status", "level", "urgency", "due_at", "supervision_grade", "supervised_at",
    "description", "created_at", "category__name", "category__parent__name", "grid__name",
    "grid__community__name", "household_id", "household__room", "household__unit__name",
    "household__unit__building__name", "household__unit__building__compound__name",
    "household__resident_group__name", "building__name", "building__compound__name",
    "compound__name",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PetitionRow:
    pk: int
    url: str
    category: str
    status: str
    level: str
    badges: tuple[Badge, ...]
    description: str
    community: str
    place: str
    created: str


def petition_rows(petitions) -> list[PetitionRow]:
    """`petitions` (a sliced queryset, ordered) as rows, in one query."""
    statuses = {value: str(label) for value, label in Petition.Status.choices}
    levels = {value: str(label) for value, label in Petition.Level.choices}
    labels = BadgeLabels.now_translated()
    detail = reverse("petitions:detail", args=[0]).removesuffix("0/")
    now = timezone.now()
    rows = []
    for values in petitions.values_list(*COLUMNS):
        (pk, status, level, urgency, due_at, grade, supervised_at, description, created_at,
         category, parent, grid, community, household, room, unit, building, compound,
         group, building_alone, building_compound, compound_alone) = values  # fmt: skip
        if household is None:
            # a shared concern: its building or compound (as Petition.place), then the grid
            if building_alone is not None:
                place = f"{address_of(building_alone, (building_compound,))} · {grid}"
            elif compound_alone is not None:
                place = f"{compound_alone} · {grid}"
            else:
                place = grid
        elif unit is not None:
            place = address_of(room, (compound, building, unit))
        elif group is not None:
            place = address_of(room, (group,))
        else:
            place = room
        rows.append(
            PetitionRow(
                pk=pk,
                url=f"{detail}{pk}/",
                category=Category.label_of(category, parent),
                status=statuses.get(status, status),
                level=levels.get(level, level),
                badges=deadline_badges(
                    status=status,
                    urgency=urgency,
                    due_at=due_at,
                    grade=grade,
                    supervised_at=supervised_at,
                    now=now,
                    labels=labels,
                ),  # fmt: skip
                description=Truncator(free_text_for_display(description)).chars(80),
                community=community,
                place=place,
                created=f"{timezone.localtime(created_at):%Y-%m-%d}",
            )
        )
    return rows
