"""Delete finished jobs older than some days, with their files (exports hold personal data)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.models import Job


class Command(BaseCommand):
    help = "Delete finished background jobs older than --days (default 7) and their files."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="keep jobs this many days")

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = Job.objects.filter(
            state__in=[Job.State.SUCCEEDED, Job.State.FAILED], finished_at__lt=cutoff
        )
        count = 0
        for job in old.iterator():
            for file in (job.result, job.upload):
                if file:
                    file.delete(save=False)
            job.delete()
            count += 1
        self.stdout.write(f"{count} job(s) deleted.")
