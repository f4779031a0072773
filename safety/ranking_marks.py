"""The three zeros on the ranking's rows (petitions.ranking_marks): an area that broke one in
the period is marked and passed over for the red list (一票否决); its score is unchanged."""

from django.utils.translation import gettext as _

from petitions.ranking_marks import ranking_marker

from .zeros import GOAL_LABELS, area_marks


@ranking_marker
def three_zeros(level, rows, period):
    """One mark per row (1 query, none without rows)."""
    if not rows:
        return
    broken = area_marks(level, [r.pk for r in rows], period.start, period.end)
    for row in rows:
        goals = broken.get(row.pk, [])
        row.marks.append({
            "key": "three_zeros",
            "ok": not goals,
            # Translated now, not lazily: the figures are cached per language
            # (petitions.figures_cache), and unpickling a lazy string builds a class (0.3 ms,
            # 13 ms for a street's 48 communities on every dashboard load).
            "label": _("three zeros held") if not goals
            else _("broke: {goals}").format(goals="、".join(str(GOAL_LABELS[g]) for g in goals)),
        })  # fmt: skip
