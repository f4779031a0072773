"""Every change of a petition's status or level: one function per transition.

Each function checks who may act and from which status (the TRANSITIONS table), changes the row
inside one transaction with an optimistic version check (SQLite ignores SELECT ... FOR UPDATE),
and writes its immutable PetitionEvent. A refused transition raises `TransitionError` with a
message in the user's language and changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.scoping import get_scope

from ..models import DeadlineRule, Petition, PetitionEvent, add_working_days
from ..models.petitions import ACTION_LABELS

OPEN = ("new", "accepted", "in_progress", "resolved", "followed_up")
WORKING = ("accepted", "in_progress")

# action -> statuses it may start from (written as data, read by `allowed_actions` and the guards)
TRANSITIONS = {
    "accept": ("new",),
    "dispatch": ("new",),
    "start": ("accepted",),
    "respond": WORKING,
    "escalate": ("new", *WORKING),
    "return": ("new", *WORKING),
    "resolve": WORKING,
    "follow_up": ("resolved",),
    "close": ("followed_up",),
    "reject": ("new", "accepted"),
    "withdraw": OPEN,
    "supervise": ("new", *WORKING),
}
# Levels from which each scope may handle a petition: the lowest level that can solve it.
HANDLED_FROM = {
    "grid": ("compound",),
    "community": ("compound", "community"),
    "street": ("compound", "community", "street"),
    "district": ("compound", "community", "street", "district"),
}


class TransitionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Asking the resident and closing belong to the officials near the resident, whatever level
# solved the petition.
NEAR_THE_RESIDENT = ("follow_up", "close")


def can_handle(user, petition: Petition, action: str | None = None) -> bool:
    """May `user` work on `petition` at its current level (or take `action` on it)?"""
    if not Petition.objects.visible_to(user).filter(pk=petition.pk).exists():
        return False
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    if action in NEAR_THE_RESIDENT:
        return bool(scope.areas)
    if petition.level == "district" and scope.department_id == petition.department_id:
        return petition.department_id is not None
    grid = petition.grid
    reach = {
        "grid": grid.pk in scope.ids.get("grid", ()),
        "community": grid.community_id in scope.ids.get("community", ()),
        "street": grid.community.street_id in scope.ids.get("street", ()),
        "district": bool(scope.ids.get("district")),
    }
    return any(petition.level in HANDLED_FROM[level] for level, ok in reach.items() if ok)


def _may_dispatch(user, petition):
    return petition.level == "district" and get_scope(user).is_organizer


def _may_supervise(user, petition):
    scope = get_scope(user)
    return (scope.is_organizer or scope.serves("street")) and petition.is_overdue()


# Rules some actions add to the status table, with the reason given when they refuse.
CONDITIONS = {
    "dispatch": (
        _may_dispatch,
        gettext_lazy("Only the district dispatches a district petition to a department."),
    ),
    "supervise": (
        _may_supervise,
        gettext_lazy("Only the street or the district supervises, and only an overdue petition."),
    ),
}


def allowed_actions(user, petition: Petition) -> list[str]:
    """The transitions `user` may take on `petition` now (the detail page shows only these)."""
    return [
        action
        for action, sources in TRANSITIONS.items()
        if petition.status in sources
        and can_handle(user, petition, action)
        and (action not in CONDITIONS or CONDITIONS[action][0](user, petition))
    ]


def _guard(petition, action, by):
    # Lock the row (PostgreSQL) and compare versions (every database): an official acting on
    # what they saw before someone else acted is told so, not given a misleading refusal.
    current = Petition.objects.select_for_update().filter(pk=petition.pk).values("version").first()
    if current is None or current["version"] != petition.version:
        raise TransitionError(_("This petition was changed meanwhile; here is its new state."))
    if petition.status not in TRANSITIONS[action]:
        raise TransitionError(
            _("A petition that is %(status)s cannot be %(action)s.")
            % {"status": petition.get_status_display(), "action": ACTION_LABELS[action]}
        )
    if not can_handle(by, petition, action):
        raise TransitionError(_("You may not handle this petition at its level."))
    if action in CONDITIONS and not CONDITIONS[action][0](by, petition):
        raise TransitionError(str(CONDITIONS[action][1]))


def _apply(petition, *, by, action, to_status=None, note="", public=True, **changes):
    """Write the change if nobody changed the petition meanwhile, and its event."""
    from_status = petition.status
    to_status = to_status or from_status
    updated = Petition.objects.filter(pk=petition.pk, version=petition.version).update(
        status=to_status, version=F("version") + 1, **changes
    )
    if not updated:
        raise TransitionError(_("This petition was changed meanwhile; here is its new state."))
    PetitionEvent.objects.create(
        petition=petition, actor=by, action=action, from_status=from_status,
        to_status=to_status, note=note, public=public,
    )  # fmt: skip
    petition.refresh_from_db()
    return petition


def _required(text, what):
    text = (text or "").strip()
    if not text:
        raise TransitionError(_("Give the %(what)s.") % {"what": what})
    return text


def deadline_for(petition, start):
    """(due, respond by) from the rule of its category and level, else the level's default."""
    rules = DeadlineRule.objects.filter(
        level=petition.level, category__in=[petition.category_id, None]
    )
    rule = min(rules, key=lambda r: r.category_id is None, default=None)
    days, hours = (rule.working_days, rule.response_hours) if rule else (7, 24)
    local = timezone.localtime(start)
    due_day = add_working_days(local.date(), days)
    due = local.replace(year=due_day.year, month=due_day.month, day=due_day.day)
    return due, start + datetime.timedelta(hours=hours)


