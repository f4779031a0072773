"""The badges a petition carries beside its status: urgent (紧急, 特急) while worked on, overdue or
due within 24 hours, and its 督办 (a red or yellow card, or plain supervision). One definition
for every page that shows a petition: the list builds them from plain values, the other pages
through the template filter `deadline_badges` (petitions/templatetags/petition_tags.py)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models.petitions import BEING_WORKED_ON, CLOSED_STATUSES, DUE_SOON
from .models.supervision import SupervisionGrade

RED = "badge--red"
WARN = "badge--warn"


@dataclass(frozen=True, slots=True)
class Badge:
    css: str
    label: str


@dataclass(frozen=True, slots=True)
class BadgeLabels:
    """The badges' words in the active language, looked up once for a whole page."""

    urgent: str
    emergency: str
    overdue: str
    due_soon: str
    red: str
    yellow: str
    supervised: str

    @classmethod
    def now_translated(cls):
        return cls(
            urgent=_("urgent"), emergency=_("emergency"), overdue=_("overdue"),
            due_soon=_("due within 24 h"), red=_("red card"), yellow=_("yellow card"),
            supervised=_("under supervision"),
        )  # fmt: skip


def deadline_badges(
    *, status, urgency, due_at, grade, supervised_at, now, labels
) -> tuple[Badge, ...]:
    badges = []
    is_open = status not in CLOSED_STATUSES
    if status in BEING_WORKED_ON and urgency == "emergency":
        badges.append(Badge(RED, labels.emergency))
    elif status in BEING_WORKED_ON and urgency == "urgent":
        badges.append(Badge(WARN, labels.urgent))
    if is_open and due_at:
        if now > due_at:
            badges.append(Badge(RED, labels.overdue))
        elif due_at <= now + DUE_SOON:
            badges.append(Badge(WARN, labels.due_soon))
    if grade == SupervisionGrade.RED:
        badges.append(Badge(RED, labels.red))
    elif grade == SupervisionGrade.YELLOW:
        badges.append(Badge(WARN, labels.yellow))
    elif supervised_at:
        badges.append(Badge(RED, labels.supervised))
    return tuple(badges)
