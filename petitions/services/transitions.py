"""Every change of a petition's status or level: one function per transition (the verbs).

Who may take which transition is in `rules.py` (the RULES table and the level rules). Each verb
guards (locks the row, compares the version the official saw, asks the rule on the row as
locked), changes the row inside one transaction and writes its immutable PetitionEvent, both
through `rules.WORKFLOW` (core.workflow). A refused transition raises `TransitionError` with a
message in the user's language and changes nothing.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.scoping import get_scope
from core.workflow import Rule, TransitionError

from ..models import (
    DeadlineRule,
    Petition,
    PetitionContribution,
    PetitionPhoto,
    Resolution,
    add_working_days,
)
from ..photos import photos_stored
from .three_trusts import record_three_trusts

if TYPE_CHECKING:
    from collections.abc import Iterable
    from decimal import Decimal

    from django.contrib.auth.models import AbstractBaseUser as User

    from communities.models import Department
    from grids.models import Household

from .rules import (
    CHANGED,
    HANDLED_FROM,
    RULES,
    WORKFLOW,
    WORKING,
    allowed_actions,
    can_handle,
    next_level,
    refusal,
)

# What other modules import from here: the verbs below and these.
__all__ = [
    "CHANGED", "HANDLED_FROM", "RULES", "WORKING", "Rule", "TransitionError", "allowed_actions",
    "can_handle", "deadline_for", "refusal",
    "accept", "dispatch", "assign", "start_work", "respond", "escalate", "return_down",
    "resolve", "follow_up", "close", "reject", "withdraw", "supervise", "merge",
    "request_extension", "decide_extension", "add_assisting", "record_part", "put_on_ledger",
    "sign_off",
]  # fmt: skip

_guard = WORKFLOW.guard
_apply = WORKFLOW.apply


def _required(text, what):
    text = (text or "").strip()
    if not text:
        raise TransitionError(_("Give the %(what)s.") % {"what": what})
    return text


def deadline_for(
    petition: Petition, start: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """(due, respond by) from the rule of its category and level, else the level's default;
    an urgent or emergency petition is answered sooner (RESPOND_WITHIN)."""
    rules = DeadlineRule.objects.filter(
        level=petition.level, category__in=[petition.category_id, None]
    )
    rule = min(rules, key=lambda r: r.category_id is None, default=None)
    days, hours = (rule.working_days, rule.response_hours) if rule else (7, 24)
    local = timezone.localtime(start)
    due_day = add_working_days(local.date(), days)
    due = local.replace(year=due_day.year, month=due_day.month, day=due_day.day)
    respond_by = start + datetime.timedelta(hours=hours)
    if within := RESPOND_WITHIN.get(petition.urgency):
        respond_by = min(respond_by, start + within)
    return due, respond_by


# How soon an urgent (紧急: water, power, gas, heating) and an emergency (特急: danger to life or
# property) petition is answered, never later than its category's rule: Zhengzhou's hotline
# answers such calls within 30 minutes to 2 hours (shared/research/domain.md, "Time limits").
# Their shorter solving limits (Beijing: 24 and 2 hours) wait for "overdue" to leave out the
# petitions solved and waiting for the resident's answer, which it counts today.
RESPOND_WITHIN = {
    Petition.Urgency.URGENT: datetime.timedelta(hours=2),
    Petition.Urgency.EMERGENCY: datetime.timedelta(minutes=30),
}


@transaction.atomic
def accept(petition: Petition, *, by: User, note: str = "") -> Petition:
    """签收: the handler takes the petition; the clock starts now."""
    _guard(petition, "accept", by)
    now = timezone.now()
    due, respond_by = deadline_for(petition, now)
    return _apply(
        petition, by=by, action="accept", to_status="accepted", note=note,
        accepted_at=now, due_at=due, respond_by=respond_by, assignee=by,
    )  # fmt: skip


@transaction.atomic
def dispatch(petition: Petition, *, by: User, department: Department, note: str = "") -> Petition:
    """派单: at district level the organizers hand the petition to a lead department (主办),
    which accepts it and works on it "item by item until done"."""
    _guard(petition, "dispatch", by)
    return _apply(
        petition, by=by, action="dispatch", note=note or department.name, department=department,
        assignee=None,
    )  # fmt: skip


@transaction.atomic
def start_work(petition: Petition, *, by: User, note: str = "") -> Petition:
    """开始办理: the handler starts on an accepted petition."""
    _guard(petition, "start", by)
    return _apply(petition, by=by, action="start", to_status="in_progress", note=note)


@transaction.atomic
def respond(petition: Petition, *, by: User, note: str) -> Petition:
    """Record contacting the resident or arriving on site (the response, not the solution)."""
    _guard(petition, "respond", by)
    return _apply(
        petition, by=by, action="respond", note=_required(note, _("how the resident was reached")),
        responded_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def escalate(petition: Petition, *, by: User, reason: str) -> Petition:
    """上报: one level up, with a reason; the next level accepts it anew."""
    _guard(petition, "escalate", by)
    reason = _required(reason, _("reason"))
    level = next_level(petition.level, +1)
    if level is None:
        raise TransitionError(_("A district petition cannot be escalated further."))
    return _apply(
        petition, by=by, action="escalate", to_status="new", note=reason, level=level,
        assignee=None, accepted_at=None, due_at=None, respond_by=None,
    )  # fmt: skip


@transaction.atomic
def return_down(
    petition: Petition, *, by: User, reason: str, code: str = Petition.ReturnReason.OTHER
) -> Petition:
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
    level = next_level(petition.level, -1)
    if level is None:
        raise TransitionError(_("A compound petition cannot be returned further down."))
    return _apply(
        petition, by=by, action="return", to_status="new", note=note, return_reason=code,
        level=level, department=None, **clock,
    )  # fmt: skip


def resolve(
    petition: Petition, *, by: User, what_was_done: str, cost: Decimal | None = None,
    public_money: Decimal | None = None,
    contributions: Iterable[tuple[Household, Decimal]] = (), photos: Iterable = (),
) -> Petition:  # fmt: skip
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
def _resolve(
    petition: Petition, *, by: User, what_was_done, cost, public_money, contributions, photos
):
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
def follow_up(
    petition: Petition, *, by: User, satisfaction: str, comment: str = "",
    knows: bool | None = None, trusts: bool | None = None, approves: bool | None = None,
) -> Petition:  # fmt: skip
    """回访: the resident's answer. "Not satisfied" reopens the petition (重办). The 三双
    questions may be asked of the household at the same time (kept if any was answered)."""
    _guard(petition, "follow_up", by)
    if satisfaction not in Petition.Satisfaction.values:
        raise TransitionError(_("Choose the resident's answer."))
    # The answer goes into the step's note, so that the timeline says what each follow-up
    # heard (a reopened petition is asked again; the petition keeps only the last answer).
    answer = str(Petition.Satisfaction(satisfaction).label)
    note = _("%(answer)s: %(comment)s") % {"answer": answer, "comment": comment}
    petition = _apply(
        petition, by=by, action="follow_up", to_status="followed_up",
        note=note if comment else answer, satisfaction=satisfaction,
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
def close(petition: Petition, *, by: User, note: str = "") -> Petition:
    """结案: only after the resident was asked."""
    _guard(petition, "close", by)
    return _apply(
        petition, by=by, action="close", to_status="closed", note=note, closed_at=timezone.now()
    )


@transaction.atomic
def reject(petition: Petition, *, by: User, reason: str) -> Petition:
    """不予受理: refused as not the government's to do, with a reason."""
    _guard(petition, "reject", by)
    return _apply(
        petition, by=by, action="reject", to_status="rejected", note=_required(reason, _("reason"))
    )


