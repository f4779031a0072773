"""Every change of a dispute's status or level: one function per transition (the verbs).

Who may take which transition is in `rules.py` (the RULES table on core.workflow). Each verb
guards (locks the row, compares the version the official saw, asks the rule on the row as
locked), changes the row inside one transaction and writes its immutable DisputeEvent, both
through `rules.WORKFLOW`. A refused transition raises `TransitionError` with a message in the
user's language and changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import TransitionError
from petitions.models import add_working_days
from petitions.photos import photos_stored

from ..models import Dispute, DisputeEvent, DisputePhoto, Mediation, Mediator, Referral
from .rules import CHANGED, RULES, WORKFLOW, WORKING

__all__ = [
    "CHANGED", "RULES", "WORKING", "TransitionError", "allowed_actions", "refusal",
    "accept", "mediate", "upload_agreement", "refer", "follow_up", "close", "escalate",
    "return_down", "withdraw",
]  # fmt: skip

# Working days to mediate, per level (人民调解法: generally within 30 days).
WORKING_DAYS = {"grid": 5, "community": 10, "street": 15, "district": 20}

_guard = WORKFLOW.guard


def refusal(user, dispute: Dispute, action: str, *, sees: bool | None = None) -> str | None:
    """Why `user` may not take `action` on `dispute` as it stands, or None if they may."""
    return WORKFLOW.refusal(user, dispute, action, sees=sees)


def allowed_actions(user, dispute: Dispute, *, sees: bool | None = None) -> list[str]:
    """The transitions `user` may take on `dispute` now (the detail page shows only these).
    `sees=True` when `dispute` was loaded through `Dispute.objects.visible_to(user)`."""
    return WORKFLOW.allowed(user, dispute, sees=sees)


def _apply(dispute, **kwargs) -> DisputeEvent:
    """WORKFLOW.apply, returning the event it wrote (mediations and referrals point at it)."""
    kwargs.setdefault("public", False)  # a dispute has no public tracking page
    WORKFLOW.apply(dispute, **kwargs)
    return dispute.events.order_by("-id").first()


def _required(text, what):
    text = (text or "").strip()
    if not text:
        raise TransitionError(_("Give the %(what)s.") % {"what": what})
    return text


def deadline_for(level, start):
    """The end of the working day `WORKING_DAYS[level]` working days after `start`."""
    local = timezone.localtime(start)
    day = add_working_days(local.date(), WORKING_DAYS[level])
    return local.replace(year=day.year, month=day.month, day=day.day, hour=18, minute=0)


@transaction.atomic
def accept(dispute, *, by, note=""):
    """受理: the handler takes the dispute; the mediation deadline starts now."""
    _guard(dispute, "accept", by)
    now = timezone.now()
    return _apply(
        dispute, by=by, action="accept", to_status="accepted", note=note, accepted_at=now,
        due_at=deadline_for(dispute.level, now), assignee=by,
    )  # fmt: skip


@transaction.atomic
def mediate(dispute, *, by, held_on, place, mediators, outcome, terms="", notes=""):
    """调解: one session with its mediators ((role, official or None, name) triples) and its
    outcome. Success needs the agreement's terms (printed as the 调解协议书); a partial success
    keeps the dispute in mediation; a failure awaits a referral or another session."""
    _guard(dispute, "mediate", by)
    if outcome not in Dispute.Outcome.values:
        raise TransitionError(_("Choose how the mediation ended."))
    mediators = list(mediators)
    if not mediators:
        raise TransitionError(_("Name at least one mediator."))
    if held_on > timezone.localdate():
        raise TransitionError(_("A mediation is recorded once it was held."))
    place = _required(place, _("place"))
    if outcome in ("success", "partial"):
        terms = _required(terms, _("agreement terms"))
    to_status = {"success": "agreed", "partial": "mediating", "failed": "failed"}[outcome]
    changes = {"outcome": outcome}
    if outcome == "success":
        changes |= {"agreement_terms": terms, "agreed_at": timezone.now()}
    event = _apply(
        dispute, by=by, action="mediate", to_status=to_status,
        note=Dispute.Outcome(outcome).label, **changes,
    )  # fmt: skip
    mediation = Mediation.objects.create(
        dispute=dispute, event=event, held_on=held_on, place=place, notes=notes,
        outcome=outcome, terms=terms,
    )  # fmt: skip
    Mediator.objects.bulk_create(
        Mediator(mediation=mediation, role=role, official=official, name="" if official else name)
        for role, official, name in mediators
    )
    return mediation


def upload_agreement(dispute, *, by, photos, note=""):
    """The 调解协议书 signed by both parties on paper, scanned back as photos. The files are
    written before the transaction and deleted if it fails (`photos_stored`)."""
    if not photos:
        raise TransitionError(_("Attach the scan of the signed agreement."))
    with photos_stored(photos, DisputePhoto) as stored:
        return _upload_agreement(dispute, by=by, photos=stored, note=note)


@transaction.atomic
def _upload_agreement(dispute, *, by, photos, note):
    _guard(dispute, "upload_agreement", by)
    event = _apply(dispute, by=by, action="upload_agreement", note=note)
    for photo in photos:
        DisputePhoto.objects.create(
            dispute=dispute, event=event, image=photo.image, thumbnail=photo.thumbnail
        )
    return event


@transaction.atomic
def refer(dispute, *, by, route, body, note=""):
    """调解不成 → 诉讼 / 仲裁 / 信访 / the petition route, with whom it went to. The petition
    route links the petition the dispute came from."""
    _guard(dispute, "refer", by)
    if route not in Dispute.Route.values:
        raise TransitionError(_("Choose where the dispute is referred to."))
    body = _required(body, _("who received it"))
    if route == Dispute.Route.PETITION and dispute.petition_id is None:
        raise TransitionError(
            _("The petition route takes a dispute that came from a petition; record the "
              "petition first.")
        )  # fmt: skip
    summary = f"{Dispute.Route(route).label} · {body} {note}".strip()
    event = _apply(
        dispute, by=by, action="refer", to_status="referred", note=summary,
        referral_route=route, closed_at=timezone.now(),
    )  # fmt: skip
    return Referral.objects.create(
        dispute=dispute, event=event, route=route, body=body, referred_on=timezone.localdate(),
        petition_id=dispute.petition_id if route == Dispute.Route.PETITION else None,
    )  # fmt: skip


@transaction.atomic
def follow_up(dispute, *, by, performance, note=""):
    """履行回访: is the agreement kept? Not kept: the dispute is open again (mediation failed),
    to be mediated again or referred."""
    _guard(dispute, "follow_up", by)
    if performance not in Dispute.Performance.values:
        raise TransitionError(_("Choose how the agreement was performed."))
    to_status = "failed" if performance == Dispute.Performance.NOT else "followed_up"
    label = Dispute.Performance(performance).label
    return _apply(
        dispute, by=by, action="follow_up", to_status=to_status,
        note=f"{label} {note}".strip(), performance=performance,
    )  # fmt: skip


@transaction.atomic
def close(dispute, *, by, note=""):
    """结案: after the follow-up."""
    _guard(dispute, "close", by)
    return _apply(
        dispute, by=by, action="close", to_status="closed", note=note, closed_at=timezone.now()
    )


def _next_level(level, step):
    index = Dispute.LEVELS.index(level) + step
    return Dispute.LEVELS[index] if 0 <= index < len(Dispute.LEVELS) else None


@transaction.atomic
def escalate(dispute, *, by, reason):
    """上报: one level up (a judge, the street's mediation committee); accepted anew there."""
    _guard(dispute, "escalate", by)
    reason = _required(reason, _("reason"))
    return _apply(
        dispute, by=by, action="escalate", to_status="new", note=reason,
        level=_next_level(dispute.level, +1), assignee=None, accepted_at=None, due_at=None,
    )  # fmt: skip


@transaction.atomic
def return_down(dispute, *, by, reason):
    """退回: one level down, with a reason."""
    _guard(dispute, "return", by)
    reason = _required(reason, _("reason"))
    return _apply(
        dispute, by=by, action="return", to_status="new", note=reason,
        level=_next_level(dispute.level, -1), assignee=None, accepted_at=None, due_at=None,
    )  # fmt: skip


@transaction.atomic
def withdraw(dispute, *, by, reason):
    """撤回: the parties settled it themselves, or the applicant withdrew."""
    _guard(dispute, "withdraw", by)
    return _apply(
        dispute, by=by, action="withdraw", to_status="withdrawn",
        note=_required(reason, _("reason")), closed_at=timezone.now(),
    )  # fmt: skip


def follow_up_date(dispute) -> datetime.date | None:
    """When the agreement's performance is to be asked: a month after it was reached."""
    if dispute.agreed_at is None:
        return None
    return timezone.localtime(dispute.agreed_at).date() + datetime.timedelta(days=30)
