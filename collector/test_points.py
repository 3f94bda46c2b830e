"""Points where the fault tests stop or squeeze the collector, switched on only by environment
variables that the tests set (never in normal use):

- SSI_TEST_PAUSE_BEFORE_COMMIT=FILE: inside the transaction that stores a collection, after every
  row is written and before the commit, create FILE and wait (for the test's SIGKILL);
- SSI_TEST_MAX_PAGES=N: let the database grow to N pages at most, as a full disk would
  (SQLite's own limit, reported as "database or disk is full").
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path


def pause_before_commit() -> None:
    marker = os.environ.get("SSI_TEST_PAUSE_BEFORE_COMMIT")
    if marker:
        Path(marker).touch()
        time.sleep(60)


def limit_pages(conn: sqlite3.Connection) -> None:
    pages = os.environ.get("SSI_TEST_MAX_PAGES")
    if pages:
        conn.execute(f"PRAGMA max_page_count = {int(pages)}")
