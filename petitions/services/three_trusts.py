"""Recording the 三双 answers of a household (inside the visit's or follow-up's transaction)."""

from __future__ import annotations

from ..models import ThreeTrustAnswer
from ..models.three_trusts import QUESTIONS


def record_three_trusts(answers: dict, *, household, by, at, visit=None, petition=None):
    """Keep the household's answers if at least one question was asked; otherwise nothing.

    Called inside the caller's transaction (record_visit, follow_up): it fails with it.
    """
    values = {q: answers.get(q) for q in QUESTIONS}
    if household is None or all(v is None for v in values.values()):
        return None
    return ThreeTrustAnswer.objects.create(
        household=household, grid_id=household.grid_id, asked_at=at, asked_by=by,
        visit=visit, petition=petition, **values,
    )  # fmt: skip
