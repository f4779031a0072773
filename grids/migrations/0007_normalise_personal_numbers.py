"""Residents' phone and ID-card numbers in their one normal form, names without invisible
characters (issue 15).

Before, full-width or Arabic-Indic digits, spaces and dashes were stored as typed: the same ID
could be held twice and a phone-suffix search missed them. The generated phone suffix follows
the phone by itself. Two residents whose ID numbers normalise to the same value are not merged
or erased: the later one keeps its stored value and is listed in the migration's output, for an
official to decide which resident really holds the number (it cannot be saved again until then).
"""

from django.db import migrations

from core.personal_data import (
    clean_stored_names,
    normalise_stored_numbers,
    normalize_id_number,
    normalize_phone,
)


def forward(apps, schema_editor):
    normalise_stored_numbers(
        apps.get_model("grids", "Resident"),
        {"phone": normalize_phone, "id_number": normalize_id_number},
        unique={"id_number"},
    )
    clean_stored_names(apps.get_model("grids", "Resident"))


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0006_household_last_visited_at"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
