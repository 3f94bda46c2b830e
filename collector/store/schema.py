"""The database's shape: tables, the trend views, and their migrations (sqlite-utils' Migrations).

Each schema change is a migration here, applied in order by the Store when it opens a database; a
database that has migrations this version does not know was written by a newer ssi-collector.
Run statuses and snapshot sources in the CHECK constraints come from their one definition
(collector.outcomes, SOURCES below).

sqlite-utils loads only to apply migrations (`migration_set()`): a command that only reads, on a
database that is up to date, never pays for importing it.
"""

from __future__ import annotations

import functools
import sqlite3
from typing import TYPE_CHECKING

from parsers import PILLAR_KEYS, PILLAR_SHORT_NAMES

from ..outcomes import STATUSES

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations


_DAILY_CHANGES = ",\n".join(
    f"{col} - LAG({col}) OVER w AS {col}_change"
    for col in ("ssi", *PILLAR_KEYS, "industry_rank", "network_rank", "industry_ssi", "network_ssi")
)

# The figures of the "this week" panel, in its order (ranks: a lower Top N% is better).
_WEEK_FIGURE_NAMES = {"ssi": "SSI", **{key: name for key, name in PILLAR_SHORT_NAMES.items()},
                      "industry_rank": "Industry rank (Top %)", "network_rank": "Network rank (Top %)"}
_WEEK_FIGURES = tuple(_WEEK_FIGURE_NAMES)
_WEEK_ROWS = "\n        UNION ALL\n        ".join(
    f"SELECT profile, {position} AS position, '{name}' AS figure, day, ROUND(now_{column}, 2) AS now, "
    f"ROUND(before_{column}, 2) AS week_before, ROUND(now_{column} - before_{column}, 2) AS change FROM pair"
    for position, (column, name) in enumerate(_WEEK_FIGURE_NAMES.items()))

