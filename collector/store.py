"""The SQLite store: runs, snapshots, raw pages and the trend views (docs/design.md).

Schema changes go through sqlite-utils' ``Migrations``; a database that has migrations this
version does not know was written by a newer ssi-collector and is refused untouched. WAL mode
lets Datasette read while a collection writes.
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
from pathlib import Path
from typing import Any, TypeVar

from .imports import without_numpy

with without_numpy():
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

from parsers import PILLAR_KEYS, PILLAR_SHORT_NAMES, Snapshot

from .outcomes import StoreError
from .test_points import limit_pages, pause_before_commit

migrations = Migrations("ssi-collector")


_DAILY_CHANGES = ",\n".join(
    f"{col} - LAG({col}) OVER w AS {col}_change"
    for col in ("ssi", *PILLAR_KEYS, "industry_rank", "network_rank", "industry_ssi", "network_ssi")
)

# The views every reader shares: `ssi history`, `ssi advice`, `ssi export` and Datasette's
# dashboard all read these, so their SQL is written once, here.
VIEWS = {
    # One row a day per profile (the day's last snapshot), with the change since the previous
    # day that has one.
    "daily": f"""
        WITH last AS (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY profile, day ORDER BY collected_at DESC, id DESC) AS n
            FROM snapshots
        )
        SELECT profile, day, ssi, brand, people, insights, relationships,
               industry, industry_rank, industry_ssi, network_rank, network_ssi,
               industry_brand, industry_people, industry_insights, industry_relationships,
               network_brand, network_people, network_insights, network_relationships,
               {_DAILY_CHANGES},
               source, collected_at, id AS snapshot_id
        FROM last WHERE n = 1
        WINDOW w AS (PARTITION BY profile ORDER BY day)""",
    # One row a week (weeks start on Monday): the week's last figures, range and change.
    "weekly": """
        WITH d AS (
            SELECT *, date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) || ' days') AS week
            FROM daily
        ),
        w AS (
            SELECT profile, week, COUNT(*) AS days, ROUND(AVG(ssi), 2) AS ssi_avg,
                   MIN(ssi) AS ssi_min, MAX(ssi) AS ssi_max, MAX(day) AS last_day
            FROM d GROUP BY profile, week
        )
        SELECT w.profile, w.week, w.days, d.ssi, w.ssi_avg, w.ssi_min, w.ssi_max,
               d.ssi - LAG(d.ssi) OVER (PARTITION BY w.profile ORDER BY w.week) AS ssi_change,
               d.brand, d.people, d.insights, d.relationships,
               d.industry_rank, d.industry_ssi, d.network_rank, d.network_ssi, w.last_day
        FROM w JOIN d ON d.profile = w.profile AND d.day = w.last_day""",
    # The pillars in long form: one row per profile, day and pillar, with the peer averages.
    "pillars_daily": "\nUNION ALL\n".join(
        f"SELECT profile, day, '{name}' AS pillar, {key} AS you, industry_{key} AS industry_average, "
        f"network_{key} AS network_average FROM daily"
        for key, name in PILLAR_SHORT_NAMES.items()
    ),
    # The latest day's pillars next to the industry's and the network's, where the page shows them.
    "pillars_compared": """
        WITH latest AS (
            SELECT p.* FROM pillars_daily p
            WHERE p.day = (SELECT MAX(x.day) FROM snapshots x WHERE x.profile = p.profile)
        )
        SELECT profile, day, pillar, 'You' AS who, you AS score FROM latest
        UNION ALL
        SELECT profile, day, pillar, 'Industry average', industry_average FROM latest
        WHERE industry_average IS NOT NULL
        UNION ALL
        SELECT profile, day, pillar, 'Network average', network_average FROM latest
        WHERE network_average IS NOT NULL""",
    "ranks_daily": """
        SELECT profile, day, 'Industry' AS peer_group, industry_rank AS top_percent FROM daily
        WHERE industry_rank IS NOT NULL
        UNION ALL
        SELECT profile, day, 'Network', network_rank FROM daily WHERE network_rank IS NOT NULL""",
    # Each profile's latest SSI and its change over 7 and 30 days (against the last snapshot on
    # or before that day).
    "current": """
        SELECT l.profile, l.day, l.ssi,
               ROUND(l.ssi - (SELECT p.ssi FROM daily p WHERE p.profile = l.profile
                              AND p.day <= date(l.day, '-7 days') ORDER BY p.day DESC LIMIT 1), 2) AS change_7d,
               ROUND(l.ssi - (SELECT p.ssi FROM daily p WHERE p.profile = l.profile
                              AND p.day <= date(l.day, '-30 days') ORDER BY p.day DESC LIMIT 1), 2) AS change_30d,
               l.industry_rank, l.network_rank, l.industry_ssi, l.network_ssi, l.source
        FROM daily l
        WHERE l.day = (SELECT MAX(x.day) FROM snapshots x WHERE x.profile = l.profile)""",
}


def _snapshots_table(name: str, source_check: str) -> str:
    return f"""
        CREATE TABLE {name} (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            collected_at TEXT NOT NULL,          -- ISO 8601, UTC
            day TEXT NOT NULL,                   -- the local date, YYYY-MM-DD
            ssi REAL NOT NULL CHECK (ssi BETWEEN 0 AND 100),
            brand REAL NOT NULL, people REAL NOT NULL, insights REAL NOT NULL, relationships REAL NOT NULL,
            industry TEXT,
            industry_rank INTEGER, industry_ssi REAL,
            network_rank INTEGER, network_ssi REAL,
            industry_brand REAL, industry_people REAL, industry_insights REAL, industry_relationships REAL,
            network_brand REAL, network_people REAL, network_insights REAL, network_relationships REAL,
            source TEXT NOT NULL CHECK ({source_check}),
            raw_id TEXT REFERENCES raw_pages(id),
            api_raw_id TEXT REFERENCES raw_pages(id),
            run_id INTEGER REFERENCES runs(id)
        )"""


# Where a snapshot's figures come from: LinkedIn's answer (api), the page alone (page), demo
# history (generated), or a failed run's kept capture read again later by `ssi reparse`.
SOURCES = ("api", "page", "generated", "reparse:api", "reparse:page")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE raw_pages (
            id TEXT PRIMARY KEY,                 -- sha256 of the stored (secret-free) text
            kind TEXT NOT NULL CHECK (kind IN ('page', 'api')),
            url TEXT,
            fetched_at TEXT NOT NULL,
            encoding TEXT NOT NULL DEFAULT 'zlib',
            size INTEGER NOT NULL,               -- bytes before compression
            content BLOB NOT NULL
        )""")
    db.execute("""
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'scheduled', 'demo')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'skipped', 'login_required', 'blocked',
                                                   'page_changed', 'network_error', 'error', 'interrupted')),
            message TEXT,
            snapshot_id INTEGER,
            artifacts TEXT,
            pid INTEGER,
            raw_id TEXT REFERENCES raw_pages(id),
            api_raw_id TEXT REFERENCES raw_pages(id)
        )""")
    db.execute(_snapshots_table("snapshots", "source IN ('api', 'page', 'generated')"))
    db.execute("CREATE INDEX snapshots_profile_day ON snapshots (profile, day, collected_at)")
    db.execute("CREATE INDEX runs_profile_started ON runs (profile, started_at)")
    # The views as they are today. A later change to VIEWS comes with a migration that drops and
    # creates them all again, so that old and new databases end up the same.
    for name, sql in VIEWS.items():
        db.execute(f"CREATE VIEW {name} AS {sql}")


