"""A resubmitted visit or new-petition form finds what it saved (one row per author and form key)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0011_resolutions_and_escalation_notices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='petition',
            name='idempotency_key',
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='visit',
            name='idempotency_key',
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name='petition',
            constraint=models.UniqueConstraint(fields=('created_by', 'idempotency_key'), name='petition_once_per_form'),
        ),
        migrations.AddConstraint(
            model_name='visit',
            constraint=models.UniqueConstraint(fields=('author', 'idempotency_key'), name='visit_once_per_form'),
        ),
    ]
