"""Faults, round 2 (issue 14): the site errs, the database is busy or broken, the process is
stopped, the scheduler's child misbehaves. Each case: the exit code, one clear line and no
traceback, a `runs` row not left running, no browser left behind, nothing stored changed.

Each case's measured outcome (exit code, the line, seconds to exit, what was stored) is kept in
.measured/faults.json; `make faults-table` runs these tests and puts it in the README's table.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SSI, Env, give_session
from tests.measured import record
from tests.test_faults import assert_failed_run, integrity, snapshot_of_db
from tests.test_login import free_port
from tests.test_schedule import wait_for

def browsers(data: Path) -> set[int]:
    """The Chromium processes of this test's own profiles: those whose command line names its data
    folder (every browser the product opens is a profile in it). Other processes on the machine,
    another test's browser among them, are none of this test's business."""
    found = set()
    mark = str(data).encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if (b"chrom" in command.split(b"\0")[0]) and mark in command:
                found.add(int(entry.name))
    return found


def no_browser_left(data: Path) -> None:
    wait_for(lambda: not browsers(data), 10, "the browser to go")


@pytest.fixture
def seeded(env: Env, site_factory: Any) -> Iterator[tuple[Env, Any]]:
    site = site_factory()
    give_session(env, site)
    assert env.run("collect", site=site).returncode == 0
    yield env, site


def api_requests(site: Any) -> int:
    return sum(r["path"] == "/sales-api/salesApiSsi" for r in site.requests)


def timed(env: Env, *args: str, **kwargs: Any) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = env.run(*args, **kwargs)
    return done, time.monotonic() - started


# -- 1. the site errs ----------------------------------------------------------------------------
@pytest.mark.parametrize(("mode", "words"), [
    ("page-500", "the SSI page failed on LinkedIn's side (500)"),
    ("page-503", "the SSI page failed on LinkedIn's side (503)"),
    ("api-500", "failed on LinkedIn's side (500)"),
    ("redirect-loop", "redirect"),
    ("page-hang", "within 8 s"),
])
def test_the_site_errs(seeded: tuple[Env, Any], mode: str, words: str) -> None:
    env, site = seeded
    before = snapshot_of_db(env)
    site.mode = mode
    done, seconds = timed(env, "collect", "--force", "--timeout", "8", site=site)
    run = assert_failed_run(env, before, done, 6, "network_error", words)
    assert run["finished_at"] and run["status"] != "running"
    if mode == "redirect-loop":
        assert seconds < 8, seconds  # ends well within --timeout
    assert seconds < 8 + 6, seconds  # whatever happens, the visit's deadline holds (and artifacts are bounded)
    no_browser_left(env.data)
    record(f"site: {mode}", done, seconds, "a network_error run; no snapshot")


def test_nothing_listens(seeded: tuple[Env, Any]) -> None:
    env, _ = seeded
    before = snapshot_of_db(env)
    done, seconds = timed(env, "--base-url", f"http://127.0.0.1:{free_port()}", "collect", "--force",
                          "--timeout", "20")
    assert_failed_run(env, before, done, 6, "network_error", "could not reach")
    assert seconds < 10, seconds
    no_browser_left(env.data)
    record("site: connection refused", done, seconds, "a network_error run; no snapshot")


# -- 2. the database is busy or broken -------------------------------------------------------------
def hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    """Another program's write transaction (a sqlite3 shell, a Datasette plugin that writes)."""
    ready = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO settings (key, value) VALUES ('held', 'by another program')")
        ready.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    ready.wait(5)
    return thread


def test_a_write_lock_held_a_few_seconds_is_waited_for(seeded: tuple[Env, Any]) -> None:
    env, site = seeded
    holder = hold_write_lock(env.db, 3)
    done, seconds = timed(env, "collect", "--force", site=site)
    holder.join()
    assert done.returncode == 0, done.stderr
    assert seconds >= 2.5 and len(env.rows("SELECT id FROM snapshots")) == 2
    record("database: locked 3 s by another program", done, seconds, "the snapshot, after the wait")


def test_a_write_lock_held_too_long_is_one_clear_line(seeded: tuple[Env, Any]) -> None:
    env, site = seeded
    before = snapshot_of_db(env)
    holder = hold_write_lock(env.db, 6)
    done, seconds = timed(env, "collect", "--force", site=site, hooks=("--busy-ms", "2000"))
    holder.join()
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert "kept it locked for more than 2 s" in done.stderr and str(env.db) in done.stderr
    assert snapshot_of_db(env) == before and integrity(env) == "ok"
    assert not env.rows("SELECT * FROM runs WHERE status = 'running'")
    no_browser_left(env.data)
    record("database: locked longer than the wait", done, seconds, "nothing (the file could not be written)")


