"""The Store: every question and every write the rest of the program puts to the database.

History, advice, export, the scheduler's questions, reparse, the demo's writes: all of it is a
method here, so the SQL lives in one place beside the schema (collector.store.schema). Writes
that fail become one clear StoreError; a collection's rows land in one transaction. Test
harnesses pass hooks in (StoreHooks) instead of the store reading them from the environment.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from parsers import PILLAR_KEYS, Snapshot
from parsers.model import FIGURE_COLUMNS

from ..days import DAY_ZONE, zone_named
from ..outcomes import StoreError
from . import peek
from .schema import MIGRATION_NAMES, MIGRATION_SET, ensure_views, migration_set

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class StoreHooks:
    """What a test harness may ask of a store (never set in normal use): ``before_commit`` runs
    inside a collection's transaction after every row is written (a test kills the process
    there); ``max_pages`` caps the file's size in pages, as a full disk would."""

    before_commit: Callable[[], None] | None = None
    max_pages: int | None = None
    busy_ms: int = 10_000  # how long to wait for another program's write lock


def _explain(exc: sqlite3.Error, busy_ms: int = 10_000) -> str:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return "it is read-only (check the file's and its folder's permissions)"
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk is full (free some space)"
    if "locked" in text or "busy" in text:
        return (f"another program (a sqlite3 shell, a Datasette plugin, a second tool) kept it locked for more "
                f"than {busy_ms / 1000:g} s; close it and try again")
    if "unable to open" in text:
        return "it cannot be created or opened (check that its folder exists and is writable)"
    if "not a database" in text or "malformed" in text:
        return "it is not an SQLite database, or it is damaged (restore a copy, or point --db at your ssi.db)"
    return text


