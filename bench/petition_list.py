"""The petition list and detail pages, end to end through Django (views, queries, templates), on
a generated database (python manage.py generate_scale --preset district first).

Run:  DATABASE_URL=postgres://... .venv/bin/python bench/petition_list.py
Prints queries per request and p50 / p95 / max in ms for a street official and a district
organizer, for the typical filters.
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from petitions.models import Petition  # noqa: E402

REPEAT = 15
PAGES = {
    "list": "/petitions/",
    "list open": "/petitions/?status=open",
    "list overdue": "/petitions/?overdue=1",
    "list disputes this year": "/petitions/?dispute=1&period=this_year",
    "list by deadline": "/petitions/?status=open&sort=due",
    "list page 20": "/petitions/?page=20",
}


def measure(client, url):
    times, queries = [], 0
    client.get(url)  # warm up
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    times.sort()
    return queries, statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1]


def main():
    print(f"petitions: {Petition.objects.count():,}")
    print(
        "{:<10} {:<26} {:>7} {:>8} {:>8} {:>8}".format(
            "user", "page", "queries", "p50 ms", "p95 ms", "max ms"
        )
    )
    for username in ("street", "organizer"):
        user = get_user_model().objects.get(username=username)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        detail = f"/petitions/{Petition.objects.visible_to(user).order_by('-pk').first().pk}/"
        for label, url in {**PAGES, "detail": detail}.items():
            q, p50, p95, worst = measure(client, url)
            print(f"{username:<10} {label:<26} {q:>7} {p50:8.1f} {p95:8.1f} {worst:8.1f}")


if __name__ == "__main__":
    main()
