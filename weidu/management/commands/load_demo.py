"""Load the demo district (idempotent) and print the demo logins."""

import time

from django.core.management.base import BaseCommand

from communities.demo import DEMO_PASSWORD, demo_logins, load_map
from grids.demo import load_registry
from grids.demo_party import load_party_and_roles
from petitions.demo import load_petitions, load_visits


class Command(BaseCommand):
    help = "Load the demo data of Weidu district (safe to run again) and print the demo logins."

    def handle(self, *args, **options):
        started = time.monotonic()
        load_map()
        load_registry()
        load_party_and_roles()
        load_visits()
        load_petitions()
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins at http://127.0.0.1:8000/ (password: {DEMO_PASSWORD})")
        for username, name, title in demo_logins():
            self.stdout.write(f"  {username:<12} {name} · {title}")
