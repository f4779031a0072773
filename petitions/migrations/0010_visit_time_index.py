"""An index on when visits happened, for the figures that count a period's visits everywhere.

The dashboard's weekly trend, and coverage's visits per grid and per official, read every visit
of a period across the whole district. Without this index PostgreSQL scanned all of them (5 M at
city size: 260-590 ms each); with the columns those queries read carried in the index (INCLUDE,
PostgreSQL only) they are index-only scans: 75-375 ms. SQLite gets the plain index.
"""

from django.db import migrations

NAME = "visit_time_cover"


def create_index(apps, schema_editor):
    include = ""
    if schema_editor.connection.vendor == "postgresql":
        include = " INCLUDE (id, grid_id, household_id, author_id)"
    schema_editor.execute(f"CREATE INDEX {NAME} ON petitions_visit (visited_at){include}")


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {NAME}")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0009_fill_household_last_visited_at")]

    operations = [migrations.RunPython(create_index, drop_index)]
