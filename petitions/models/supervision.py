"""督办 grades: a yellow card when a petition's deadline passes, a red card a further span
later (the span is this table's newest row, editable in the admin by district organizers)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_RED_AFTER_DAYS = 5


class SupervisionGrade(models.TextChoices):
    YELLOW = "yellow", _("yellow card")
    RED = "red", _("red card")


# The order grades rise in: "" (none) < yellow < red.
GRADE_ORDER = ("", SupervisionGrade.YELLOW, SupervisionGrade.RED)


class SupervisionRule(models.Model):
    """How long after the yellow card (the deadline) the red card follows; the newest row is in
    force."""

    red_after_days = models.PositiveSmallIntegerField(
        _("working days from yellow to red card"),
        default=DEFAULT_RED_AFTER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    since = models.DateField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision rule")
        verbose_name_plural = _("supervision rules")
        ordering = ["-since", "-id"]

    def __str__(self):
        return str(self.red_after_days)

    @classmethod
    def red_after(cls) -> int:
        days = cls.objects.order_by("-since", "-id").values_list("red_after_days", flat=True)
        return next(iter(days), DEFAULT_RED_AFTER_DAYS)
