# Rows already stored join their table's tamper-evident trail (trails/), in id order.

from django.db import migrations, models

from trails.sealing import sealing_migration


class Migration(migrations.Migration):

    dependencies = [
        ('trails', '0001_trails'),
        ('activities', '0003_encrypt_place_phone'),
    ]

    operations = [
        migrations.AddField(
            model_name='placereveallog',
            name='trail_mac',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='MAC'),
        ),
        migrations.AddField(
            model_name='placereveallog',
            name='trail_previous',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='previous MAC'),
        ),
        migrations.RunPython(
            sealing_migration('activities', 'PlaceRevealLog', ("user", "place", "revealed_at")), migrations.RunPython.noop, elidable=False
        ),
    ]
