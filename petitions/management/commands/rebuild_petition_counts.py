"""Recount the petitions per community and day, and the open ones per due day
(`petitions.DailyPetitions`, `petitions.OpenPetitions`), from the petitions.

A trigger keeps the counts on every write to the petitions' table; run this after what a row
trigger does not see: a TRUNCATE, a restore of the petitions' table alone, or a grid moved to
another community. Safe at any time: it replaces every count in one transaction.
"""

from django.core.management.base import BaseCommand

from petitions.daily_petitions import rebuild_petition_counts


class Command(BaseCommand):
    help = "Recount the petitions per community and day from the petitions."

    def handle(self, *args, **options):
        rows = rebuild_petition_counts()
        self.stdout.write(f"{rows} community days counted.")
