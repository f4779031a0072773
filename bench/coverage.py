"""Coverage queries on a generated database (python manage.py generate_scale first).

Run:  DATABASE_URL=postgres://... .venv/bin/python bench/coverage.py
Prints, for a street official and a district organizer: households in scope, the number of
queries and the p50 / max time of the coverage table, one page of households not visited for
182 days, and the overdue care visits.
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
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.pagination import page_without_count  # noqa: E402
from grids.models import Household  # noqa: E402
from petitions import visit_coverage as coverage  # noqa: E402
from petitions.models import Visit  # noqa: E402
from petitions.periods import period_from  # noqa: E402

REPEAT = 5


def timed(func):
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            func()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return statistics.median(times), max(times), queries


def main():
    print(f"households: {Household.objects.count():,}  visits: {Visit.objects.count():,}")
    period = period_from({"period": "this_year"})
    checks = {
        "coverage table (this year)": lambda u: coverage.coverage_rows(u, period),
        "not visited 182 d, page 1": lambda u: (
            page_without_count(coverage.households_not_visited(u, 182), 1).object_list
        ),
        "overdue care visits": lambda u: coverage.overdue_care_visits(u),
        "visits per official": lambda u: coverage.visits_per_official(u, period),
    }
    print(
        f"{'user':<10} {'households':>10} {'check':<28} {'queries':>7} {'p50 ms':>8} {'max ms':>8}"
    )
    for username in ("street", "organizer"):
        user = get_user_model().objects.get(username=username)
        in_scope = Household.objects.visible_to(user).count()
        for label, check in checks.items():
            p50, worst, queries = timed(lambda check=check, user=user: check(user))
            print(
                f"{username:<10} {in_scope:>10,} {label:<28} {queries:>7} {p50:8.1f} {worst:8.1f}"
            )


if __name__ == "__main__":
    main()
