"""The count triggers on PostgreSQL run once a statement instead of once a row
(core.count_triggers): a bulk load of households or petitions no longer takes quadratic time.
SQLite's triggers stay row triggers; installing them again changes nothing there."""

from django.db import migrations

from petitions import daily_petitions, household_counts


def install(apps, schema_editor):
    daily_petitions.install_trigger(schema_editor)
    household_counts.install_trigger(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("petitions", "0021_household_counts"),
    ]

    operations = [
        # Going back leaves the statement triggers, which count the same.
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