@migrations()
def m002_alerts(db: sqlite_utils.Database) -> None:
    # Alerts sent (or attempted) by the scheduler: deciding "already told them" from here keeps a
    # restarted daemon from alerting twice.
    db.execute("""
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('login', 'failed', 'drop')),
            day TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            delivered INTEGER NOT NULL,        -- 1 when every --notify target accepted it
            run_id INTEGER REFERENCES runs(id),
            UNIQUE (profile, kind, day)
        )""")


@migrations()
def m003_settings(db: sqlite_utils.Database) -> None:
    # Choices that must hold for every process using this database, whoever starts it: the
    # time zone its days are counted in (set by `ssi schedule --tz`).
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m004_page_checks_and_recovered_days(db: sqlite_utils.Database) -> None:
    # What the page's cross-check against LinkedIn's answer found, on each run; and the day each
    # run counts for, so that `ssi reparse` can file a recovered snapshot under it.
    db.execute("ALTER TABLE runs ADD COLUMN day TEXT")
    db.execute("ALTER TABLE runs ADD COLUMN page_check TEXT CHECK (page_check IN "
               "('agrees', 'disagrees', 'unreadable', 'absent', 'page_only'))")
    db.execute("ALTER TABLE runs ADD COLUMN page_issues TEXT")  # JSON: [{field, hook, page, api, problem}]
    # snapshots.source gains the reparse values: SQLite cannot change a CHECK, so the table is
    # rebuilt (ids kept; SQLite's own recipe), and what hangs on it is made again: our views from
    # VIEWS, and whatever indexes and triggers a person added (views of their own, in Datasette
    # say, refer to the table by name and keep working).
    own = [row[0] for row in db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'snapshots' AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL AND name != 'snapshots_profile_day'").fetchall()]
    for name in VIEWS:
        db.execute(f"DROP VIEW IF EXISTS {name}")
    sources = ", ".join(f"'{source}'" for source in SOURCES)
    db.execute(_snapshots_table("snapshots_new", f"source IN ({sources})"))
    db.execute("INSERT INTO snapshots_new SELECT * FROM snapshots")
    db.execute("DROP TABLE snapshots")
    # The legacy rename does not re-check other views, which would still name the dropped table.
    db.execute("PRAGMA legacy_alter_table = ON")
    try:
        db.execute("ALTER TABLE snapshots_new RENAME TO snapshots")
    finally:
        db.execute("PRAGMA legacy_alter_table = OFF")
    db.execute("CREATE INDEX snapshots_profile_day ON snapshots (profile, day, collected_at)")
    for sql in own:
        db.execute(sql)
    for name, sql in VIEWS.items():
        db.execute(f"CREATE VIEW {name} AS {sql}")


def _explain(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return "it is read-only (check the file's and its folder's permissions)"
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk is full (free some space)"
    if "locked" in text or "busy" in text:
        return "another program kept it locked for more than 10 s"
    return text


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
                raise StoreError(f"cannot {action} in {self.path}: {_explain(exc)}; nothing stored before "
                                 "was changed") from None

        return guarded  # type: ignore[return-value]

    return decorate


def _snapshot_columns(snapshot: Snapshot, source: str | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"ssi": snapshot.ssi, **snapshot.pillars.as_dict()}
    for name, group in (("industry", snapshot.industry), ("network", snapshot.network)):
        row[f"{name}_rank"] = group.rank
        row[f"{name}_ssi"] = group.average
        for key in PILLAR_KEYS:
            row[f"{name}_{key}"] = getattr(group.pillars, key) if group.pillars else None
    row["industry"] = snapshot.industry.name
    row["source"] = source or snapshot.source
    return row


# The snapshot columns that come from the parser (what `ssi reparse` may change).
SNAPSHOT_FIGURES: tuple[str, ...] = (
    "ssi", *PILLAR_KEYS, "industry",
    *(f"{group}_{key}" for group in ("industry", "network") for key in ("rank", "ssi", *PILLAR_KEYS)),
    "source",
)


@dataclass(frozen=True)
class RawPage:
    id: str
    kind: str
    url: str | None
    text: str


class Store:
    def __init__(self, path: Path, *, any_thread: bool = False, read_only: bool = False) -> None:
        """``any_thread``: the connection may be used from another thread than this one (the
        scheduler's worker); the caller makes sure only one thread uses it at a time.
        ``read_only``: never write the file, not even a migration (``ssi reparse --dry-run``): a
        database that needs one is read from an upgraded copy in memory."""
        self.path = path
        try:
            if read_only:
                self.db = sqlite_utils.Database(self._read_only(path))
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(sqlite3.connect(path, check_same_thread=not any_thread))
            self.db.execute("PRAGMA busy_timeout = 10000")  # wait for a writer rather than fail
            limit_pages(self.db.conn)
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot use the database {path}: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot create the database folder {path.parent}: {exc.strerror}") from None

    def _read_only(self, path: Path) -> sqlite3.Connection:
        if not path.exists():
            raise StoreError(f"there is no database at {path}")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("PRAGMA busy_timeout = 10000")
        if not migrations.pending(sqlite_utils.Database(conn)):
            return conn
        copy = sqlite3.connect(":memory:")
        conn.backup(copy)
        conn.close()
        self.db = sqlite_utils.Database(copy)
        self._migrate()
        return copy

    def _migrate(self) -> None:
        applied = [m.name for m in migrations.applied(self.db)]
        known = {m.name for m in migrations._migrations}
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(
                f"{self.path} was written by a newer ssi-collector (it has migration {unknown[-1]!r}); "
                "upgrade ssi-collector to use it — nothing was changed"
            )
        if migrations.pending(self.db):
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
            migrations.apply(self.db)
        elif self.db.journal_mode != "wal":
            self.db.enable_wal()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: the raw pages, the snapshot and the run's outcome land together."""
        try:
            with self.db.atomic():
                yield
                pause_before_commit()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot save the collection in {self.path}: {_explain(exc)}; nothing stored "
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
                   page_issues: list[dict[str, Any]] | None = None) -> None:
        # Only a running run finishes, and only once: a late error cannot rewrite a success.
        self.db.execute(
            "UPDATE runs SET status = ?, message = ?, finished_at = ?, snapshot_id = ?, artifacts = ?, "
            "raw_id = ?, api_raw_id = ?, page_check = ?, page_issues = ? WHERE id = ? AND status = 'running'",
            [status, message, finished_at, snapshot_id, artifacts, raw_id, api_raw_id, page_check,
             json.dumps(page_issues, ensure_ascii=False) if page_issues else None, run_id],
        )

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
        rows = list(self.db.query(
            "SELECT * FROM runs WHERE profile = ? AND page_check IS NOT NULL ORDER BY id DESC LIMIT 1", [profile]))
        return rows[0] if rows else None

    def last_run(self, profile: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM runs WHERE profile = ? AND status != 'running' ORDER BY id DESC LIMIT 1", [profile]))
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
        rows = list(self.db.query("SELECT id, kind, url, encoding, content FROM raw_pages WHERE id = ?", [raw_id]))
        if not rows:
            return None
        row = rows[0]
        return RawPage(row["id"], row["kind"], row["url"], zlib.decompress(row["content"]).decode("utf-8"))

    # -- snapshots -----------------------------------------------------------------------------
    @_writes("save the snapshot")
    def save_snapshot(self, profile: str, snapshot: Snapshot, collected_at: str, day: str, *,
                      raw_id: str | None, api_raw_id: str | None, run_id: int | None,
                      source: str | None = None) -> int:
        row = {"profile": profile, "collected_at": collected_at, "day": day, **_snapshot_columns(snapshot, source),
               "raw_id": raw_id, "api_raw_id": api_raw_id, "run_id": run_id}
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = self.db.execute(f"INSERT INTO snapshots ({columns}) VALUES ({marks})", list(row.values()))
        return int(cursor.lastrowid or 0)

    def snapshot_on(self, profile: str, day: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM snapshots WHERE profile = ? AND day = ? ORDER BY collected_at DESC, id DESC LIMIT 1",
            [profile, day]))
        return rows[0] if rows else None

    def previous_snapshot(self, profile: str, before_day: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM snapshots WHERE profile = ? AND day < ? ORDER BY day DESC, collected_at DESC, id DESC "
            "LIMIT 1", [profile, before_day]))
        return rows[0] if rows else None

    def history(self, profile: str, since_day: str) -> list[dict[str, Any]]:
        return list(self.db.query(
            "SELECT * FROM daily WHERE profile = ? AND day >= ? ORDER BY day", [profile, since_day]))

    def snapshots_with_raw(self) -> list[dict[str, Any]]:
        return list(self.db.query(
            "SELECT * FROM snapshots WHERE raw_id IS NOT NULL OR api_raw_id IS NOT NULL ORDER BY id"))

    def failed_captures(self) -> list[dict[str, Any]]:
        """Runs that ended `page_changed` with their capture kept and no snapshot: days that
        `ssi reparse` may recover once the parsers can read them. Newest first."""
        return list(self.db.query(
            "SELECT * FROM runs WHERE status = 'page_changed' AND snapshot_id IS NULL "
            "AND (raw_id IS NOT NULL OR api_raw_id IS NOT NULL) ORDER BY started_at DESC, id DESC"))

    @_writes("update the snapshot")
    def update_snapshot(self, snapshot_id: int, snapshot: Snapshot, source: str | None = None) -> None:
        row = _snapshot_columns(snapshot, source)
        assignments = ", ".join(f"{col} = ?" for col in row)
        self.db.execute(f"UPDATE snapshots SET {assignments} WHERE id = ?", [*row.values(), snapshot_id])

    # -- what the scheduler decides from ----------------------------------------------------------
    def runs_between(self, profile: str, start: str, end: str, trigger: str | None = None) -> list[dict[str, Any]]:
        """Finished runs of ``profile`` that started in [start, end) (ISO UTC), oldest first."""
        sql = ("SELECT * FROM runs WHERE profile = ? AND started_at >= ? AND started_at < ? "
               "AND status != 'running'")
        params: list[Any] = [profile, start, end]
        if trigger is not None:
            sql += " AND trigger = ?"
            params.append(trigger)
        return list(self.db.query(sql + " ORDER BY id", params))

    def last_finished_run(self, profile: str,
                          triggers: tuple[str, ...] = ("manual", "scheduled")) -> dict[str, Any] | None:
        marks = ", ".join("?" for _ in triggers)
        rows = list(self.db.query(
            f"SELECT * FROM runs WHERE profile = ? AND trigger IN ({marks}) AND status NOT IN ('running', 'skipped') "
            "ORDER BY id DESC LIMIT 1", [profile, *triggers]))
        return rows[0] if rows else None

    def best_since(self, profile: str, first_day: str, before_day: str) -> float | None:
        """The highest SSI of ``profile`` on days in [first_day, before_day)."""
        row = next(self.db.query(
            "SELECT MAX(ssi) AS best FROM snapshots WHERE profile = ? AND day >= ? AND day < ?",
            [profile, first_day, before_day]))
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
        return bool(list(self.db.query(
            "SELECT 1 FROM alerts WHERE profile = ? AND kind = ? AND day = ?", [profile, kind, day])))

    def setting(self, key: str) -> str | None:
        rows = list(self.db.query("SELECT value FROM settings WHERE key = ?", [key]))
        return rows[0]["value"] if rows else None

    @_writes("save a setting")
    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])

    def counts(self) -> dict[str, int]:
        return {table: self.db.table(table).count for table in ("snapshots", "runs", "raw_pages")}
