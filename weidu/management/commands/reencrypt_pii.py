"""Re-encrypt every personal number under the newest key of PII_KEYS (key rotation).

Rotating: put the new key first in PII_KEYS (the old ones after it, so that both still read),
restart, run this command until it reports nothing left under an old key, then drop the old
keys. It walks each table in batches by primary key, each batch committed on its own: a run
that is stopped resumes where it was when run again (values already under the newest key are
skipped, never rewritten). The blind indexes do not change: they have their own key.
"""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from core.encrypted_fields import EncryptedField
from core.pii_crypto import current_key_id
from core.pii_migration import BATCH, reencrypt_table, rows_per_key


def encrypted_tables() -> dict[str, dict[str, str]]:
    """{table: {column: purpose}} of every encrypted field of every installed model."""
    tables: dict[str, dict[str, str]] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedField):
                tables.setdefault(model._meta.db_table, {})[field.column] = field.purpose
    return dict(sorted(tables.items()))


class Command(BaseCommand):
    help = "Re-encrypt personal numbers under the newest key of PII_KEYS, in batches (resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH)
        parser.add_argument(
            "--count-only", action="store_true", help="only say how many values each key holds"
        )

    def handle(self, *args, batch_size, count_only, **options):
        newest = current_key_id()
        tables = encrypted_tables()
        if not count_only:
            for table, columns in tables.items():
                done = reencrypt_table(
                    connection, table, columns, batch_size=batch_size, report=self._progress
                )
                self.stdout.write(f"{table}: {done} rows re-encrypted under {newest}.")
        self._left(tables, newest)

    def _progress(self, message):
        self.stdout.write(f"  {message}")

    def _left(self, tables, newest):
        """Values left under each key that is not the newest (0 for a key nothing uses)."""
        counts: dict[str, int] = {}
        for table, columns in tables.items():
            for key_id, count in rows_per_key(connection, table, list(columns)).items():
                counts[key_id] = counts.get(key_id, 0) + count
        old = [key_id for key_id in settings.PII_KEYS if key_id != newest]
        old += sorted(key_id for key_id in counts if key_id not in settings.PII_KEYS)
        self.stdout.write(f"Values under the newest key {newest}: {counts.get(newest, 0)}.")
        self.stdout.write("Values left under older keys:")
        for key_id in old:
            label = key_id or "(clear, not yet encrypted)"
            self.stdout.write(f"  {label}: {counts.get(key_id, 0)}")
        if not old:
            self.stdout.write("  none (PII_KEYS holds one key)")
