"""A job users see: what runs in the background for them, how far it is, what came of it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is its owner's alone: its file may hold personal data of their areas only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    class Kind(models.TextChoices):
        REGISTRY_IMPORT = "registry_import", _("registry import")
        EXPORT = "export", _("Excel export")

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("finished")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="jobs", verbose_name=_("owner")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    # How far it is, in the job's own unit (rows); total 0 while not yet known.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    # What the job needs to run: the export's path, query and client address, the language.
    params = models.JSONField(default=dict, blank=True)
    upload = models.FileField(upload_to="jobs/uploads/", blank=True)
    result = models.FileField(upload_to="jobs/results/", blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    # An import's outcome: a line per imported sheet, or the errors ({sheet, row, column,
    # message}, the first SHOWN_ERRORS of error_count).
    summary = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        """Done as a percentage, or None while the total is unknown."""
        if not self.total:
            return 100 if self.is_finished else None
        return min(100, self.done * 100 // self.total)
