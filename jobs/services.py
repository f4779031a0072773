"""Starting a job, telling it how far it is, and finishing it.

The web request creates the `Job` and enqueues a django-tasks task with its id; the worker runs
the task, which calls `run_job` with the work to do. The work reports through `Progress` and
writes its outcome on the job; `run_job` marks it running, then finished or failed.
"""

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import Job

logger = logging.getLogger(__name__)


def start_job(
    *, kind: str, title: str, owner, task, params: dict | None = None, upload: File | None = None
) -> Job:
    """Create the owner's job (with the uploaded file, if any) and enqueue `task` for it.

    The job runs in the language of the request that started it.
    """
    job = Job(
        kind=kind,
        title=title[:200],
        owner=owner,
        params={"language": translation.get_language(), **(params or {})},
    )
    if upload is not None:
        # A random name: the file may hold personal data, and its name is no one's business.
        job.upload.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    job.save()
    task.enqueue(job.pk)
    job.refresh_from_db()  # an immediate backend has already run it
    return job


class Progress:
    """What the work tells the job page: a line of text, and rows done of a total."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, message: str) -> None:
        self.job.message = message[:300]
        Job.objects.filter(pk=self.job.pk).update(message=self.job.message)

    def step(self, done: int, total: int) -> None:
        self.job.done, self.job.total = done, total
        Job.objects.filter(pk=self.job.pk).update(done=done, total=total)


def run_job(job_id: int, work: Callable[[Job, Progress], None]) -> None:
    """Run `work` for the job, in its language; an unexpected error fails the job and is raised.

    `work` writes its outcome on the job (result file, summary, errors, state FAILED when it
    refuses); otherwise the job succeeds. Its uploaded file is deleted in any case.
    """
    job = Job.objects.select_related("owner").get(pk=job_id)
    job.state = Job.State.RUNNING
    job.save(update_fields=["state"])
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            work(job, Progress(job))
            if job.state == Job.State.RUNNING:
                job.state = Job.State.SUCCEEDED
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            job.state = Job.State.FAILED
            job.message = gettext(
                "The job stopped on an unexpected error; nothing was changed. Try again, or "
                "tell the administrator."
            )
            raise
        finally:
            if job.upload:
                job.upload.delete(save=False)
            job.finished_at = timezone.now()
            job.save()
