"""Opening petitions (诉求登记), and finding repeats of one opened in the last 30 days."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Petition, PetitionEvent, PetitionPhoto
from ..photos import photos_stored
from .transitions import merge

if TYPE_CHECKING:
    import uuid
    from collections.abc import Iterable

    from django.contrib.auth.models import AbstractBaseUser as User
    from django.db.models import Model, QuerySet

    from communities.models import Grid
    from grids.models import Building, Household, Resident

    from ..models import Category, Visit
    from ..photos import CleanPhoto

REPEAT_WINDOW = datetime.timedelta(days=30)


class AlreadyRecorded(Exception):
    """The same form (same author and key) was saved before: `record` is what it saved."""

    def __init__(self, record):
        super().__init__(record)
        self.record = record


def refuse_resubmission(model: type[Model], key: uuid.UUID | None, **author) -> None:
    """Raise AlreadyRecorded if `author` already saved a `model` row from the form with `key`."""
    if key is None:
        return
    earlier = model.objects.filter(idempotency_key=key, **author).first()
    if earlier is not None:
        raise AlreadyRecorded(earlier)


@contextmanager
def saved_once(model: type[Model], key: uuid.UUID | None, **author):
    """Around the code that saves one `model` row carrying `idempotency_key=key`: a form sent
    again (a retry, a double tap) raises AlreadyRecorded with what the first one saved, even
    when both run at once (the model's unique constraint on (author, idempotency_key) decides).
    The code inside runs in a transaction (a savepoint inside one), so that the loser can still
    look the winner up. Callers writing photo files open `photos_stored` around it: files are
    written before the transaction, and deleted when a resubmission is refused."""
    refuse_resubmission(model, key, **author)
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        refuse_resubmission(model, key, **author)  # a twin committed first
        raise


def possible_repeats(
    *, category: Category, user: User, household: Household | None = None,
    building: Building | None = None,
) -> QuerySet[Petition]:  # fmt: skip
    """Open petitions `user` sees of the same category about the same household or building,
    opened in the last 30 days (重复诉求)."""
    place = Q()
    if household is not None:
        place |= Q(household=household)
        if household.unit_id:
            place |= Q(building_id=household.unit.building_id)
    if building is not None:
        place |= Q(building=building)
    if not place:
        return Petition.objects.none()
    return (
        Petition.objects.visible_to(user)
        .open()
        .filter(place, category=category, created_at__gte=timezone.now() - REPEAT_WINDOW)
        .select_related("category")
        .order_by("-created_at")
    )


def open_petition(
    *, by: User, source: str, category: Category, description: str,
    household: Household | None = None, building: Building | None = None,
    resident: Resident | None = None, households_affected: int = 1,
    urgency: str = Petition.Urgency.NORMAL, visit: Visit | None = None,
    photos: Iterable[CleanPhoto] = (), note: str = "", key: uuid.UUID | None = None,
    merge_into: Petition | None = None, grid: Grid | None = None,
) -> Petition:  # fmt: skip
    """Record a new petition at compound level, located by a household or a building; with
    `merge_into`, merge it into that open petition (a repeat) in the same transaction, so that
    a refused merge saves nothing (TransitionError) and the merged petition is returned. A place
    outside any building (a square) is located by its `grid` alone.

    `key` is the form's idempotency key: a second call with the same author and key raises
    AlreadyRecorded with the petition saved the first time, even when both run at once (the
    unique constraint on (created_by, idempotency_key) decides). Photo files are written before
    the transaction and deleted if it fails (`photos_stored`).
    """
    with photos_stored(photos, PetitionPhoto) as stored, saved_once(Petition, key, created_by=by):
        petition = _open_petition(
            by=by, source=source, category=category, description=description,
            household=household, building=building, resident=resident,
            households_affected=households_affected, urgency=urgency, visit=visit,
            photos=stored, note=note, key=key, grid=grid,
        )  # fmt: skip
        if merge_into is not None:
            merge(petition, by=by, into=merge_into, note=_("Repeat petition (重复诉求)."))
        return petition


@transaction.atomic
def _open_petition(
    *, by, source, category, description, household, building, resident, households_affected,
    urgency, visit, photos, note, key, grid=None,
) -> Petition:  # fmt: skip
    if household is None and building is None and grid is None:
        raise ValueError("a petition is located by a household, a building or a grid")
    if resident is not None and (household is None or resident.household_id != household.pk):
        raise ValueError("the resident raising a petition must belong to its household")
    if household is not None:
        unit = household.unit
        building = unit.building if unit else building
        grid_id = household.grid_id
    elif building is not None:
        grid_id = building.grid_id
    else:
        grid_id = grid.pk
    petition = Petition.objects.create(
        source=source, category=category, grid_id=grid_id, household=household,
        building=building, compound=building.compound if building else None, resident=resident,
        description=description, households_affected=households_affected, urgency=urgency,
        visit=visit, created_by=by, idempotency_key=key,
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
