"""The verbs of the district's follow-through chain and of the street's coordination.

- 督办升级 by hand: 区委办 (and the organizers) raise a petition's supervision grade (yellow,
  then red) with a reason; the clock raises them on time limits (services.supervision).
- 领导批示: a leader's instruction recorded on the petition, internal, told to the handler.
- 台账进展: the ledger owner's progress notes on a ledger item ("rectify item by item").
- 协调: a street brings one or more departments into a street-level petition without
  escalating it; the departments record their part (record_part), the street resolves it, and
  it stays a street-level petition (counted as the street's).

Who may take each is its rule in `rules.RULES`; like every verb these lock the row, decide on
it as locked and write the row and its event through `rules.WORKFLOW`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import TransitionError

from ..models import GRADE_ORDER, SupervisionGrade
from .rules import WORKFLOW


def _required(text, what):
    text = (text or "").strip()
    if not text:
        raise TransitionError(_("Give the %(what)s.") % {"what": what})
    return text


def next_grade(grade: str) -> str:
    return GRADE_ORDER[min(GRADE_ORDER.index(grade) + 1, len(GRADE_ORDER) - 1)]


@transaction.atomic
def raise_grade(petition, *, by, reason):
    """督办升级 by hand: no card → yellow → red; the handler is told (inbox)."""
    WORKFLOW.guard(petition, "raise_grade", by)
    reason = _required(reason, _("reason"))
    grade = next_grade(petition.supervision_grade)
    changes = {"supervision_grade": grade}
    if petition.supervised_at is None:
        changes["supervised_at"] = timezone.now()
    return WORKFLOW.apply(
        petition, by=by, action="raise_grade", public=False,
        note=f"{SupervisionGrade(grade).label}: {reason}", **changes,
    )  # fmt: skip


@transaction.atomic
def instruct(petition, *, by, leader, instruction):
    """领导批示: who instructed and what, on the petition's internal timeline."""
    WORKFLOW.guard(petition, "instruct", by)
    leader = _required(leader, _("whose instruction"))
    instruction = _required(instruction, _("instruction"))
    return WORKFLOW.apply(
        petition, by=by, action="instruct", public=False, note=f"{leader}: {instruction}"
    )


@transaction.atomic
def note_progress(petition, *, by, progress):
    """台账整改进展: what the owner department has done on the item so far."""
    WORKFLOW.guard(petition, "ledger_progress", by)
    progress = _required(progress, _("progress"))
    return WORKFLOW.apply(petition, by=by, action="ledger_progress", public=False, note=progress)


@transaction.atomic
def coordinate(petition, *, by, departments, note=""):
    """协调: the street brings departments in; the petition stays at street level."""
    WORKFLOW.guard(petition, "coordinate", by)
    departments = list(departments)
    if not departments:
        raise TransitionError(_("Choose a department."))
    already = set(petition.assisting_departments.values_list("pk", flat=True))
    new = [d for d in departments if d.pk not in already]
    if not new:
        raise TransitionError(_("These departments already take part."))
    petition.assisting_departments.add(*new)
    names = "、".join(d.name for d in new)
    return WORKFLOW.apply(
        petition, by=by, action="coordinate", note=f"{names}: {note}" if note else names
    )
