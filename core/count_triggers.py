"""Counts the database keeps itself: row triggers that move a row's contribution to counter
tables on every INSERT, UPDATE and DELETE, on PostgreSQL and on SQLite.

A counted table says, as SQL, what one of its rows adds to which counter rows (`contribution`:
statements made with `upsert`, for the row called NEW or OLD and a sign of 1 or -1); this
module builds the trigger that takes the old row's contribution away and adds the new one's,
for the columns that matter (`watched`). Whatever writes the table — a service, a job, the
admin, an import, a bulk load, SQL — counts. Row triggers do not see TRUNCATE: the counted
app recounts after one (its `rebuild_…` command).

Days are local (settings.TIME_ZONE). On SQLite, the embedded default, the local day is the UTC
time shifted by the zone's offset when the trigger was made: right for zones without daylight
saving time (China's).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Iterable

from django.conf import settings


class Dialect:
    """The few expressions whose SQL differs between the two databases."""

    def __init__(self, vendor: str):
        if vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"no count triggers for {vendor}")
        self.vendor = vendor
        if vendor == "sqlite":
            offset = zoneinfo.ZoneInfo(settings.TIME_ZONE).utcoffset(datetime.datetime.now())
            self.shift = f"'{int(offset.total_seconds() // 60):+d} minutes'"

    def day(self, column: str) -> str:
        """The local date of the timestamp `column`."""
        if self.vendor == "postgresql":
            return f"({column} AT TIME ZONE '{settings.TIME_ZONE}')::date"
        return f"date({column}, {self.shift})"

    def within_a_day(self, later: str, earlier: str) -> str:
        """`later` is at most 24 hours after `earlier`."""
        if self.vendor == "postgresql":
            return f"{later} <= {earlier} + interval '24 hours'"
        return f"julianday({later}) <= julianday({earlier}) + 1"


def upsert(
    table: str, key: str | None, key_value: str, values: dict[str, str], *, row: str,
    condition: str,
    columns: Iterable[str], owner: tuple[str, str, str],
) -> str:  # fmt: skip
    """One row's contribution to one counter row of `table`, keyed by (owner, `key`), or by the
    owner alone when `key` is None: insert it, or add it to the row there. `owner` = (table,
    its column, the row's column pointing to it): the counter's owner is read through the row,
    e.g. a grid's community."""
    owner_table, owner_column, row_column = owner
    columns = list(columns)
    keys = [owner_column] if key is None else [owner_column, key]
    key_values = [f"o.{owner_column}"] if key is None else [f"o.{owner_column}", key_value]
    names = ", ".join([*keys, *columns])
    selected = ", ".join([*key_values, *(values.get(column, "0") for column in columns)])
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    return (
        f"INSERT INTO {table} ({names}) "  # noqa: S608 - names, no input
        f"SELECT {selected} FROM {owner_table} o "
        f"WHERE o.id = {row}.{row_column} AND {condition} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added};"
    )


Contribution = Callable[[Dialect, str, int], list[str]]  # (dialect, "NEW" or "OLD", ±1)


def trigger_sql(vendor: str, *, table: str, name: str, watched: Iterable[str],
                contribution: Contribution) -> list[str]:  # fmt: skip
    """The statements that create trigger `name` on `table` (and its function on PostgreSQL)."""
    dialect = Dialect(vendor)
    watched = list(watched)
    old = "\n    ".join(contribution(dialect, "OLD", -1))
    new = "\n    ".join(contribution(dialect, "NEW", 1))
    if vendor == "postgresql":
        unchanged = " AND ".join(f"OLD.{c} IS NOT DISTINCT FROM NEW.{c}" for c in watched)
        return [
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND {unchanged} THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    {old}
  END IF;
  IF TG_OP <> 'DELETE' THEN
    {new}
  END IF;
  RETURN NULL;
END $$""",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
    return [
        f"DROP TRIGGER IF EXISTS {name}_insert",
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN\n    {new}\nEND",
        f"DROP TRIGGER IF EXISTS {name}_delete",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN\n    {old}\nEND",
        f"DROP TRIGGER IF EXISTS {name}_update",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} WHEN {changed} BEGIN\n"
        f"    {old}\n    {new}\nEND",
    ]


def drop_trigger_sql(vendor: str, *, table: str, name: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return [f"DROP TRIGGER IF EXISTS {name}_{op}" for op in ("insert", "delete", "update")]


def run(schema_editor, statements: Iterable[str]) -> None:
    """Execute `statements` in a migration (`schema_editor` knows the database)."""
    for statement in statements:
        schema_editor.execute(statement, params=None)
