from django.db import migrations

from petitions.defaults import ensure_defaults


def forward(apps, schema_editor):
    ensure_defaults(
        apps.get_model("petitions", "Category"),
        apps.get_model("grids", "Tag"),
        apps.get_model("petitions", "VisitFrequency"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0001_initial_casework"),
        ("grids", "0005_search_indexes"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
