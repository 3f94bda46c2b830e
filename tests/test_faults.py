"""Hardening: what goes wrong around a collection ends with the right exit code, a precise
`runs` row, no snapshot, and every earlier row intact; the database survives being killed."""

from __future__ import annotations

import json
import hashlib
import os
import random
import signal
import sqlite3
import string
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HARNESS, SSI, Env
from tests.measured import record
from tests.test_schedule import descendants, wait_for


@pytest.fixture
def seeded(env: Env, site_factory: Any) -> tuple[Env, Any, str]:
    """A database holding one good collection, a stand-in, and a session file."""
    site = site_factory()
    state = env.state_file(site)
    assert env.run("collect", "--auth", state, site=site).returncode == 0
    return env, site, state


def snapshot_of_db(env: Env) -> tuple[Any, ...]:
    return (env.rows("SELECT * FROM snapshots ORDER BY id"),
            env.rows("SELECT id, kind, size FROM raw_pages ORDER BY id"),
            env.rows("SELECT * FROM runs WHERE id = 1"))


def integrity(env: Env) -> str:
    with sqlite3.connect(env.db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def assert_failed_run(env: Env, before: tuple[Any, ...], done: subprocess.CompletedProcess[str], code: int,
                      status: str, words: str) -> dict[str, Any]:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert words in done.stderr, done.stderr
    after = snapshot_of_db(env)
    assert after == before, "no new snapshot, and earlier rows untouched"
    run = env.rows("SELECT * FROM runs ORDER BY id DESC LIMIT 1")[0]
    assert run["status"] == status and words in run["message"] and run["snapshot_id"] is None
    assert integrity(env) == "ok"
    return run


def test_browser_killed_mid_run(seeded: tuple[Env, Any, str]) -> None:
    env, site, _ = seeded
    before = snapshot_of_db(env)
    site.mode = "hang"
    process = env.popen("collect", "--force", "--timeout", "30", site=site)
    wait_for(lambda: sum(r["path"] == "/sales-api/salesApiSsi" for r in site.requests) >= 2, 20, "the visit")
    browsers = [pid for pid, command in descendants(process.pid) if "chrom" in command or "headless" in command]
    assert browsers
    killed = time.monotonic()
    for pid in browsers:
        os.kill(int(pid), signal.SIGKILL)
    out, err = process.communicate(timeout=60)
    done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    assert_failed_run(env, before, done, 1, "error", "the browser stopped")
    record("process: the browser is killed mid-visit", done, time.monotonic() - killed, "an error run; no snapshot")


@pytest.mark.parametrize("problem", ["missing", "not executable"])
def test_browser_executable_unusable(seeded: tuple[Env, Any, str], tmp_path: Path, problem: str) -> None:
    env, site, _ = seeded
    before = snapshot_of_db(env)
    path = tmp_path / "chrome"
    if problem == "not executable":
        path.write_text("#!/bin/sh\n")
        path.chmod(0o644)
    done = env.run("--browser-path", str(path), "collect", "--force", site=site)
    assert_failed_run(env, before, done, 1, "error", f"--browser-path {path} is not an executable file")


def test_site_stops_answering_mid_page(seeded: tuple[Env, Any, str]) -> None:
    env, site, _ = seeded
    before = snapshot_of_db(env)
    site.mode = "dies"
    done = env.run("collect", "--force", "--timeout", "5", site=site)
    run = assert_failed_run(env, before, done, 6, "network_error", "did not finish loading within 5 s")
    assert run["artifacts"] and (Path(run["artifacts"]) / "page.html").exists()


def test_dns_failure(seeded: tuple[Env, Any, str]) -> None:
    env = seeded[0]
    before = snapshot_of_db(env)
    # The name cannot resolve (.invalid is reserved for that); a session for that site goes along.
    state = env.data.parent / "invalid-state.json"
    state.write_text(json.dumps({"cookies": [{"name": "li_at", "value": "AQEDA" + "x" * 40, "path": "/",
                                              "domain": "ssi-collector-test.invalid", "expires": -1}]}))
    done = env.run("--base-url", "http://ssi-collector-test.invalid", "collect", "--force", "--auth", str(state))
    assert_failed_run(env, before, done, 6, "network_error", "could not reach http://ssi-collector-test.invalid")


def test_collect_succeeds_while_a_reader_holds_the_database(seeded: tuple[Env, Any, str]) -> None:
    env, site, _ = seeded
    reader = sqlite3.connect(env.db)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 1  # a read transaction, held
    done = env.run("collect", "--force", site=site)
    assert done.returncode == 0, done.stderr
    assert reader.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 1  # its snapshot of the past
    reader.rollback()
    assert reader.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 2
    reader.close()


@pytest.fixture
def read_only(seeded: tuple[Env, Any, str]) -> Iterator[Path]:
    env = seeded[0]
    with sqlite3.connect(env.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if os.geteuid() == 0:  # root ignores permission bits: make the file immutable instead
        subprocess.run(["chattr", "+i", str(env.db)], check=True)
    else:
        env.db.chmod(0o444)
    yield env.db
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(env.db)], check=True)
    env.db.chmod(0o644)


