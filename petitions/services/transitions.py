"""Every change of a petition's status or level: one function per transition.

Each function checks who may act and from which status (the RULES table), changes the row
inside one transaction with an optimistic version check (SQLite ignores SELECT ... FOR UPDATE),
and writes its immutable PetitionEvent. A refused transition raises `TransitionError` with a
message in the user's language and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from communities.scoping import get_scope

from ..models import (
    DeadlineRule,
    Petition,
    PetitionContribution,
    PetitionEvent,
    PetitionPhoto,
    Resolution,
    add_working_days,
)
from ..photos import photos_stored
from .inbox import notify
from .three_trusts import record_three_trusts

WORKING = ("accepted", "in_progress")

# Levels from which each scope may handle a petition: the lowest level that can solve it.
HANDLED_FROM = {
    "grid": ("compound",),
    "community": ("compound", "community"),
    "street": ("compound", "community", "street"),
    "district": ("compound", "community", "street", "district"),
}


CHANGED = gettext_lazy("This petition was changed meanwhile; here is its new state.")


class TransitionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Asking the resident and closing belong to the officials near the resident, whatever level
# solved the petition.
NEAR_THE_RESIDENT = ("follow_up", "close")
# Decided by someone other than the handler: the level above, an assisting department, the
# district's ledger keepers. Their rules are the conditions in RULES.
DECIDED_ELSEWHERE = ("decide_extension", "record_part", "sign_off")


def can_handle(user, petition: Petition, action: str | None = None) -> bool:
    """May `user` work on `petition` at its current level (or take `action` on it)?"""
    return _sees(user, petition) and _reaches(user, petition, action)


def _sees(user, petition):
    return Petition.objects.visible_to(user).filter(pk=petition.pk).exists()


def _reaches(user, petition, action):
    """The level rules of `can_handle`, for a petition `user` is known to see."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    if action in NEAR_THE_RESIDENT:
        return bool(scope.areas)
    if action in DECIDED_ELSEWHERE:
        return True  # the condition of their rule says who
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


def _district_organizer(user, petition):
    return petition.level == "district" and get_scope(user).is_organizer


def _extension_pending(user, petition):
    return petition.extension_requested_until is not None and _one_level_up(user, petition)


def _one_level_up(user, petition):
    """The level above the petition's: it decides extensions (the district decides its own)."""
    scope = get_scope(user)
    if scope.is_organizer:
        return True
    above = _next_level(petition.level, +1)
    grid = petition.grid
    return (above == "community" and grid.community_id in scope.ids.get("community", ())) or (
        above in ("community", "street") and grid.community.street_id in scope.ids.get("street", ())
    )


def _assisting(user, petition):
    department = get_scope(user).department_id
    return bool(department) and petition.assisting_departments.filter(pk=department).exists()


def _on_ledger_open(user, petition):
    return (
        get_scope(user).is_organizer
        and petition.ledger_owner_id is not None
        and petition.ledger_signed_off_at is None
    )


def _dispatched_to(user, petition):
    """Is `user` on the staff of the department this district petition was dispatched to?"""
    scope = get_scope(user)
    return (
        not scope.is_organizer
        and petition.level == "district"
        and petition.department_id is not None
        and scope.department_id == petition.department_id
    )


def _not_dispatched_to(user, petition):
    return not _dispatched_to(user, petition)


@dataclass(frozen=True)
class Rule:
    """One transition: what its button says (a verb), the statuses it starts from, and the
    condition it adds to the level rules of `can_handle`, with the reason given when it refuses.
    """

    label: Promise
    sources: tuple[str, ...]
    condition: Callable[..., bool] | None = None
    refusal: Promise | None = None


def _verb(text):
    return pgettext_lazy("petition action", text)


