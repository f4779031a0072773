"""Recount the households per community and day of their latest visit
(`petitions.LastVisitDays`) from the households.

A trigger keeps the counts on every write to the households' table; run this after what a row
trigger does not see: a TRUNCATE, a restore of the households' table alone, or a grid moved to
another community. Safe at any time: it replaces every count in one transaction.
"""

from django.core.management.base import BaseCommand

from petitions.household_counts import rebuild_household_counts


class Command(BaseCommand):
    help = "Recount the households per community and day of their latest visit."

    def handle(self, *args, **options):
        rows = rebuild_household_counts()
        self.stdout.write(f"{rows} community days counted.")