def test_read_only_database(seeded: tuple[Env, Any, str], read_only: Path) -> None:
    env, site, _ = seeded
    digest = hashlib.sha256(read_only.read_bytes()).hexdigest()
    done = env.run("collect", "--force", site=site)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "it is read-only" in done.stderr and str(env.db) in done.stderr
    assert hashlib.sha256(read_only.read_bytes()).hexdigest() == digest


def test_full_disk(seeded: tuple[Env, Any, str]) -> None:
    env, site, _ = seeded
    before = snapshot_of_db(env)
    conn = sqlite3.connect(env.db)
    conn.execute("VACUUM")  # pack the pages, so that new data needs new pages
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    before = snapshot_of_db(env)
    # Not one page more: the run's small row still fits in the pages there are; today's page does
    # not (a new page, made large and incompressible here by a 30 KB industry name).
    industry = next(g for g in site.body["groupScore"] if g["groupType"] == "INDUSTRY")
    industry["industry"] = "".join(random.Random(1).choice(string.ascii_letters) for _ in range(30_000))
    done = env.run("collect", "--force", site=site, hooks=("--max-pages", str(pages)))
    assert done.returncode == 1, done.stderr
    assert "the disk is full" in done.stderr and "nothing stored before was changed" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot_of_db(env) == before and integrity(env) == "ok"
    # With room again, the next collection works and says what happened to the cut-short one.
    assert env.run("collect", "--force", site=site).returncode == 0
    statuses = [r["status"] for r in env.rows("SELECT status FROM runs ORDER BY id")]
    assert statuses[0] == "ok" and statuses[-1] == "ok" and statuses[1] in ("error", "interrupted")


def test_database_from_a_newer_version_is_refused_untouched(seeded: tuple[Env, Any, str]) -> None:
    env, site, _ = seeded
    with sqlite3.connect(env.db) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('ssi-collector', 'm900_future', '2031-01-01')")
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    digest = hashlib.sha256(env.db.read_bytes()).hexdigest()
    requests = len(site.requests)
    for command in (["collect", "--force"], ["history"], ["export", "--format", "json"]):
        done = env.run(*command, site=site)
        assert done.returncode == 1 and "written by a newer ssi-collector" in done.stderr, command
        assert "m900_future" in done.stderr and "Traceback" not in done.stderr
    assert hashlib.sha256(env.db.read_bytes()).hexdigest() == digest
    assert all(r["path"] != "/sales/ssi" for r in site.requests[requests:])  # nothing fetched either


