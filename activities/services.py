"""Every change the activities make: recording an activity with its findings (each one a new
petition), registering a place, founding a service team. Each is all or nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, Department, Grid, Official
from grids.models import PartyOrganization, Resident
from petitions.models import Category, Petition, PetitionEvent, PetitionPhoto
from petitions.photos import CleanPhoto, StoredPhoto, photos_stored
from petitions.services.intake import AlreadyRecorded, open_petition, saved_once

from .models import (
    Activity,
    ActivityPhoto,
    Finding,
    Place,
    PlaceCheck,
    ServiceTeam,
    TeamMember,
)

__all__ = [
    "ActivityRecord", "AlreadyRecorded", "FindingRecord", "MemberRecord", "add_finding",
    "found_team", "record_activity", "register_place", "update_activity",
]  # fmt: skip


@dataclass
class FindingRecord:
    """A problem found at a place, to become a petition located at that place."""

    place: Place
    category: Category
    description: str
    urgency: str = Petition.Urgency.NORMAL
    photos: list[CleanPhoto] = field(default_factory=list)


@dataclass
class ActivityRecord:
    kind: str
    title: str
    community: Community
    held_on: datetime.date
    what_was_done: str
    grid: Grid | None = None
    party_organization: PartyOrganization | None = None
    team: ServiceTeam | None = None
    partners: list[Department] = field(default_factory=list)
    location: str = ""
    participants: int = 0
    residents_reached: int = 0
    officials: list[Official] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    photos: list[CleanPhoto] = field(default_factory=list)
    # Places looked at; those with a finding are recorded as "problems found", the rest passed.
    checked: list[Place] = field(default_factory=list)
    findings: list[FindingRecord] = field(default_factory=list)


def record_activity(record: ActivityRecord, *, by, key=None) -> Activity:
    """Save an activity, its photos, the places it checked and its findings, each finding as a
    new petition (source 巡查 or 检查) located at its place: all of it or nothing.

    `key` is the form's idempotency key (a resubmitted form finds what the first one saved).
    Photo files are written before the transaction and deleted if it fails (`photos_stored`):
    the activity's own, and the findings', which become the petitions' photos.
    """
    finding_photos = [photo for finding in record.findings for photo in finding.photos]
    with (
        photos_stored(record.photos, ActivityPhoto) as photos,
        photos_stored(finding_photos, PetitionPhoto) as petition_photos,
        saved_once(Activity, key, created_by=by),
    ):
        return _record_activity(record, photos, petition_photos, by=by, key=key)


def check_activity(record: ActivityRecord, *, by) -> None:
    """Refuse an activity outside `by`'s area or whose parts do not belong to its community."""
    community = record.community
    if record.grid is not None:
        if record.grid.community_id != community.pk:
            raise ValidationError(_("The grid must lie in the activity's community."))
        if not Grid.objects.visible_to(by).filter(pk=record.grid.pk).exists():
            raise PermissionDenied(_("This grid is outside your area."))
    elif not Community.objects.visible_to(by).filter(pk=community.pk).exists():
        raise PermissionDenied(_("Choose one of your grids: the community is outside your area."))
    for part in (record.party_organization, record.team):
        if part is not None and part.community_id != community.pk:
            raise ValidationError(_("The organizer must belong to the activity's community."))
    if record.held_on > timezone.localdate():
        raise ValidationError(_("An activity is recorded once it has taken place."))
    if record.findings and record.kind not in Activity.FINDING_SOURCES:
        raise ValidationError(_("Only patrols and inspections record findings."))
    places = {p.pk: p for p in [*record.checked, *(f.place for f in record.findings)]}
    visible = set(
        Place.objects.visible_to(by).filter(pk__in=list(places)).values_list("pk", flat=True)
    )
    for place in places.values():
        if place.pk not in visible or place.grid.community_id != community.pk:
            raise ValidationError(
                _("%(place)s is not a place of this community.") % {"place": place.name}
            )


