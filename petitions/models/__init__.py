"""The casework's models, one module per subject.

- `visits`: door-to-door visits (走访), their photos, and visit frequencies for key groups
- `petitions`: petitions (诉求), their categories and their immutable events
- `three_trusts`: the 三双 questions asked of households (know, trust, approve)
- `daily`: visits and petitions counted per community and day for the dashboards
- `deadlines`: the working-day calendar and the time limits per category and level
"""

from .daily import (
    CommunityHouseholds,
    DailyPetitions,
    DailyVisits,
    LastVisitDays,
    OpenPetitions,
)
from .deadlines import CalendarDay, DeadlineRule, add_working_days
from .inbox import Notification
from .petitions import (
    Category,
    Petition,
    PetitionContribution,
    PetitionEvent,
    PetitionPhoto,
    Resolution,
)
from .reporting import RankingSnapshot
from .supervision import GRADE_ORDER, SupervisionGrade, SupervisionRule
from .three_trusts import ThreeTrustAnswer
from .visits import Visit, VisitFrequency, VisitPhoto
from .weights import RateWeights

__all__ = [
    "CalendarDay",
    "CommunityHouseholds",
    "DailyPetitions",
    "DailyVisits",
    "DeadlineRule",
    "LastVisitDays",
    "add_working_days",
    "Category",
    "Notification",
    "OpenPetitions",
    "Petition",
    "RankingSnapshot",
    "GRADE_ORDER",
    "SupervisionGrade",
    "SupervisionRule",
    "ThreeTrustAnswer",
    "RateWeights",
    "Resolution",
    "PetitionContribution",
    "PetitionEvent",
    "PetitionPhoto",
    "Visit",
    "VisitFrequency",
    "VisitPhoto",
]
