"""Who may take which transition on a dispute: the RULES table on core.workflow.

A dispute's level is a map level (grid, community, street, district): the officials serving its
place at that level, or an area containing it, handle it (`communities.scoping.reaches`).
Following up an agreement and closing belong to the officials near the parties (the grid's and
the community's), whatever level mediated. docs/dispute-states.md and the tests read this table.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from communities.scoping import reaches
from core.workflow import Messages, Rule, Workflow

from ..models import Dispute, DisputeEvent
from .inbox import notify

WORKING = ("accepted", "mediating", "failed")
CHANGED = gettext_lazy("This dispute was changed meanwhile; here is its new state.")
NEAR_THE_PARTIES = ("upload_agreement", "follow_up", "close")


def _verb(text):
    return pgettext_lazy("dispute action", text)


def _sees(user, dispute: Dispute) -> bool:
    return Dispute.objects.visible_to(user).filter(pk=dispute.pk).exists()


def _reaches(user, dispute: Dispute, action: str) -> bool:
    if action in NEAR_THE_PARTIES:
        return reaches(user, dispute.grid, "grid")  # anyone serving the place; `who` narrows
    return reaches(user, dispute.grid, dispute.level)


def _near(user, dispute: Dispute) -> bool:
    """Serves the dispute's grid or community (not only the street or the district above)."""
    return reaches(user, dispute.grid, "grid") and not reaches(user, dispute.grid, "street")


NEAR = gettext_lazy("The grid and the community follow up and close a dispute.")

RULES: dict[str, Rule] = {rule.verb: rule for rule in [
    Rule("accept", _verb("accept"), ("new",)),
    Rule("mediate", _verb("record a mediation"), WORKING),
    Rule("refer", _verb("refer"), ("failed", "mediating")),
    Rule("upload_agreement", _verb("upload the signed agreement"), ("agreed", "followed_up")),
    Rule("follow_up", _verb("follow up the agreement"), ("agreed",), _near, NEAR),
    Rule("close", _verb("close"), ("followed_up",), _near, NEAR),
    Rule("escalate", _verb("escalate"), ("new", *WORKING),
         refusal=gettext_lazy("A district dispute cannot be escalated further."),
         levels=("grid", "community", "street")),
    Rule("return", _verb("return"), ("new", *WORKING),
         refusal=gettext_lazy("A grid dispute cannot be returned further down."),
         levels=("community", "street", "district")),
    Rule("withdraw", _verb("withdraw"), ("new", *WORKING)),
]}  # fmt: skip

WORKFLOW = Workflow(
    model=Dispute,
    event_model=DisputeEvent,
    event_to="dispute",
    rules=RULES.values(),
    sees=_sees,
    reaches=_reaches,
    messages=Messages(
        status=gettext_lazy("A dispute that is %(status)s cannot be %(action)s."),
        level=gettext_lazy("You may not handle this dispute at its level."),
        changed=CHANGED,
    ),
    lock_related=("grid__community__street",),
    after_apply=notify,
)
