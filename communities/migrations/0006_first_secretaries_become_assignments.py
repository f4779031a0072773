"""First secretaries become one kind of assignment (an official sent to a community or grid for
a term): the table is renamed and its rows kept, each marked a first secretary."""

from django.db import migrations, models


def mark_first_secretaries(apps, schema_editor):
    Assignment = apps.get_model("communities", "Assignment")
    Assignment.objects.update(kind="first_secretary")


def officials_join_their_department(apps, schema_editor):
    # Scoping reads assignments of officials who belong to a department: a cadre entered
    # before without one takes the department that sent them.
    Assignment = apps.get_model("communities", "Assignment")
    Official = apps.get_model("communities", "Official")
    for assignment in Assignment.objects.filter(official__department=None):
        Official.objects.filter(pk=assignment.official_id, department=None).update(
            department=assignment.department_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0005_department_district_role"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="firstsecretary", name="first_secretary_one_post"),
        migrations.RemoveConstraint(
            model_name="firstsecretary", name="first_secretary_dates_ordered"
        ),
        migrations.RenameModel(old_name="FirstSecretary", new_name="Assignment"),
        migrations.AlterModelOptions(
            name="assignment",
            options={
                "ordering": ["-start_date"],
                "verbose_name": "assignment",
                "verbose_name_plural": "assignments",
            },
        ),
        migrations.AddField(
            model_name="assignment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("first_secretary", "first secretary"),
                    ("sent_down", "sent-down cadre"),
                    ("police", "community police officer"),
                    ("judge", "judge"),
                    ("prosecutor", "prosecutor"),
                    ("lawyer", "lawyer"),
                ],
                default="first_secretary",
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="community",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="assignments",
                to="communities.community",
                verbose_name="community",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="department",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="assignments",
                to="communities.department",
                verbose_name="department",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="grid",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="assignments",
                to="communities.grid",
                verbose_name="grid",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="official",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="assignments",
                to="communities.official",
                verbose_name="cadre",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["official", "start_date"], name="assignment_official_term"),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("community__isnull", False), ("grid", None)),
                    models.Q(("community", None), ("grid__isnull", False)),
                    _connector="OR",
                ),
                name="assignment_one_post",
                violation_error_message="An assignment is to either a community or a grid.",
            ),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_date__isnull", True),
                    ("end_date__gte", models.F("start_date")),
                    _connector="OR",
                ),
                name="assignment_dates_ordered",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ),
        migrations.RunPython(mark_first_secretaries, migrations.RunPython.noop),
        migrations.RunPython(officials_join_their_department, migrations.RunPython.noop),
    ]
