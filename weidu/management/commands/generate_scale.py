"""Fill the database with synthetic data at district or city scale (benchmarks, query plans)."""

import time

from django.core.management.base import BaseCommand

from communities.demo import load_map
from grids.scale import generate_registry

# Households per preset (DESIGN.md "Scale to plan for"); residents follow at about 2.5 each.
PRESETS = {"small": 2_000, "district": 200_000, "city": 1_500_000}


class Command(BaseCommand):
    help = "Generate deterministic synthetic registry data: --preset small|district|city."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, preset, seed, **options):
        started = time.monotonic()

        def progress(message):
            self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {message}")
            self.stdout.flush()

        load_map()
        generate_registry(PRESETS[preset], seed=seed, progress=progress)
        progress("done")
