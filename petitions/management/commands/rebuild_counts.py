"""Recount what the database's triggers keep (`core.count_triggers`): the petitions per
community and day and those open per due day (`petitions.daily_petitions`), and the households
per community and day of their latest visit (`petitions.household_counts`).

The triggers keep the counts on every write; run this after what a row trigger does not see: a
TRUNCATE, a restore of the petitions' or households' table alone, or a grid moved to another
community. Safe at any time: each recount replaces its counts in one transaction.
"""

from django.core.management.base import BaseCommand

from petitions.daily_petitions import rebuild_petition_counts
from petitions.household_counts import rebuild_household_counts


class Command(BaseCommand):
    help = "Recount the petition and household counts the database's triggers keep."

    def handle(self, *args, **options):
        petitions = rebuild_petition_counts()
        households = rebuild_household_counts()
        self.stdout.write(f"{petitions} petition rows and {households} household rows counted.")
