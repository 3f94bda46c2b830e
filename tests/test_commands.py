"""history, reparse, doctor and demo, each run as the installed command."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

import parsers
from collector.store import Store
from tests.conftest import CORPUS, Env


def seed_days(env: Env, days: int) -> list[str]:
    store = Store(env.db)
    base = parsers.parse((CORPUS / "api-bare-free.json").read_bytes())
    stamps = []
    for back in range(days, 0, -1):
        day = (date.today() - timedelta(days=back)).isoformat()
        ssi = round(base.ssi + (days - back) * 0.5, 6)
        pillars = parsers.Pillars(round(base.pillars.brand + (days - back) * 0.5, 6),  # type: ignore[operator]
                                  base.pillars.people, base.pillars.insights, base.pillars.relationships)
        snap = parsers.Snapshot(ssi, pillars, base.industry, base.network, "api")
        store.save_snapshot("default", snap, f"{day}T09:00:00+00:00", day, raw_id=None, api_raw_id=None, run_id=None)
        stamps.append(day)
    store.close()
    return stamps


def test_history_json_csv_and_table(env: Env) -> None:
    days = seed_days(env, 10)
    done = env.run("history", "--days", "5", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["day"] for r in rows] == days[-4:]  # the last 5 calendar days: 4 of them have rows
    assert all(r["ssi_change"] == 0.5 for r in rows)
    assert rows[-1]["ssi"] == round(45.747108 + 4.5, 6)
    table = env.run("history", "--days", "30")
    assert table.returncode == 0 and "▁" in table.stdout and "█" in table.stdout and days[0] in table.stdout
    assert "+0.50" in table.stdout
    csv_rows = list(csv.DictReader(io.StringIO(env.run("history", "--csv").stdout)))
    assert len(csv_rows) == 10 and csv_rows[0]["day"] == days[0] and float(csv_rows[-1]["ssi"]) == rows[-1]["ssi"]
    assert env.run("history", "--json", "--csv").returncode == 2
    empty = env.run("--profile", "nobody", "history")
    assert empty.returncode == 0 and "No snapshots" in empty.stdout


def test_reparse_restores_figures_from_the_archived_pages(env: Env, site_factory: Any) -> None:
    site = site_factory()
    assert env.run("collect", "--auth", env.state_file(site), site=site).returncode == 0
    good = env.rows("SELECT * FROM snapshots")[0]
    # A parser bug of yesterday wrote wrong figures; today's parser reads the archive again.
    conn_rows = env.rows("SELECT id FROM snapshots")
    import sqlite3

    with sqlite3.connect(env.db) as conn:
        conn.execute("UPDATE snapshots SET brand = 1.0, network_rank = 99 WHERE id = ?", (conn_rows[0]["id"],))
    done = env.run("reparse")
    assert done.returncode == 0, done.stderr
    assert "1 changed" in done.stdout and "brand 1.0 → 18.211" in done.stdout and "network_rank 99 → 22" in done.stdout
    assert env.rows("SELECT * FROM snapshots")[0] == good
    assert "0 changed, 1 unchanged" in env.run("reparse").stdout


def test_doctor_before_and_after(env: Env, site_factory: Any) -> None:
    site = site_factory()
    before = env.run("doctor", site=site)
    assert before.returncode == 1
    assert "does not exist yet" in before.stdout and "ssi login" in before.stdout
    assert "chromium" in before.stdout.lower()
    assert env.run("collect", "--auth", env.state_file(site), site=site).returncode == 0
    after = env.run("doctor", site=site)
    assert after.returncode == 0, after.stdout
    assert "mode 700" in after.stdout and "1 snapshots" in after.stdout and "ok — SSI 58.91" in after.stdout


def test_demo_end_to_end(env: Env, tmp_path: Any) -> None:
    demo_db = tmp_path / "demo.db"
    done = env.run("--db", str(demo_db), "demo")
    assert done.returncode == 0, done.stderr
    assert "Generated 330 days of demo history" in done.stdout
    assert f"Demo database: {demo_db}" in done.stdout and "Try next" in done.stdout and "browse" in done.stdout
    assert "demo: SSI" in done.stdout and "* generated demo history" in done.stdout  # the history table
    env.db = demo_db
    [run] = env.rows("SELECT trigger, status, profile FROM runs")
    assert run == {"trigger": "demo", "status": "ok", "profile": "demo"}
    real = env.rows("SELECT * FROM snapshots WHERE source != 'generated'")
    assert len(real) == 1 and real[0]["source"] == "api" and real[0]["profile"] == "demo"
    assert len(env.rows("SELECT id FROM snapshots WHERE source = 'generated'")) == 330
    # Today's real reading (from the stand-in) continues the generated trend, without a jump.
    [yesterday, today] = env.rows("SELECT ssi FROM daily WHERE profile = 'demo' ORDER BY day DESC LIMIT 2")[::-1]
    assert abs(today["ssi"] - yesterday["ssi"]) < 1
    # A second demo adds a reading, and generates nothing twice.
    again = env.run("--db", str(demo_db), "demo")
    assert again.returncode == 0 and "Generated" not in again.stdout
    assert len(env.rows("SELECT id FROM snapshots")) == 332


def test_a_lost_day_comes_back_with_reparse(env: Env, site_factory: Any) -> None:
    """A real capture (page with a .ssi-score__value span in every <progress>, and LinkedIn's
    answer) that the parser before the fix failed on, as that version left it in the database:
    the run `page_changed` with its capture kept, no snapshot, no day on the run (older schema)."""
    import sqlite3

    site = site_factory()
    assert env.run("collect", "--auth", env.state_file(site), site=site).returncode == 0
    [good] = env.rows("SELECT * FROM snapshots")
    [run] = env.rows("SELECT * FROM runs")
    assert run["raw_id"] and run["api_raw_id"]
    old = ("the page could not be read (ssi: the score donut's caption says 18.211 but the API body overall says "
           "58.9135); please report it")
    with sqlite3.connect(env.db) as conn:
        conn.execute("DELETE FROM snapshots")
        conn.execute("UPDATE runs SET status = 'page_changed', snapshot_id = NULL, day = NULL, page_check = NULL, "
                     "message = ? WHERE id = ?", (old, run["id"]))

    def state() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return env.rows("SELECT * FROM snapshots"), env.rows("SELECT * FROM runs")

    before = state()
    doctor = env.run("doctor", site=site)
    assert "days to recover" in doctor.stdout and good["day"] in doctor.stdout and "reparse --dry-run" in doctor.stdout

    dry = env.run("reparse", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"run #{run['id']} (default, {good['day']}): would add a snapshot for {good['day']}, SSI 58.91" in dry.stdout
    assert "(source reparse:api)" in dry.stdout and "would add 1 day" in dry.stdout
    assert "nothing was written" in dry.stdout
    assert state() == before

    done = env.run("reparse")
    assert done.returncode == 0, done.stderr
    assert "added 1 day" in done.stdout and "added snapshot #" in done.stdout
    [snap] = env.rows("SELECT * FROM snapshots")
    figures = [c for c in good if c not in ("id", "source", "collected_at")]
    assert {c: snap[c] for c in figures} == {c: good[c] for c in figures}  # the day's figures, and its day
    assert snap["source"] == "reparse:api" and snap["collected_at"] == run["finished_at"]
    [linked] = env.rows("SELECT * FROM runs")
    assert linked["snapshot_id"] == snap["id"] and linked["status"] == "page_changed" and linked["message"] == old
    history = json.loads(env.run("history", "--json").stdout)
    assert [(r["day"], r["ssi"], r["source"]) for r in history] == [(good["day"], good["ssi"], "reparse:api")]
    doctor = env.run("doctor", site=site)
    assert doctor.returncode == 0, doctor.stdout
    assert "recovered since by `ssi reparse`" in doctor.stdout and "days to recover" not in doctor.stdout

    # Once: a second pass finds nothing to add; a re-read leaves the recovered day marked as such.
    again = env.run("reparse")
    assert "1 unchanged" in again.stdout and "added" not in again.stdout, again.stdout
    assert env.rows("SELECT id, source FROM snapshots") == [{"id": snap["id"], "source": "reparse:api"}]
    # Never over a reading of the same day: another failed run that day is left alone.
    with sqlite3.connect(env.db) as conn:
        conn.execute("INSERT INTO runs (profile, trigger, started_at, finished_at, status, message, raw_id, "
                     "api_raw_id) SELECT profile, trigger, started_at, finished_at, 'page_changed', message, raw_id, "
                     "api_raw_id FROM runs WHERE id = ?", (run["id"],))
    third = env.run("reparse")
    assert f"already has snapshot #{snap['id']}; left alone" in third.stdout and "added 0 days" in third.stdout
    assert len(env.rows("SELECT id FROM snapshots")) == 1


def test_a_page_still_unreadable_stays_a_failed_day(env: Env, site_factory: Any) -> None:
    site = site_factory("layout-changed")  # a renamed API, and a layout nobody knows: exit 5
    failed = env.run("collect", "--auth", env.state_file(site), "--timeout", "6", site=site)
    assert failed.returncode == 5, failed.stderr
    [run] = env.rows("SELECT status, raw_id, day FROM runs")
    assert run["status"] == "page_changed" and run["raw_id"] and run["day"], "the page is kept for later"
    done = env.run("reparse")
    assert done.returncode == 0 and "still unreadable" in done.stdout and "added 0 days" in done.stdout
    assert env.rows("SELECT id FROM snapshots") == []
