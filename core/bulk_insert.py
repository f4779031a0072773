"""Writing millions of generated rows: PostgreSQL's COPY, plain executemany elsewhere.

bulk_create builds one large INSERT per batch, preparing and quoting every value in Python; at
city scale (10 M rows) that was most of the generator's 21 minutes. COPY streams the rows as
they are made, so memory stays flat too. Nothing is returned: callers that need the new ids
read them back (rows are numbered in the order they were written).
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from .encrypted_fields import EncryptedField

SQLITE_CHUNK = 5000


def insert_rows(model: type[Model], field_names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (values in the order of `field_names`) into `model`'s table; returns how many.

    Values are written as given: auto_now and auto_now_add do not apply, so generated data keeps
    the timestamps it was given. Columns left out take no default, so list every NOT NULL one.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    written = 0
    # Personal numbers are encrypted even here (core/encrypted_fields.py): never COPY them clear.
    encrypted = [i for i, field in enumerate(fields) if isinstance(field, EncryptedField)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg adapts str, int, date, datetime and Decimal itself, faster than Django would.
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    if encrypted:
                        row = list(row)
                        for i in encrypted:
                            row[i] = fields[i].get_db_prep_save(row[i], connection)
                    copy.write_row(row)
                    written += 1
            return written
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - names from the model
        chunk = []
        for row in rows:
            chunk.append(
                [
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(fields, row, strict=True)
                ]
            )
            if len(chunk) == SQLITE_CHUNK:
                cursor.executemany(sql, chunk)
                written += len(chunk)
                chunk = []
        cursor.executemany(sql, chunk)
        return written + len(chunk)


def insert_instances(instances: Sequence[Model]) -> int:
    """Insert unsaved instances of one model (their defaults already set by __init__)."""
    if not instances:
        return 0
    model = type(instances[0])
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not getattr(field, "generated", False)
    ]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    now = timezone.now()
    for instance in instances:
        for field in stamped:
            if getattr(instance, field.attname) is None:
                setattr(instance, field.attname, now)
    return insert_rows(
        model,
        [field.name for field in fields],
        ([getattr(instance, field.attname) for field in fields] for instance in instances),
    )
