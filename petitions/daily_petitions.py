"""Petitions counted per community and local day (DailyPetitions) and open per community and
due day (OpenPetitions), so that a cold street or district dashboard reads a few thousand rows
instead of half a million petitions (bench/RESULTS.md, issue 22).

The database keeps them: a trigger on the petitions' table takes every row's old contribution
away and adds its new one, on INSERT, UPDATE and DELETE. Petitions are written by some thirty
verbs, the supervision job, the admin, imports and bulk loads; a trigger is the one place all of
them pass, so no writer can forget to count (DailyVisits has one writer, `record_visit`, and is
kept in Python). `manage.py rebuild_counts` recounts from the petitions after anything that
bypasses row triggers (TRUNCATE, a restore of one table, a grid moved to another community).

A row's contribution, each a count of 1 (what the dashboard's own filters count):
- received on the local day of `created_at`;
- accepted on the day of `accepted_at`, on time if within 24 hours of `created_at`;
- resolved on the day of `resolved_at`, on time if not after `due_at`;
- closed at its level on the day of `closed_at`, when its status is "closed";
- open (not in a closed status) on its due day (NO_DEADLINE when it has none), and supervised
  too when `supervised_at` is set.

Days are local (settings.TIME_ZONE); how the trigger is made on each database:
`core.count_triggers`.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from communities.models import Grid
from communities.scoping import get_scope
from core import count_triggers

from .models import DailyPetitions, OpenPetitions, Petition
from .models.daily import NO_DEADLINE
from .models.petitions import CLOSED_STATUSES, LEVELS, open_q
from .models.supervision import SupervisionGrade

REBUILD_BATCH = 5000
# The columns whose change moves a petition's counts (an UPDATE of others counts nothing).
COUNTED_COLUMNS = ("grid_id", "status", "level", "created_at", "accepted_at", "due_at",
                   "resolved_at", "closed_at", "supervised_at", "department_id",
                   "supervision_grade")  # fmt: skip
CLOSED_BY_LEVEL = {level.value: f"closed_{level.value}" for level in LEVELS}
DAILY_COLUMNS = ("received", "accepted", "accepted_on_time", "resolved", "resolved_on_time",
                 *CLOSED_BY_LEVEL.values())  # fmt: skip
OPEN_COLUMNS = ("open", "supervised", "at_district", "to_triage", "yellow", "red")
TRIGGER = "petitions_petition_counts"


def counted_by_community(user) -> bool:
    """Whether the petitions `user` sees are exactly those of whole communities they serve, so
    that the counts kept per community answer their dashboard: not for grid workers (a grid is
    part of a community), departments (they see what is dispatched to them) or district bodies
    (they oversee petitions outside their own area)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    return not scope.serves("grid") and not scope.department_id and not scope.district_role


# -- The trigger --------------------------------------------------------------------------


