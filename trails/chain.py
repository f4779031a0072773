"""How a trail's MAC is made: HMAC-SM3 under TRAIL_KEY over the stream's name, the previous
row's MAC and the row's content, each field's value in a canonical text form.

The content is read from a model instance before its INSERT and from the database when a trail
is sealed or verified: both go through the field's `to_python` and `canonical`, so that SQLite's
and PostgreSQL's ways of returning booleans and times give the same text.
"""

import datetime
import json
from collections.abc import Sequence

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.pii_crypto import sm3_hmac


def canonical(value) -> str | int | None:
    if value is None or isinstance(value, int):  # bool is an int: True -> 1
        return value if value is None else int(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def mac_of(stream: str, previous: str, values: Sequence) -> str:
    """The MAC of a row of `stream` holding `values` (already canonical or not) after
    `previous`."""
    message = json.dumps(
        [stream, previous, [canonical(value) for value in values]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return sm3_hmac(settings.TRAIL_KEY, message.encode()).hex()


def content_fields(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    return [model._meta.get_field(name) for name in names]


def instance_values(instance: models.Model, names: Sequence[str]) -> list:
    """The values the MAC covers, from an instance about to be inserted."""
    return [
        field.to_python(getattr(instance, field.attname))
        for field in content_fields(type(instance), names)
    ]


def stored_values(fields: Sequence[models.Field], row: Sequence) -> list:
    """The same values as read back through `values_list(*attnames)`."""
    return [field.to_python(value) for field, value in zip(fields, row, strict=True)]


def fix_created_times(instance: models.Model) -> None:
    """Set the creation times now, so that the MAC and the INSERT hold the same one."""
    for field in instance._meta.concrete_fields:
        if getattr(field, "auto_now_add", False):
            if not getattr(field, "keeps_a_set_time", False):
                raise TypeError(
                    f"{type(instance).__name__}.{field.name}: a chained record's creation time "
                    "must be a trails.models.CreatedAtField (auto_now_add would change it after "
                    "the MAC was made)."
                )
            if getattr(instance, field.attname) is None:
                setattr(instance, field.attname, timezone.now())
