"""Door-to-door visits (进百家门、暖百家心、结百家亲): who visited which household, when, why, what
they saw (民情日志) and photos. A visit is corrected only by its author within 24 hours."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Grid, Official
from communities.scoping import area_q
from grids.models import Household, Tag

from ..periods import day_bounds

EDIT_WINDOW = datetime.timedelta(hours=24)


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Visits of households in the areas `user` serves."""
        return self.filter(area_q(user, "grid", "grid"))

    def in_period(self, start, end):
        """Visits on dates start..end inclusive, in the local time zone (Asia/Shanghai).

        Compared as instants, so that the (grid, visited_at) index serves the filter.
        """
        first, after = day_bounds(start, end)
        return self.filter(visited_at__gte=first, visited_at__lt=after)


class Visit(models.Model):
    class Kind(models.TextChoices):
        ROUTINE = "routine", _("routine visit")
        CARE = "care", _("care visit")
        FOLLOW_UP = "follow_up", _("petition follow-up")
        DISPUTE = "dispute", _("dispute")

    household = models.ForeignKey(
        Household, models.PROTECT, related_name="visits", verbose_name=_("household")
    )
    # The household's grid when visited: scoping and coverage filter on it without joins.
    grid = models.ForeignKey(Grid, models.PROTECT, related_name="visits", verbose_name=_("grid"))
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ROUTINE)
    notes = models.TextField(_("notes on the household's situation"), blank=True, max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="visits",
        verbose_name=_("recorded by"),
    )
    co_visitors = models.ManyToManyField(
        Official, blank=True, related_name="co_visits", verbose_name=_("co-visitors")
    )
    # The form's key, made when it was shown: a resubmitted form finds this visit, not a twin.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["grid", "-visited_at"], name="visit_grid_time"),
            models.Index(fields=["household", "-visited_at"], name="visit_household_time"),
            models.Index(fields=["author", "-visited_at"], name="visit_author_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"], name="visit_once_per_form"
            ),
        ]

    def __str__(self):
        return f"{self.household} {timezone.localtime(self.visited_at):%Y-%m-%d}"

    def is_editable_by(self, user, now=None):
        """Only the author, and only within 24 hours of recording it."""
        now = now or timezone.now()
        return self.author_id == user.pk and now - self.created_at <= EDIT_WINDOW


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, models.CASCADE, related_name="photos", verbose_name=_("visit"))
    image = models.FileField(_("photo"), upload_to="private/visits/%Y/%m/")
    thumbnail = models.FileField(_("thumbnail"), upload_to="private/visits/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self):
        return self.image.name


class VisitFrequency(models.Model):
    """How often a household should be visited: ordinary households (no tag) or a key group.

    A household is due by the shortest interval among its living members' tags.
    """

    tag = models.OneToOneField(
        Tag,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="visit_frequency",
        verbose_name=_("key group"),
        help_text=_("Empty: ordinary households."),
    )
    interval_days = models.PositiveSmallIntegerField(_("visit at least every (days)"))

    class Meta:
        verbose_name = _("visit frequency")
        verbose_name_plural = _("visit frequencies")
        constraints = [
            # One row per key group, and one (tag empty) for ordinary households.
            models.UniqueConstraint(
                Coalesce("tag", models.Value(0)), name="one_frequency_per_group"
            ),
            models.CheckConstraint(
                condition=models.Q(interval_days__gte=1), name="interval_positive"
            ),
        ]

    def __str__(self):
        return f"{self.tag or _('ordinary households')}: {self.interval_days}"
