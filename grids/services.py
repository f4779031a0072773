"""State changes of the registry's "5+3" roles: appointing and ending a term.

Each function checks who may act and whether the move is allowed, changes the rows inside one
transaction, and raises `RoleError` with a translatable message when it refuses, changing nothing.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, Grid, Official

from .models import Building, Compound, Resident, ResidentGroup, Role, RoleKind, Unit, chain_of
from .models.roles import SCOPE_OF_KIND, SINGLE_HOLDER_KINDS

PLACE_TYPES = {
    "community": Community,
    "grid": Grid,
    "compound": Compound,
    "building": Building,
    "unit": Unit,
    "resident_group": ResidentGroup,
}
# How a resident's household reaches each kind of place, to check the holder lives there.
RESIDENT_PLACE_LOOKUP = {
    "community": "household__grid__community",
    "grid": "household__grid",
    "compound": "household__unit__building__compound",
    "building": "household__unit__building",
    "unit": "household__unit",
    "resident_group": "household__resident_group",
}


class RoleError(Exception):
    """A refused appointment or ending; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def can_manage_place(user, place) -> bool:
    """Officials whose scope covers the place may appoint and end roles on it."""
    return type(place).objects.visible_to(user).filter(pk=place.pk).exists()


def _community_and_grid(place):
    if isinstance(place, Community):
        return place, None
    if isinstance(place, Grid):
        return place.community, place
    if isinstance(place, Compound):
        return place.community, None
    if isinstance(place, Building):
        return place.compound.community, place.grid
    if isinstance(place, Unit):
        return place.building.compound.community, place.building.grid
    return place.community, place.grid  # ResidentGroup


def _current_holder(kind, place):
    field = SCOPE_OF_KIND[kind]
    return (
        Role.objects.current()
        .filter(kind=kind, **{field: place})
        .select_related("resident", "official")
        .first()
    )


def check_appointment(*, kind, place, by, resident=None, official=None):
    """Refuse (RoleError) an appointment that breaks a rule; return the place's community and grid.

    Checks the place type, the user's scope, the community's chain, the person, and that a
    single-holder place is free.
    """
    kind = RoleKind(kind)
    field = SCOPE_OF_KIND[kind]
    if not isinstance(place, PLACE_TYPES[field]):
        raise RoleError(_("This role is placed on the wrong kind of place."))
    if not can_manage_place(by, place):
        raise RoleError(_("You may not appoint roles here."))
    community, grid = _community_and_grid(place)
    if kind not in chain_of(community):
        raise RoleError(
            _("A %(kind)s does not exist in a %(community_kind)s.")
            % {"kind": kind.label, "community_kind": community.get_kind_display()}
        )
    if (resident is None) == (official is None):
        raise RoleError(_("Choose one person to appoint."))
    if official is not None and kind != RoleKind.TASK_FORCE:
        raise RoleError(
            _("A role holder is a resident; only the task force may include officials.")
        )
    if resident is not None:
        lives_here = Resident.objects.current().filter(
            pk=resident.pk, **{RESIDENT_PLACE_LOOKUP[field]: place}
        )
        if not lives_here.exists():
            raise RoleError(_("%(name)s does not live here.") % {"name": resident.name})
    if kind in SINGLE_HOLDER_KINDS:
        holder = _current_holder(kind, place)
        if holder is not None:
            raise RoleError(_occupied_message(kind, holder))
    return community, grid


@transaction.atomic
def appoint_role(
    *,
    kind: str,
    place,
    by,
    resident: Resident | None = None,
    official: Official | None = None,
    start_date: datetime.date | None = None,
) -> Role:
    """Place `resident` (or, for the task force, `official`) in role `kind` on `place`."""
    kind = RoleKind(kind)
    field = SCOPE_OF_KIND[kind]
    community, grid = check_appointment(
        kind=kind, place=place, by=by, resident=resident, official=official
    )
    places = {
        "community": community,
        "grid": grid if field in ("grid", "building", "unit", "resident_group") else None,
    }
    if field != "community":
        places[field] = place  # a team leader's place is its grid: one keyword, not two
    role = Role(
        kind=kind,
        resident=resident,
        official=official,
        start_date=start_date or timezone.localdate(),
        appointed_by=by,
        **places,
    )
    try:
        # The savepoint keeps the outer transaction usable when the database refuses a second
        # simultaneous appointment through the one-current-holder index.
        with transaction.atomic():
            role.save()
    except IntegrityError:
        holder = _current_holder(kind, place)
        raise RoleError(
            _occupied_message(kind, holder) if holder else _("The role changed meanwhile.")
        ) from None
    return role


def _occupied_message(kind, holder):
    return _("This place already has a %(kind)s: %(name)s. End that term first.") % {
        "kind": RoleKind(kind).label,
        "name": holder.holder.name,
    }


@transaction.atomic
def end_role(role: Role, *, by, end_date: datetime.date | None = None) -> Role:
    """End a current term on `end_date` (today by default); the term is kept as history."""
    role = Role.objects.select_for_update().get(pk=role.pk)
    if not can_manage_place(by, role.scope_object or role.community):
        raise RoleError(_("You may not end roles here."))
    if role.end_date is not None:
        raise RoleError(_("This term has already ended."))
    end_date = end_date or timezone.localdate()
    if end_date > timezone.localdate():
        raise RoleError(_("A term can only be ended today or in the past."))
    if end_date < role.start_date:
        raise RoleError(_("The end date cannot be before the start date."))
    role.end_date = end_date
    role.ended_by = by
    role.save(update_fields=["end_date", "ended_by"])
    return role
