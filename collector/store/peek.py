"""Questions put to the database with nothing but sqlite3, for the moments when loading
sqlite-utils would cost time the caller does not have (before the browser starts: is today's
snapshot already there?). The Store asks the same questions through these, so each is written once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

_SNAPSHOT_ON = ("SELECT * FROM snapshots WHERE profile = ? AND day = ? "
                "ORDER BY collected_at DESC, id DESC LIMIT 1")


def iter_rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    """The rows of a query as dicts, one at a time (a decade of rows stays small in memory)."""
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Every row of a query, as dicts (what sqlite-utils' query() gives, without loading it)."""
    return list(iter_rows(conn, sql, params))


def setting(conn: sqlite3.Connection, key: str) -> str | None:
    found = rows(conn, "SELECT value FROM settings WHERE key = ?", [key])
    return found[0]["value"] if found else None


def snapshot_on(conn: sqlite3.Connection, profile: str, day: str) -> dict[str, Any] | None:
    """The day's last snapshot of ``profile``: "already collected today?" for every caller."""
    found = rows(conn, _SNAPSHOT_ON, [profile, day])
    return found[0] if found else None


def open_read_only(path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def applied_migrations(conn: sqlite3.Connection, migration_set: str) -> list[str]:
    """The names of the migrations applied to this database, oldest first (sqlite-utils' table)."""
    try:
        found = rows(conn, "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                      [migration_set])
    except sqlite3.OperationalError:  # no such table: a new database
        return []
    return [row["name"] for row in found]
