"""Delete photo files that no row refers to.

`photos_stored` writes a photo's files before the transaction that records its row and deletes
them if that transaction fails; only a worker killed in between (SIGKILL, a power cut) leaves
files without a row. This command finds such files under the photo folders and deletes those
older than --min-age hours (default 24), so that a request in flight keeps its files. Run it
now and then (cron); --dry-run only lists them.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from petitions.models import PetitionPhoto, VisitPhoto

FIELDS = ("image", "thumbnail")


class Command(BaseCommand):
    help = "Delete photo files older than --min-age hours that no visit or petition refers to."

    def add_arguments(self, parser):
        parser.add_argument("--min-age", type=float, default=24.0, help="hours (default 24)")
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")

    def handle(self, *, min_age, dry_run, **options):
        before = timezone.now() - datetime.timedelta(hours=min_age)
        found = deleted = 0
        for model in (VisitPhoto, PetitionPhoto):
            field = model._meta.get_field("image")
            storage = field.storage
            referenced = {
                name for pair in model.objects.values_list(*FIELDS).iterator() for name in pair
            }
            for name in _files(storage, field.upload_to.split("%", 1)[0].rstrip("/")):
                if name in referenced or storage.get_modified_time(name) >= before:
                    continue
                found += 1
                self.stdout.write(name)
                if not dry_run:
                    storage.delete(name)
                    deleted += 1
        self.stdout.write(f"{found} unreferenced photo file(s), {deleted} deleted.")


def _files(storage, folder):
    """Every file under `folder` of `storage`, as storage names."""
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files(storage, f"{folder}/{sub}")
