"""Chaining rows written outside `ChainedRecord.save`: the rows a table held before it had a
trail (data migrations), rows bulk-inserted by `generate_scale`, the demo's backdated events.

Rows are walked in id order from the first one without a MAC (from the first row at all with
`restart`), in batches, under the stream's head lock. Whoever runs this with the trail key
can rewrite a trail: README "Cryptography" names that residual risk.
"""

from collections.abc import Sequence

from django.db import connections, models, transaction

from .chain import content_fields, mac_of, stored_values

BATCH = 2000


def seal_records(
    model: type[models.Model],
    fields: Sequence[str],
    *,
    head_model: type[models.Model] | None = None,
    restart: bool = False,
    from_pk: int | None = None,
    batch: int = BATCH,
    using: str = "default",
) -> int:
    """Chain the rows of `model`'s table from its first row without a MAC (from the row
    `from_pk`, or from the first row with `restart`); returns how many rows were (re)chained.
    `head_model` is TrailHead (a migration passes its historical one)."""
    if head_model is None:
        from .models import TrailHead as head_model
    stream = model._meta.db_table
    rows = model._base_manager.using(using).order_by("pk")
    attnames = [field.attname for field in content_fields(model, fields)]
    with transaction.atomic(using=using):
        head_model.objects.using(using).get_or_create(stream=stream)
        head = head_model.objects.using(using).select_for_update().get(stream=stream)
        unsealed = rows.filter(trail_mac="").values_list("pk", flat=True).first()
        start = None if restart else from_pk if from_pk is not None else unsealed
        if not restart and start is None:
            return 0
        before = rows.filter(pk__lt=start) if start is not None else rows.none()
        previous = before.values_list("trail_mac", flat=True).last() or ""
        last, done = (start - 1) if start is not None else None, 0
        quote = connections[using].ops.quote_name
        update = (
            f"UPDATE {quote(stream)} SET {quote('trail_previous')} = %s, "  # noqa: S608 - names from the model
            f"{quote('trail_mac')} = %s WHERE {quote(model._meta.pk.column)} = %s"
        )
        fields_ = content_fields(model, fields)
        while True:
            page = rows if last is None else rows.filter(pk__gt=last)
            chunk = list(page.values_list("pk", *attnames)[:batch])
            if not chunk:
                break
            updates = []
            for pk, *values in chunk:
                mac = mac_of(stream, previous, stored_values(fields_, values))
                updates.append((previous, mac, pk))
                previous = mac
            with connections[using].cursor() as cursor:
                cursor.executemany(update, updates)
            last, done = chunk[-1][0], done + len(chunk)
        head_model.objects.using(using).filter(pk=head.pk).update(mac=previous)
    return done


def seal_admin_log(
    entry_model: type[models.Model],
    seal_model: type[models.Model],
    fields: Sequence[str],
    *,
    head_model: type[models.Model] | None = None,
    using: str = "default",
) -> int:
    """Seal, in id order, the admin log entries that have no seal yet; returns how many."""
    if head_model is None:
        from .models import TrailHead as head_model
    from .streams import ADMIN_LOG

    fields_ = content_fields(entry_model, fields)
    attnames = [field.attname for field in fields_]
    with transaction.atomic(using=using):
        head_model.objects.using(using).get_or_create(stream=ADMIN_LOG)
        head = head_model.objects.using(using).select_for_update().get(stream=ADMIN_LOG)
        sealed = seal_model.objects.using(using).values("entry_id")
        entries = entry_model._base_manager.using(using).exclude(pk__in=sealed).order_by("pk")
        previous, seals = head.mac, []
        for pk, *values in entries.values_list("pk", *attnames).iterator(chunk_size=BATCH):
            mac = mac_of(ADMIN_LOG, previous, stored_values(fields_, values))
            seals.append(seal_model(entry_id=pk, previous=previous, mac=mac))
            previous = mac
        seal_model.objects.using(using).bulk_create(seals, batch_size=BATCH)
        head_model.objects.using(using).filter(pk=head.pk).update(mac=previous)
    return len(seals)


def seal_everything(*, restart: bool = False) -> dict[str, int]:
    """Seal every stream of this installation (generate_scale, the demo); {stream: rows}."""
    from django.contrib.admin.models import LogEntry

    from .models import LogEntrySeal
    from .streams import all_streams

    done = {}
    for stream in all_streams():
        if stream.is_admin_log:
            done[stream.name] = seal_admin_log(LogEntry, LogEntrySeal, stream.fields)
        else:
            done[stream.name] = seal_records(stream.model, stream.fields, restart=restart)
    return done


def sealing_migration(app_label: str, model_name: str, fields: Sequence[str]):
    """A RunPython function chaining the rows a table already holds (in a data migration, with
    the historical models; `fields` as the migration froze them)."""

    def seal(apps, schema_editor):
        seal_records(
            apps.get_model(app_label, model_name),
            fields,
            head_model=apps.get_model("trails", "TrailHead"),
            using=schema_editor.connection.alias,
        )

    return seal


def ensure_heads() -> None:
    """A head row for every stream, as the migrations leave them (after a test flushed them)."""
    from .models import TrailHead
    from .streams import all_streams

    for stream in all_streams():
        TrailHead.objects.get_or_create(stream=stream.name)