@transaction.atomic
def withdraw(petition: Petition, *, by: User, reason: str) -> Petition:
    """撤回: withdrawn (the resident no longer asks), with a reason; never once resolved."""
    _guard(petition, "withdraw", by)
    return _apply(
        petition,
        by=by,
        action="withdraw",
        to_status=Petition.Status.WITHDRAWN,
        note=_required(reason, _("reason")),
    )


@transaction.atomic
def supervise(petition: Petition, *, by: User, instruction: str) -> Petition:
    """督办 with an instruction: 区委办 (or the organizers) on any open petition, a street on an
    overdue one of its own; the handler is told."""
    _guard(petition, "supervise", by)
    return _apply(
        petition, by=by, action="supervise", note=_required(instruction, _("instruction")),
        public=False, supervised_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def assign(
    petition: Petition,
    *,
    by: User,
    assignee: User,
    due: datetime.datetime | None = None,
    note: str = "",
) -> Petition:
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
def merge(petition: Petition, *, by: User, into: Petition, note: str = "") -> Petition:
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
def request_extension(
    petition: Petition, *, by: User, until: datetime.datetime, reason: str
) -> Petition:
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
def decide_extension(petition: Petition, *, by: User, approve: bool, note: str = "") -> Petition:
    """审批延期: the level above approves (the deadline moves) or refuses a pending request."""
    _guard(petition, "decide_extension", by)
    changes = {"extension_requested_until": None}
    if approve:
        changes["due_at"] = petition.extension_requested_until
    action = "approve_extension" if approve else "refuse_extension"
    return _apply(petition, by=by, action=action, note=note, public=False, **changes)


@transaction.atomic
def add_assisting(
    petition: Petition, *, by: User, department: Department, note: str = ""
) -> Petition:
    """协办: a department that helps the lead department; it records its own part."""
    _guard(petition, "add_assisting", by)
    if department.pk == petition.department_id:
        raise TransitionError(_("The lead department does not assist itself."))
    petition.assisting_departments.add(department)
    return _apply(petition, by=by, action="add_assisting", note=note or department.name)


@transaction.atomic
def record_part(petition: Petition, *, by: User, part: str) -> Petition:
    """An assisting department records what it did (协办情况); the lead resolves."""
    _guard(petition, "record_part", by)
    department = get_scope(by).official.department
    note = f"{department.name}: {_required(part, _('what was done'))}"
    return _apply(petition, by=by, action="record_part", note=note)


@transaction.atomic
def put_on_ledger(
    petition: Petition, *, by: User, owner: Department, target: datetime.date, note: str = ""
) -> Petition:
    """挂账: a long-term item on the district's ledger, with an owner and a target date."""
    _guard(petition, "put_on_ledger", by)
    if target <= timezone.localdate():
        raise TransitionError(_("A target date lies in the future."))
    return _apply(
        petition, by=by, action="put_on_ledger", note=note or owner.name, ledger_owner=owner,
        ledger_target=target,
    )  # fmt: skip


@transaction.atomic
def sign_off(petition: Petition, *, by: User, note: str = "") -> Petition:
    """销号: the owner department (or 区委组织部) signs a ledger item off once it is rectified."""
    _guard(petition, "sign_off", by)
    return _apply(
        petition, by=by, action="sign_off", note=note, ledger_signed_off_at=timezone.now()
    )
