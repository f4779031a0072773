"""Encrypting the personal numbers already stored (data migrations) and re-encrypting them under
a new key (the reencrypt_pii command), in batches of rows, on SQLite and PostgreSQL alike.

Raw SQL: the rows are walked by primary key, so a run cut short resumes where it stopped, and
values already in the wanted form are left as they are.
"""

from collections.abc import Callable

from .pii_crypto import blind_index, current_key_id, decrypt, encrypt, key_id_of

BATCH = 2000


def _walk(connection, table: str, columns: list[str], batch_size: int | None):
    """Batches of (pk, *values) of `table`, in primary-key order."""
    quote = connection.ops.quote_name
    select = (
        f"SELECT {quote('id')}, {', '.join(quote(c) for c in columns)} FROM {quote(table)} "  # noqa: S608 - names from the models
        f"WHERE {quote('id')} > %s ORDER BY {quote('id')} LIMIT %s"
    )
    last, batch_size = 0, batch_size or BATCH
    while True:
        with connection.cursor() as cursor:
            cursor.execute(select, [last, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _update(connection, table: str, columns: list[str], rows: list[list]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(table)} SET {assignments} WHERE {quote('id')} = %s",  # noqa: S608
            rows,
        )


def encrypt_table(
    connection,
    table: str,
    encrypted: dict[str, str],
    indexes: dict[str, str] | None = None,
    suffixes: dict[str, str] | None = None,
    batch_size: int | None = None,
    report: Callable[[str], None] = lambda _message: None,
) -> int:
    """Encrypt the clear values of `encrypted` ({column: purpose}) of `table`; fill the blind
    `indexes` and `suffixes` ({derived column: source column}) of the rows it encrypts.
    Returns how many rows changed."""
    indexes, suffixes = indexes or {}, suffixes or {}
    columns = list(encrypted)
    written = list(encrypted) + list(indexes) + list(suffixes)
    changed = 0
    for rows in _walk(connection, table, columns, batch_size):
        updates = []
        for pk, *values in rows:
            stored = dict(zip(columns, values, strict=True))
            if all(not value or key_id_of(value) for value in stored.values()):
                continue  # nothing in clear
            # As stored, not normalised again: grids 0007 left a number whose normal form another
            # resident holds as it was, for a person to decide; its index must not clash.
            clear = {
                column: decrypt(value, encrypted[column]) if value and key_id_of(value) else value
                for column, value in stored.items()
            }
            updates.append(
                [encrypt(clear[c], encrypted[c]) if clear[c] else "" for c in encrypted]
                + [
                    blind_index(clear[s], encrypted[s]) if clear[s] else None
                    for s in indexes.values()
                ]
                + [clear[s][-4:] for s in suffixes.values()]
                + [pk]
            )
        _update(connection, table, written, updates)
        changed += len(updates)
        report(f"{table}: {changed} rows encrypted (up to id {rows[-1][0]})")
    if changed and connection.vendor == "postgresql":
        # Every row rewritten and the new columns without statistics until autovacuum comes by:
        # the phone-suffix search walked a district's households (150 ms) instead of its index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return changed


def decrypt_table(connection, table: str, encrypted: dict[str, str], batch_size: int | None = None):
    """The reverse of encrypt_table (for migrating backwards)."""
    columns = list(encrypted)
    for rows in _walk(connection, table, columns, batch_size):
        updates = [
            [
                decrypt(value, encrypted[c]) if value and key_id_of(value) else value
                for c, value in zip(columns, values, strict=True)
            ]
            + [pk]
            for pk, *values in rows
        ]
        _update(connection, table, columns, updates)


def reencrypt_table(
    connection,
    table: str,
    encrypted: dict[str, str],
    batch_size: int | None = None,
    report: Callable[[str], None] = lambda _message: None,
) -> int:
    """Re-encrypt under the current key every value of `table` stored under another key.
    The clear value, and so the blind index and the suffix, do not change."""
    columns = list(encrypted)
    newest = current_key_id()
    changed = 0
    for rows in _walk(connection, table, columns, batch_size):
        updates = []
        for pk, *values in rows:
            if all(not value or key_id_of(value) == newest for value in values):
                continue
            updates.append(
                [
                    encrypt(decrypt(value, encrypted[c]), encrypted[c])
                    if value and key_id_of(value)
                    else encrypt(value, encrypted[c])
                    if value
                    else value
                    for c, value in zip(columns, values, strict=True)
                ]
                + [pk]
            )
        _update(connection, table, columns, updates)
        changed += len(updates)
        report(f"{table}: {changed} rows re-encrypted (up to id {rows[-1][0]})")
    return changed


def rows_per_key(connection, table: str, columns: list[str]) -> dict[str, int]:
    """How many values of `columns` are stored under each key id ("" for clear values)."""
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    for column in columns:
        # The key id is what precedes "$"; counted in SQL so that nothing is decrypted.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(column)} FROM {quote(table)} "  # noqa: S608 - names from the models
                f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
            )
            for (value,) in cursor:
                key_id = key_id_of(value) or ""
                counts[key_id] = counts.get(key_id, 0) + 1
    return counts
