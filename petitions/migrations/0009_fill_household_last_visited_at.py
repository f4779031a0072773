"""Fill the new Household.last_visited_at from the visits recorded before it existed."""

from django.db import migrations
from django.db.models import Max, OuterRef, Subquery


def fill(apps, schema_editor):
    Household = apps.get_model("grids", "Household")
    Visit = apps.get_model("petitions", "Visit")
    latest = (
        Visit.objects.filter(household=OuterRef("pk"))
        .values("household")
        .annotate(latest=Max("visited_at"))
        .values("latest")
    )
    Household.objects.update(last_visited_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0006_household_last_visited_at"),
        ("petitions", "0008_reporting"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