# Every transition, written as data: the detail page offers, the guards refuse and the docs
# (docs/petition-states.md) and the matrix test read this table.
RULES: dict[str, Rule] = {
    "accept": Rule(_verb("accept"), ("new",)),
    "dispatch": Rule(
        _verb("dispatch to a department"), ("new",), _may_dispatch,
        gettext_lazy("Only the district dispatches a district petition to a department."),
    ),
    "assign": Rule(
        _verb("assign a handler"), ("new", *WORKING),
        lambda user, petition: petition.level != "district" or get_scope(user).is_organizer,
        gettext_lazy("At district level the organizers dispatch petitions."),
    ),
    "start": Rule(_verb("start work"), ("accepted",)),
    "respond": Rule(_verb("record contact with the resident"), WORKING),
    "escalate": Rule(
        _verb("escalate"), ("new", *WORKING),
        lambda user, petition: petition.level != "district",
        gettext_lazy("A district petition cannot be escalated further."),
    ),
    "return": Rule(
        _verb("return"), ("new", *WORKING),
        lambda user, petition: petition.level != "compound",
        gettext_lazy("A compound petition cannot be returned further down."),
    ),
    "resolve": Rule(_verb("resolve"), WORKING),
    "follow_up": Rule(_verb("follow up"), ("resolved",)),
    "close": Rule(_verb("close"), ("followed_up",)),
    "reject": Rule(
        _verb("reject"), ("new", "accepted"), _not_dispatched_to,
        gettext_lazy("A department returns what was dispatched to it, with a reason."),
    ),
    # Nobody withdraws a petition once it is resolved: the resident is asked, then it closes.
    "withdraw": Rule(
        _verb("withdraw"), ("new", *WORKING), _not_dispatched_to,
        gettext_lazy("A department returns what was dispatched to it, with a reason."),
    ),
    "supervise": Rule(
        _verb("supervise"), ("new", *WORKING), _may_supervise,
        gettext_lazy("Only the street or the district supervises, and only an overdue petition."),
    ),
    "merge": Rule(
        _verb("merge"), ("new", *WORKING), _not_dispatched_to,
        gettext_lazy("A department returns what was dispatched to it, with a reason."),
    ),
    "request_extension": Rule(
        _verb("request an extension"), WORKING,
        lambda user, petition: (
            petition.due_at is not None and petition.extension_requested_until is None
        ),
        gettext_lazy("An extension is asked for once, for a petition with a deadline."),
    ),
    "decide_extension": Rule(
        _verb("decide the extension"), WORKING, _extension_pending,
        gettext_lazy("Only the level above decides a pending extension request."),
    ),
    "add_assisting": Rule(
        _verb("add an assisting department"), ("new", *WORKING), _district_organizer,
        gettext_lazy("Only the district adds assisting departments."),
    ),
    "record_part": Rule(
        _verb("record your department's part"), WORKING, _assisting,
        gettext_lazy("Only an assisting department records its part."),
    ),
    "put_on_ledger": Rule(
        _verb("put on the district ledger"), ("new", *WORKING), _district_organizer,
        gettext_lazy("Only the district keeps the ledger."),
    ),
    "sign_off": Rule(
        _verb("sign off the ledger"), ("closed",), _on_ledger_open,
        gettext_lazy("Only the district signs off an item on its ledger."),
    ),
}  # fmt: skip


def refusal(user, petition: Petition, action: str, *, sees: bool | None = None) -> str | None:
    """Why `user` may not take `action` on `petition` as it stands, or None if they may.

    The one decision behind both the offered actions and the guard (which asks it on the row
    as locked). `sees` skips the visibility query when the caller already knows.
    """
    rule = RULES[action]
    if petition.status not in rule.sources:
        return _("A petition that is %(status)s cannot be %(action)s.") % {
            "status": petition.get_status_display(),
            "action": rule.label,
        }
    if not (_sees(user, petition) if sees is None else sees) or not _reaches(
        user, petition, action
    ):
        return _("You may not handle this petition at its level.")
    if rule.condition is not None and not rule.condition(user, petition):
        return str(rule.refusal)
    return None


def allowed_actions(user, petition: Petition) -> list[str]:
    """The transitions `user` may take on `petition` now (the detail page shows only these)."""
    if not _sees(user, petition):  # asked once, not once per action
        return []
    return [action for action in RULES if refusal(user, petition, action, sees=True) is None]


