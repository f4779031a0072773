# Rows already stored join their table's tamper-evident trail (trails/), in id order.

from django.db import migrations, models

from trails.sealing import sealing_migration


class Migration(migrations.Migration):

    dependencies = [
        ('trails', '0001_trails'),
        ('petitions', '0016_three_trust_answers'),
    ]

    operations = [
        migrations.AddField(
            model_name='petitionevent',
            name='trail_mac',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='MAC'),
        ),
        migrations.AddField(
            model_name='petitionevent',
            name='trail_previous',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='previous MAC'),
        ),
        migrations.RunPython(
            sealing_migration('petitions', 'PetitionEvent', ("petition", "actor", "at", "action", "from_status", "to_status", "note", "public")), migrations.RunPython.noop, elidable=False
        ),
    ]