def check_file(path: Path) -> None:
    """Refuse an empty file before SQLite sees it: SQLite would quietly make a new database of it.
    From its size alone: opening the file here, even to read, would drop the locks this process's
    other connections hold on it (POSIX locks belong to the process), and another process could
    then reset the WAL under them."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return  # a new database
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror}; nothing was changed") from None
    if size == 0:
        raise StoreError(f"{path} is an empty file, not an ssi-collector database; nothing was changed (remove it "
                         "to start a new one, or point --db at your ssi.db)")


F = TypeVar("F", bound=Callable[..., Any])


def _writes(action: str) -> Callable[[F], F]:
    """Turn SQLite's errors in a write into one clear StoreError; SQLite has already rolled the
    statement (or the whole transaction) back, so nothing stored before is changed."""

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def guarded(self: Store, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot {action} in {self.path}: {_explain(exc, self.hooks.busy_ms)}; nothing "
                                 "stored before was changed") from None

        return guarded  # type: ignore[return-value]

    return decorate


def _days(sql: str, params: list[Any], first_day: str | None, last_day: str | None) -> tuple[str, list[Any]]:
    """``sql`` narrowed to days in [first_day, last_day], either end left open when None."""
    if first_day is not None:
        sql, params = sql + " AND day >= ?", [*params, first_day]
    if last_day is not None:
        sql, params = sql + " AND day <= ?", [*params, last_day]
    return sql, params


def snapshot_columns(snapshot: Snapshot, source: str | None = None) -> dict[str, Any]:
    return {**snapshot.columns(), "source": source or snapshot.source}


# The snapshot columns that come from the parser (what `ssi reparse` may change).
SNAPSHOT_FIGURES: tuple[str, ...] = (*FIGURE_COLUMNS, "source")


@dataclass(frozen=True)
class RawPage:
    id: str
    kind: str
    url: str | None
    text: str


class Store:
    def __init__(self, path: Path, *, any_thread: bool = False, read_only: bool = False,
                 hooks: StoreHooks | None = None) -> None:
        """``any_thread``: the connection may be used from another thread than this one (the
        scheduler's worker); the caller makes sure only one thread uses it at a time.
        ``read_only``: never write the file, not even a migration (``ssi reparse --dry-run``): a
        database that needs one is read from an upgraded copy in memory."""
        self.path = path
        self.hooks = hooks or StoreHooks()
        check_file(path)
        try:
            if read_only:
                self.conn = self._read_only(path)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, check_same_thread=not any_thread)
            # Wait for another program's write rather than fail at once.
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.hooks.busy_ms)}")
            if self.hooks.max_pages is not None:
                self.conn.execute(f"PRAGMA max_page_count = {int(self.hooks.max_pages)}")
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot use the database {path}: {_explain(exc, self.hooks.busy_ms)}") from None
        except OSError as exc:
            raise StoreError(f"cannot create the database folder {path.parent}: {exc.strerror}") from None

    def _read_only(self, path: Path) -> sqlite3.Connection:
        if not path.exists():  # nothing yet: read as the empty database it would be
            self.conn = sqlite3.connect(":memory:")
            self._migrate()
            return self.conn
        conn = peek.open_read_only(str(path))
        conn.execute(f"PRAGMA busy_timeout = {int(self.hooks.busy_ms)}")
        if not self._pending(conn):
            return conn
        copy = sqlite3.connect(":memory:")
        conn.backup(copy)
        conn.close()
        self.conn = copy
        self._migrate()
        return copy

    def _pending(self, conn: sqlite3.Connection) -> list[str]:
        """The migrations this database still needs; StoreError for one from a newer version."""
        applied = peek.applied_migrations(conn, MIGRATION_SET)
        unknown = [name for name in applied if name not in MIGRATION_NAMES]
        if unknown:
            raise StoreError(
                f"{self.path} was written by a newer ssi-collector (it has migration {unknown[-1]!r}); "
                "upgrade ssi-collector to use it — nothing was changed"
            )
        return [name for name in MIGRATION_NAMES if name not in applied]

    def _migrate(self) -> None:
        # WAL lets Datasette read while a collection writes; set before the first migration writes.
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = wal")
        if self._pending(self.conn):
            migration_set().apply(self.db)
        ensure_views(self.conn)

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the store's connection, made on first use (writes, migrations): a
        command that only reads never imports it."""
        from .without_numpy import without_numpy

        with without_numpy():
            import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def _rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        return peek.rows(self.conn, sql, list(params))

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: the raw pages, the snapshot and the run's outcome land together."""
        try:
            with self.db.atomic():
                yield
                if self.hooks.before_commit is not None:
                    self.hooks.before_commit()
        except sqlite3.Error as exc:
            why = _explain(exc, self.hooks.busy_ms)
            raise StoreError(f"cannot save the collection in {self.path}: {why}; nothing stored "
                             "before was changed") from None

    # -- runs ----------------------------------------------------------------------------------
    @_writes("record the run")
    def start_run(self, profile: str, trigger: str, started_at: str, pid: int, day: str | None = None) -> int:
        cursor = self.db.execute(
            "INSERT INTO runs (profile, trigger, started_at, status, pid, day) VALUES (?, ?, ?, 'running', ?, ?)",
            [profile, trigger, started_at, pid, day],
        )
        return int(cursor.lastrowid or 0)

    @_writes("record the run's outcome")
    def finish_run(self, run_id: int, status: str, message: str, finished_at: str, *,
                   snapshot_id: int | None = None, artifacts: str | None = None,
                   raw_id: str | None = None, api_raw_id: str | None = None, page_check: str | None = None,
                   page_issues: list[dict[str, Any]] | None = None, identity: dict[str, Any] | None = None,
                   cookies: dict[str, float | None] | None = None) -> None:
        # Only a running run finishes, and only once: a late error cannot rewrite a success.
        self.db.execute(
            "UPDATE runs SET status = ?, message = ?, finished_at = ?, snapshot_id = ?, artifacts = ?, "
            "raw_id = ?, api_raw_id = ?, page_check = ?, page_issues = ?, identity = ?, cookies = ? "
            "WHERE id = ? AND status = 'running'",
            [status, message, finished_at, snapshot_id, artifacts, raw_id, api_raw_id, page_check,
             json.dumps(page_issues, ensure_ascii=False) if page_issues else None,
             json.dumps(identity, ensure_ascii=False) if identity else None,
             json.dumps(cookies) if cookies is not None else None, run_id],
        )

    @_writes("record the sign-in")
    def record_sign_in(self, profile: str, signed_in_at: str, how: str, *, browser: str | None,
                       browser_version: str | None, identity: dict[str, Any] | None, remember: bool | None,
                       cookies: dict[str, float | None] | None) -> int:
        """A session began in the profile (`ssi login`, `--auth`, an older version's state.json)."""
        cursor = self.db.execute(
            "INSERT INTO sign_ins (profile, signed_in_at, how, browser, browser_version, identity, remember, "
            "cookies) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [profile, signed_in_at, how, browser, browser_version,
             json.dumps(identity, ensure_ascii=False) if identity else None,
             None if remember is None else int(remember), json.dumps(cookies) if cookies is not None else None])
        return int(cursor.lastrowid or 0)

    def session_health(self, profile: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM session_health WHERE profile = ?", [profile])
        return rows[0] if rows else None

    @_writes("link the run to its snapshot")
    def link_run(self, run_id: int, snapshot_id: int) -> None:
        """A finished run whose capture was read later (`ssi reparse`) points at what it gave."""
        self.db.execute("UPDATE runs SET snapshot_id = ? WHERE id = ? AND snapshot_id IS NULL",
                        [snapshot_id, run_id])

    @_writes("mark interrupted runs")
    def mark_interrupted(self, profile: str, finished_at: str) -> int:
        """Runs of ``profile`` still 'running' when we hold its lock were cut short (killed,
        machine off): say so, so that no run stays 'running' forever."""
        cursor = self.db.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = ?, "
            "message = 'the collection stopped before it finished (process killed or machine stopped)' "
            "WHERE profile = ? AND status = 'running'", [finished_at, profile])
        return cursor.rowcount

    def last_page_check(self, profile: str) -> dict[str, Any] | None:
        """The latest run of ``profile`` whose page was cross-checked against LinkedIn's answer."""
        rows = self._rows(
            "SELECT * FROM runs WHERE profile = ? AND page_check IS NOT NULL ORDER BY id DESC LIMIT 1", [profile])
        return rows[0] if rows else None

    def last_run_id(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM runs").fetchone()[0])

    def latest_run_after(self, profile: str, run_id: int) -> dict[str, Any] | None:
        """The latest run of ``profile`` newer than ``run_id`` (what a child process recorded)."""
        rows = self._rows(
            "SELECT * FROM runs WHERE profile = ? AND id > ? ORDER BY id DESC LIMIT 1", [profile, run_id])
        return rows[0] if rows else None

    def last_run(self, profile: str) -> dict[str, Any] | None:
        rows = self._rows(
            "SELECT * FROM runs WHERE profile = ? AND status != 'running' ORDER BY id DESC LIMIT 1", [profile])
        return rows[0] if rows else None

    # -- raw pages -----------------------------------------------------------------------------
    @_writes("save the page")
    def save_raw(self, kind: str, url: str | None, text: str, fetched_at: str) -> str:
        """Store ``text`` (already free of secrets) once, under the sha256 of its content."""
        data = text.encode("utf-8")
        raw_id = hashlib.sha256(data).hexdigest()
        self.db.execute(
            "INSERT OR IGNORE INTO raw_pages (id, kind, url, fetched_at, encoding, size, content) "
            "VALUES (?, ?, ?, ?, 'zlib', ?, ?)",
            [raw_id, kind, url, fetched_at, len(data), zlib.compress(data, 6)],
        )
        return raw_id

    def raw(self, raw_id: str) -> RawPage | None:
        rows = self._rows("SELECT id, kind, url, encoding, content FROM raw_pages WHERE id = ?", [raw_id])
        if not rows:
            return None
        row = rows[0]
        return RawPage(row["id"], row["kind"], row["url"], zlib.decompress(row["content"]).decode("utf-8"))

    # -- snapshots -----------------------------------------------------------------------------
    @_writes("save the snapshot")
    def save_snapshot(self, profile: str, snapshot: Snapshot, collected_at: str, day: str, *,
                      raw_id: str | None, api_raw_id: str | None, run_id: int | None,
                      source: str | None = None) -> int:
        row = {"profile": profile, "collected_at": collected_at, "day": day, **snapshot_columns(snapshot, source),
               "raw_id": raw_id, "api_raw_id": api_raw_id, "run_id": run_id}
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = self.db.execute(f"INSERT INTO snapshots ({columns}) VALUES ({marks})", list(row.values()))
        return int(cursor.lastrowid or 0)

    def snapshot_on(self, profile: str, day: str) -> dict[str, Any] | None:
        """The day's last snapshot of ``profile``, if it has one."""
        return peek.snapshot_on(self.conn, profile, day)

    def snapshots_on(self, profile: str, day: str) -> list[dict[str, Any]]:
        """Every snapshot of ``profile`` on ``day``, oldest first."""
        return self._rows("SELECT * FROM snapshots WHERE profile = ? AND day = ? ORDER BY collected_at, id",
                          [profile, day])

    def snapshot(self, snapshot_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM snapshots WHERE id = ?", [snapshot_id])
        return rows[0] if rows else None

    def snapshot_days(self, profile: str, first_day: str, last_day: str) -> set[str]:
        """The days in [first_day, last_day] on which ``profile`` has a snapshot."""
        return {row["day"] for row in self._rows(
            "SELECT DISTINCT day FROM snapshots WHERE profile = ? AND day BETWEEN ? AND ?",
            [profile, first_day, last_day])}

    def profiles_by_recency(self) -> list[str]:
        """Profiles with snapshots, the most recently collected first."""
        return [row["profile"] for row in self._rows(
            "SELECT profile FROM snapshots GROUP BY profile ORDER BY MAX(collected_at) DESC")]

    def previous_snapshot(self, profile: str, before_day: str) -> dict[str, Any] | None:
        rows = self._rows(
            "SELECT * FROM snapshots WHERE profile = ? AND day < ? ORDER BY day DESC, collected_at DESC, id DESC "
            "LIMIT 1", [profile, before_day])
        return rows[0] if rows else None

    def history(self, profile: str, since_day: str, columns: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """One row a day (the `daily` view) from ``since_day`` on, oldest first; only ``columns``
        when given (a decade of rows reads a third faster with the ten a table shows)."""
        wanted = ", ".join(columns) if columns else "*"
        return self._rows(
            f"SELECT {wanted} FROM daily WHERE profile = ? AND day >= ? ORDER BY day", [profile, since_day])

    def latest_day(self, profile: str, on_or_before: str | None = None, *,
                   with_pillars: bool = False) -> dict[str, Any] | None:
        """The `daily` row of ``profile``'s latest day (on or before a day, when given; with all
        four pillars known, when asked: an imported day may hold a total alone)."""
        sql = "SELECT * FROM daily WHERE profile = ?"
        if with_pillars:
            sql += " AND " + " AND ".join(f"{key} IS NOT NULL" for key in PILLAR_KEYS)
        sql, params = _days(sql, [profile], None, on_or_before)
        rows = self._rows(sql + " ORDER BY day DESC LIMIT 1", params)
        return rows[0] if rows else None

    def export_rows(self, columns: tuple[str, ...], profile: str | None, since: str | None
                    ) -> Iterator[dict[str, Any]]:
        """Every snapshot (of ``profile``, from ``since`` on), streamed in a stable order."""
        sql = f"SELECT {', '.join(columns)} FROM snapshots WHERE 1"
        params: list[Any] = []
        if profile is not None:
            sql += " AND profile = ?"
            params.append(profile)
        sql, params = _days(sql, params, since, None)
        yield from peek.iter_rows(self.conn, sql + " ORDER BY profile, day, collected_at, id", params)

    def snapshots_with_raw(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT * FROM snapshots WHERE raw_id IS NOT NULL OR api_raw_id IS NOT NULL ORDER BY id")

    def failed_captures(self) -> list[dict[str, Any]]:
        """Runs that ended `page_changed` with their capture kept and no snapshot: days that
        `ssi reparse` may recover once the parsers can read them. Newest first."""
        return self._rows(
            "SELECT * FROM runs WHERE status = 'page_changed' AND snapshot_id IS NULL "
            "AND (raw_id IS NOT NULL OR api_raw_id IS NOT NULL) ORDER BY started_at DESC, id DESC")

    @_writes("update the snapshot")
    def update_snapshot(self, snapshot_id: int, snapshot: Snapshot, source: str | None = None) -> None:
        row = snapshot_columns(snapshot, source)
        assignments = ", ".join(f"{col} = ?" for col in row)
        self.db.execute(f"UPDATE snapshots SET {assignments} WHERE id = ?", [*row.values(), snapshot_id])

    # -- imports (`ssi import`) -------------------------------------------------------------------
    @_writes("record the import")
    def start_import(self, profile: str, started_at: str, files: list[str]) -> int:
        cursor = self.db.execute("INSERT INTO imports (profile, started_at, files) VALUES (?, ?, ?)",
                                 [profile, started_at, json.dumps(files, ensure_ascii=False)])
        return int(cursor.lastrowid or 0)

    @_writes("record the import")
    def finish_import(self, import_id: int, finished_at: str, summary: dict[str, Any], report: str) -> None:
        self.db.execute(
            "UPDATE imports SET finished_at = ?, files = ?, rows_read = ?, days_added = ?, days_replaced = ?, "
            "days_skipped = ?, report = ? WHERE id = ?",
            [finished_at, json.dumps(summary["files"], ensure_ascii=False),
             sum(f["rows"] for f in summary["files"]), summary["added"], summary["replaced"], summary["skipped"],
             report, import_id])

    @_writes("replace an imported day")
    def delete_imported(self, profile: str, day: str) -> int:
        """Remove the imported snapshots of a day (never a reading of ours), to import it again."""
        cursor = self.db.execute("DELETE FROM snapshots WHERE profile = ? AND day = ? AND import_id IS NOT NULL",
                                 [profile, day])
        return cursor.rowcount

    @_writes("save an imported day")
    def save_imported(self, profile: str, figures: dict[str, Any], day: str, collected_at: str, source: str,
                      precision: str | None, import_id: int) -> int:
        columns = [c for c in FIGURE_COLUMNS if c in figures]
        row = {"profile": profile, "collected_at": collected_at, "day": day,
               **{c: figures[c] for c in columns}, "source": source, "precision": precision, "import_id": import_id}
        cursor = self.db.execute(f"INSERT INTO snapshots ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                                 list(row.values()))
        return int(cursor.lastrowid or 0)

    # -- goals and notes (`ssi goal`, `ssi note`) --------------------------------------------------
    @_writes("save the goal")
    def set_goal(self, profile: str, pillar: str | None, target: float, by_day: str | None, set_at: str,
                 set_on: str) -> int:
        """The new standing goal for the SSI (``pillar`` None) or one pillar; the one it replaces
        is retired, not deleted, so the history of goals is kept."""
        with self.db.atomic():
            self.db.execute("UPDATE goals SET retired_at = ? WHERE profile = ? AND pillar IS ? AND retired_at IS NULL",
                            [set_at, profile, pillar])
            cursor = self.db.execute(
                "INSERT INTO goals (profile, pillar, target, by_day, set_at, set_on) VALUES (?, ?, ?, ?, ?, ?)",
                [profile, pillar, target, by_day, set_at, set_on])
        return int(cursor.lastrowid or 0)

    @_writes("retire the goal")
    def retire_goals(self, profile: str, pillar: str | None, retired_at: str, *, every: bool = False) -> int:
        """Retire the standing goal for ``pillar`` (or every standing goal); how many were."""
        sql = "UPDATE goals SET retired_at = ? WHERE profile = ? AND retired_at IS NULL"
        params: list[str | None] = [retired_at, profile]
        if not every:
            sql += " AND pillar IS ?"
            params.append(pillar)
        return self.db.execute(sql, params).rowcount

    def goals(self, profile: str, *, retired: bool = False) -> list[dict[str, Any]]:
        """The standing goals of ``profile`` (the SSI's first, then the pillars'); every goal
        ever set, oldest first, with ``retired``."""
        if retired:
            return self._rows("SELECT * FROM goals WHERE profile = ? ORDER BY set_at, id", [profile])
        return self._rows("SELECT * FROM goals WHERE profile = ? AND retired_at IS NULL "
                          "ORDER BY pillar IS NOT NULL, pillar", [profile])

    def readings(self, profile: str, column: str, first_day: str | None = None,
                 last_day: str | None = None) -> list[tuple[str, float]]:
        """(day, value) of one figure from the `daily` view, oldest first, days without it left out."""
        if column not in FIGURE_COLUMNS:
            raise ValueError(f"not a figure: {column}")
        sql, params = _days(f"SELECT day, {column} FROM daily WHERE profile = ? AND {column} IS NOT NULL",
                            [profile], first_day, last_day)
        return [(day, value) for day, value in self.conn.execute(sql + " ORDER BY day", params)]

    @_writes("save the note")
    def add_note(self, profile: str, day: str, text: str, pillar: str | None, created_at: str) -> int:
        cursor = self.db.execute("INSERT INTO notes (profile, day, text, pillar, created_at) VALUES (?, ?, ?, ?, ?)",
                                 [profile, day, text, pillar, created_at])
        return int(cursor.lastrowid or 0)

    def notes(self, profile: str, first_day: str | None = None, last_day: str | None = None) -> list[dict[str, Any]]:
        """``profile``'s notes in [first_day, last_day], by day."""
        sql, params = _days("SELECT * FROM notes WHERE profile = ?", [profile], first_day, last_day)
        return self._rows(sql + " ORDER BY day, id", params)

    def note(self, profile: str, note_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM notes WHERE profile = ? AND id = ?", [profile, note_id])
        return rows[0] if rows else None

    @_writes("change the note")
    def update_note(self, note_id: int, changes: dict[str, Any], updated_at: str) -> None:
        allowed = {"day", "text", "pillar"}
        if not set(changes) <= allowed:
            raise ValueError(f"a note has no {sorted(set(changes) - allowed)}")
        sets = ", ".join(f"{column} = ?" for column in changes)
        self.db.execute(f"UPDATE notes SET {sets}, updated_at = ? WHERE id = ?",
                        [*changes.values(), updated_at, note_id])

    @_writes("remove the note")
    def delete_note(self, note_id: int) -> None:
        self.db.execute("DELETE FROM notes WHERE id = ?", [note_id])

    # -- what the scheduler decides from ----------------------------------------------------------
    def runs_between(self, profile: str, start: str, end: str, trigger: str | None = None) -> list[dict[str, Any]]:
        """Finished runs of ``profile`` that started in [start, end) (ISO UTC), oldest first."""
        sql = ("SELECT * FROM runs WHERE profile = ? AND started_at >= ? AND started_at < ? "
               "AND status != 'running'")
        params: list[Any] = [profile, start, end]
        if trigger is not None:
            sql += " AND trigger = ?"
            params.append(trigger)
        return self._rows(sql + " ORDER BY id", params)

    def last_finished_run(self, profile: str,
                          triggers: tuple[str, ...] = ("manual", "scheduled")) -> dict[str, Any] | None:
        """The last run of ``profile`` that got as far as the site: not running, not skipped."""
        marks = ", ".join("?" for _ in triggers)
        rows = self._rows(
            f"SELECT * FROM runs WHERE profile = ? AND trigger IN ({marks}) AND status NOT IN ('running', 'skipped') "
            "ORDER BY id DESC LIMIT 1", [profile, *triggers])
        return rows[0] if rows else None

    def best_since(self, profile: str, first_day: str, before_day: str) -> float | None:
        """The highest SSI of ``profile`` on days in [first_day, before_day)."""
        (row,) = self._rows(
            "SELECT MAX(ssi) AS best FROM snapshots WHERE profile = ? AND day >= ? AND day < ?",
            [profile, first_day, before_day])
        return row["best"]

    @_writes("record the alert")
    def record_alert(self, profile: str, kind: str, day: str, sent_at: str, title: str, body: str,
                     delivered: bool, run_id: int | None) -> bool:
        """Record an alert; False if this (profile, kind, day) was already recorded."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO alerts (profile, kind, day, sent_at, title, body, delivered, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [profile, kind, day, sent_at, title, body, int(delivered), run_id])
        return cursor.rowcount == 1

    def alerted(self, profile: str, kind: str, day: str) -> bool:
        return bool(self._rows(
            "SELECT 1 FROM alerts WHERE profile = ? AND kind = ? AND day = ?", [profile, kind, day]))

    def setting(self, key: str) -> str | None:
        return peek.setting(self.conn, key)

    def day_zone(self) -> tzinfo | None:
        """The zone this database's days are counted in (None: the machine's); see collector.days."""
        return zone_named(self.setting(DAY_ZONE))

    @_writes("save a setting")
    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])

    def counts(self) -> dict[str, int]:
        return {table: self._rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]
                for table in ("snapshots", "runs", "raw_pages")}
