"""Who may take which transition on a petition: the level rules and the RULES table.

`WORKFLOW` (core.workflow) joins the rules with the petition model, its events and the inbox;
the verbs in `transitions.py` guard and apply through it, `petitions/actions.py` gives each rule
its form and service, and docs/petition-states.md and the matrix tests read the same table.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from communities.scoping import get_scope, reaches
from core.workflow import Messages, Rule, Workflow

from ..models import Petition, PetitionEvent
from ..models.petitions import SOLVED_STATUSES
from .inbox import notify

WORKING = (Petition.Status.ACCEPTED, Petition.Status.IN_PROGRESS)

# Levels from which each scope may handle a petition: the lowest level that can solve it.
HANDLED_FROM = {
    "grid": Petition.LEVELS[:1],
    "community": Petition.LEVELS[:2],
    "street": Petition.LEVELS[:3],
    "district": Petition.LEVELS,
}
# The place on the map whose officials handle a petition at each level.
MAP_LEVEL = {"compound": "grid", "community": "community", "street": "street",
             "district": "district"}  # fmt: skip

CHANGED = gettext_lazy("This petition was changed meanwhile; here is its new state.")

# Asking the resident and closing belong to the officials near the resident, whatever level
# solved the petition.
NEAR_THE_RESIDENT = ("follow_up", "close")
# Decided by someone other than the handler: the level above, an assisting department, the
# district's follow-through chain (区委组织部 triages and keeps the ledger, 区委办 supervises and
# instructs, the ledger owner rectifies and signs off), the street bringing departments in.
# Their rules' `who` says who (and checks the place where it matters).
DECIDED_ELSEWHERE = ("decide_extension", "record_part", "sign_off", "dispatch", "supervise",
                     "add_assisting", "put_on_ledger", "raise_grade", "instruct",
                     "ledger_progress", "coordinate")  # fmt: skip


def can_handle(user, petition: Petition, action: str | None = None) -> bool:
    """May `user` work on `petition` at its current level (or take `action` on it)?"""
    return _sees(user, petition) and _reaches(user, petition, action)


def _sees(user, petition: Petition) -> bool:
    return Petition.objects.visible_to(user).filter(pk=petition.pk).exists()


def _reaches(user, petition: Petition, action: str | None) -> bool:
    """The level rules of `can_handle`, for a petition `user` is known to see."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    if action in NEAR_THE_RESIDENT:
        return bool(scope.areas)
    if action in DECIDED_ELSEWHERE:
        return True  # the `who` of their rule says who
    if petition.level == "district" and scope.department_id == petition.department_id:
        return petition.department_id is not None
    return reaches(user, petition.grid, MAP_LEVEL[petition.level])


def next_level(level: str, step: int) -> str | None:
    """The petition level `step` above (+1) or below (-1) `level`, None past either end."""
    levels = Petition.LEVELS
    index = levels.index(level) + step
    if not 0 <= index < len(levels):
        return None
    return levels[index]


def _one_level_up(user, petition: Petition) -> bool:
    """The level above the petition's: it decides extensions (the district decides its own)."""
    above = next_level(petition.level, +1) or "district"
    return reaches(user, petition.grid, MAP_LEVEL[above])


def _collects(user, petition):
    """The organizers and 区委组织部: triage district petitions, keep the ledger."""
    scope = get_scope(user)
    return scope.is_organizer or scope.collects


def _coordinates(user, petition):
    """The organizers and 区委办: supervise, instruct, add assisting departments."""
    scope = get_scope(user)
    return scope.is_organizer or scope.coordinates


def _party_office(user, petition):
    """区委办 alone: it supervises any open petition, raises grades, records instructions."""
    return get_scope(user).coordinates


def _may_supervise(user, petition):
    """区委办 supervises any open petition; the organizers an overdue one, a street an overdue
    one of its own below the district."""
    scope = get_scope(user)
    if scope.coordinates:
        return True
    if not petition.is_overdue():
        return False
    return scope.is_organizer or (
        scope.serves("street")
        and petition.level != "district"
        and reaches(user, petition.grid, "street")
    )


def _may_raise_grade(user, petition):
    return get_scope(user).coordinates and petition.supervision_grade != "red"


def _keeps_this_ledger_item(user, petition):
    """An open ledger item: its owner department's staff, 区委组织部 and the organizers."""
    if petition.ledger_owner_id is None or petition.ledger_signed_off_at is not None:
        return False
    scope = get_scope(user)
    return _collects(user, petition) or (
        scope.department_id is not None and scope.department_id == petition.ledger_owner_id
    )


def _street_coordinates(user, petition):
    """A street official of the petition's own street."""
    return get_scope(user).serves("street") and reaches(user, petition.grid, "street")


def _extension_pending(user, petition):
    return petition.extension_requested_until is not None and _one_level_up(user, petition)


def _assisting(user, petition):
    department = get_scope(user).department_id
    return bool(department) and petition.assisting_departments.filter(pk=department).exists()


def dispatched_to(user, petition: Petition) -> bool:
    """Is `user` on the staff of the department this district petition was dispatched to?"""
    scope = get_scope(user)
    return (
        not scope.is_organizer
        and petition.level == "district"
        and petition.department_id is not None
        and scope.department_id == petition.department_id
    )


def _not_dispatched_to(user, petition):
    return not dispatched_to(user, petition)


def _verb(text):
    return pgettext_lazy("petition action", text)


