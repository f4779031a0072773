"""Visits counted per community and local day, so that a street's or the district's dashboard
reads a few thousand rows instead of counting a million visits when its figures are not in the
cache.

Per community rather than per grid: at city scale a grid records under two visits a day, so a
row per grid and day would be nearly as many rows as the visits' own index (measured in
bench/RESULTS.md). Officials who serve single grids count their few visits directly.

Written by `petitions.daily_visits` in the transaction that records the visit, and rebuilt from
the visits after bulk loads (`manage.py rebuild_daily_visits`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from communities.scoping import area_q


class DailyVisitsQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The communities `user` serves whole (a user serving single grids sees none: see
        `communities.scoping.serves_whole_communities`)."""
        return self.filter(area_q(user, "community", "community"))


class DailyVisits(models.Model):
    community = models.ForeignKey(
        Community, models.CASCADE, related_name="+", verbose_name=_("community")
    )
    day = models.DateField(_("day"))
    visits = models.PositiveIntegerField(_("visits"), default=0)

    objects = DailyVisitsQuerySet.as_manager()

    class Meta:
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits per day")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "day"], name="one_count_per_community_day"
            ),
        ]
        indexes = [models.Index(fields=["day", "community", "visits"], name="dailyvisits_day")]

    def __str__(self):
        return f"{self.community_id} {self.day}: {self.visits}"
