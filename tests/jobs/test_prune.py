"""`manage.py prune_jobs`: finished jobs past their days go, with their files; others stay."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from jobs.models import Job


def make_job(owner, *, state="succeeded", days_ago=0):
    return Job.objects.create(
        kind="export", title="诉求台账", owner=owner, state=state,
        finished_at=timezone.now() - datetime.timedelta(days=days_ago) if days_ago else None,
        result=ContentFile(b"xlsx", "ledger.xlsx"),
    )  # fmt: skip


def test_finished_jobs_older_than_the_days_are_deleted_with_their_files(organizer):
    old = make_job(organizer, days_ago=8)
    old_failed = make_job(organizer, state="failed", days_ago=30)
    recent = make_job(organizer, days_ago=2)
    running = make_job(organizer, state="running")
    old_path = old.result.path

    out = io.StringIO()
    call_command("prune_jobs", "--days", "7", stdout=out)

    assert out.getvalue() == "2 job(s) deleted.\n"
    assert set(Job.objects.all()) == {recent, running}
    assert not Job.objects.filter(pk__in=[old.pk, old_failed.pk]).exists()
    assert not old.result.storage.exists(old_path)
    assert recent.result.storage.exists(recent.result.name)
