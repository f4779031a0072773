from django.db import migrations


def create_kinds(apps, schema_editor):
    from disputes.defaults import ensure_kinds

    ensure_kinds(apps.get_model("disputes", "DisputeKind"))


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_disputes_and_mediation")]

    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
