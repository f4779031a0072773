# Rows already stored join their table's tamper-evident trail (trails/), in id order.

from django.db import migrations, models

from trails.sealing import sealing_migration


class Migration(migrations.Migration):

    dependencies = [
        ('trails', '0001_trails'),
        ('grids', '0008_encrypt_personal_numbers'),
    ]

    operations = [
        migrations.AddField(
            model_name='reveallog',
            name='trail_mac',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='MAC'),
        ),
        migrations.AddField(
            model_name='reveallog',
            name='trail_previous',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='previous MAC'),
        ),
        migrations.RunPython(
            sealing_migration('grids', 'RevealLog', ("user", "resident", "field", "revealed_at")), migrations.RunPython.noop, elidable=False
        ),
    ]
