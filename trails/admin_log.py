"""Django's admin log joins its trail: each LogEntry saved gets a `LogEntrySeal`, and the
entries the admin writes in bulk (deleting several objects at once) are sealed as well."""

import functools

from django.contrib.admin import ModelAdmin
from django.db import transaction
from django.db.models.signals import post_save

from .chain import instance_values, mac_of
from .models import LogEntrySeal, TrailHead
from .streams import ADMIN_LOG, ADMIN_LOG_FIELDS


def seal_entry(entry) -> LogEntrySeal:
    """Append `entry` to the admin log's trail (one row lock, one INSERT, one UPDATE)."""
    using = entry._state.db or "default"
    with transaction.atomic(using=using, savepoint=False):
        head = TrailHead.locked(ADMIN_LOG, using)
        mac = mac_of(ADMIN_LOG, head.mac, instance_values(entry, ADMIN_LOG_FIELDS))
        seal = LogEntrySeal.objects.using(using).create(
            entry_id=entry.pk, previous=head.mac, mac=mac
        )
        head.advance(mac, using)
    return seal


def _entry_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seal_entry(instance)


def _sealing_bulk(log_deletions):
    @functools.wraps(log_deletions)
    def wrapper(self, request, queryset):
        entries = log_deletions(self, request, queryset)
        if isinstance(entries, list) and len(entries) > 1:  # bulk_create sends no post_save
            for entry in entries:
                seal_entry(entry)
        return entries

    wrapper.seals_bulk_entries = True
    return wrapper


def connect() -> None:
    from django.contrib.admin.models import LogEntry

    post_save.connect(_entry_saved, sender=LogEntry, dispatch_uid="trails.admin_log")
    if not getattr(ModelAdmin.log_deletions, "seals_bulk_entries", False):
        ModelAdmin.log_deletions = _sealing_bulk(ModelAdmin.log_deletions)
