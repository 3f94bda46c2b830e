"""The store: migrations, WAL, refusal of newer databases, and the trend views."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import parsers
from collector.store import Store, StoreError, migrations
from tests.conftest import CORPUS


def snapshot(ssi_shift: float = 0.0) -> parsers.Snapshot:
    snap = parsers.parse((CORPUS / "api-bare-free.json").read_bytes())
    brand = round(snap.pillars.brand + ssi_shift, 6)  # type: ignore[operator]
    pillars = parsers.Pillars(brand, snap.pillars.people, snap.pillars.insights, snap.pillars.relationships)
    return parsers.Snapshot(round(snap.ssi + ssi_shift, 6), pillars, snap.industry, snap.network, "api")


def test_created_with_migrations_in_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    assert store.db.journal_mode == "wal"
    assert [m.name for m in migrations.applied(store.db)] == ["m001_initial", "m002_alerts", "m003_settings",
                                                               "m004_page_checks_and_recovered_days", "m005_imports",
                                                               "m006_goals_notes_digest", "m007_sessions"]
    assert {"snapshots", "runs", "raw_pages", "alerts", "sign_ins"} <= set(store.db.table_names())
    assert {"daily", "weekly", "session_health"} <= set(store.db.view_names())
    store.close()
    again = Store(tmp_path / "a.db")  # opening again applies nothing twice
    assert len(migrations.applied(again.db)) == 7


def test_a_database_of_the_previous_version_is_upgraded_with_its_rows(tmp_path: Path) -> None:
    """m004 rebuilds snapshots (for the reparse sources) and adds the runs' page-check columns."""
    import sqlite3

    import sqlite_utils

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="m004_page_checks_and_recovered_days")
    old.execute("INSERT INTO runs (profile, trigger, started_at, status) VALUES ('p', 'manual', "
                "'2026-11-01T08:00:00+00:00', 'ok')")
    for day, shift in (("2026-11-01", 0.0), ("2026-11-02", 0.5)):
        cols = {"ssi": 40 + shift, "brand": 10 + shift, "people": 10.0, "insights": 10.0, "relationships": 10.0}
        old.execute(f"INSERT INTO snapshots (profile, collected_at, day, source, run_id, {', '.join(cols)}) "
                    f"VALUES ('p', ?, ?, 'api', 1, {', '.join('?' for _ in cols)})",
                    [f"{day}T08:00:00+00:00", day, *cols.values()])
    # What a person may have added, in Datasette or a sqlite3 shell: a view, an index, a trigger.
    old.execute("CREATE VIEW my_days AS SELECT day, ssi FROM snapshots")
    old.execute("CREATE INDEX my_ssi ON snapshots (ssi)")
    old.execute("CREATE TABLE my_log (id INTEGER)")
    old.execute("CREATE TRIGGER my_trigger AFTER INSERT ON snapshots BEGIN INSERT INTO my_log VALUES (new.id); END")
    old.conn.commit()
    before = list(old.query("SELECT * FROM snapshots ORDER BY id"))
    old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    old.close()

    # Read only (`ssi reparse --dry-run`): read through an upgraded copy, the file left as it was.
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    looking = Store(path, read_only=True)
    assert looking.failed_captures() == [] and len(looking.snapshots_with_raw()) == 0
    assert [r["day"] for r in looking.history("p", "2026-11-01")] == ["2026-11-01", "2026-11-02"]
    looking.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert "m004_page_checks_and_recovered_days" not in {
        m.name for m in migrations.applied(sqlite_utils.Database(sqlite3.connect(path)))}

    store = Store(path)
    after = list(store.db.query("SELECT * FROM snapshots ORDER BY id"))
    assert [{k: row[k] for k in before[0]} for row in after] == before  # every row, every figure, kept
    assert all(row["precision"] is None and row["import_id"] is None for row in after)  # m005's columns
    assert [r["day"] for r in store.db.query("SELECT * FROM my_days ORDER BY day")] == ["2026-11-01", "2026-11-02"]
    names = {r["name"] for r in store.db.query("SELECT name FROM sqlite_master WHERE tbl_name = 'snapshots'")}
    assert {"my_ssi", "my_trigger", "snapshots_profile_day"} <= names
    assert [r["ssi_change"] for r in store.history("p", "2026-11-01")] == [None, 0.5]  # the views work again
    run = next(store.db.query("SELECT * FROM runs"))
    assert run["day"] is None and run["page_check"] is None and run["page_issues"] is None
    store.save_snapshot("p", snapshot(1), "2026-11-03T08:00:00+00:00", "2026-11-03", raw_id=None,
                        api_raw_id=None, run_id=None, source="reparse:api")
    assert store.db.execute("SELECT COUNT(*) FROM my_log").fetchone()[0] == 1  # the trigger still fires
    with pytest.raises(StoreError):
        store.save_snapshot("p", snapshot(1), "2026-11-04T08:00:00+00:00", "2026-11-04", raw_id=None,
                            api_raw_id=None, run_id=None, source="bogus")


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    store = Store(path)
    store.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('ssi-collector', 'm099_from_the_future', '2030-01-01')")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match=r"newer ssi-collector.*m099_from_the_future.*nothing was changed"):
        Store(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_raw_pages_are_content_addressed_and_compressed(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.db")
    text = "<html>" + "x" * 10_000 + "</html>"
    first = store.save_raw("page", "http://x/sales/ssi", text, "2026-01-01T00:00:00+00:00")
    second = store.save_raw("page", "http://x/sales/ssi", text, "2026-01-02T00:00:00+00:00")
    assert first == second == hashlib.sha256(text.encode()).hexdigest()
    assert store.db.table("raw_pages").count == 1
    row = next(store.db.query("SELECT size, length(content) AS stored FROM raw_pages"))
    assert row["size"] == len(text) and row["stored"] < len(text) / 10
    assert store.raw(first).text == text  # type: ignore[union-attr]


def test_daily_view_keeps_the_last_snapshot_of_each_day_with_changes(tmp_path: Path) -> None:
    store = Store(tmp_path / "d.db")
    rows = [("2026-11-01", "2026-11-01T08:00:00+00:00", 0.0), ("2026-11-02", "2026-11-02T08:00:00+00:00", 0.5),
            ("2026-11-02", "2026-11-02T20:00:00+00:00", 1.0), ("2026-11-04", "2026-11-04T08:00:00+00:00", 0.25)]
    for day, at, shift in rows:
        store.save_snapshot("p", snapshot(shift), at, day, raw_id=None, api_raw_id=None, run_id=None)
    store.save_snapshot("other", snapshot(5), "2026-11-02T08:00:00+00:00", "2026-11-02", raw_id=None,
                        api_raw_id=None, run_id=None)
    daily = store.history("p", "2026-11-01")
    assert [r["day"] for r in daily] == ["2026-11-01", "2026-11-02", "2026-11-04"]
    assert daily[0]["ssi_change"] is None
    assert daily[1]["ssi_change"] == pytest.approx(1.0)  # the 20:00 snapshot wins the day
    assert daily[2]["ssi_change"] == pytest.approx(-0.75)
    assert daily[1]["brand_change"] == pytest.approx(1.0)
    weekly = list(store.db.query("SELECT * FROM weekly WHERE profile = 'p' ORDER BY week"))
    # 2026-11-01 is a Sunday: it closes the week of Monday 2026-10-26.
    assert [(w["week"], w["days"]) for w in weekly] == [("2026-10-26", 1), ("2026-11-02", 2)]
    assert weekly[1]["ssi_change"] == pytest.approx(0.25)
