"""Import the household registry from an .xlsx workbook, or write the empty template."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grids.registry_import import build_template, import_registry


class Command(BaseCommand):
    help = (
        "Import the household registry from an .xlsx workbook (everything or nothing), "
        "or write the empty template with --template."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the workbook to import (.xlsx)")
        parser.add_argument(
            "--template", metavar="OUT.xlsx", help="write the empty template to this file instead"
        )

    def handle(self, *args, file=None, template=None, **options):
        if template:
            Path(template).write_bytes(build_template())
            self.stdout.write(f"Template written to {template}.")
            return
        if not file:
            raise CommandError("Give the workbook to import, or --template OUT.xlsx.")
        try:
            with open(file, "rb") as workbook:
                result = import_registry(workbook, progress=self.stdout.write)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s): nothing was imported.")
        for line in result.summary():
            self.stdout.write(self.style.SUCCESS(line))
