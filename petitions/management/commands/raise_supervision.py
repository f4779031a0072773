"""Give the 督办 yellow and red cards that deadlines have earned; safe to run at any time and
as often as wanted (cron every 15 minutes, see README)."""

from django.core.management.base import BaseCommand

from petitions.services.supervision import raise_due_grades
from petitions.tasks import raise_supervision_grades


class Command(BaseCommand):
    help = (
        "Raise supervision grades on time limits: a yellow card at the deadline, a red card "
        "the admin's span later (idempotent). --enqueue hands it to the task worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="run it on the task worker (db_worker)"
        )

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = raise_supervision_grades.enqueue()
            self.stdout.write(f"Enqueued as task {result.id}.")
            return
        counts = raise_due_grades()
        self.stdout.write(f"{counts['yellow']} yellow card(s), {counts['red']} red card(s).")
