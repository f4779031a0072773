"""三双 (双认识、双信任、双认同): three quick questions asked of a household during a visit or a
petition's follow-up, kept per household over time and read as rates.

Each answer is optional ("not asked" is None): a rate counts only the households asked.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Grid
from communities.scoping import area_q
from grids.models import Household

QUESTIONS = ("knows", "trusts", "approves")


class ThreeTrustAnswerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Answers of households in the areas `user` serves."""
        return self.filter(area_q(user, "grid", "grid"))


class ThreeTrustAnswer(models.Model):
    household = models.ForeignKey(
        Household, models.PROTECT, related_name="three_trust_answers", verbose_name=_("household")
    )
    # The household's grid when asked: rates per grid, community and street without joins.
    grid = models.ForeignKey(Grid, models.PROTECT, related_name="+", verbose_name=_("grid"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    visit = models.OneToOneField(
        "petitions.Visit", models.CASCADE, null=True, blank=True, related_name="three_trusts",
        verbose_name=_("visit"),
    )  # fmt: skip
    petition = models.ForeignKey(
        "petitions.Petition", models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("petition followed up"),
    )  # fmt: skip
    knows = models.BooleanField(
        _("knows their grid worker / first secretary by name (认识)"), null=True, blank=True
    )
    trusts = models.BooleanField(
        _("would turn to them with a problem (信任)"), null=True, blank=True
    )
    approves = models.BooleanField(
        _("satisfied with the party branch and cadres (认同)"), null=True, blank=True
    )

    objects = ThreeTrustAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("three-trust answer")
        verbose_name_plural = _("three-trust answers")
        ordering = ["-asked_at"]
        indexes = [
            models.Index(fields=["grid", "-asked_at"], name="three_trust_grid_time"),
            models.Index(fields=["household", "-asked_at"], name="three_trust_household_time"),
        ]

    def __str__(self):
        return f"{self.household} {timezone.localtime(self.asked_at):%Y-%m-%d}"

    @property
    def is_empty(self):
        return all(getattr(self, q) is None for q in QUESTIONS)
