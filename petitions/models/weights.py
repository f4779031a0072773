"""The weights of the composite score (综合成绩), editable in the admin."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_WEIGHTS = (0.1, 0.5, 0.4)


class RateWeights(models.Model):
    """Response, resolution and satisfaction weights; the newest row is in force."""

    response = models.FloatField(
        _("response rate weight"), validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    resolution = models.FloatField(
        _("resolution rate weight"), validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    satisfaction = models.FloatField(
        _("satisfaction rate weight"), validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    since = models.DateField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("composite score weights")
        verbose_name_plural = _("composite score weights")
        ordering = ["-since", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    response__gte=0, resolution__gte=0, satisfaction__gte=0,
                ),
                name="weights_not_negative",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.response} / {self.resolution} / {self.satisfaction}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if abs(self.response + self.resolution + self.satisfaction - 1) > 1e-6:
            raise ValidationError(_("The three weights add up to 1."))

    @classmethod
    def current(cls):
        row = (
            cls.objects.order_by("-since", "-id")
            .values_list("response", "resolution", "satisfaction")
            .first()
        )
        return tuple(row) if row else DEFAULT_WEIGHTS
