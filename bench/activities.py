"""The activity pages end to end through Django (views, queries, templates) on a generated
database (python manage.py generate_scale first).

Run:  DATABASE_URL=postgres://... .venv/bin/python bench/activities.py
Prints queries per request and p50 / p95 / max in ms for a community official and a district
organizer: the month's ledger (活动台账) and its Excel file, the places, the teams, an activity.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weidu.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from activities.models import Activity, Finding, Place  # noqa: E402
from bench.petition_list import measure  # noqa: E402

PAGES = {
    "ledger (this month)": "/activities/",
    "ledger patrols": "/activities/?kind=patrol",
    "ledger page 5": "/activities/?page=5",
    "places": "/places/",
    "places page 20": "/places/?page=20",
    "teams": "/teams/",
}


def main():
    print(
        f"activities: {Activity.objects.count():,}  places: {Place.objects.count():,}  "
        f"findings: {Finding.objects.count():,}"
    )
    print("{:<10} {:<22} {:>7} {:>8} {:>8} {:>8}".format(
        "user", "page", "queries", "p50 ms", "p95 ms", "max ms"))  # fmt: skip
    for username in ("community", "organizer"):
        user = get_user_model().objects.get(username=username)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        latest = Activity.objects.visible_to(user).order_by("-findings", "-pk").first()
        place = Place.objects.visible_to(user).order_by("-pk").first()
        pages = {**PAGES, "activity": f"/activities/{latest.pk}/", "place": f"/places/{place.pk}/"}
        for label, url in pages.items():
            q, p50, p95, worst = measure(client, url)
            print(f"{username:<10} {label:<22} {q:>7} {p50:8.1f} {p95:8.1f} {worst:8.1f}")


if __name__ == "__main__":
    main()