@transaction.atomic
def accept(petition, *, by, note=""):
    """签收: the handler takes the petition; the clock starts now."""
    _guard(petition, "accept", by)
    now = timezone.now()
    due, respond_by = deadline_for(petition, now)
    return _apply(
        petition, by=by, action="accept", to_status="accepted", note=note,
        accepted_at=now, due_at=due, respond_by=respond_by, assignee=by,
    )  # fmt: skip


@transaction.atomic
def dispatch(petition, *, by, department, note=""):
    """派单: at district level the organizers hand the petition to a lead department (主办),
    which accepts it and works on it "item by item until done"."""
    _guard(petition, "dispatch", by)
    if petition.level != "district" or not get_scope(by).is_organizer:
        raise TransitionError(
            _("Only the district dispatches a district petition to a department.")
        )
    return _apply(
        petition, by=by, action="dispatch", note=note or department.name, department=department,
        assignee=None,
    )  # fmt: skip


@transaction.atomic
def start_work(petition, *, by, note=""):
    _guard(petition, "start", by)
    return _apply(petition, by=by, action="start", to_status="in_progress", note=note)


@transaction.atomic
def respond(petition, *, by, note):
    """Record contacting the resident or arriving on site (the response, not the solution)."""
    _guard(petition, "respond", by)
    return _apply(
        petition, by=by, action="respond", note=_required(note, _("how the resident was reached")),
        responded_at=timezone.now(),
    )  # fmt: skip


def _next_level(level, step):
    levels = Petition.LEVELS
    index = levels.index(level) + step
    if not 0 <= index < len(levels):
        return None
    return levels[index]


@transaction.atomic
def escalate(petition, *, by, reason):
    """上报: one level up, with a reason; the next level accepts it anew."""
    _guard(petition, "escalate", by)
    reason = _required(reason, _("reason"))
    level = _next_level(petition.level, +1)
    if level is None:
        raise TransitionError(_("A district petition cannot be escalated further."))
    return _apply(
        petition, by=by, action="escalate", to_status="new", note=reason, level=level,
        assignee=None, accepted_at=None, due_at=None, respond_by=None,
    )  # fmt: skip


@transaction.atomic
def return_down(petition, *, by, reason):
    """退回: one level down, with a reason."""
    _guard(petition, "return", by)
    reason = _required(reason, _("reason"))
    level = _next_level(petition.level, -1)
    if level is None:
        raise TransitionError(_("A compound petition cannot be returned further down."))
    return _apply(
        petition, by=by, action="return", to_status="new", note=reason, level=level,
        assignee=None, department=None, accepted_at=None, due_at=None, respond_by=None,
    )  # fmt: skip


@transaction.atomic
def resolve(petition, *, by, what_was_done):
    """办结: what was done; the resident is asked next (回访)."""
    _guard(petition, "resolve", by)
    return _apply(
        petition, by=by, action="resolve", to_status="resolved",
        note=_required(what_was_done, _("what was done")), resolved_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def follow_up(petition, *, by, satisfaction, comment=""):
    """回访: the resident's answer. "Not satisfied" reopens the petition (重办)."""
    _guard(petition, "follow_up", by)
    if satisfaction not in Petition.Satisfaction.values:
        raise TransitionError(_("Choose the resident's answer."))
    petition = _apply(
        petition, by=by, action="follow_up", to_status="followed_up", note=comment,
        satisfaction=satisfaction,
    )  # fmt: skip
    if satisfaction == Petition.Satisfaction.NOT:
        petition = _apply(
            petition, by=by, action="reopen", to_status="in_progress",
            note=_("The resident is not satisfied: the petition is redone."),
            reopen_count=F("reopen_count") + 1, resolved_at=None,
        )  # fmt: skip
    return petition


@transaction.atomic
def close(petition, *, by, note=""):
    """结案: only after the resident was asked."""
    _guard(petition, "close", by)
    return _apply(
        petition, by=by, action="close", to_status="closed", note=note, closed_at=timezone.now()
    )


@transaction.atomic
def reject(petition, *, by, reason):
    _guard(petition, "reject", by)
    return _apply(
        petition, by=by, action="reject", to_status="rejected", note=_required(reason, _("reason"))
    )


@transaction.atomic
def withdraw(petition, *, by, reason):
    _guard(petition, "withdraw", by)
    return _apply(
        petition,
        by=by,
        action="withdraw",
        to_status="withdrawn",
        note=_required(reason, _("reason")),
    )


@transaction.atomic
def supervise(petition, *, by, instruction):
    """督办: an overdue petition flagged by the street or the district, with an instruction."""
    _guard(petition, "supervise", by)
    scope = get_scope(by)
    if not (scope.is_organizer or scope.serves("street")):
        raise TransitionError(
            _("Only the street or the district puts a petition under supervision.")
        )
    if not petition.is_overdue():
        raise TransitionError(_("Only an overdue petition is put under supervision."))
    return _apply(
        petition, by=by, action="supervise", note=_required(instruction, _("instruction")),
        public=False, supervised_at=timezone.now(),
    )  # fmt: skip
