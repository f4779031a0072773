"""Opening a dispute: found in screening, reported, in the WeChat group, on a visit, on a
police day or through 12345, or turned from a petition; with its two parties."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.services.intake import saved_once

from ..models import Dispute, DisputeEvent, Party


@dataclass(frozen=True)
class PartyData:
    """One side: a resident of the registry, or a name and a phone from outside it."""

    side: str
    resident: object = None
    name: str = ""
    phone: str = ""


@transaction.atomic
def open_dispute(
    *, by, kind, found_by, description, grid, parties, people_involved=2, risk="low",
    compound=None, building=None, petition=None, visit=None, level="grid", key=None,
) -> Dispute:  # fmt: skip
    """Record a new dispute in `grid` (a building's compound is filled in) with its parties.
    `key`: the form's idempotency key (AlreadyRecorded when it was sent before).

    A dispute turned from a petition or found on a visit keeps the link (the petition page
    shows it through the panel registry)."""
    if building is not None:
        if building.grid_id != grid.pk:
            raise ValueError("the building of a dispute lies in its grid")
        compound = building.compound
    sides = {party.side for party in parties}
    if sides != {Party.Side.APPLICANT, Party.Side.RESPONDENT}:
        raise ValueError("a dispute has an applicant and a respondent")
    with saved_once(Dispute, key, created_by=by):
        dispute = Dispute.objects.create(
            kind=kind, found_by=found_by, description=description, grid=grid,
            compound=compound, building=building, people_involved=people_involved, risk=risk,
            petition=petition, visit=visit, level=level, created_by=by,
            created_at=timezone.now(), idempotency_key=key,
        )  # fmt: skip
    Party.objects.bulk_create(
        Party(dispute=dispute, side=p.side, resident=p.resident,
              name="" if p.resident else p.name, phone="" if p.resident else p.phone)
        for p in parties
    )  # fmt: skip
    note = (
        _("Turned from petition %(code)s.") % {"code": petition.tracking_code} if petition else ""
    )
    DisputeEvent.objects.create(
        dispute=dispute, actor=by, action="created", to_status=dispute.status, note=note
    )
    return dispute