@pytest.mark.parametrize("damage", ["random bytes", "empty", "cut short"])
def test_a_file_that_is_not_a_database_is_named_and_never_touched(seeded: tuple[Env, Any], damage: str,
                                                                   tmp_path: Path) -> None:
    env, site = seeded
    with sqlite3.connect(env.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    good = env.db.read_bytes()
    bad = tmp_path / "bad.db"
    bad.write_bytes({"random bytes": random.Random(1).randbytes(50_000), "empty": b"",
                     "cut short": good[: len(good) // 2]}[damage])
    content = bad.read_bytes()
    for command in (("collect", "--force"), ("history",), ("doctor",)):
        done, seconds = timed(env, "--db", str(bad), *command, site=site)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and str(bad) in done.stderr + done.stdout, done.stderr
        assert bad.read_bytes() == content, f"{command} changed the file"
        assert not Path(f"{bad}-wal").exists() or Path(f"{bad}-wal").stat().st_size == 0
        if command[0] == "collect":
            record(f"database: {damage}", done, seconds, "nothing; the file is left as it was")


def test_a_folder_that_cannot_be_written(seeded: tuple[Env, Any], tmp_path: Path) -> None:
    env, site = seeded
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        done, seconds = timed(env, "--db", str(folder / "ssi.db"), "collect", site=site)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)
    assert done.returncode == 1 and "Traceback" not in done.stderr and str(folder) in done.stderr, done.stderr
    record("database: folder not writable", done, seconds, "nothing")


# -- 3. the process is stopped -------------------------------------------------------------------
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_the_visit(seeded: tuple[Env, Any], signum: int, code: int) -> None:
    env, site = seeded
    before = snapshot_of_db(env)
    site.mode = "hang"
    asked = api_requests(site)
    process = env.popen("collect", "--force", "--timeout", "40", site=site)
    wait_for(lambda: api_requests(site) > asked, 30, "the visit")
    time.sleep(0.5)
    started = time.monotonic()
    process.send_signal(signum)
    out, err = process.communicate(timeout=30)
    seconds = time.monotonic() - started
    done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    assert process.returncode == code, (process.returncode, err)
    assert seconds < 10, seconds
    assert err.count("\n") == 1 and "Traceback" not in err and "interrupted" in err, err
    run = env.rows("SELECT * FROM runs ORDER BY id DESC LIMIT 1")[0]
    assert run["status"] == "interrupted" and signal.Signals(signum).name in run["message"], run
    assert snapshot_of_db(env) == before and integrity(env) == "ok"
    no_browser_left(env.data)
    record(f"process: {signal.Signals(signum).name} during the visit", done, seconds, "an interrupted run")


def test_stopped_and_continued_as_a_sleeping_machine(seeded: tuple[Env, Any]) -> None:
    env, site = seeded
    site.mode = "slow"
    site.slow_seconds = 3
    started = time.monotonic()
    asked = api_requests(site)
    process = env.popen("collect", "--force", "--timeout", "20", site=site)
    wait_for(lambda: api_requests(site) > asked, 30, "the visit")
    process.send_signal(signal.SIGSTOP)
    assert browsers(env.data), "the visit's browser is found by its profile (what no_browser_left looks for)"
    time.sleep(5)
    process.send_signal(signal.SIGCONT)
    out, err = process.communicate(timeout=60)
    seconds = time.monotonic() - started
    assert process.returncode in (0, 6), err  # finished, or timed out cleanly
    assert "Traceback" not in err
    run = env.rows("SELECT * FROM runs ORDER BY id DESC LIMIT 1")[0]
    assert run["status"] in ("ok", "network_error") and integrity(env) == "ok"
    no_browser_left(env.data)
    record("process: stopped 5 s (SIGSTOP) and continued", subprocess.CompletedProcess([], process.returncode,
                                                                                         out, err),
           seconds, "the snapshot" if process.returncode == 0 else "a network_error run")


# -- 4. the scheduler's child misbehaves -----------------------------------------------------------
def test_a_child_past_its_budget_is_stopped_with_its_browser_and_retried_later(seeded: tuple[Env, Any]) -> None:
    env, site = seeded
    env.db.unlink()  # no snapshot today: the daemon must collect
    for extra in ("-wal", "-shm"):
        Path(f"{env.db}{extra}").unlink(missing_ok=True)
    site.mode = "hang"
    daemon = subprocess.Popen(
        [SSI, "schedule", "--at", "00:00", "--jitter", "0", "--tz", "UTC", "--child-timeout", "6",
         "--retry-after", "600", "--heartbeat", "1"],
        env={**os.environ, "SSI_DATA_DIR": str(env.data), "SSI_DB": str(env.db), "SSI_BASE_URL": site.url},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        children: list[int] = []

        def collectors() -> list[str]:
            found = subprocess.run(["pgrep", "-f", "collector .*collect --all"], capture_output=True, text=True)
            return found.stdout.split()

        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            children.append(len(collectors()))
            runs = env.rows_when_ready("SELECT * FROM runs WHERE trigger = 'scheduled'")
            if runs and runs[-1]["status"] != "running":
                break
            time.sleep(0.3)
        assert max(children) == 1, children  # never two children at once
        run = env.rows("SELECT * FROM runs WHERE trigger = 'scheduled' ORDER BY id")[-1]
        assert run["status"] == "interrupted", run
        no_browser_left(env.data)
        time.sleep(3)  # a few heartbeats: no second try before the back-off
        assert len(env.rows("SELECT * FROM runs WHERE trigger = 'scheduled'")) == 1
    finally:
        daemon.send_signal(signal.SIGTERM)
        _, log = daemon.communicate(timeout=30)
    assert "outlived its 6 s and is stopped" in log and "Traceback" not in log, log
    said = next(line for line in log.splitlines() if "outlived" in line).split(" WARNING ", 1)[-1]
    from collector.days import parse_moment

    took = (parse_moment(run["finished_at"]) - parse_moment(run["started_at"])).total_seconds()
    record("scheduler: the child hangs past its budget (6 s)", subprocess.CompletedProcess([], None, "", said),  # type: ignore[arg-type]
           took, "an interrupted run, its browser gone; retried after the back-off")
