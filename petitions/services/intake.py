"""Opening petitions (诉求登记), and finding repeats of one opened in the last 30 days."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Petition, PetitionEvent, PetitionPhoto

REPEAT_WINDOW = datetime.timedelta(days=30)


def possible_repeats(*, category, household=None, building=None, user=None):
    """Open petitions of the same category about the same household or building, opened in the
    last 30 days (重复诉求)."""
    place = Q()
    if household is not None:
        place |= Q(household=household)
        if household.unit_id:
            place |= Q(building_id=household.unit.building_id)
    if building is not None:
        place |= Q(building=building)
    if not place:
        return Petition.objects.none()
    petitions = Petition.objects.visible_to(user) if user is not None else Petition.objects
    return (
        petitions.open()
        .filter(place, category=category, created_at__gte=timezone.now() - REPEAT_WINDOW)
        .select_related("category")
        .order_by("-created_at")
    )


@transaction.atomic
def open_petition(
    *, by, source, category, description, household=None, building=None, resident=None,
    households_affected=1, urgency=Petition.Urgency.NORMAL, visit=None, photos=(), note="",
) -> Petition:  # fmt: skip
    """Record a new petition at compound level, located by a household or a building."""
    if household is None and building is None:
        raise ValueError("a petition is located by a household or a building")
    if resident is not None and (household is None or resident.household_id != household.pk):
        raise ValueError("the resident raising a petition must belong to its household")
    if household is not None:
        unit = household.unit
        building = unit.building if unit else building
        grid_id = household.grid_id
    else:
        grid_id = building.grid_id
    petition = Petition.objects.create(
        source=source, category=category, grid_id=grid_id, household=household,
        building=building, compound=building.compound if building else None, resident=resident,
        description=description, households_affected=households_affected, urgency=urgency,
        visit=visit, created_by=by,
    )  # fmt: skip
    event = PetitionEvent.objects.create(
        petition=petition, actor=by, action="created", to_status=petition.status,
        note=note or _("Recorded."),
    )  # fmt: skip
    for photo in photos:
        PetitionPhoto.objects.create(
            petition=petition, event=event, image=photo.image, thumbnail=photo.thumbnail
        )
    return petition
