"""Counts the database keeps itself: triggers that move rows' contributions to counter tables
on every INSERT, UPDATE and DELETE, on PostgreSQL and on SQLite.

A counted table says, as SQL, what one of its rows adds to which counter rows (`contribution`:
statements made with `Dialect.upsert`, for a row alias and a sign of 1 or -1); this module
builds the triggers that take the old rows' contribution away and add the new ones', for the
columns that matter (`watched`). Whatever writes the table — a service, a job, the admin, an
import, a bulk load, SQL — counts. Triggers do not see TRUNCATE: the counted app recounts
after one (its `rebuild_…` command).

On SQLite the triggers run for each row (NEW, OLD). On PostgreSQL they run once a statement
and sum its rows (transition tables): a row trigger updating one counter row for each of the
thousands of households an import writes to a community, in one transaction, took quadratic
time (PostgreSQL keeps every version of the counter row until the transaction ends).

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
    """The few expressions whose SQL differs between the two databases, and where a trigger's
    rows come from: one row called NEW or OLD (SQLite), or a set of rows that the row alias
    ranges over (`source`: PostgreSQL's transition tables)."""

    def __init__(self, vendor: str, source: str | None = None):
        if vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"no count triggers for {vendor}")
        self.vendor = vendor
        self.source = source
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
        self, table: str, key: str | None, key_value: str, values: dict[str, str], *, row: str,
        condition: str, columns: Iterable[str], owner: tuple[str, str, str],
    ) -> str:  # fmt: skip
        """The contribution of `row` (one row, or each row of its source) to the counter rows
        of `table`, keyed by (owner, `key`), or by the owner alone when `key` is None: insert
        them, or add to the rows there. `owner` = (table, its column, the row's column pointing
        to it): the counter's owner is read through the row, e.g. a grid's community."""
        owner_table, owner_column, row_column = owner
        columns = list(columns)
        keys = [owner_column] if key is None else [owner_column, key]
        key_values = [f"o.{owner_column}"] if key is None else [f"o.{owner_column}", key_value]
        added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
        if self.source is None:
            selected = [*key_values, *(values.get(column, "0") for column in columns)]
            rows = f"FROM {owner_table} o WHERE o.id = {row}.{row_column} AND {condition}"
        else:
            # A statement's rows summed per counter row: one write a counter row whatever
            # the number of rows (PostgreSQL keeps every version of a row updated again in
            # one transaction, and a bulk load updating it per row took quadratic time).
            sums = [f"SUM({values.get(c, '0')})" for c in columns]
            grouped = ", ".join(str(n + 1) for n in range(len(keys)))
            selected = [*key_values, *sums]
            # A counter row the statement leaves unchanged (all sums 0) is not written.
            rows = (
                f"FROM {self.source} {row} JOIN {owner_table} o ON o.id = {row}.{row_column} "
                f"WHERE {condition} GROUP BY {grouped} "
                f"HAVING {' OR '.join(f'{total} <> 0' for total in sums)}"
            )
        return (
            f"INSERT INTO {table} ({', '.join([*keys, *columns])}) "  # noqa: S608 - no input
            f"SELECT {', '.join(selected)} {rows} "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added};"
        )


# (dialect, row alias, sign): the sign is SQL, "1" or "-1", or on PostgreSQL a column of the
# rows of an update (the old rows taken away, the new ones added, in one set).
Contribution = Callable[[Dialect, str, str], list[str]]

# PostgreSQL: the transition tables of a statement's rows, and the alias of a row of them (not
# NEW or OLD, which PL/pgSQL reads as its own row variables, empty in a statement trigger).
NEW_ROWS, OLD_ROWS, ROW = "new_rows", "old_rows", "counted_row"
SUFFIXES = ("_insert", "_update", "_delete")


def trigger_sql(vendor: str, *, table: str, name: str, watched: Iterable[str],
                contribution: Contribution) -> list[str]:  # fmt: skip
    """The statements that create trigger `name` on `table`: three triggers (after INSERT,
    UPDATE and DELETE), and on PostgreSQL their function."""
    watched = list(watched)
    if vendor == "postgresql":
        return _statement_triggers(table, name, watched, contribution)
    dialect = Dialect(vendor)
    old = "\n    ".join(contribution(dialect, "OLD", "-1"))
    new = "\n    ".join(contribution(dialect, "NEW", "1"))
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


def _statement_triggers(table, name, watched, contribution) -> list[str]:
    """PostgreSQL: statement triggers reading the statement's rows from transition tables, so
    that a bulk load or a bulk update writes each counter row once. An update takes the old
    rows away and adds the new ones in one set, for the rows whose `watched` columns changed:
    a counter row they leave as it was (a visit moves a household's day, not its community's
    total) is not written at all."""
    changed = " OR ".join(f"{OLD_ROWS}.{c} IS DISTINCT FROM {NEW_ROWS}.{c}" for c in watched)
    pairs = f"{OLD_ROWS} JOIN {NEW_ROWS} ON {NEW_ROWS}.id = {OLD_ROWS}.id WHERE {changed}"
    moved = (
        f"(SELECT {OLD_ROWS}.*, -1 AS counted_sign FROM {pairs} "  # noqa: S608 - names only
        f"UNION ALL SELECT {NEW_ROWS}.*, 1 FROM {pairs})"
    )

    def statements(source, sign):
        return "\n    ".join(contribution(Dialect("postgresql", source), ROW, sign))

    referencing = {
        "insert": f"REFERENCING NEW TABLE AS {NEW_ROWS}",
        "update": f"REFERENCING OLD TABLE AS {OLD_ROWS} NEW TABLE AS {NEW_ROWS}",
        "delete": f"REFERENCING OLD TABLE AS {OLD_ROWS}",
    }
    return [
        *drop_trigger_sql("postgresql", table=table, name=name),
        f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {statements(NEW_ROWS, "1")}
  ELSIF TG_OP = 'DELETE' THEN
    {statements(OLD_ROWS, "-1")}
  ELSE
    {statements(moved, f"{ROW}.counted_sign")}
  END IF;
  RETURN NULL;
END $$""",
        *(
            f"CREATE TRIGGER {name}_{op} AFTER {op.upper()} ON {table} {clause} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            for op, clause in referencing.items()
        ),
    ]


def drop_trigger_sql(vendor: str, *, table: str, name: str) -> list[str]:
    """The statements that drop trigger `name` (and, on PostgreSQL, the row trigger of one name
    that migrations 0020 and 0021 made first, and the function)."""
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS {name}{suffix} ON {table}" for suffix in ("", *SUFFIXES)),
            f"DROP FUNCTION IF EXISTS {name}()",
        ]
    return [f"DROP TRIGGER IF EXISTS {name}{suffix}" for suffix in SUFFIXES]


def run(schema_editor, statements: Iterable[str]) -> None:
    """Execute `statements` in a migration (`schema_editor` knows the database)."""
    for statement in statements:
        schema_editor.execute(statement, params=None)