def test_killed_during_the_database_write(seeded: tuple[Env, Any, str], tmp_path: Path) -> None:
    env, site, _ = seeded
    before = snapshot_of_db(env)
    marker = tmp_path / "in-the-write"
    process = subprocess.Popen(
        [*HARNESS, "--pause-before-commit", str(marker), "--", "collect", "--force"],
        env={**os.environ, "SSI_DATA_DIR": str(env.data), "SSI_DB": str(env.db), "SSI_BASE_URL": site.url},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for(marker.exists, 30, "the pause point inside the write")
    process.kill()  # SIGKILL, mid-transaction
    process.wait()
    assert integrity(env) == "ok"
    assert snapshot_of_db(env) == before
    assert env.rows("SELECT status FROM runs ORDER BY id DESC LIMIT 1") == [{"status": "running"}]
    done = env.run("collect", "--force", site=site)
    assert done.returncode == 0, done.stderr
    runs = env.rows("SELECT status, message FROM runs ORDER BY id")
    assert [r["status"] for r in runs] == ["ok", "interrupted", "ok"]
    assert len(env.rows("SELECT id FROM snapshots")) == 2 and integrity(env) == "ok"


def test_collect_while_the_scheduler_runs(seeded: tuple[Env, Any, str]) -> None:
    env, site, _ = seeded
    daemon = subprocess.Popen(
        [SSI, "schedule", "--at", "00:00", "--jitter", "0", "--heartbeat", "0.3", "--profile", "other"],
        env={**os.environ, "SSI_DATA_DIR": str(env.data), "SSI_DB": str(env.db), "SSI_BASE_URL": site.url},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: (env.data / "logs" / "ssi.log").exists(), 20, "the daemon")
        done = env.run("collect", "--force", site=site)  # the daemon holds its own lock, not this profile's
        assert done.returncode == 0, done.stderr
        assert daemon.poll() is None
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.communicate(timeout=30)
    assert len(env.rows("SELECT id FROM snapshots WHERE profile = 'default'")) == 2


def test_collect_while_browse_serves(seeded: tuple[Env, Any, str]) -> None:
    import json
    import urllib.parse
    import urllib.request

    from tests.test_login import free_port

    env, site, _ = seeded
    port = free_port()
    browse = subprocess.Popen([SSI, "--db", str(env.db), "browse", "--port", str(port)],
                              env={**os.environ, "SSI_DATA_DIR": str(env.data)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sql = urllib.parse.quote("select count(*) as n from snapshots")
    url = f"http://127.0.0.1:{port}/{env.db.stem}.json?sql={sql}&_shape=array"

    def count() -> int | None:
        try:
            return int(json.load(urllib.request.urlopen(url, timeout=2))[0]["n"])
        except OSError:
            return None

    try:
        assert wait_for(count, 30, "Datasette") == 1
        done = env.run("collect", "--force", site=site)
        assert done.returncode == 0, done.stderr
        assert count() == 2  # served read-only, and sees the new row at once
    finally:
        browse.terminate()
        browse.communicate(timeout=20)


def test_a_page_that_cannot_be_kept_still_ends_its_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page_changed failure whose page cannot be stored (the disk is full) still finishes its run."""
    from collector.collection import Request, collect
    from collector.outcomes import PageChanged, StoreError
    from collector.store import Store

    from collector.browser import Browser

    monkeypatch.setenv("SSI_DATA_DIR", str(tmp_path / "data"))
    store = Store(tmp_path / "ssi.db")
    legacy = tmp_path / "data" / "profiles" / "default" / "state.json"  # a session to visit with
    legacy.parent.mkdir(parents=True)
    legacy.write_text(json.dumps({"cookies": [{"name": "li_at", "value": "x", "domain": "127.0.0.1", "path": "/"}]}))

    class Unreadable:
        browser = Browser("/usr/bin/chromium", "test", False)
        version = "156.0.0.0"

        def capture(self, visit: Any, check: Any) -> Any:
            error = PageChanged("the page could not be read (no SSI figures); please report it")
            error.raw = ("<html><body>a layout nobody knows</body></html>", None)
            raise error

    def full(*args: Any, **kwargs: Any) -> str:
        raise StoreError("cannot save the page in ssi.db: the disk is full (free some space)")

    monkeypatch.setattr(store, "save_raw", full)
    with pytest.raises(PageChanged):
        collect(store, Request(profile="default", base_url="http://127.0.0.1:9"), session=Unreadable())  # type: ignore[arg-type]
    [run] = list(store.db.query("SELECT status, finished_at, raw_id FROM runs"))
    assert run["status"] == "page_changed" and run["finished_at"] and run["raw_id"] is None
