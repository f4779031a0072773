"""Load the demo district (idempotent) and print the demo logins."""

import os
import time

from django.core.management.base import BaseCommand

from activities.demo import load_activities
from cadres.demo import demo_cadre_logins, load_cadres
from communities.demo import DEMO_PASSWORD, demo_logins, load_map
from disputes.demo import load_disputes
from grids.demo import load_registry
from grids.demo_party import load_party_and_roles
from meetings.demo import load_meetings
from petitions.demo import load_petitions, load_visits
from petitions.demo_district import load_follow_through
from safety.demo import load_police_days


class Command(BaseCommand):
    help = "Load the demo data of Weidu district (safe to run again) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default=f"127.0.0.1:{os.environ.get('PORT') or 8000}",
            help="where the server will answer, printed with the logins (default 127.0.0.1:$PORT, "
            "PORT defaulting to 8000, as `make run` serves)",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        load_map()
        load_registry()
        load_party_and_roles()
        load_visits()
        load_petitions()
        load_cadres()
        load_disputes()
        load_follow_through()
        load_police_days()
        load_meetings()
        load_activities()
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        self.stdout.write("")
        address = options["address"]
        self.stdout.write(f"Demo logins at http://{address}/ (password: {DEMO_PASSWORD})")
        for username, name, title in demo_logins() + demo_cadre_logins():
            self.stdout.write(f"  {username:<12} {name} · {title}")