# The views every reader shares: `ssi history`, `ssi advice`, `ssi export` and Datasette's
# dashboard all read these, so their SQL is written once, here.
VIEWS = {
    # One row a day per profile (the day's last snapshot), with the change since the previous
    # day that has one.
    # (The day's last snapshot by a lookup in the (profile, day, collected_at) index: a fifth
    # faster over a decade than numbering every snapshot of the day.)
    "daily": f"""
        SELECT profile, day, ssi, brand, people, insights, relationships,
               industry, industry_rank, industry_ssi, network_rank, network_ssi,
               industry_brand, industry_people, industry_insights, industry_relationships,
               network_brand, network_people, network_insights, network_relationships,
               {_DAILY_CHANGES},
               source, collected_at, id AS snapshot_id, precision, import_id
        FROM snapshots s
        WHERE s.id = (SELECT x.id FROM snapshots x WHERE x.profile = s.profile AND x.day = s.day
                      ORDER BY x.collected_at DESC, x.id DESC LIMIT 1)
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
    # The dashboard's "this week" panel: each profile's latest day against the last one a week
    # or more before it, figure by figure, and how many notes the week has.
    "this_week": f"""
        WITH latest AS (
            SELECT * FROM daily l WHERE l.day = (SELECT MAX(x.day) FROM snapshots x WHERE x.profile = l.profile)
        ),
        pair AS (
            SELECT l.profile, l.day, b.day AS before_day,
                   {", ".join(f"l.{c} AS now_{c}, b.{c} AS before_{c}" for c in _WEEK_FIGURES)}
            FROM latest l LEFT JOIN daily b ON b.profile = l.profile
                AND b.day = (SELECT MAX(y.day) FROM snapshots y WHERE y.profile = l.profile
                             AND y.day <= date(l.day, '-7 days'))
        )
        {_WEEK_ROWS}
        UNION ALL
        SELECT p.profile, {len(_WEEK_FIGURE_NAMES)} AS position, 'Notes this week', p.day,
               (SELECT COUNT(*) FROM notes n WHERE n.profile = p.profile AND n.day > date(p.day, '-7 days')
                AND n.day <= p.day), NULL, NULL
        FROM pair p""",
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
    # Each profile's session at a glance (since m007): the last sign-in (or session brought in),
    # whether "Keep me logged in" took, li_at's expiry after the last visit, the identity at
    # sign-in against the last visit's, and the last time LinkedIn refused the session.
    "session_health": f"""
        WITH profiles AS (
            SELECT profile FROM sign_ins UNION SELECT profile FROM runs WHERE identity IS NOT NULL
        ),
        joined AS (
            SELECT p.profile,
                   (SELECT s.id FROM sign_ins s WHERE s.profile = p.profile ORDER BY s.signed_in_at DESC, s.id DESC
                    LIMIT 1) AS sign_in_id,
                   (SELECT r.id FROM runs r WHERE r.profile = p.profile AND r.identity IS NOT NULL
                    ORDER BY r.started_at DESC, r.id DESC LIMIT 1) AS visit_id,
                   (SELECT r.id FROM runs r WHERE r.profile = p.profile AND r.status = 'login_required'
                    ORDER BY r.started_at DESC, r.id DESC LIMIT 1) AS refusal_id
            FROM profiles p
        )
        SELECT j.profile, s.signed_in_at, s.how AS signed_in_by,
               CASE s.remember WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END AS keep_me_logged_in,
               v.started_at AS last_visit_at, v.status AS last_visit_status,
               datetime(json_extract(COALESCE((SELECT r.cookies FROM runs r WHERE r.profile = j.profile
                   AND r.cookies IS NOT NULL AND r.started_at > COALESCE(s.signed_in_at, '')
                   ORDER BY r.started_at DESC, r.id DESC LIMIT 1), s.cookies), '$.li_at'), 'unixepoch')
                   AS li_at_expires,
               json_extract(s.identity, '$.user_agent') AS user_agent_at_sign_in,
               json_extract(v.identity, '$.user_agent') AS user_agent_at_last_visit,
               CASE WHEN s.identity IS NULL OR v.identity IS NULL THEN NULL
                    WHEN {" AND ".join(f"json_extract(s.identity, '$.{key}') IS json_extract(v.identity, '$.{key}')"
                                       for key in ("user_agent", "brands", "platform", "mobile", "webdriver"))}
                    THEN 'same' ELSE 'changed' END AS identity,
               json_extract(v.identity, '$.webdriver') AS webdriver,
               f.started_at AS last_refusal_at, f.message AS last_refusal,
               CASE WHEN f.started_at IS NOT NULL AND (s.signed_in_at IS NULL OR f.started_at > s.signed_in_at)
                    THEN 'ended by LinkedIn: sign in again' ELSE 'kept' END AS session
        FROM joined j
        LEFT JOIN sign_ins s ON s.id = j.sign_in_id
        LEFT JOIN runs v ON v.id = j.visit_id
        LEFT JOIN runs f ON f.id = j.refusal_id""",
}


def _snapshots_v1(name: str, source_check: str) -> str:
    """The snapshots table as m001 made it (and m004 rebuilt it): kept as it was, so that a new
    database goes through the same steps as an old one."""
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


_STATUS_LIST = ", ".join(f"'{status}'" for status in STATUSES)

# Where a snapshot's figures come from: LinkedIn's answer (api), the page alone (page), demo
# history (generated), a failed run's kept capture read again later by `ssi reparse`; and
# (m005) `import:<tracker>` for a day brought in by `ssi import` from another tracker's file.
SOURCES = ("api", "page", "generated", "reparse:api", "reparse:page")
IMPORT_PREFIX = "import:"


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
    db.execute(f"""
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'scheduled', 'demo')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL CHECK (status IN ({_STATUS_LIST})),
            message TEXT,
            snapshot_id INTEGER,
            artifacts TEXT,
            pid INTEGER,
            raw_id TEXT REFERENCES raw_pages(id),
            api_raw_id TEXT REFERENCES raw_pages(id)
        )""")
    db.execute(_snapshots_v1("snapshots", "source IN ('api', 'page', 'generated')"))
    db.execute("CREATE INDEX snapshots_profile_day ON snapshots (profile, day, collected_at)")
    db.execute("CREATE INDEX runs_profile_started ON runs (profile, started_at)")
    # The views are made after the migrations, as VIEWS has them today (ensure_views).


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


def m003_settings(db: sqlite_utils.Database) -> None:
    # Choices that must hold for every process using this database, whoever starts it: the
    # time zone its days are counted in (set by `ssi schedule --tz`).
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def m004_page_checks_and_recovered_days(db: sqlite_utils.Database) -> None:
    # What the page's cross-check against LinkedIn's answer found, on each run; and the day each
    # run counts for, so that `ssi reparse` can file a recovered snapshot under it.
    db.execute("ALTER TABLE runs ADD COLUMN day TEXT")
    db.execute("ALTER TABLE runs ADD COLUMN page_check TEXT CHECK (page_check IN "
               "('agrees', 'disagrees', 'unreadable', 'absent', 'page_only'))")
    db.execute("ALTER TABLE runs ADD COLUMN page_issues TEXT")  # JSON: [{field, hook, page, api, problem}]
    # snapshots.source gains the reparse values: SQLite cannot change a CHECK, so the table is
    # rebuilt (see _rebuild_snapshots).
    sources = ", ".join(f"'{source}'" for source in ("api", "page", "generated", "reparse:api", "reparse:page"))
    _rebuild_snapshots(db, _snapshots_v1("snapshots_new", f"source IN ({sources})"), _V1_COLUMNS)


def m005_imports(db: sqlite_utils.Database) -> None:
    # `ssi import`: a record of each import, and on each snapshot the import it came from and how
    # exact its figures are. A tracker may keep only a total, so the pillars may now be unknown.
    db.execute("""
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            files TEXT NOT NULL,                 -- JSON: [{path, format, rows, added, skipped}]
            rows_read INTEGER NOT NULL DEFAULT 0,
            days_added INTEGER NOT NULL DEFAULT 0,
            days_replaced INTEGER NOT NULL DEFAULT 0,
            days_skipped INTEGER NOT NULL DEFAULT 0,
            report TEXT                          -- the report as the person saw it
        )""")
    sources = ", ".join(f"'{source}'" for source in SOURCES)
    _rebuild_snapshots(db, _snapshots_v2("snapshots_new", f"source IN ({sources}) OR source GLOB '{IMPORT_PREFIX}*'"),
                       _V1_COLUMNS)


def _snapshots_v2(name: str, source_check: str) -> str:
    """The snapshots table since m005: pillars may be unknown (an imported total alone); how exact
    each figure is (`precision`, JSON, null when every figure is exact); the import it came from."""
    return f"""
        CREATE TABLE {name} (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            collected_at TEXT NOT NULL,          -- ISO 8601, UTC
            day TEXT NOT NULL,                   -- the local date, YYYY-MM-DD
            ssi REAL NOT NULL CHECK (ssi BETWEEN 0 AND 100),
            brand REAL, people REAL, insights REAL, relationships REAL,
            industry TEXT,
            industry_rank INTEGER, industry_ssi REAL,
            network_rank INTEGER, network_ssi REAL,
            industry_brand REAL, industry_people REAL, industry_insights REAL, industry_relationships REAL,
            network_brand REAL, network_people REAL, network_insights REAL, network_relationships REAL,
            source TEXT NOT NULL CHECK ({source_check}),
            raw_id TEXT REFERENCES raw_pages(id),
            api_raw_id TEXT REFERENCES raw_pages(id),
            run_id INTEGER REFERENCES runs(id),
            precision TEXT,                      -- JSON {{field: "rounded"|"truncated"|"displayed"|...}}
            import_id INTEGER REFERENCES imports(id)
        )"""


_V1_COLUMNS = ("id", "profile", "collected_at", "day", "ssi", "brand", "people", "insights", "relationships",
               "industry", "industry_rank", "industry_ssi", "network_rank", "network_ssi",
               *(f"{group}_{key}" for group in ("industry", "network") for key in PILLAR_KEYS),
               "source", "raw_id", "api_raw_id", "run_id")


def _rename_legacy(db: sqlite_utils.Database, built: str, name: str) -> None:
    """The last step of SQLite's rebuild recipe: the new table takes the dropped one's name. The
    legacy rename does not re-check other views, which would still name the dropped table (a
    view a person made, in Datasette say, keeps working)."""
    db.execute("PRAGMA legacy_alter_table = ON")
    try:
        db.execute(f"ALTER TABLE {built} RENAME TO {name}")
    finally:
        db.execute("PRAGMA legacy_alter_table = OFF")


def _rebuild_snapshots(db: sqlite_utils.Database, create_new: str, columns: tuple[str, ...]) -> None:
    """SQLite cannot change a table's CHECK or NOT NULL, so snapshots is rebuilt (ids kept;
    SQLite's own recipe): copy into snapshots_new, drop, rename. What hangs on it is made again:
    our views afterwards (ensure_views), and whatever indexes and triggers a person added
    (views of their own, in Datasette say, refer to the table by name and keep working)."""
    own = [row[0] for row in db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'snapshots' AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL AND name != 'snapshots_profile_day'").fetchall()]
    for name in VIEWS:
        db.execute(f"DROP VIEW IF EXISTS {name}")
    db.execute(create_new)
    listed = ", ".join(columns)
    db.execute(f"INSERT INTO snapshots_new ({listed}) SELECT {listed} FROM snapshots")
    db.execute("DROP TABLE snapshots")
    _rename_legacy(db, "snapshots_new", "snapshots")
    db.execute("CREATE INDEX snapshots_profile_day ON snapshots (profile, day, collected_at)")
    for sql in own:
        db.execute(sql)


_PILLAR_LIST = ", ".join(f"'{key}'" for key in PILLAR_KEYS)

# What the scheduler may send: m002's three alerts, and (m006) the weekly digest, recorded under
# the Monday of the week it tells about.
ALERT_KINDS = ("login", "failed", "drop", "digest")


def m006_goals_notes_digest(db: sqlite_utils.Database) -> None:
    # Goals: one standing goal per profile and figure (the SSI, or one pillar); setting another
    # retires the one before (`retired_at`), so the history of goals is kept.
    db.execute(f"""
        CREATE TABLE goals (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            pillar TEXT CHECK (pillar IN ({_PILLAR_LIST})),   -- null: the SSI itself
            target REAL NOT NULL CHECK (target > 0 AND target <= CASE WHEN pillar IS NULL THEN 100 ELSE 25 END),
            by_day TEXT,                         -- YYYY-MM-DD, or null: no date
            set_at TEXT NOT NULL,                -- ISO 8601, UTC
            set_on TEXT NOT NULL,                -- the day it was set (what progress is counted from)
            retired_at TEXT
        )""")
    db.execute("CREATE INDEX goals_profile ON goals (profile, retired_at)")
    # Notes: what the person did, on a day, optionally about one pillar.
    db.execute(f"""
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            day TEXT NOT NULL,                   -- YYYY-MM-DD
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            pillar TEXT CHECK (pillar IN ({_PILLAR_LIST})),
            created_at TEXT NOT NULL,
            updated_at TEXT
        )""")
    db.execute("CREATE INDEX notes_profile_day ON notes (profile, day)")
    # alerts.kind gains 'digest': SQLite cannot change a CHECK, so the table is rebuilt (ids kept).
    kinds = ", ".join(f"'{kind}'" for kind in ALERT_KINDS)
    db.execute(f"""
        CREATE TABLE alerts_new (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ({kinds})),
            day TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            delivered INTEGER NOT NULL,
            run_id INTEGER REFERENCES runs(id),
            UNIQUE (profile, kind, day)
        )""")
    db.execute("INSERT INTO alerts_new SELECT id, profile, kind, day, sent_at, title, body, delivered, run_id "
               "FROM alerts")
    db.execute("DROP TABLE alerts")
    _rename_legacy(db, "alerts_new", "alerts")


# How a session began in a profile: `ssi login`, `ssi collect --auth`, or an older version's state.json.
SIGN_IN_KINDS = ("login", "auth", "state.json")


def m007_sessions(db: sqlite_utils.Database) -> None:
    # What each visit presented (collector.browser.identity: User-Agent, brands, platform,
    # webdriver, the page request's client hints) and the kept cookies' expiries after it: JSON,
    # never a cookie value.
    db.execute("ALTER TABLE runs ADD COLUMN identity TEXT")
    db.execute("ALTER TABLE runs ADD COLUMN cookies TEXT")
    kinds = ", ".join(f"'{kind}'" for kind in SIGN_IN_KINDS)
    db.execute(f"""
        CREATE TABLE sign_ins (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            signed_in_at TEXT NOT NULL,          -- ISO 8601, UTC
            how TEXT NOT NULL CHECK (how IN ({kinds})),
            browser TEXT,                        -- the executable that signed in (or imported)
            browser_version TEXT,
            identity TEXT,                       -- JSON, as runs.identity
            remember INTEGER,                    -- li_rm next to bcookie: "Keep me logged in" took
            cookies TEXT                         -- JSON {{name: expiry}}, as runs.cookies
        )""")
    db.execute("CREATE INDEX sign_ins_profile ON sign_ins (profile, signed_in_at)")


MIGRATIONS = (m001_initial, m002_alerts, m003_settings, m004_page_checks_and_recovered_days, m005_imports,
              m006_goals_notes_digest, m007_sessions)
MIGRATION_SET = "ssi-collector"
MIGRATION_NAMES: tuple[str, ...] = tuple(migration.__name__ for migration in MIGRATIONS)


@functools.cache
def migration_set() -> Migrations:
    """The migrations as sqlite-utils' Migrations, which apply them (each in its transaction)."""
    from .without_numpy import without_numpy

    with without_numpy():
        from sqlite_utils.migrations import Migrations

    found = Migrations(MIGRATION_SET)
    for migration in MIGRATIONS:
        found()(migration)
    return found


def ensure_views(conn: sqlite3.Connection) -> None:
    """Make our views as VIEWS has them today, where the database's differ (after migrations, or
    after an update that changed a view): views are derived, so they are simply made again.
    Views a person added are left alone."""
    wanted = {name: f"CREATE VIEW {name} AS {sql}" for name, sql in VIEWS.items()}
    found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall())
    if all(found.get(name) == sql for name, sql in wanted.items()):
        return
    conn.execute("BEGIN IMMEDIATE")  # readers never see a view missing
    try:
        for name in VIEWS:
            conn.execute(f"DROP VIEW IF EXISTS {name}")
        for sql in wanted.values():  # in VIEWS' order: daily before the views that read it
            conn.execute(sql)
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