def contribution_sql(d: count_triggers.Dialect, row: str, sign: str) -> list[str]:
    """The statements that add (`sign` "1") or take away ("-1") the petition `row`."""
    n = sign
    via_grid = (Grid._meta.db_table, "community_id", "grid_id")

    def when(condition):
        return f"CASE WHEN {condition} THEN {n} ELSE 0 END"

    def day_row(column, values, condition="TRUE"):
        return d.upsert(
            DailyPetitions._meta.db_table, "day", d.day(f"{row}.{column}"), values, row=row,
            condition=f"{row}.{column} IS NOT NULL AND {condition}", columns=DAILY_COLUMNS,
            owner=via_grid,
        )  # fmt: skip

    closed = ", ".join(f"'{status}'" for status in CLOSED_STATUSES)
    open_row = d.upsert(
        OpenPetitions._meta.db_table, "due_day",
        f"COALESCE({d.day(f'{row}.due_at')}, '{NO_DEADLINE.isoformat()}')",
        {
            "open": n,
            "supervised": when(f"{row}.supervised_at IS NOT NULL"),
            "at_district": when(f"{row}.level = 'district'"),
            "to_triage": when(f"{row}.level = 'district' AND {row}.department_id IS NULL"),
            "yellow": when(f"{row}.supervision_grade = '{SupervisionGrade.YELLOW}'"),
            "red": when(f"{row}.supervision_grade = '{SupervisionGrade.RED}'"),
        },
        row=row, condition=f"{row}.status NOT IN ({closed})", columns=OPEN_COLUMNS,
        owner=via_grid,
    )  # fmt: skip
    return [
        day_row("created_at", {"received": n}),
        day_row(
            "accepted_at",
            {
                "accepted": n,
                "accepted_on_time": when(d.within_a_day(f"{row}.accepted_at", f"{row}.created_at")),
            },
        ),  # fmt: skip
        day_row(
            "resolved_at",
            {
                "resolved": n,
                "resolved_on_time": when(f"{row}.resolved_at <= {row}.due_at"),
            },
        ),  # fmt: skip
        day_row(
            "closed_at",
            {column: when(f"{row}.level = '{level}'") for level, column in CLOSED_BY_LEVEL.items()},
            f"{row}.status = 'closed'",
        ),
        open_row,
    ]


def install_trigger(schema_editor) -> None:
    """Create the trigger (a migration's step)."""
    count_triggers.run(schema_editor, count_triggers.trigger_sql(
        schema_editor.connection.vendor, table=Petition._meta.db_table, name=TRIGGER,
        watched=COUNTED_COLUMNS, contribution=contribution_sql,
    ))  # fmt: skip


def drop_trigger(schema_editor) -> None:
    count_triggers.run(schema_editor, count_triggers.drop_trigger_sql(
        schema_editor.connection.vendor, table=Petition._meta.db_table, name=TRIGGER,
    ))  # fmt: skip


# -- Recount and rebuild ------------------------------------------------------------------


def _per_day(petitions, column, **counts):
    return (
        petitions.filter(**{f"{column}__isnull": False})
        .annotate(day=TruncDate(column))
        .values_list("grid__community_id", "day")
        .annotate(**counts)
        .order_by()
    )


def recount(petitions=None) -> tuple[dict, dict]:
    """({(community, day): {column: n}}, {(community, due day): {column: n}}) counted from
    `petitions` (all of them by default) with the ORM, as the dashboard counted before the
    counts were kept; rows whose counts are all 0 left out."""
    petitions = Petition.objects.all() if petitions is None else petitions
    daily: dict = {}

    def add(rows, names):
        for community, day, *values in rows:
            row = daily.setdefault((community, day), dict.fromkeys(DAILY_COLUMNS, 0))
            row.update(zip(names, values, strict=True))

    add(_per_day(petitions, "created_at", n=Count("id")), ["received"])
    add(
        _per_day(
            petitions, "accepted_at", n=Count("id"),
            on_time=Count("id", filter=Q(
                accepted_at__lte=F("created_at") + datetime.timedelta(hours=24))),
        ),
        ["accepted", "accepted_on_time"],
    )  # fmt: skip
    add(
        _per_day(petitions, "resolved_at", n=Count("id"),
                 on_time=Count("id", filter=Q(resolved_at__lte=F("due_at")))),
        ["resolved", "resolved_on_time"],
    )  # fmt: skip
    add(
        _per_day(
            petitions.filter(status=Petition.Status.CLOSED), "closed_at",
            **{column: Count("id", filter=Q(level=level))
               for level, column in CLOSED_BY_LEVEL.items()},
        ),
        list(CLOSED_BY_LEVEL.values()),
    )  # fmt: skip
    opened = {}
    rows = (
        petitions.filter(open_q())
        .annotate(due_day=TruncDate("due_at"))
        .values_list("grid__community_id", "due_day")
        .annotate(
            open=Count("id"),
            supervised=Count("id", filter=Q(supervised_at__isnull=False)),
            at_district=Count("id", filter=Q(level="district")),
            to_triage=Count("id", filter=Q(level="district", department__isnull=True)),
            yellow=Count("id", filter=Q(supervision_grade=SupervisionGrade.YELLOW)),
            red=Count("id", filter=Q(supervision_grade=SupervisionGrade.RED)),
        )
        .order_by()
    )
    for community, due_day, *values in rows:
        opened[(community, due_day or NO_DEADLINE)] = dict(zip(OPEN_COLUMNS, values, strict=True))
    return (
        {key: row for key, row in daily.items() if any(row.values())},
        opened,
    )


