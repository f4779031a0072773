# Residents' phones and ID-card numbers encrypted at rest (core/encrypted_fields.py), with
# blind indexes for exact lookups and a clear last-four column for the phone-suffix search.

import core.encrypted_fields
import core.personal_data
from django.db import migrations, models

from core.pii_migration import decrypt_table, encrypt_table

ENCRYPTED = {"phone": "phone", "id_number": "id_number"}


def encrypt(apps, schema_editor):
    table = apps.get_model("grids", "Resident")._meta.db_table
    encrypt_table(
        schema_editor.connection,
        table,
        ENCRYPTED,
        indexes={"phone_index": "phone", "id_number_index": "id_number"},
        suffixes={"phone_suffix": "phone"},
    )


def decrypt(apps, schema_editor):
    table = apps.get_model("grids", "Resident")._meta.db_table
    decrypt_table(schema_editor.connection, table, ENCRYPTED)


class Migration(migrations.Migration):

    dependencies = [
        ('grids', '0007_normalise_personal_numbers'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='resident',
            name='resident_id_number_unique',
        ),
        # A generated column cannot become a plain one: dropped and added again (filled below).
        migrations.RemoveIndex(
            model_name='resident',
            name='resident_phone_suffix',
        ),
        migrations.RemoveField(
            model_name='resident',
            name='phone_suffix',
        ),
        migrations.AddField(
            model_name='resident',
            name='phone_suffix',
            field=core.encrypted_fields.SuffixField(blank=True, max_length=4, source='phone', verbose_name='phone suffix'),
        ),
        migrations.AddField(
            model_name='resident',
            name='id_number_index',
            field=core.encrypted_fields.BlindIndexField(max_length=43, null=True, source='id_number', verbose_name='ID-card number index'),
        ),
        migrations.AddField(
            model_name='resident',
            name='phone_index',
            field=core.encrypted_fields.BlindIndexField(db_index=True, max_length=43, null=True, source='phone', verbose_name='phone index'),
        ),
        migrations.AlterField(
            model_name='resident',
            name='id_number',
            field=core.encrypted_fields.EncryptedIdNumberField(blank=True, index_field='id_number_index', max_length=18, validators=[core.personal_data.validate_id_number], verbose_name='ID-card number'),
        ),
        migrations.AlterField(
            model_name='resident',
            name='phone',
            field=core.encrypted_fields.EncryptedPhoneField(blank=True, index_field='phone_index', max_length=20, validators=[core.personal_data.validate_phone], verbose_name='phone'),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
        migrations.AddIndex(
            model_name='resident',
            index=models.Index(fields=['phone_suffix'], name='resident_phone_suffix'),
        ),
        migrations.AddConstraint(
            model_name='resident',
            constraint=models.UniqueConstraint(fields=('id_number_index',), name='resident_id_number_unique', violation_error_message='A resident with this ID-card number already exists.'),
        ),
    ]
