"""Recount the visits per community and day (`petitions.DailyVisits`) from the visits.

`record_visit` keeps the counts as visits are recorded; run this after visits were written
another way (a bulk load, a restore, rows deleted in the admin or by SQL). Safe at any time: it
replaces every count in one transaction.
"""

from django.core.management.base import BaseCommand

from petitions.daily_visits import rebuild_daily_visits


class Command(BaseCommand):
    help = "Recount the visits per community and day from the visits (after bulk writes)."

    def handle(self, *args, **options):
        rows = rebuild_daily_visits()
        self.stdout.write(f"{rows} community days counted.")
