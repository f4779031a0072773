"""The trails of this installation: one per table of a `ChainedRecord` model, and Django's admin
log (its MACs kept in `LogEntrySeal`). Found from the models, so no app is named here."""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from .models import ChainedRecord

ADMIN_LOG = "django_admin_log"
# What the MAC of an admin log entry covers (Django's LogEntry fields).
ADMIN_LOG_FIELDS = (
    "action_time",
    "user",
    "content_type",
    "object_id",
    "object_repr",
    "action_flag",
    "change_message",
)


@dataclass(frozen=True)
class Stream:
    name: str
    model: type[models.Model]
    fields: tuple[str, ...]

    @property
    def is_admin_log(self) -> bool:
        return self.name == ADMIN_LOG


def all_streams() -> list[Stream]:
    found = [
        Stream(model._meta.db_table, model, tuple(model.trail_fields))
        for model in apps.get_models()
        if issubclass(model, ChainedRecord)
    ]
    if apps.is_installed("django.contrib.admin"):
        found.append(Stream(ADMIN_LOG, apps.get_model("admin", "LogEntry"), ADMIN_LOG_FIELDS))
    return sorted(found, key=lambda stream: stream.name)