BELOW_DISTRICT = ("compound", "community", "street")
ABOVE_COMPOUND = ("community", "street", "district")
DEPARTMENT_RETURNS = gettext_lazy("A department returns what was dispatched to it, with a reason.")
ONLY_LEDGER = gettext_lazy("Only the district keeps the ledger.")

# Every transition, written as data: the detail page offers, the guards refuse and the docs
# (docs/petition-states.md) and the matrix tests read this table.
RULES: dict[str, Rule] = {rule.verb: rule for rule in [
    Rule("accept", _verb("accept"), ("new",)),
    Rule("dispatch", _verb("dispatch to a department"), ("new",), _collects,
         gettext_lazy("Only the district dispatches a district petition to a department."),
         levels=("district",)),
    Rule("assign", _verb("assign a handler"), ("new", *WORKING),
         lambda user, petition: petition.level != "district" or get_scope(user).is_organizer,
         gettext_lazy("At district level the organizers dispatch petitions.")),
    Rule("start", _verb("start work"), ("accepted",)),
    Rule("respond", _verb("record contact with the resident"), WORKING),
    Rule("escalate", _verb("escalate"), ("new", *WORKING),
         refusal=gettext_lazy("A district petition cannot be escalated further."),
         levels=BELOW_DISTRICT),
    Rule("return", _verb("return"), ("new", *WORKING),
         refusal=gettext_lazy("A compound petition cannot be returned further down."),
         levels=ABOVE_COMPOUND),
    Rule("resolve", _verb("resolve"), WORKING),
    Rule("follow_up", _verb("follow up"), ("resolved",)),
    Rule("close", _verb("close"), ("followed_up",)),
    Rule("reject", _verb("reject"), ("new", "accepted"), _not_dispatched_to, DEPARTMENT_RETURNS),
    # Nobody withdraws a petition once it is resolved: the resident is asked, then it closes.
    Rule("withdraw", _verb("withdraw"), ("new", *WORKING), _not_dispatched_to,
         DEPARTMENT_RETURNS),
    Rule("supervise", _verb("supervise"), ("new", *WORKING), _may_supervise,
         gettext_lazy("区委办 supervises any open petition; a street only an overdue one of "
                      "its own.")),
    Rule("raise_grade", _verb("raise the supervision grade"), ("new", *WORKING),
         _may_raise_grade,
         gettext_lazy("Only 区委办 raises a supervision grade, up to the red card.")),
    Rule("instruct", _verb("record a leader's instruction"), ("new", *WORKING), _party_office,
         gettext_lazy("Only 区委办 records a leader's instruction.")),
    Rule("coordinate", _verb("bring in departments"), ("new", *WORKING), _street_coordinates,
         gettext_lazy("Only the street brings departments into a street-level petition."),
         levels=("street",)),
    Rule("merge", _verb("merge"), ("new", *WORKING), _not_dispatched_to, DEPARTMENT_RETURNS),
    Rule("request_extension", _verb("request an extension"), WORKING,
         lambda user, petition: (
             petition.due_at is not None and petition.extension_requested_until is None
         ),
         gettext_lazy("An extension is asked for once, for a petition with a deadline.")),
    Rule("decide_extension", _verb("decide the extension"), WORKING, _extension_pending,
         gettext_lazy("Only the level above decides a pending extension request.")),
    Rule("add_assisting", _verb("add an assisting department"), ("new", *WORKING), _coordinates,
         gettext_lazy("Only the district adds assisting departments."), levels=("district",)),
    Rule("record_part", _verb("record your department's part"), WORKING, _assisting,
         gettext_lazy("Only an assisting department records its part.")),
    Rule("put_on_ledger", _verb("put on the district ledger"), ("new", *WORKING), _collects,
         ONLY_LEDGER, levels=("district",)),
    Rule("ledger_progress", _verb("note progress on the ledger"),
         ("new", *WORKING, "resolved", "followed_up"), _keeps_this_ledger_item,
         gettext_lazy("Only the owner department notes progress on an open ledger item.")),
    # 销号 once the item is rectified (办结), by its owner department or the ledger's keepers.
    Rule("sign_off", _verb("sign off the ledger"), SOLVED_STATUSES,
         _keeps_this_ledger_item,
         gettext_lazy("Only the owner department or 区委组织部 signs off an open ledger item.")),
]}  # fmt: skip

WORKFLOW = Workflow(
    model=Petition,
    event_model=PetitionEvent,
    event_to="petition",
    rules=RULES.values(),
    sees=_sees,
    reaches=_reaches,
    messages=Messages(
        status=gettext_lazy("A petition that is %(status)s cannot be %(action)s."),
        level=gettext_lazy("You may not handle this petition at its level."),
        changed=CHANGED,
    ),
    lock_related=("grid__community",),
    after_apply=notify,
)


def refusal(user, petition: Petition, action: str, *, sees: bool | None = None) -> str | None:
    """Why `user` may not take `action` on `petition` as it stands, or None if they may.

    The one decision behind both the offered actions and the guard (which asks it on the row
    as locked). `sees` skips the visibility query when the caller already knows.
    """
    return WORKFLOW.refusal(user, petition, action, sees=sees)


def allowed_actions(user, petition: Petition, *, sees: bool | None = None) -> list[str]:
    """The transitions `user` may take on `petition` now (the detail page shows only these).
    `sees=True` when `petition` was loaded through `Petition.objects.visible_to(user)`."""
    return WORKFLOW.allowed(user, petition, sees=sees)
