"""The SQLite store (sqlite-utils): the schema and its migrations (`schema`), every query and
write (`database.Store`), and the few questions asked before sqlite-utils is loaded (`peek`).

The names below load on first use: importing `collector.store.peek` (before the browser starts)
must not pull in sqlite-utils through this file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..outcomes import StoreError

if TYPE_CHECKING:
    from .database import SNAPSHOT_FIGURES, RawPage, Store, StoreHooks, snapshot_columns
    from sqlite_utils.migrations import Migrations

    from .schema import SOURCES, VIEWS

    migrations: Migrations

_WHERE = {"SNAPSHOT_FIGURES": "database", "RawPage": "database", "Store": "database", "StoreHooks": "database",
          "snapshot_columns": "database", "SOURCES": "schema", "VIEWS": "schema"}

__all__ = ["SNAPSHOT_FIGURES", "SOURCES", "VIEWS", "RawPage", "Store", "StoreError", "StoreHooks", "migrations",
           "snapshot_columns"]


def __getattr__(name: str) -> Any:
    if name == "migrations":  # sqlite-utils' Migrations for this schema (collector.store.schema)
        from .schema import migration_set

        return migration_set()
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