# Runs inside saved_once's transaction (record_activity).
def _record_activity(
    record: ActivityRecord, photos: list[StoredPhoto], petition_photos: list[StoredPhoto], *,
    by, key,
) -> Activity:  # fmt: skip
    check_activity(record, by=by)
    activity = Activity.objects.create(
        kind=record.kind, title=record.title, community=record.community, grid=record.grid,
        party_organization=record.party_organization, team=record.team, held_on=record.held_on,
        location=record.location, participants=record.participants,
        residents_reached=record.residents_reached, what_was_done=record.what_was_done,
        created_by=by, idempotency_key=key,
    )  # fmt: skip
    activity.partners.set(record.partners)
    activity.officials.set(record.officials)
    activity.residents.set(record.residents)
    ActivityPhoto.objects.bulk_create(
        ActivityPhoto(activity=activity, image=p.image, thumbnail=p.thumbnail) for p in photos
    )
    with_problems = {finding.place.pk for finding in record.findings}
    checked = {place.pk: place for place in [*record.checked, *(f.place for f in record.findings)]}
    PlaceCheck.objects.bulk_create(
        PlaceCheck(
            activity=activity,
            place=place,
            result=PlaceCheck.Result.PROBLEMS if pk in with_problems else PlaceCheck.Result.PASSED,
        )  # fmt: skip
        for pk, place in checked.items()
    )
    remaining = list(petition_photos)
    for finding in record.findings:
        mine, remaining = remaining[: len(finding.photos)], remaining[len(finding.photos) :]
        _raise_petition(activity, finding, mine, by)
    return activity


def _raise_petition(activity, finding: FindingRecord, photos, by) -> Finding:
    """The finding's petition, opened by the casework's own door as a visit's concerns are."""
    place = finding.place
    petition = open_petition(
        by=by, source=Activity.FINDING_SOURCES[activity.kind], category=finding.category,
        description=finding.description, building=place.building,
        grid=None if place.building_id else place.grid, urgency=finding.urgency,
        note=_("Found during %(activity)s at %(place)s.")
        % {"activity": activity.title, "place": place.name},
    )  # fmt: skip
    created = PetitionEvent.objects.filter(petition=petition).order_by("pk").first()
    PetitionPhoto.objects.bulk_create(
        PetitionPhoto(petition=petition, event=created, image=p.image, thumbnail=p.thumbnail)
        for p in photos
    )
    return Finding.objects.create(activity=activity, place=place, petition=petition)


def _refuse_outside(activity: Activity, by) -> None:
    """Only who may record such an activity corrects it: the officials of its grid (or, for a
    community's own activity, of its community) and those above them."""
    if activity.grid_id is not None:
        allowed = Grid.objects.visible_to(by).filter(pk=activity.grid_id).exists()
    else:
        allowed = Community.objects.visible_to(by).filter(pk=activity.community_id).exists()
    if not allowed:
        raise PermissionDenied(_("This activity is outside your area: you may not change it."))


def update_activity(activity: Activity, record: ActivityRecord, *, by) -> Activity:
    """Correct a saved activity with what its form says now: the same checks as recording it.

    Its findings (and the petitions they became) stay as they are, and so do the places where
    they were found; the places that passed are those ticked now. New photos are added."""
    with photos_stored(record.photos, ActivityPhoto) as photos:
        return _update_activity(activity, record, photos, by=by)


@transaction.atomic
def _update_activity(activity, record: ActivityRecord, photos, *, by) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _refuse_outside(activity, by)
    if record.community.pk != activity.community_id:
        raise ValidationError(_("An activity stays in its community."))
    check_activity(record, by=by)
    if record.kind not in Activity.FINDING_SOURCES and activity.findings.exists():
        raise ValidationError(
            _("This activity has findings: it stays a patrol or an inspection.")
        )  # fmt: skip
    for name in ("kind", "title", "grid", "party_organization", "team", "held_on", "location",
                 "participants", "residents_reached", "what_was_done"):  # fmt: skip
        setattr(activity, name, getattr(record, name))
    activity.save()
    activity.partners.set(record.partners)
    activity.officials.set(record.officials)
    ActivityPhoto.objects.bulk_create(
        ActivityPhoto(activity=activity, image=p.image, thumbnail=p.thumbnail) for p in photos
    )
    passed = activity.checks.filter(result=PlaceCheck.Result.PASSED)
    passed.exclude(place__in=[p.pk for p in record.checked]).delete()
    already = set(activity.checks.values_list("place_id", flat=True))
    PlaceCheck.objects.bulk_create(
        PlaceCheck(activity=activity, place=place, result=PlaceCheck.Result.PASSED)
        for place in record.checked
        if place.pk not in already
    )
    return activity


