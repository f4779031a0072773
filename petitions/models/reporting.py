"""What the district reports on beyond the computed figures: the published monthly rankings,
kept as they were published. (The three zeros, once typed in here each month, are computed by
the safety app from the incidents recorded.)"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
