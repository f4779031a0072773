"""The in-app inbox: what an official must look at (new assignment, supervision, reopened,
follow-up due). Deadlines within 24 hours are computed on the inbox page, not stored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("new assignment")
        DISPATCHED = "dispatched", _("dispatched to your department")
        SUPERVISED = "supervised", _("put under supervision")
        REOPENED = "reopened", _("reopened: the resident is not satisfied")
        FOLLOW_UP_DUE = "follow_up", _("resolved: ask the resident")
        ESCALATED = "escalated", _("escalated to your level")
        RETURNED = "returned", _("returned to your level")
        YELLOW_CARD = "yellow_card", _("yellow card: supervised")
        RED_CARD = "red_card", _("red card: supervised")
        INSTRUCTION = "instruction", _("leader's instruction")
        COORDINATED = "coordinated", _("a street brings your department in")
        LEDGER = "ledger", _("put on the district ledger")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    petition = models.ForeignKey(
        "petitions.Petition", models.CASCADE, related_name="notifications",
        verbose_name=_("petition"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user"], condition=models.Q(read_at=None), name="notification_unread"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.petition_id}"
