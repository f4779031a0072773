"""Officials' phone numbers in their one normal form (ASCII digits, no separators) and their
names without invisible or direction characters (issue 15)."""

from django.db import migrations

from core.personal_data import clean_stored_names, normalise_stored_numbers, normalize_phone


def forward(apps, schema_editor):
    normalise_stored_numbers(apps.get_model("communities", "Official"), {"phone": normalize_phone})
    clean_stored_names(apps.get_model("communities", "Official"))


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_audit_events"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