def add_finding(activity: Activity, finding: FindingRecord, *, by) -> Finding:
    """A finding recorded after the patrol or inspection was saved: it becomes a petition at
    its place in one atomic step, as the findings saved with the activity did."""
    with photos_stored(finding.photos, PetitionPhoto) as photos:
        return _add_finding(activity, finding, photos, by=by)


@transaction.atomic
def _add_finding(activity, finding: FindingRecord, photos, *, by) -> Finding:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _refuse_outside(activity, by)
    if activity.kind not in Activity.FINDING_SOURCES:
        raise ValidationError(_("Only patrols and inspections record findings."))
    place = finding.place
    if (
        place.grid.community_id != activity.community_id
        or not Place.objects.visible_to(by).filter(pk=place.pk).exists()
    ):
        raise ValidationError(
            _("%(place)s is not a place of this community.") % {"place": place.name}
        )
    PlaceCheck.objects.update_or_create(
        activity=activity, place=place, defaults={"result": PlaceCheck.Result.PROBLEMS}
    )
    return _raise_petition(activity, finding, photos, by)


@transaction.atomic
def register_place(
    *, by, grid: Grid, kind: str, name: str, address: str = "", building=None,
    responsible_person: str = "", responsible_phone: str = "",
) -> Place:  # fmt: skip
    """Add a place (shop, square, car park …) to the register of a grid `by` serves."""
    if not Grid.objects.visible_to(by).filter(pk=grid.pk).exists():
        raise PermissionDenied(_("This grid is outside your area."))
    if building is not None and building.grid_id != grid.pk:
        raise ValidationError(_("The building must lie in the place's grid."))
    if Place.objects.filter(grid=grid, name=name).exists():
        raise ValidationError(_("This grid already has a place of that name."))
    return Place.objects.create(
        grid=grid, kind=kind, name=name, address=address, building=building,
        responsible_person=responsible_person, responsible_phone=responsible_phone,
    )  # fmt: skip


@dataclass
class MemberRecord:
    name: str
    kind: str
    is_leader: bool = False
    official: Official | None = None
    resident: Resident | None = None


@transaction.atomic
def found_team(
    *, by, community: Community, kind: str, name: str, members: list[MemberRecord],
    grid: Grid | None = None, founded: datetime.date | None = None,
) -> ServiceTeam:  # fmt: skip
    """Found a service team of a community (or of one of its grids) with its members; exactly
    one of them leads it."""
    if grid is not None:
        if grid.community_id != community.pk:
            raise ValidationError(_("The grid must lie in the team's community."))
        if not Grid.objects.visible_to(by).filter(pk=grid.pk).exists():
            raise PermissionDenied(_("This grid is outside your area."))
    elif not Community.objects.visible_to(by).filter(pk=community.pk).exists():
        raise PermissionDenied(_("Choose one of your grids: the community is outside your area."))
    if sum(1 for m in members if m.is_leader) != 1:
        raise ValidationError(_("Name exactly one leader of the team."))
    if ServiceTeam.objects.filter(community=community, name=name).exists():
        raise ValidationError(_("This community already has a team of that name."))
    team = ServiceTeam.objects.create(
        community=community, grid=grid, kind=kind, name=name, founded=founded
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            team=team,
            name=m.name,
            kind=m.kind,
            is_leader=m.is_leader,
            official=m.official,
            resident=m.resident,
        )  # fmt: skip
        for m in members
    )
    return team
