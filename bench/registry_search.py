"""Resident search latency on a generated registry (python manage.py generate_scale first).

Run:  DATABASE_URL=postgres://... .venv/bin/python bench/registry_search.py
Prints p50 / p95 / max per query kind for a district organizer and a street official, measured
in-process around `grids.search.search_residents` (the database round trips included).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weidu.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from grids.models import Household, Resident  # noqa: E402
from grids.search import search_residents  # noqa: E402

QUERIES = {
    "name prefix (1 char)": "王",
    "name prefix (2 chars)": "王芳",
    "phone suffix": "5678",
    "room": "301",
    "building-unit-room": "6-2-301",
}
REPEAT = 30


def measure(user, query):
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        search_residents(user, query)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1]


def main():
    users = get_user_model().objects
    print(f"residents: {Resident.objects.count():,}  households: {Household.objects.count():,}")
    print(f"{'user':<10} {'query':<24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for username in ("organizer", "street"):
        user = users.get(username=username)
        for label, query in QUERIES.items():
            p50, p95, worst = measure(user, query)
            print(f"{username:<10} {label:<24} {p50:8.1f} {p95:8.1f} {worst:8.1f}")


if __name__ == "__main__":
    main()
