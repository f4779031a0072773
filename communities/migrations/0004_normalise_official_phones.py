"""Officials' phone numbers in their one normal form (issue 15): ASCII digits, no separators."""

from django.db import migrations

from communities.personal_data import normalise_stored_numbers, normalize_phone


def forward(apps, schema_editor):
    normalise_stored_numbers(apps.get_model("communities", "Official"), {"phone": normalize_phone})


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_audit_events"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
