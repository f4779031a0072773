"""The disputes screened and resolved on a police-down day are counted from the disputes found
on it, no longer typed on the turnout. The counts typed so far are not thrown away silently:
they are kept in the turnout's note (they may describe disputes never recorded as such)."""

from django.db import migrations


def keep_typed_counts_in_the_note(apps, schema_editor):
    Turnout = apps.get_model("safety", "Turnout")
    typed = Turnout.objects.exclude(disputes_screened=0, disputes_resolved=0)
    for turnout in typed.iterator():
        line = (
            f"（原手工登记：排查矛盾纠纷{turnout.disputes_screened}件，"
            f"化解{turnout.disputes_resolved}件）"
        )
        turnout.note = f"{turnout.note}\n{line}" if turnout.note else line
        turnout.save(update_fields=["note"])


def put_typed_counts_back(apps, schema_editor):
    """Going back, the fields return as zero: the note keeps what was typed."""


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0001_police_days_and_incidents"),
    ]

    operations = [
        migrations.RunPython(keep_typed_counts_in_the_note, put_typed_counts_back),
        migrations.RemoveConstraint(
            model_name="turnout",
            name="turnout_resolved_within_screened",
        ),
        migrations.RemoveField(
            model_name="turnout",
            name="disputes_resolved",
        ),
        migrations.RemoveField(
            model_name="turnout",
            name="disputes_screened",
        ),
    ]
