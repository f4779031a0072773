"""Household.last_visited_at and the two indexes that list households not visited.

The indexes are ordered "never visited first, then oldest visit". PostgreSQL needs NULLS FIRST
said in the index to walk it in that order; SQLite puts NULLs first anyway and refuses the
words in an index, so each database gets its own statement.
"""

from django.db import migrations, models

INDEXES = {
    "household_grid_last_visit": "grid_id, last_visited_at{nulls}, id",
    "household_last_visit": "last_visited_at{nulls}, id",
}


def create_indexes(apps, schema_editor):
    nulls = " NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else ""
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {name} ON grids_household ({columns.format(nulls=nulls)})"
        )


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_audit_events"),
        ("grids", "0005_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="last_visited_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="last visited"),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
