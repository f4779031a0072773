"""What the district reports on beyond the computed figures: the published monthly rankings
(kept as they were published) and the goals recorded by hand (零上访、零案件、零事故)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Street
from communities.scoping import area_q, get_scope


class RankingSnapshot(models.Model):
    """A month's ranking as published (量化考核、排名通报): it never changes afterwards."""

    month = models.DateField(_("month"))
    # Whose children were ranked: "district", or "street:<id>", "community:<id>".
    parent = models.CharField(_("ranked within"), max_length=30)
    title = models.CharField(_("title"), max_length=120)
    rows = models.JSONField(_("rows"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("published by")
    )

    class Meta:
        verbose_name = _("published ranking")
        verbose_name_plural = _("published rankings")
        ordering = ["-month", "parent"]
        constraints = [
            models.UniqueConstraint(fields=["month", "parent"], name="one_ranking_per_month"),
        ]

    def __str__(self):
        return f"{self.title} {self.month:%Y-%m}"


class GoalRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Records of the streets `user` serves; organizers also see the district's own."""
        district_wide = Q(street=None) if get_scope(user).is_organizer else Q(pk__in=[])
        return self.filter(area_q(user, "street", "street") | district_wide)


class GoalRecord(models.Model):
    """A month's record of the seed's goals for a street (empty: the whole district)."""

    month = models.DateField(_("month"))
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, related_name="goal_records",
        verbose_name=_("street"),
    )  # fmt: skip
    petitions_beyond_district = models.PositiveIntegerField(
        _("petitions taken beyond the district (上访)"), default=0
    )
    cases = models.PositiveIntegerField(_("criminal cases"), default=0)
    accidents = models.PositiveIntegerField(_("accidents"), default=0)

    objects = GoalRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal record")
        verbose_name_plural = _("goal records")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "street"], condition=models.Q(street__isnull=False),
                name="one_goal_record_per_street_month",
            ),
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(street=None),
                name="one_district_goal_record_per_month",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.month:%Y-%m} {self.street or ''}"
