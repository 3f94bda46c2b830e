"""Questions put to the database with nothing but sqlite3, for the moments when loading
sqlite-utils would cost time the caller does not have (before the browser starts: is today's
snapshot already there?). The Store asks the same questions through these, so each is written once.
"""

from __future__ import annotations

import sqlite3
from typing import Any

_SNAPSHOT_ON = ("SELECT * FROM snapshots WHERE profile = ? AND day = ? "
                "ORDER BY collected_at DESC, id DESC LIMIT 1")


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def setting(conn: sqlite3.Connection, key: str) -> str | None:
    rows = _rows(conn, "SELECT value FROM settings WHERE key = ?", [key])
    return rows[0]["value"] if rows else None


def snapshot_on(conn: sqlite3.Connection, profile: str, day: str) -> dict[str, Any] | None:
    """The day's last snapshot of ``profile``: "already collected today?" for every caller."""
    rows = _rows(conn, _SNAPSHOT_ON, [profile, day])
    return rows[0] if rows else None


def open_read_only(path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