def _guard(petition, action, by):
    """Lock the row and decide on it as locked, never on the copy the caller loaded earlier.

    `petition.version` is the version the official saw (the page posts it back). The row is
    re-read under `SELECT ... FOR UPDATE` (PostgreSQL holds it until the transaction ends;
    SQLite serialises writers and `_apply` compares the version again), the versions are
    compared, and only then are status, level, permission and the action's own condition
    checked, on the fresh values now held by `petition`.
    """
    seen = petition.version
    try:
        petition.refresh_from_db(
            from_queryset=Petition.objects.select_for_update(of=("self",)).select_related(
                "grid__community"
            )
        )
    except Petition.DoesNotExist:
        raise TransitionError(str(CHANGED)) from None
    if petition.version != seen:
        # Acting on what they saw before someone else acted: told so, not given a misleading
        # refusal.
        raise TransitionError(str(CHANGED))
    reason = refusal(by, petition, action)
    if reason is not None:
        raise TransitionError(reason)


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
    notify(petition, action, by)
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
def return_down(petition, *, by, reason, code=Petition.ReturnReason.OTHER):
    """退回 with one of the standard reasons. A department hands a dispatched petition back to
    the district office (which may dispatch it again); any other handler sends it one level
    down."""
    _guard(petition, "return", by)
    reason = _required(reason, _("reason"))
    if code not in Petition.ReturnReason.values:
        raise TransitionError(_("Choose one of the standard reasons."))
    note = f"{Petition.ReturnReason(code).label}: {reason}"
    clock = {"assignee": None, "accepted_at": None, "due_at": None, "respond_by": None}
    scope = get_scope(by)
    if petition.level == "district" and petition.department_id == scope.department_id:
        return _apply(
            petition, by=by, action="return", to_status="new", note=note, return_reason=code,
            department=None, **clock,
        )  # fmt: skip
    level = _next_level(petition.level, -1)
    if level is None:
        raise TransitionError(_("A compound petition cannot be returned further down."))
    return _apply(
        petition, by=by, action="return", to_status="new", note=note, return_reason=code,
        level=level, department=None, **clock,
    )  # fmt: skip


def resolve(
    petition, *, by, what_was_done, cost=None, public_money=None, contributions=(), photos=()
):
    """办结: what was done, what it cost and who paid (public money, and residents' contributions
    as (household, amount) pairs), with photos; the resident is asked next (回访).

    The photo files are written before the transaction and deleted if it fails (`photos_stored`):
    a full disk raises PhotoStorageError with nothing saved and no file left behind."""
    with photos_stored(photos, PetitionPhoto) as stored:
        return _resolve(
            petition, by=by, what_was_done=what_was_done, cost=cost, public_money=public_money,
            contributions=contributions, photos=stored,
        )  # fmt: skip


@transaction.atomic
def _resolve(petition, *, by, what_was_done, cost, public_money, contributions, photos):
    _guard(petition, "resolve", by)
    what_was_done = _required(what_was_done, _("what was done"))
    contributions = list(contributions)
    if any(amount is None or amount <= 0 for _household, amount in contributions):
        raise TransitionError(_("Each contribution is a positive amount."))
    if len({household.pk for household, _amount in contributions}) != len(contributions):
        raise TransitionError(_("A household is listed twice among the contributions."))
    for value in (cost, public_money):
        if value is not None and value < 0:
            raise TransitionError(_("Amounts cannot be negative."))
    now = timezone.now()
    petition = _apply(
        petition, by=by, action="resolve", to_status="resolved", note=what_was_done,
        resolved_at=now, cost=cost, public_money=public_money,
    )  # fmt: skip
    event = petition.events.filter(action="resolve").last()
    # Every resolution keeps its own figures: a reopened petition resolved again shows both.
    resolution = Resolution.objects.create(
        petition=petition, event=event, resolved_at=now, cost=cost, public_money=public_money
    )
    PetitionContribution.objects.bulk_create(
        PetitionContribution(
            petition=petition, resolution=resolution, household=household, amount=amount
        )
        for household, amount in contributions
    )
    for photo in photos:
        PetitionPhoto.objects.create(
            petition=petition, event=event, image=photo.image, thumbnail=photo.thumbnail
        )
    return petition


