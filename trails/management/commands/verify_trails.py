"""Verify every tamper-evident trail (README "Cryptography"): walk each stream in batches, say
how many rows were checked and name the first broken link; exit status 1 when one is broken.
The result of each stream is stored for the admin (the audit log's list shows it)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trails.models import PROBLEMS, TrailCheck
from trails.streams import all_streams
from trails.verify import BATCH, verify


class Command(BaseCommand):
    help = "Verify the HMAC-SM3 chains of events, audit and reveal logs and the admin log."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH)
        parser.add_argument("--stream", action="append", help="only this stream (table name)")

    def handle(self, *args, batch_size, stream, **options):
        streams = [s for s in all_streams() if not stream or s.name in stream]
        if stream and len(streams) != len(set(stream)):
            known = ", ".join(s.name for s in all_streams())
            raise CommandError(f"Unknown stream; the streams are: {known}")
        broken = 0
        for one in streams:
            verdict = verify(one, batch=batch_size)
            TrailCheck.objects.update_or_create(
                stream=one.name,
                defaults={
                    "checked_at": timezone.now(),
                    "rows": verdict.rows,
                    "broken_row": verdict.broken_row,
                    "problem": verdict.problem,
                },
            )
            if verdict.intact:
                self.stdout.write(f"{one.name}: {verdict.rows} rows checked, intact.")
            else:
                broken += 1
                text = PROBLEMS[verdict.problem] % {"row": verdict.broken_row}
                self.stdout.write(f"{one.name}: {verdict.rows} rows checked, BROKEN: {text}.")
        if broken:
            self.stderr.write(f"{broken} trail(s) broken.")
            raise SystemExit(1)
