"""Recording door-to-door visits together with the concerns (petitions) they collect."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Official
from communities.scoping import serves_place_q
from grids.models import Household, Resident, Tag

from ..daily_visits import count_visit
from ..models import Category, Petition, Visit, VisitPhoto
from ..photos import CleanPhoto, StoredPhoto, max_photos, photos_stored
from .intake import AlreadyRecorded, open_petition, saved_once
from .three_trusts import record_three_trusts

__all__ = ["AlreadyRecorded", "Concern", "VisitRecord", "correct_visit", "record_visit"]


@dataclass
class Concern:
    """A concern raised on the doorstep, to become a petition of the visit's household."""

    category: Category
    description: str
    households_affected: int = 1
    urgency: str = Petition.Urgency.NORMAL
    resident: Resident | None = None


@dataclass
class VisitRecord:
    household: Household
    visited_at: datetime.datetime
    kind: str
    notes: str = ""
    co_visitors: list[Official] = field(default_factory=list)
    photos: list[CleanPhoto] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    # Resident id -> the tags they carry after the visit (only residents listed are changed).
    tags: dict[int, list[Tag]] = field(default_factory=dict)
    # The 三双 answers: {"knows": True/False/None, "trusts": …, "approves": …}; None: not asked.
    three_trusts: dict = field(default_factory=dict)


def record_visit(record: VisitRecord, *, by, key=None) -> Visit:
    """Save a visit, its photos, its petitions and the updated tags: all of it or nothing.

    The household must be visible to `by` (the view fetched it through `visible_to`); a
    visit in the future is refused. `key` is the form's idempotency key: a second call with the
    same author and key raises AlreadyRecorded with the visit saved the first time, even when
    both run at once (the unique constraint on (author, idempotency_key) decides). Photo files
    are written before the transaction and deleted if it fails (`photos_stored`).
    """
    with photos_stored(record.photos, VisitPhoto) as photos, saved_once(Visit, key, author=by):
        return _record_visit(record, photos, by=by, key=key)


# Runs inside saved_once's transaction (record_visit).
def _record_visit(record: VisitRecord, photos: list[StoredPhoto], *, by, key) -> Visit:
    household = record.household
    if not Household.objects.visible_to(by).filter(pk=household.pk).exists():
        raise PermissionDenied(_("This household is outside your area."))
    if record.visited_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValueError("a visit cannot be in the future")
    _check_co_visitors(household, record.co_visitors)
    visit = Visit.objects.create(
        household=household,
        grid_id=household.grid_id,
        visited_at=record.visited_at,
        kind=record.kind,
        notes=record.notes,
        author=by,
        idempotency_key=key,
    )
    note_visit(visit)
    visit.co_visitors.set(record.co_visitors)
    _save_photos(visit, photos)
    for concern in record.concerns:
        _open_petition(visit, concern, by)
    _update_tags(household, record.tags)
    record_three_trusts(
        record.three_trusts, household=household, by=by, at=record.visited_at, visit=visit
    )
    return visit


def note_visit(visit: Visit) -> None:
    """What a visit changes beyond its own row (2 queries): its household's latest visit (the
    coverage pages) and its community's count for the day (the dashboards)."""
    Household.objects.filter(pk=visit.household_id).filter(
        Q(last_visited_at__isnull=True) | Q(last_visited_at__lt=visit.visited_at)
    ).update(last_visited_at=visit.visited_at)
    count_visit(visit)


def _check_co_visitors(household, co_visitors):
    """Each co-visitor serves the household's place now (they are credited with the visit)."""
    ids = {o.pk for o in co_visitors}
    serving = Official.objects.filter(serves_place_q(household.grid), pk__in=ids)
    if ids and serving.values("pk").distinct().count() != len(ids):
        raise PermissionDenied(_("A co-visitor does not serve this household's place."))


def refresh_last_visits(households=None) -> int:
    """Recompute `Household.last_visited_at` from the visits, after visits were bulk-loaded
    (demo, generated data) without going through `record_visit`."""
    households = Household.objects.all() if households is None else households
    latest = (
        Visit.objects.filter(household=OuterRef("pk"))
        .values("household")
        .annotate(latest=Max("visited_at"))
        .values("latest")
    )
    return households.update(last_visited_at=Subquery(latest))


def _save_photos(visit, photos):
    for photo in photos:
        VisitPhoto.objects.create(visit=visit, image=photo.image, thumbnail=photo.thumbnail)


def _open_petition(visit, concern, by):
    return open_petition(
        by=by, source=Petition.Source.VISIT, category=concern.category,
        description=concern.description, household=visit.household, resident=concern.resident,
        households_affected=concern.households_affected, urgency=concern.urgency, visit=visit,
        note=_("Recorded during a door-to-door visit."),
    )  # fmt: skip


def _update_tags(household, tags_by_resident):
    residents = {r.pk: r for r in household.residents.filter(pk__in=list(tags_by_resident))}
    for resident_id, tags in tags_by_resident.items():
        if resident_id not in residents:
            raise ValueError("tags can only be changed for members of the visited household")
        residents[resident_id].tags.set(tags)


def correct_visit(visit: Visit, *, by, kind: str, notes: str, photos: list[CleanPhoto]) -> Visit:
    """Let the author correct a visit within 24 hours of recording it; later it is read-only.

    Photos are added to those the visit has, up to `max_photos()` in all.
    """
    with photos_stored(photos, VisitPhoto) as stored:
        return _correct_visit(visit, by=by, kind=kind, notes=notes, photos=stored)


@transaction.atomic
def _correct_visit(visit, *, by, kind, notes, photos):
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if not visit.is_editable_by(by):
        raise PermissionDenied(
            _("Only its author can correct a visit, within 24 hours; add a new visit instead.")
        )
    if photos and visit.photos.count() + len(photos) > max_photos():
        raise ValidationError(
            _("At most %(max)d photos in all; %(already)d are already attached.")
            % {"max": max_photos(), "already": visit.photos.count()},
            code="too_many",
        )
    visit.kind = kind
    visit.notes = notes
    visit.save(update_fields=["kind", "notes", "updated_at"])
    _save_photos(visit, photos)
    return visit
