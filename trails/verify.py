"""Walking a trail and naming its first broken link (the verify_trails command).

A record trail is walked in id order: each row's `trail_previous` must be the MAC of the row
before it (else a row between them was deleted), its MAC must match its content (else it was
edited), and it must have one (else it was inserted outside the trail). At the end the head's
MAC, read before the walk, must have been met (else the last rows were deleted). The admin log
is walked in the order of its seals, and every entry must have one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from .chain import content_fields, mac_of, stored_values
from .models import LogEntrySeal, TrailHead
from .streams import Stream

BATCH = 5000


@dataclass
class Verdict:
    stream: str
    rows: int = 0
    broken_row: int | None = None
    problem: str = ""  # a key of trails.models.PROBLEMS

    @property
    def intact(self) -> bool:
        return not self.problem


def verify(stream: Stream, *, batch: int = BATCH, progress: Callable[[int], None] = None):
    if stream.is_admin_log:
        return _verify_admin_log(stream, batch, progress)
    return _verify_records(stream, batch, progress)


def _head_mac(stream: str) -> str:
    return TrailHead.objects.filter(stream=stream).values_list("mac", flat=True).first() or ""


def _pages(queryset: models.QuerySet, columns: list[str], batch: int):
    """Rows of `queryset` (ordered by pk) as value tuples, a page at a time by keyset."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page.values_list("pk", *columns)[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _verify_records(stream: Stream, batch: int, progress) -> Verdict:
    verdict = Verdict(stream.name)
    head = _head_mac(stream.name)
    fields = content_fields(stream.model, stream.fields)
    columns = ["trail_previous", "trail_mac", *(field.attname for field in fields)]
    previous, met_head = "", head == ""
    rows = stream.model._base_manager.order_by("pk")
    for page in _pages(rows, columns, batch):
        for pk, linked, mac, *values in page:
            verdict.rows += 1
            if not mac:
                return _broken(verdict, pk, "no_mac")
            if linked != previous:
                return _broken(verdict, pk, "link")
            if mac != mac_of(stream.name, previous, stored_values(fields, values)):
                return _broken(verdict, pk, "edited")
            previous = mac
            met_head = met_head or mac == head
        if progress:
            progress(verdict.rows)
    if not met_head:
        return _broken(verdict, None, "tail")
    return verdict


def _verify_admin_log(stream: Stream, batch: int, progress) -> Verdict:
    verdict = Verdict(stream.name)
    head = _head_mac(stream.name)
    fields = content_fields(stream.model, stream.fields)
    attnames = [field.attname for field in fields]
    entries = stream.model._base_manager
    previous, met_head = "", head == ""
    for page in _pages(LogEntrySeal.objects.order_by("pk"), ["entry_id", "previous", "mac"], batch):
        found = {
            pk: values
            for pk, *values in entries.filter(pk__in=[row[1] for row in page]).values_list(
                "pk", *attnames
            )
        }
        for _seal, entry_id, linked, mac in page:
            verdict.rows += 1
            if linked != previous:
                return _broken(verdict, entry_id, "link")
            if entry_id not in found:
                return _broken(verdict, entry_id, "entry_deleted")
            if mac != mac_of(stream.name, previous, stored_values(fields, found[entry_id])):
                return _broken(verdict, entry_id, "edited")
            previous = mac
            met_head = met_head or mac == head
        if progress:
            progress(verdict.rows)
    unsealed = entries.exclude(pk__in=LogEntrySeal.objects.values("entry_id")).order_by("pk")
    first_unsealed = unsealed.values_list("pk", flat=True).first()
    if first_unsealed is not None:
        return _broken(verdict, first_unsealed, "no_mac")
    if not met_head:
        return _broken(verdict, None, "tail")
    return verdict


def _broken(verdict: Verdict, row: int | None, problem: str) -> Verdict:
    verdict.broken_row, verdict.problem = row, problem
    return verdict
