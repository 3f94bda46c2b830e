"""The real daemon against the stand-in: catch-up, no double snapshot, retries, alerts, services."""

from __future__ import annotations

import json
import logging
import os
import plistlib
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import parsers
from collector.store import Store
from tests.conftest import CORPUS, SSI, Env, Receiver, give_session
from tests.test_secrets import assert_no_secrets

FAST = ["--at", "00:00", "--jitter", "0", "--heartbeat", "0.3"]


class Daemon:
    def __init__(self, env: Env, site: Any, *args: str) -> None:
        self.process = subprocess.Popen(
            [SSI, "schedule", *args],
            env={**os.environ, "SSI_DATA_DIR": str(env.data), "SSI_DB": str(env.db), "SSI_BASE_URL": site.url},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.err = ""

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        _, self.err = self.process.communicate(timeout=30)
        return self.err


@pytest.fixture
def daemons() -> Iterator[Callable[..., Daemon]]:
    started: list[Daemon] = []

    def start(env: Env, site: Any, *args: str) -> Daemon:
        daemon = Daemon(env, site, *args)
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        if daemon.process.poll() is None:
            daemon.process.kill()
            daemon.process.communicate()


def wait_for(condition: Callable[[], Any], seconds: float = 30, what: str = "condition") -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_catch_up_at_start_then_a_restart_adds_nothing(env: Env, site_factory: Any,
                                                        daemons: Any) -> None:
    site = site_factory()
    give_session(env, site)
    first = daemons(env, site, *FAST)
    wait_for(lambda: env.rows_when_ready("SELECT id FROM runs WHERE status = 'ok'"), 30, "the catch-up snapshot")
    # Between runs no browser (nor any other child) is left running under the daemon.
    wait_for(lambda: not descendants(first.process.pid), 10, "the collection's processes to end")
    err = first.stop()
    assert "reason=catch-up" in err and "run: profile=default trigger=scheduled status=ok" in err
    [run] = env.rows("SELECT trigger, status FROM runs")
    assert run == {"trigger": "scheduled", "status": "ok"}
    log = (env.data / "logs" / "ssi.log").read_text()
    assert "trigger=scheduled status=ok duration=" in log
    # Manual collections will count days in the zone this schedule runs in.
    assert env.rows("SELECT key FROM settings") == [{"key": "day_zone"}]

    second = daemons(env, site, *FAST)
    time.sleep(3)  # ten heartbeats
    err = second.stop()
    assert "collect:" not in err
    assert len(env.rows("SELECT id FROM snapshots")) == 1 and len(env.rows("SELECT id FROM runs")) == 1
    assert sum(r["path"] == "/sales/ssi" for r in site.requests) == 1


def descendants(pid: int) -> list[tuple[str, str]]:
    """(pid, command) of every process below ``pid``."""
    table = [line.split(None, 2) for line in
             subprocess.run(["ps", "-eo", "pid=,ppid=,comm="], capture_output=True, text=True).stdout.splitlines()]
    below, found = {str(pid)}, []
    changed = True
    while changed:
        changed = False
        for child, parent, command in table:
            if parent in below and child not in below:
                below.add(child)
                found.append((child, command))
                changed = True
    return found


def test_expired_session_alerts_exactly_once_and_is_never_retried(env: Env, site_factory: Any,
                                                                  daemons: Any, receiver: Receiver) -> None:
    site = site_factory()
    give_session(env, site)
    site.expire_sessions()  # LinkedIn signed the session out
    args = [*FAST, "--notify", receiver.url, "--retry-after", "0.2"]
    first = daemons(env, site, *args)
    wait_for(lambda: receiver.received, 30, "the alert")
    time.sleep(2)
    first.stop()
    second = daemons(env, site, *args)  # a restart must not alert again, nor try again
    time.sleep(2)
    second.stop()
    assert len(receiver.received) == 1
    alert = receiver.received[0]
    assert "sign in again" in alert["title"] and "ssi --profile default login" in alert["message"]
    assert [r["status"] for r in env.rows("SELECT status FROM runs")] == ["login_required"]
    assert env.rows("SELECT kind, delivered FROM alerts") == [{"kind": "login", "delivered": 1}]
    env.outputs += [first.err, second.err, json.dumps(receiver.received)]
    assert_no_secrets(env, site)  # the log file, the daemon's output and the alert included


def test_failures_are_retried_with_backoff_then_reported_once(env: Env, site_factory: Any,
                                                              daemons: Any, receiver: Receiver) -> None:
    site = site_factory("api-500")
    give_session(env, site)
    daemon = daemons(env, site, *FAST, "--notify", receiver.url, "--max-tries", "3", "--retry-after", "0.5")
    wait_for(lambda: receiver.received, 60, "the failure alert")
    time.sleep(2)
    err = daemon.stop()
    runs = env.rows("SELECT status FROM runs ORDER BY id")
    assert [r["status"] for r in runs] == ["network_error"] * 3
    assert "retry 2 of 3" in err and "retry 3 of 3" in err
    assert len(receiver.received) == 1 and "after 3 attempt(s)" in receiver.received[0]["message"]


def test_a_drop_in_the_score_is_reported(env: Env, site_factory: Any, playwright: Any, daemons: Any,
                                         receiver: Receiver) -> None:
    site = site_factory()
    give_session(env, site)
    store = Store(env.db)
    base = parsers.parse((CORPUS / "api-bare-free.json").read_bytes())
    high = parsers.Snapshot(70.0, base.pillars, base.industry, base.network, "api")
    three_days_ago = (date.today() - timedelta(days=3)).isoformat()
    store.save_snapshot("default", high, f"{three_days_ago}T09:00:00+00:00", three_days_ago,
                        raw_id=None, api_raw_id=None, run_id=None)
    store.close()
    daemon = daemons(env, site, *FAST, "--notify", receiver.url, "--drop-alert", "5")
    wait_for(lambda: receiver.received, 30, "the drop alert")
    daemon.stop()
    [alert] = receiver.received
    assert "down 11.1 points" in alert["title"] and "58.91" in alert["message"] and "70.00" in alert["message"]


def test_one_scheduler_per_database(env: Env, site_factory: Any, daemons: Any) -> None:
    site = site_factory()
    first = daemons(env, site, *FAST)
    wait_for(lambda: (env.data / "logs" / "ssi.log").exists(), 20, "the first daemon")
    second = daemons(env, site, *FAST)
    _, err = second.process.communicate(timeout=30)
    assert second.process.returncode == 7
    assert "a scheduler for" in err and "already running" in err and str(first.process.pid) in err
    first.stop()


def test_a_child_that_dies_without_a_word_still_counts_as_a_try(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: Env) -> None:
    """A broken install, a database the child cannot open: no run row from the child. The daemon
    writes one itself, so the try is counted and backed off instead of repeated every second."""
    from collector.schedule import daemon as scheduler
    from collector.schedule.planning import Policy

    (env.data / "profiles" / "p").mkdir(parents=True)
    monkeypatch.setenv("SSI_DATA_DIR", str(env.data))
    monkeypatch.setattr(scheduler.sys, "executable", "/bin/false")
    from datetime import time as clock

    policy = Policy(at=clock(0, 0), jitter=timedelta(0), max_tries=2)
    daemon = scheduler.Daemon(scheduler.Options(db=env.db, base_url="http://127.0.0.1:9", browser_path=None,
                                                policy=policy, tz_name=None, profiles=("p",)))
    first_look = daemon.tick("test")
    runs = env.rows("SELECT trigger, status, message FROM runs")
    assert runs == [{"trigger": "scheduled", "status": "error",
                     "message": "the collection process ended without a result: no output, exit 1"}]
    assert first_look is not None and first_look > daemon.now() + timedelta(minutes=9)  # backed off
    daemon.tick("test")  # nothing due yet: no second try a moment later
    assert len(env.rows("SELECT id FROM runs")) == 1


def test_heartbeat_notices_a_clock_jump(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                        caplog: pytest.LogCaptureFixture) -> None:
    from collector.schedule import daemon as scheduler
    from collector.schedule.planning import Policy

    daemon = scheduler.Daemon(scheduler.Options(db=tmp_path / "x.db", base_url="http://127.0.0.1:9",
                                                browser_path=None, policy=Policy(), tz_name=None, profiles=()))
    reasons: list[str] = []
    monkeypatch.setattr(daemon, "tick", lambda reason: reasons.append(reason))
    wall, mono = time.time(), time.monotonic()
    daemon._last_beat = (wall - 7200, mono - 30)  # 30 s here, two hours on the wall clock: slept
    logging.getLogger("ssi").propagate = True
    with caplog.at_level(logging.INFO, logger="ssi"):
        daemon._heartbeat()
        daemon._heartbeat()
    assert reasons == ["woke up", "heartbeat"]
    assert "sleep or a clock change" in caplog.text


def test_service_files(env: Env, tmp_path: Path) -> None:
    args = ["schedule", "--at", "07:45", "--jitter", "20", "--tz", "Europe/Paris", "--profile", "work",
            "--notify", "ntfy://ssi-alerts", "--notify", "json://host/path?token=50%25off$x",
            "--drop-alert", "2.5", "--install"]
    unit = env.run(*args, "systemd", "--print")
    assert unit.returncode == 0, unit.stderr
    text = unit.stdout
    exec_line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    for part in ("schedule --at 07:45 --jitter 20 --tz Europe/Paris --profile work", "--notify ntfy://ssi-alerts",
                 '"json://host/path?token=50%%25off$$x"', "--drop-alert 2.5", f"--db {env.db}"):
        assert part in exec_line, part
    assert "Restart=on-failure" in text and "WantedBy=default.target" in text
    assert f"Environment=SSI_DATA_DIR={env.data}" in text
    if shutil.which("systemd-analyze"):
        path = tmp_path / "ssi-collector.service"
        path.write_text(text)
        verify = subprocess.run(["systemd-analyze", "--user", "verify", str(path)], capture_output=True, text=True)
        assert "ssi-collector.service" not in verify.stderr or verify.returncode == 0, verify.stderr

    config = tmp_path / "config"
    written = env.run(*args, "systemd", extra_env={"XDG_CONFIG_HOME": str(config)})
    unit_path = config / "systemd" / "user" / "ssi-collector.service"
    assert written.returncode == 0 and str(unit_path) in written.stdout
    assert "systemctl --user enable --now ssi-collector.service" in written.stdout
    assert unit_path.read_text() == text and unit_path.stat().st_mode & 0o777 == 0o600

    plist = env.run(*args, "launchd", "--print")
    agent = plistlib.loads(plist.stdout.encode())
    program = agent["ProgramArguments"]
    assert program[0].endswith("ssi") and program[program.index("schedule") + 1:program.index("schedule") + 3] == [
        "--at", "07:45"]
    assert "json://host/path?token=50%25off$x" in program  # no shell, no escaping needed
    assert agent["KeepAlive"] == {"SuccessfulExit": False} and agent["RunAtLoad"] is True
    home = tmp_path / "home"
    installed = env.run(*args, "launchd", extra_env={"HOME": str(home)})
    assert installed.returncode == 0 and "launchctl bootstrap" in installed.stdout
    assert plistlib.loads((home / "Library" / "LaunchAgents" / "io.github.ssi-collector.schedule.plist").read_bytes())


def test_bad_options_are_usage_errors(env: Env) -> None:
    assert env.run("schedule", "--at", "25:00").returncode == 2
    bad_zone = env.run("schedule", "--tz", "Mars/Olympus")
    assert bad_zone.returncode == 2 and "unknown time zone" in bad_zone.stderr
    assert env.run("schedule", "--print").returncode == 2