def kept() -> tuple[dict, dict]:
    """The counts as kept, in `recount`'s shape (rows whose counts are all 0 left out)."""
    daily = {
        (row.pop("community_id"), row.pop("day")): row
        for row in DailyPetitions.objects.values("community_id", "day", *DAILY_COLUMNS)
    }
    opened = {
        (row.pop("community_id"), row.pop("due_day")): row
        for row in OpenPetitions.objects.values("community_id", "due_day", *OPEN_COLUMNS)
    }
    return (
        {key: row for key, row in daily.items() if any(row.values())},
        {key: row for key, row in opened.items() if any(row.values())},
    )


@transaction.atomic
def rebuild_petition_counts(models=(Petition, DailyPetitions, OpenPetitions)) -> int:
    """Replace every count by a recount of the petitions; the number of rows written.
    `models`: (Petition, DailyPetitions, OpenPetitions), historical ones in a migration."""
    Petition, DailyPetitions, OpenPetitions = models  # noqa: N806 - the models, maybe historical
    daily, opened = recount(Petition.objects.all())
    DailyPetitions.objects.all().delete()
    OpenPetitions.objects.all().delete()
    DailyPetitions.objects.bulk_create(
        (DailyPetitions(community_id=c, day=day, **row) for (c, day), row in daily.items()),
        batch_size=REBUILD_BATCH,
    )
    OpenPetitions.objects.bulk_create(
        (OpenPetitions(community_id=c, due_day=day, **row) for (c, day), row in opened.items()),
        batch_size=REBUILD_BATCH,
    )
    return len(daily) + len(opened)


# -- What the dashboard reads -------------------------------------------------------------


def period_counts(user, first_day, last_day) -> dict[str, int]:
    """{column: petitions} on local days first_day..last_day in `user`'s communities."""
    totals = (
        DailyPetitions.objects.visible_to(user)
        .filter(day__gte=first_day, day__lte=last_day)
        .aggregate(**{f"total_{column}": Sum(column) for column in DAILY_COLUMNS})
    )
    return {column: totals[f"total_{column}"] or 0 for column in DAILY_COLUMNS}


def open_counts(user, now=None) -> dict[str, int]:
    """{"open", "supervised", "at_district", "to_triage", "yellow", "red", "overdue": petitions}
    open now in `user`'s communities (2 queries): overdue are those due before today, and those
    due today before now (counted from the petitions' partial index of open deadlines)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    totals = OpenPetitions.objects.visible_to(user).aggregate(
        **{f"total_{column}": Sum(column) for column in OPEN_COLUMNS},
        overdue_before_today=Sum("open", filter=Q(due_day__lt=today)),
    )
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    overdue_today = (
        Petition.objects.visible_to(user)
        .filter(open_q(), due_at__gte=start_of_today, due_at__lt=now)
        .count()
    )
    counts = {column: totals[f"total_{column}"] or 0 for column in OPEN_COLUMNS}
    counts["overdue"] = (totals["overdue_before_today"] or 0) + overdue_today
    return counts


def per_day(user, first_day, *columns) -> dict:
    """{local day: {column: n}} from `first_day` on (the weekly trends)."""
    rows = (
        DailyPetitions.objects.visible_to(user)
        .filter(day__gte=first_day)
        .values("day")
        .annotate(**{f"total_{c}": Sum(c) for c in columns})
        .order_by()
    )
    return {row.pop("day"): {c: row[f"total_{c}"] or 0 for c in columns} for row in rows}
