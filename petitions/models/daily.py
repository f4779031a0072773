"""Visits and petitions counted per community and local day, so that a street's or the
district's dashboard reads a few thousand rows instead of counting a million visits or half a
million petitions when its figures are not in the cache.

Per community rather than per grid: at city scale a grid records under two visits a day, so a
row per grid and day would be nearly as many rows as the visits' own index (measured in
bench/RESULTS.md). Officials who serve single grids count their few visits directly.

Visits are counted by `petitions.daily_visits` in the transaction that records the visit, and
rebuilt from the visits after bulk loads (`manage.py rebuild_daily_visits`). Petitions are
counted by the database (`petitions.daily_petitions`: a trigger sees every writer).
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from communities.scoping import in_areas


class CommunityCountsQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The counts of the communities `user` serves whole (callers check
        `scoping.serves_whole_communities` or `daily_petitions.counted_by_community` first: a
        user who serves single grids sees none)."""
        return in_areas(self, user, "community", "community")


class DailyVisits(models.Model):
    community = models.ForeignKey(
        Community, models.CASCADE, related_name="+", verbose_name=_("community")
    )
    day = models.DateField(_("day"))
    visits = models.PositiveIntegerField(_("visits"), default=0)

    objects = CommunityCountsQuerySet.as_manager()

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


# KEPT_BY_TRIGGERS: the counts below are written by triggers (petitions.daily_petitions,
# petitions.household_counts), with no foreign key constraint in the database: SQLite's flush
# (the test runner's) deletes table after table, and a trigger counting a petition deleted after
# the counts would write a row for a community deleted next. Derived data: a recount
# (`rebuild_counts`) replaces every row.


class DailyPetitions(models.Model):
    """Petitions counted per community and local day, by what happened to them on that day: a
    petition received on the 2nd, accepted on the 3rd and closed on the 9th counts in three rows.

    Kept by the database itself (a trigger on the petitions' table, `petitions.daily_petitions`),
    so every writer counts: the verbs, the supervision job, the admin, imports and bulk loads.
    A petition resolved or closed again moves from its old day to its new one.
    """

    community = models.ForeignKey(
        Community, models.CASCADE, related_name="+", verbose_name=_("community"),
        db_constraint=False,  # see KEPT_BY_TRIGGERS
    )  # fmt: skip
    day = models.DateField(_("day"))
    received = models.IntegerField(_("received"), default=0)
    accepted = models.IntegerField(_("accepted"), default=0)
    accepted_on_time = models.IntegerField(_("accepted on time"), default=0)
    resolved = models.IntegerField(_("resolved"), default=0)
    resolved_on_time = models.IntegerField(_("resolved on time"), default=0)
    # Closed (status "closed") on the day, by the level that closed it.
    closed_compound = models.IntegerField(default=0)
    closed_community = models.IntegerField(default=0)
    closed_street = models.IntegerField(default=0)
    closed_district = models.IntegerField(default=0)

    objects = CommunityCountsQuerySet.as_manager()

    class Meta:
        verbose_name = _("petitions of a day")
        verbose_name_plural = _("petitions per day")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "day"], name="one_petition_count_per_community_day"
            ),
        ]
        # Covering (PostgreSQL): a district's 12 weeks of trends, or a period's counts, are
        # read from the index alone, not from the rows it points to.
        indexes = [
            models.Index(
                fields=["day", "community"],
                include=[
                    "received", "accepted", "accepted_on_time", "resolved", "resolved_on_time",
                    "closed_compound", "closed_community", "closed_street", "closed_district",
                ],
                name="dailypetitions_day_counts",
            )
        ]  # fmt: skip

    def __str__(self):
        return f"{self.community_id} {self.day}: {self.received}"


# The due day of the open petitions that have no deadline yet (not accepted): never overdue.
NO_DEADLINE = datetime.date(9999, 12, 31)


class OpenPetitions(models.Model):
    """The petitions open now per community and due day (a current state, not a history):
    overdue are those of the days before today, and today's past their hour."""

    community = models.ForeignKey(
        Community, models.CASCADE, related_name="+", verbose_name=_("community"),
        db_constraint=False,  # see KEPT_BY_TRIGGERS
    )  # fmt: skip
    due_day = models.DateField(_("due"))
    open = models.IntegerField(_("open"), default=0)
    supervised = models.IntegerField(_("under supervision"), default=0)
    # For the follow-through chain: at district level, of them not yet dispatched (to triage),
    # and the 督办 cards.
    at_district = models.IntegerField(default=0)
    to_triage = models.IntegerField(default=0)
    yellow = models.IntegerField(default=0)
    red = models.IntegerField(default=0)

    objects = CommunityCountsQuerySet.as_manager()

    class Meta:
        verbose_name = _("open petitions")
        verbose_name_plural = _("open petitions")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "due_day"], name="one_open_count_per_community_due_day"
            ),
        ]

    def __str__(self):
        return f"{self.community_id} {self.due_day}: {self.open}"


# The day of the households never visited: before any period.
NEVER_VISITED = datetime.date(1, 1, 1)


class CommunityHouseholds(models.Model):
    """The households of a community, kept by the database (`petitions.household_counts`)."""

    community = models.OneToOneField(
        Community, models.CASCADE, related_name="+", verbose_name=_("community"),
        db_constraint=False,  # see KEPT_BY_TRIGGERS
    )  # fmt: skip
    households = models.IntegerField(_("households"), default=0)

    objects = CommunityCountsQuerySet.as_manager()

    class Meta:
        verbose_name = _("households of a community")
        verbose_name_plural = _("households of a community")

    def __str__(self):
        return f"{self.community_id}: {self.households}"


class LastVisitDays(models.Model):
    """Households counted per community and the local day of their latest visit
    (NEVER_VISITED when none): those from a period's first day on are the households visited in
    a period that runs until now (a range of the index on the day).

    Kept by the database (a trigger on the households' table, `petitions.household_counts`):
    a visit moves its household from its old day to today's."""

    community = models.ForeignKey(
        Community, models.CASCADE, related_name="+", verbose_name=_("community"),
        db_constraint=False,  # see KEPT_BY_TRIGGERS
    )  # fmt: skip
    day = models.DateField(_("day"))
    households = models.IntegerField(_("households"), default=0)

    objects = CommunityCountsQuerySet.as_manager()

    class Meta:
        verbose_name = _("households by their latest visit")
        verbose_name_plural = _("households by their latest visit")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "day"], name="one_last_visit_count_per_community_day"
            ),
        ]
        indexes = [
            models.Index(fields=["day", "community", "households"], name="lastvisitdays_day")
        ]

    def __str__(self):
        return f"{self.community_id} {self.day}: {self.households}"
