"""`ssi schedule`: the daily daemon.

APScheduler (3.11, in memory) only keeps time: a heartbeat every half minute and a timer set to the
next moment anything is due. What to do is decided afresh on every tick from the database and the
clock (collector.planning), never from a job store, so a restart, a sleeping laptop or a clock
change can neither lose nor double a day's snapshot.

Each collection runs as a child `ssi collect --trigger scheduled` process: exactly the path of a
manual collection, and no browser (nor Playwright) ever lives in the daemon, whose idle memory
stays that of a small Python process.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..days import DAY_ZONE, parse_moment, utc_iso
from ..days import now as clock_now
from ..store import Store
from .alerts import Alert, send_once
from .planning import (RETRYABLE, WEEKDAYS, Attempt, Day, Decision, Policy, day_end, decide, digest_due, due_at,
                       local_day)

log = logging.getLogger("ssi")

HEARTBEAT = 30.0  # seconds; also how late a wake-up from sleep is noticed at worst
JUMP = 60.0  # wall clock moving this much more than the monotonic clock: slept, or the clock was set
CHILD_TIMEOUT = 300.0  # a collection that outlives this is killed (its own limit is --timeout, 45 s)


@dataclass
class Options:
    db: Path
    base_url: str
    browser_path: str | None
    policy: Policy
    tz_name: str | None  # for the child processes' TZ, so their "today" is the schedule's
    profiles: tuple[str, ...]  # empty: every profile that has a session
    notify: tuple[str, ...] = ()
    drop_alert: float = 3.0
    heartbeat: float = HEARTBEAT
    timeout: float = 45.0
    digest_day: int | None = None  # send the weekly digest on this weekday (0 Monday) to `notify`
    child_timeout: float = CHILD_TIMEOUT  # per profile


def setup_logging(folder: Path) -> Path:
    """One line per event to stderr and to a rotating file (1 MB, 5 files)."""
    path = folder / "ssi.log"
    logger = logging.getLogger("ssi")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    if not logger.handlers:
        fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z")
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(fmt)
        rotating = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        rotating.setFormatter(fmt)
        logger.addHandler(stream)
        logger.addHandler(rotating)
        os.chmod(path, 0o600)
    return path


def _end_group(child: subprocess.Popen[bytes], grace: float = 10.0) -> bytes:
    """Stop a child and everything it started (its browser): SIGTERM to the group, which the
    child answers by closing its browser and marking its run; SIGKILL to what is left after
    ``grace`` seconds (a child stopped with SIGSTOP, or deaf to SIGTERM)."""
    err = b""
    for signum, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, None)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)
        try:
            _, err = child.communicate(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # nothing of it may outlive it
        os.killpg(child.pid, signal.SIGKILL)
    return err or b""


def _session_changed_at(profile: str) -> datetime | None:
    """When a session last began in the profile (`ssi login`, an --auth import), or a session kept
    by an older version was put in place to be imported."""
    from ..browser.session_files import legacy_state_path, load_record

    record = load_record(profile)
    moments = [parse_moment(record.began_at)] if record is not None and record.began_at else []
    legacy = legacy_state_path(profile)
    if legacy.exists():
        moments.append(datetime.fromtimestamp(legacy.stat().st_mtime, timezone.utc))
    return max(moments, default=None)


def _local_zone_name() -> str:
    from tzlocal import get_localzone_name

    return get_localzone_name() or "UTC"


class Daemon:
    def __init__(self, options: Options, *, now: Callable[[], datetime] = clock_now) -> None:
        self.options = options
        self.now = now
        self.store = Store(options.db, any_thread=True)  # used by APScheduler's single worker thread
        self._tick_lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        self._scheduler: Any = None
        self._last_beat = (time.time(), time.monotonic())
        self._stopping = threading.Event()

    # -- what the database says ----------------------------------------------------------------
    def profiles(self) -> list[str]:
        from ..browser.session_files import profiles_with_session

        return list(self.options.profiles) or profiles_with_session(self.options.base_url)

    def today(self, profile: str, now: datetime) -> Day:
        policy = self.options.policy
        day = local_day(now, policy)
        start, end = day_end(day - timedelta(days=1), policy), day_end(day, policy)
        collected = self.store.snapshot_on(profile, day.isoformat()) is not None
        runs = self.store.runs_between(profile, utc_iso(start), utc_iso(end), trigger="scheduled")
        # Every try that counts for the day's back-off: failures, a login failure, a busy profile.
        attempts = tuple(Attempt(parse_moment(r["finished_at"] or r["started_at"]), r["status"]) for r in runs
                         if r["status"] != "ok")
        return Day(collected=collected, attempts=attempts)

    def needs_login(self, profile: str) -> bool:
        """The last real attempt found the session dead, and nobody has signed in since."""
        last = self.store.last_finished_run(profile)
        if last is None or last["status"] != "login_required":
            return False
        changed = _session_changed_at(profile)
        return changed is None or changed <= parse_moment(last["finished_at"] or last["started_at"])

    # -- ticks ---------------------------------------------------------------------------------
    def tick(self, reason: str) -> datetime | None:
        """Collect every profile that is due, in one browser; return when to look again."""
        if not self._tick_lock.acquire(blocking=False):
            return None  # a tick is already collecting; it will reschedule
        try:
            due = []
            for profile in self.profiles():
                decision = self._decide(profile)
                if decision.action == "collect":
                    log.info("collect: profile=%s reason=%s (%s)", profile, decision.reason, reason)
                    due.append(profile)
            if due and not self._stopping.is_set():
                self._collect(due)
            wake = [d.at for d in (self._decide(p) for p in self.profiles()) if d.at is not None]
            if self.options.digest_day is not None and not self._stopping.is_set():
                wake.append(self.send_digests())
            return min(wake) if wake else None
        finally:
            self._tick_lock.release()

    def _decide(self, profile: str) -> Decision:
        now = self.now()
        return decide(profile, now, self.options.policy, self.today(profile, now),
                      needs_login=self.needs_login(profile))

    def _collect(self, profiles: list[str]) -> None:
        """One child `ssi collect --all` for the due profiles: one browser for all of them."""
        opts = self.options
        args = ["--base-url", opts.base_url, *(["--browser-path", opts.browser_path] if opts.browser_path else []),
                "collect", "--all", "--trigger", "scheduled", "--timeout", f"{opts.timeout:g}"]
        for profile in profiles:
            args += ["--profile", profile]
        before = self.store.last_run_id()
        code, err = self._run_child(args, opts.child_timeout * len(profiles), "collect: the collection")
        ended = self.now()
        last_words = (err.decode("utf-8", "replace").strip().splitlines() or [f"no output, exit {code}"])[-1]
        for profile in profiles:
            run = self._outcome_of(profile, before, ended, last_words)
            duration = parse_moment(run["finished_at"] or run["started_at"]) - parse_moment(run["started_at"])
            log.info("run: profile=%s trigger=scheduled status=%s duration=%.1fs exit=%s %s",
                     profile, run["status"], duration.total_seconds(), code, run["message"])
            self._after_run(profile, run["status"], run["message"], run)

    def _outcome_of(self, profile: str, before: int, ended: datetime, last_words: str) -> dict[str, Any]:
        """The child's finished run for ``profile``. A child that died before writing one (a broken
        install, a database it could not open) or was killed mid-run still gets a row, so that the
        day's tries are counted and backed off like any other failure."""
        run = self.store.latest_run_after(profile, before)
        stamp = utc_iso(ended)
        if run is not None and run["status"] == "running":
            self.store.mark_interrupted(profile, stamp)
        elif run is None:
            run_id = self.store.start_run(profile, "scheduled", stamp, os.getpid())
            self.store.finish_run(run_id, "error", f"the collection process ended without a result: {last_words}",
                                  stamp)
        found = self.store.latest_run_after(profile, before)
        assert found is not None  # written just above, if the child wrote nothing
        return found

    def _after_run(self, profile: str, status: str, message: str, run: dict[str, Any] | None) -> None:
        opts = self.options
        now = self.now()
        day = local_day(now, opts.policy).isoformat()
        run_id = run["id"] if run else None
        if status == "login_required":
            send_once(self.store, opts.notify, Alert(
                profile, "login", day, f"SSI collector: sign in again ({profile})",
                f"The LinkedIn session of profile '{profile}' needs a login: {message}\n"
                f"Run `ssi --profile {profile} login`. No more attempts will be made until you do.", run_id))
        elif status in RETRYABLE:
            decision = self._decide(profile)
            if decision.action == "gave_up":
                send_once(self.store, opts.notify, Alert(
                    profile, "failed", day, f"SSI collector: no snapshot today ({profile})",
                    f"No snapshot for profile '{profile}' today after {decision.failures} attempt(s): "
                    f"{decision.reason}. Last: {status}: {message}", run_id))
        elif status == "ok" and run is not None and run["snapshot_id"]:
            self._check_drop(profile, day, run)

    def _check_drop(self, profile: str, day: str, run: dict[str, Any]) -> None:
        snap = self.store.snapshot(run["snapshot_id"])
        if snap is None:
            return
        week_ago = (datetime.fromisoformat(snap["day"]) - timedelta(days=7)).date().isoformat()
        best = self.store.best_since(profile, week_ago, snap["day"])
        if best is not None and best - snap["ssi"] > self.options.drop_alert:
            send_once(self.store, self.options.notify, Alert(
                profile, "drop", day, f"SSI collector: SSI down {best - snap['ssi']:.1f} points ({profile})",
                f"Profile '{profile}': SSI {snap['ssi']:.2f} today, down from {best:.2f} within the last 7 days "
                f"(alert threshold {self.options.drop_alert:g}). See `ssi history`.", run["id"]))

    def send_digests(self) -> datetime:
        """Send each profile's weekly digest once it is due: once per profile and week (recorded
        in `alerts` under the week's Monday, delivered or not), nothing for a week without a
        snapshot. Sent by a child `ssi digest --send`, as collections are, so that the chart's
        matplotlib never lives in the daemon. Returns when the next one is due."""
        from ..trends.digest import build

        opts = self.options
        assert opts.digest_day is not None
        now = self.now()
        monday, due = digest_due(now, opts.policy, opts.digest_day)
        if now >= due:
            for profile in self.profiles():
                if self.store.alerted(profile, "digest", monday.isoformat()):
                    continue
                found = build(self.store, profile, monday)
                if found is None:
                    log.info("digest: profile=%s week of %s has no snapshot; nothing sent", profile, monday)
                    continue
                delivered = self._send_digest(profile, found.week)
                self.store.record_alert(profile, "digest", monday.isoformat(), utc_iso(self.now()), found.title(),
                                        found.to_text(), delivered, None)
                log.info("digest: profile=%s week=%s delivered=%s", profile, found.week,
                         "yes" if delivered else "NO")
        # The next one: this one if it is still to come, else a week on (on the wall clock).
        return due if now < due else (due.astimezone(opts.policy.tz) + timedelta(days=7)).astimezone(timezone.utc)

    def _send_digest(self, profile: str, week: str) -> bool:
        # JSON: the cheapest format to write; what counts is --send and the exit code.
        args = ["--profile", profile, "digest", "--week", week, "--format", "json"]
        for url in self.options.notify:
            args += ["--send", url]
        code, err = self._run_child(args, self.options.child_timeout, "digest: the sending")
        if code != 0:
            said = err.decode("utf-8", "replace").strip().splitlines()
            log.warning("digest: profile=%s not sent (exit %d): %s", profile, code, said[-1] if said else "no output")
        return code == 0

    def _run_child(self, args: list[str], budget: float, which: str) -> tuple[int, bytes]:
        """`python -m collector --db DB ARGS...` as the daemon's one child (SIGTERM to the daemon
        stops it too), in the schedule's zone (so the child's "today" is the schedule's), in a
        process group of its own, so that a child past ``budget`` seconds goes with its browser.
        Returns its exit code and what it said on stderr."""
        opts = self.options
        command = [sys.executable, "-m", "collector", "--db", str(opts.db), *args]
        env = {**os.environ, **({"TZ": opts.tz_name} if opts.tz_name else {})}
        self._child = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = self._child.communicate(timeout=budget)
        except subprocess.TimeoutExpired:
            log.warning("%s process outlived its %.0f s and is stopped", which, budget)
            err = _end_group(self._child)
        code, self._child = self._child.returncode, None
        return code, err

    # -- the APScheduler side ------------------------------------------------------------------
    def _safe_tick(self, reason: str) -> datetime | None:
        try:
            return self.tick(reason)
        except Exception:  # a bug or a broken database: say so, keep the daemon alive for the next tick
            log.exception("tick failed (%s)", reason)
            return None

    def _due_job(self, reason: str) -> None:
        self._reschedule(self._safe_tick(reason))

    def _heartbeat(self) -> None:
        wall, mono = time.time(), time.monotonic()
        slipped = (wall - self._last_beat[0]) - (mono - self._last_beat[1])
        self._last_beat = (wall, mono)
        if abs(slipped) > JUMP:
            log.info("clock: the wall clock moved %+.0fs more than time passed here (sleep or a clock change); "
                     "checking what is due", slipped)
        self._reschedule(self._safe_tick("woke up" if abs(slipped) > JUMP else "heartbeat"))

    def _reschedule(self, when: datetime | None) -> None:
        if self._scheduler is None or when is None or self._stopping.is_set():
            return
        when = max(when, self.now() + timedelta(seconds=1))
        self._scheduler.add_job(self._due_job, "date", run_date=when, args=["scheduled"], id="due",
                                replace_existing=True, misfire_grace_time=None, coalesce=True)

    def run(self) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.blocking import BlockingScheduler

        opts = self.options
        scheduler = BlockingScheduler(timezone=timezone.utc, executors={"default": ThreadPoolExecutor(1)},
                                      job_defaults={"coalesce": True, "max_instances": 1})
        self._scheduler = scheduler
        scheduler.add_job(self._heartbeat, "interval", seconds=opts.heartbeat, id="heartbeat",
                          misfire_grace_time=None)
        scheduler.add_job(self._due_job, "date", run_date=self.now(), args=["start"], id="due",
                          misfire_grace_time=None)

        def stop(signum: int, frame: Any) -> None:
            log.info("stopping (signal %d)", signum)
            self._stopping.set()
            child = self._child
            if child is not None and child.poll() is None:
                child.terminate()
            scheduler.shutdown(wait=False)

        # Manual collections must count days in the same zone as this schedule does.

        self.store.set_setting(DAY_ZONE, opts.tz_name or _local_zone_name())

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        profiles = ", ".join(self.profiles()) or "none with a session yet"
        at = opts.policy.at.strftime("%H:%M")
        log.info("schedule: daily at %s %s (+0-%d min jitter) for profiles: %s; database %s",
                 at, opts.tz_name or "local time", opts.policy.jitter.total_seconds() // 60, profiles, opts.db)
        if opts.digest_day is not None:
            log.info("schedule: weekly digest every %s at %s to %d target(s)", WEEKDAYS[opts.digest_day], at,
                     len(opts.notify))
        for profile in self.profiles():
            today = local_day(self.now(), opts.policy)
            log.info("schedule: profile=%s due today at %s", profile,
                     due_at(profile, today, opts.policy).astimezone(opts.policy.tz).strftime("%Y-%m-%d %H:%M %Z"))
        scheduler.start()
