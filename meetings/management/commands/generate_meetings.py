"""Fill the calendar: every active recurring meeting gets its meetings of the next weeks (run it
weekly, e.g. from cron; running it twice adds nothing)."""

from django.core.management.base import BaseCommand

from meetings.models import MeetingSchedule
from meetings.services import WEEKS_AHEAD, generate_meetings


class Command(BaseCommand):
    help = "Create the next weeks' meetings of every active recurring schedule (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=WEEKS_AHEAD)

    def handle(self, *args, weeks, **options):
        made = sum(
            generate_meetings(schedule, weeks=weeks)
            for schedule in MeetingSchedule.objects.filter(active=True).order_by("pk")
        )
        self.stdout.write(f"{made} meetings added.")
