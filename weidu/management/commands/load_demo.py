"""Load the demo district (idempotent) and print the demo logins."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_PASSWORD = "weidu-demo"  # noqa: S105 - documented demo password, never used in production


class Command(BaseCommand):
    help = "Load the demo data of Weidu district (safe to run again) and print the demo logins."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username="organizer", defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        self.stdout.write("Demo logins (password: weidu-demo): organizer")
