# Rows already stored join their table's tamper-evident trail (trails/), in id order.

from django.db import migrations, models

from trails.sealing import sealing_migration


class Migration(migrations.Migration):

    dependencies = [
        ('trails', '0001_trails'),
        ('communities', '0007_encrypt_official_phone'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='trail_mac',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='MAC'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='trail_previous',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64, verbose_name='previous MAC'),
        ),
        migrations.RunPython(
            sealing_migration('communities', 'AuditEvent', ("kind", "at", "username", "address", "detail", "rows")), migrations.RunPython.noop, elidable=False
        ),
    ]
