"""Fill the database with synthetic data at district or city scale (benchmarks, query plans)."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from activities.synthetic import generate_activities
from cadres.synthetic import generate_cadres
from communities.demo import load_map
from disputes.synthetic import generate_disputes
from grids.demo import load_registry
from grids.synthetic import generate_registry
from meetings.synthetic import generate_meeting_calendar
from petitions.daily_visits import rebuild_daily_visits
from petitions.synthetic import generate_petitions, generate_visits
from safety.synthetic import generate_police_days
from trails.sealing import seal_everything

# Households per preset (DESIGN.md "Scale to plan for"); residents follow at about 2.5 each.
PRESETS = {"small": 2_000, "district": 200_000, "city": 1_500_000}
# DESIGN.md: 1 M visits for 200 k households, 5 M for 1.5 M (over two years).
VISITS = {"small": 10_000, "district": 1_000_000, "city": 5_000_000}
PETITIONS = {"small": 1_000, "district": 100_000, "city": 500_000}
DISPUTES = {"small": 200, "district": 20_000, "city": 100_000}
# Activities a community records in a month (活动台账), at every preset; generated for two years.
ACTIVITIES_PER_MONTH = 10


class Command(BaseCommand):
    help = "Generate deterministic synthetic data: --preset small|district|city."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--skip-registry",
            action="store_true",
            help="add only the casework to a filled registry",
        )
        parser.add_argument(
            "--only-petitions",
            action="store_true",
            help="add only petitions to a filled database",
        )

    def handle(self, *args, preset, seed, skip_registry, only_petitions, **options):
        started = time.monotonic()

        def progress(message):
            self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {message}")
            self.stdout.flush()

        load_map()
        load_registry()  # the demo compounds and logins the benchmark signs in with
        if not (skip_registry or only_petitions):
            generate_registry(PRESETS[preset], seed=seed, progress=progress)
        if not only_petitions:
            generate_visits(VISITS[preset] / PRESETS[preset], seed=seed, progress=progress)
        generate_petitions(PETITIONS[preset], seed=seed, progress=progress)
        if not only_petitions:
            generate_disputes(DISPUTES[preset], seed=seed, progress=progress)
            generate_police_days(seed=seed, progress=progress)
            generate_meeting_calendar(seed=seed, progress=progress)
            generate_activities(ACTIVITIES_PER_MONTH, seed=seed, progress=progress)
        generate_cadres(seed=seed, progress=progress)
        # Visits were inserted in bulk (the generators above), around record_visit's counting.
        progress(f"visits per community and day: {rebuild_daily_visits():,} rows")
        # The synthetic events were inserted in bulk, outside the trails: chained now, so that
        # verify_trails finds the generated database whole (README "Cryptography").
        sealed = seal_everything()
        progress(f"trails sealed: {sum(sealed.values())} rows")
        if connection.vendor == "postgresql":
            # One place for the statistics the plans need, and a vacuum: filling last_visited_at
            # rewrote every household, leaving the table half dead rows, as no settled database is.
            progress("vacuum")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        progress("done")
