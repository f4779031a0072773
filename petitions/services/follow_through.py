"""The district's follow-through chain and the street's coordination, as transitions.

- 督办 by hand: 区委办 (and the organizers) raise a petition's supervision grade (yellow, then
  red), with a reason; the clock raises them on time limits (services.supervision).
- 领导批示: a leader's instruction recorded on the petition, internal, told to the handler.
- 台账进展: the ledger owner's progress notes on a ledger item ("rectify item by item").
- 协调: a street brings one or more departments into a street-level petition without
  escalating it; the departments record their part (record_part), the street resolves it, and
  it stays a street-level petition.

Who may take each is the condition of its rule (`transitions.RULES`); these functions lock the
row, decide on it as locked and write the event, as every transition does.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from communities.scoping import get_scope

from ..models import GRADE_ORDER, SupervisionGrade
from . import transitions as t


def _district_body_or_organizer(scope):
    return scope.is_organizer or scope.coordinates


def may_raise_grade(user, petition):
    """区委办 and the organizers raise a grade, up to red."""
    return (
        _district_body_or_organizer(get_scope(user))
        and petition.supervision_grade != SupervisionGrade.RED
    )


def may_instruct(user, petition):
    return _district_body_or_organizer(get_scope(user))


def may_note_progress(user, petition):
    """The ledger owner's staff (and those who keep the ledger) note progress on an open item."""
    scope = get_scope(user)
    if petition.ledger_owner_id is None or petition.ledger_signed_off_at is not None:
        return False
    return scope.is_organizer or scope.collects or scope.department_id == petition.ledger_owner_id


def may_coordinate(user, petition):
    """A street official, on a street-level petition of their street."""
    scope = get_scope(user)
    return petition.level == "street" and (
        petition.grid.community.street_id in scope.ids.get("street", ()) or scope.is_superuser
    )


def next_grade(grade):
    return GRADE_ORDER[min(GRADE_ORDER.index(grade) + 1, len(GRADE_ORDER) - 1)]


@transaction.atomic
def raise_grade(petition, *, by, reason):
    """督办升级 by hand: yellow, then red; the handler is told."""
    t._guard(petition, "raise_grade", by)
    reason = t._required(reason, _("reason"))
    grade = next_grade(petition.supervision_grade)
    from django.utils import timezone

    changes = {"supervision_grade": grade}
    if petition.supervised_at is None:
        changes["supervised_at"] = timezone.now()
    return t._apply(
        petition, by=by, action="raise_grade", public=False,
        note=f"{SupervisionGrade(grade).label}: {reason}", notify_as=f"grade_{grade}", **changes,
    )  # fmt: skip


@transaction.atomic
def instruct(petition, *, by, leader, instruction):
    """领导批示: who instructed and what, on the petition's internal timeline."""
    t._guard(petition, "instruct", by)
    leader = t._required(leader, _("leader"))
    instruction = t._required(instruction, _("instruction"))
    return t._apply(
        petition, by=by, action="instruct", public=False, note=f"{leader}: {instruction}"
    )


@transaction.atomic
def note_progress(petition, *, by, progress):
    """台账整改进展: what the owner department has done on the item so far."""
    t._guard(petition, "ledger_progress", by)
    progress = t._required(progress, _("progress"))
    return t._apply(petition, by=by, action="ledger_progress", public=False, note=progress)


@transaction.atomic
def coordinate(petition, *, by, departments, note=""):
    """协调: the street brings departments in; the petition stays at street level."""
    t._guard(petition, "coordinate", by)
    departments = list(departments)
    if not departments:
        raise t.TransitionError(_("Choose a department."))
    already = set(petition.assisting_departments.values_list("pk", flat=True))
    new = [d for d in departments if d.pk not in already]
    if not new:
        raise t.TransitionError(_("These departments are already taking part."))
    petition.assisting_departments.add(*new)
    names = "、".join(d.name for d in new)
    return t._apply(
        petition, by=by, action="coordinate", note=f"{names}: {note}" if note else names
    )