@transaction.atomic
def follow_up(petition, *, by, satisfaction, comment="", knows=None, trusts=None, approves=None):
    """回访: the resident's answer. "Not satisfied" reopens the petition (重办). The 三双
    questions may be asked of the household at the same time (kept if any was answered)."""
    _guard(petition, "follow_up", by)
    if satisfaction not in Petition.Satisfaction.values:
        raise TransitionError(_("Choose the resident's answer."))
    petition = _apply(
        petition, by=by, action="follow_up", to_status="followed_up", note=comment,
        satisfaction=satisfaction,
    )  # fmt: skip
    record_three_trusts(
        {"knows": knows, "trusts": trusts, "approves": approves},
        household=petition.household, by=by, at=timezone.now(), petition=petition,
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
    _guard(petition, "supervise", by)  # its rule: street or district, overdue only
    return _apply(
        petition, by=by, action="supervise", note=_required(instruction, _("instruction")),
        public=False, supervised_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def assign(petition, *, by, assignee, due=None, note=""):
    """派单 to an official who can handle the petition at its level, with a deadline."""
    _guard(petition, "assign", by)
    if not can_handle(assignee, petition):
        raise TransitionError(_("That official cannot handle this petition at its level."))
    if due is not None and due <= timezone.now():
        raise TransitionError(_("A deadline lies in the future."))
    changes = {"assignee": assignee}
    if due is not None:
        changes["due_at"] = due
    name = getattr(getattr(assignee, "official", None), "name", assignee.get_username())
    return _apply(petition, by=by, action="assign", note=note or name, **changes)


@transaction.atomic
def merge(petition, *, by, into, note=""):
    """合并: a duplicate joins another open petition; its events stay with it."""
    # Both rows locked in the order of their ids, so that two crossing merges wait for each
    # other instead of deadlocking; the petition merged into is judged as it is now, too.
    locked = Petition.objects.select_for_update(of=("self",)).order_by("pk")
    list(locked.filter(pk__in=[petition.pk, into.pk]).values_list("pk", flat=True))
    _guard(petition, "merge", by)
    into = locked.filter(pk=into.pk).first()
    if into is None or into.pk == petition.pk or not into.is_open:
        raise TransitionError(_("Merge into another open petition."))
    if not Petition.objects.visible_to(by).filter(pk=into.pk).exists():
        raise TransitionError(_("Merge into another open petition."))
    return _apply(
        petition, by=by, action="merge", to_status="merged", note=note or into.tracking_code,
        merged_into=into,
    )  # fmt: skip


@transaction.atomic
def request_extension(petition, *, by, until, reason):
    """延期 asked for by the handler before the deadline, with a reason; decided one level up."""
    _guard(petition, "request_extension", by)
    reason = _required(reason, _("reason"))
    if until <= petition.due_at:
        raise TransitionError(_("An extension moves the deadline later."))
    return _apply(
        petition, by=by, action="request_extension", note=reason, public=False,
        extension_requested_until=until,
    )  # fmt: skip


@transaction.atomic
def decide_extension(petition, *, by, approve, note=""):
    _guard(petition, "decide_extension", by)
    changes = {"extension_requested_until": None}
    if approve:
        changes["due_at"] = petition.extension_requested_until
    action = "approve_extension" if approve else "refuse_extension"
    return _apply(petition, by=by, action=action, note=note, public=False, **changes)


@transaction.atomic
def add_assisting(petition, *, by, department, note=""):
    """协办: a department that helps the lead department; it records its own part."""
    _guard(petition, "add_assisting", by)
    if department.pk == petition.department_id:
        raise TransitionError(_("The lead department does not assist itself."))
    petition.assisting_departments.add(department)
    return _apply(petition, by=by, action="add_assisting", note=note or department.name)


@transaction.atomic
def record_part(petition, *, by, part):
    _guard(petition, "record_part", by)
    department = get_scope(by).official.department
    note = f"{department.name}: {_required(part, _('what was done'))}"
    return _apply(petition, by=by, action="record_part", note=note)


@transaction.atomic
def put_on_ledger(petition, *, by, owner, target, note=""):
    """挂账: a long-term item on the district's ledger, with an owner and a target date."""
    _guard(petition, "put_on_ledger", by)
    if target <= timezone.localdate():
        raise TransitionError(_("A target date lies in the future."))
    return _apply(
        petition, by=by, action="put_on_ledger", note=note or owner.name, ledger_owner=owner,
        ledger_target=target,
    )  # fmt: skip


@transaction.atomic
def sign_off(petition, *, by, note=""):
    """销号: the district signs a ledger item off once it is done."""
    _guard(petition, "sign_off", by)
    return _apply(
        petition, by=by, action="sign_off", note=note, ledger_signed_off_at=timezone.now()
    )
