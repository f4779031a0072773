# Rows already stored join their table's tamper-evident trail (trails/), in id order.

from django.db import migrations, models

from trails.sealing import sealing_migration


class Migration(migrations.Migration):

    dependencies = [
        ('trails', '0001_trails'),
        ('disputes', '0004_encrypt_party_phone'),
    ]

    operations = [
        migrations.AddField(
            model_name='disputeevent',
            name='trail_mac',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='MAC'),
        ),
        migrations.AddField(
            model_name='disputeevent',
            name='trail_previous',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='previous MAC'),
        ),
        migrations.AddField(
            model_name='partyreveallog',
            name='trail_mac',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='MAC'),
        ),
        migrations.AddField(
            model_name='partyreveallog',
            name='trail_previous',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='previous MAC'),
        ),
        migrations.RunPython(
            sealing_migration('disputes', 'DisputeEvent', ("dispute", "actor", "at", "action", "from_status", "to_status", "note", "public")), migrations.RunPython.noop, elidable=False
        ),
        migrations.RunPython(
            sealing_migration('disputes', 'PartyRevealLog', ("user", "party", "revealed_at")), migrations.RunPython.noop, elidable=False
        ),
    ]
