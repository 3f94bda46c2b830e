"""One collection, start to end: the same path for `ssi collect`, the scheduler and the demo.

lock the profile → a `runs` row → already collected today? → a session to visit with? → visit
the page in the profile's own browser → parse and cross-check → store the raw pages, the snapshot
and the run's outcome (with the identity the page saw) together → note the session's state in the
profile's record. Every attempt leaves a `runs` row; only a success writes a snapshot; nothing
earlier is touched. Several profiles can be collected in turn with one Playwright (`collect_many`).

The profile's lock is held from before its browser opens until after it has closed (the early
browser takes it first), so no two processes ever open one browser profile.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..browser.find import Browser, BrowserNotFound, executable_stamp, resolve_browser, shell_warning
from ..browser.redact import clean_page, redact
from ..browser.session_files import (SessionRecord, browser_profile, has_session, known_version, legacy_cookies,
                                     legacy_state_path, load_auth, load_record, note_session_began, note_visit)
from ..days import DAY_ZONE, day_in, day_of, utc_iso, zone_named
from ..days import now as _now
from ..outcomes import BrowserFailed, Busy, CollectError, LoginRequired, PageChanged, StoreError, signal_name
from ..paths import artifacts_dir, check_profile_name

if TYPE_CHECKING:
    # sqlite-utils, the parsers and Playwright load only once the browser is starting (see
    # start_browser_early), so that their import time overlaps the browser's start.
    import parsers
    from parsers import Snapshot

    from ..browser.visit import BrowserSession, Capture, Visit
    from ..store import Store


@dataclass
class Request:
    profile: str
    base_url: str
    browser_path: str | None = None
    trigger: str = "manual"
    force: bool = False
    headed: bool = False
    timeout: float = 45.0
    auth: Path | None = None


@dataclass
class Result:
    run_id: int
    status: str
    message: str
    snapshot: Snapshot | None = None
    snapshot_id: int | None = None
    previous: dict[str, Any] | None = None
    day: str = ""
    warning: str | None = None
    page_check: str | None = None  # what the page's cross-check against LinkedIn's answer found
    artifacts: Path | None = None  # the page kept because it disagreed or could not be read


Clock = Callable[[], datetime]


def _new_session(req: Request, *, single_use: bool, record: SessionRecord | None = None) -> BrowserSession:
    """A browser for ``req``'s options (not started yet); BrowserFailed when there is none.
    ``record``: the profile's, whose last visit may know this browser's version already."""
    from ..browser.visit import BrowserSession

    try:
        browser = resolve_browser(req.browser_path, headless=not req.headed)
    except BrowserNotFound as exc:
        raise BrowserFailed(str(exc)) from None
    return BrowserSession(browser, headless=not req.headed, launch_timeout=req.timeout, single_use=single_use,
                          version=known_version(record, browser.executable, executable_stamp(browser)))


def browser_warning(browser: Browser, record: SessionRecord | None) -> str | None:
    """One line when the visit's browser is not the one the session was signed in with: LinkedIn
    ends sessions that change browsers (the session reference, §2)."""
    shell = shell_warning(browser)
    if shell is not None:
        return shell
    signed = (record.browser or {}).get("executable") if record is not None else None
    if signed and os.path.realpath(signed) != os.path.realpath(browser.executable):
        return (f"this visit uses {browser.executable}, but the session was signed in with {signed}; LinkedIn "
                "may end a session that changes browsers: use that one (--browser-path), or `ssi login` with this one")
    return None


@contextmanager
def _session(req: Request, shared: BrowserSession | None) -> Iterator[BrowserSession]:
    """The shared browser of a batch, or one started for this collection alone."""
    if shared is not None:
        yield shared
        return
    with _new_session(req, single_use=True) as session:
        yield session


def start_browser_early(req: Request, db: Path) -> BrowserSession | None:
    """Start Playwright and the browser now, in their own thread, unless today's snapshot is
    already there or the profile has no session to visit with: they take a few hundred
    milliseconds to start, which is time to take the profile's lock, open the database and load
    the parsers meanwhile. Checked with plain sqlite3 (read-only, no sqlite-utils), so a skipped
    run never starts a browser. The profile's own browser opens only once its lock is held
    (early_browser)."""
    import sqlite3

    from ..store import peek

    record = load_record(req.profile)
    if req.auth is None and _no_session(req, record) is not None:
        return None
    if not req.force and db.exists():
        try:
            conn = peek.open_read_only(str(db))
            try:
                day = day_of(_now(), zone_named(peek.setting(conn, DAY_ZONE))).isoformat()
                found = peek.snapshot_on(conn, req.profile, day)
            finally:
                conn.close()
        except sqlite3.Error:
            found = None  # no table yet, or locked: the real check comes later
        if found:
            return None
    try:
        return _new_session(req, single_use=True, record=record).start()
    except CollectError:
        return None  # the collection itself will record and report it


@contextmanager
def early_browser(req: Request, db: Path) -> Iterator[BrowserSession | None]:
    """The browser started first (see start_browser_early), and shut down last, after the
    caller has stored and shown the result (it starts closing as soon as its visit is done).
    The profile's lock is taken while Playwright starts, before the profile's browser opens, and
    let go after it has closed; when another process holds it, the profile is never opened (the
    collection then says who is busy)."""
    check_profile_name(req.profile)
    session = start_browser_early(req, db)
    from ..locks import profile_lock  # filelock's import overlaps Playwright's start

    lock = contextlib.ExitStack()
    try:
        lock.enter_context(profile_lock(req.profile, f"{req.trigger} collection"))
    except Busy:
        if session is not None:
            session.close()
        yield None
        return
    with lock:
        if session is not None:
            session.open_profile(browser_profile(req.profile))
        try:
            yield session
        finally:
            if session is not None:
                session.close()

def collect(store: Store, req: Request, *, now: Clock = _now, on_step: Callable[[str], None] = lambda step: None,
            session: BrowserSession | None = None, notice: Callable[[str], None] = lambda line: None) -> Result:
    """Collect once. Raises CollectError (with the run recorded) on every failure. ``notice`` is
    told, before the visit, what the person should know whatever happens (a browser that is not
    the one that signed in)."""
    from ..locks import profile_lock  # here, not at the top: filelock's import would delay the early browser

    check_profile_name(req.profile)
    started = now()
    day = day_in(store, started).isoformat()
    try:
        with profile_lock(req.profile, f"{req.trigger} collection"):
            store.mark_interrupted(req.profile, utc_iso(started))  # we hold the lock: nobody else is running
            run_id = store.start_run(req.profile, req.trigger, utc_iso(started), os.getpid(), day)
            try:
                return _collect_locked(store, req, run_id, day, now, on_step, session, notice)
            except CollectError as error:
                raw_id = api_raw_id = None
                if isinstance(error, PageChanged) and error.raw is not None:
                    # Keep what could not be read, so `ssi reparse` can read it after an update.
                    with contextlib.suppress(StoreError):  # a page we cannot keep must not keep the run open
                        raw_id, api_raw_id = _save_raws(store, req, error.raw[0], error.raw[1], error.secrets, now())
                seen = error.seen
                store.finish_run(run_id, error.status, str(error), utc_iso(now()),
                                 artifacts=str(error.artifacts) if error.artifacts else None,
                                 raw_id=raw_id, api_raw_id=api_raw_id,
                                 identity=seen.identity.to_json() if seen and seen.identity else None,
                                 # an error page can show an empty jar: its cookies say nothing
                                 cookies=seen.cookies if seen and seen.ended else None)
                raise
            except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (outcomes.Interrupted)
                with contextlib.suppress(StoreError):
                    store.finish_run(run_id, "interrupted", f"stopped by {signal_name(exc)[0]} during the collection",
                                     utc_iso(now()))
                raise
            except BaseException as exc:
                with contextlib.suppress(StoreError):  # the disk may be what failed: report that, not this
                    store.finish_run(run_id, "error", f"stopped: {type(exc).__name__}: {exc}", utc_iso(now()))
                raise
    except Busy as error:  # the attempt is recorded too
        run_id = store.start_run(req.profile, req.trigger, utc_iso(started), os.getpid(), day)
        store.finish_run(run_id, "skipped", str(error), utc_iso(now()))
        raise


def collect_many(store: Store, requests: list[Request], *, now: Clock = _now,
                 on_step: Callable[[str, str], None] = lambda profile, step: None,
                 notice: Callable[[str, str], None] = lambda profile, line: None,
                 ) -> list[tuple[Request, Result | CollectError]]:
    """Collect several profiles one after another, each in its own profile's browser, with one
    Playwright driver (started only if one is due)."""

    outcomes: list[tuple[Request, Result | CollectError]] = []
    session: BrowserSession | None = None
    try:
        for req in requests:
            today = day_in(store, now()).isoformat()
            if session is None and (req.force or store.snapshot_on(req.profile, today) is None):
                try:
                    session = _new_session(req, single_use=False, record=load_record(req.profile)).start()
                except CollectError:
                    session = None  # recorded below, through collect(), for each profile
            try:
                result = collect(store, req, now=now, on_step=functools.partial(on_step, req.profile),
                                 session=session, notice=functools.partial(notice, req.profile))
                outcomes.append((req, result))
            except CollectError as error:
                outcomes.append((req, error))
                if isinstance(error, BrowserFailed) and session is not None:
                    session.close()  # start afresh for the next profile
                    session = None
    finally:
        if session is not None:
            session.close()
    return outcomes


def _collect_locked(store: Store, req: Request, run_id: int, day: str, now: Clock,
                    on_step: Callable[[str], None], shared: BrowserSession | None,
                    notice: Callable[[str], None]) -> Result:
    import parsers

    from ..browser.visit import Visit

    existing = store.snapshot_on(req.profile, day)
    if existing is not None and not req.force:
        message = (f"already collected today (snapshot #{existing['id']} at {existing['collected_at']}); "
                   "--force to collect again")
        store.finish_run(run_id, "skipped", message, utc_iso(now()), snapshot_id=existing["id"])
        return Result(run_id, "skipped", message, snapshot_id=existing["id"], day=day)

    # The session to visit with: the profile's own, with a session brought in imported first
    # (--auth, or what an older version kept in state.json).
    imported_from = "auth" if req.auth else None
    cookies = load_auth(req.auth, req.base_url) if req.auth else None
    if cookies is None and (cookies := legacy_cookies(req.profile, req.base_url)):
        imported_from = "state.json"
    record = load_record(req.profile)
    if not cookies:
        refused = _no_session(req, record)
        if refused is not None:
            raise refused
    # Load the readers (and lxml) now, while the browser starts, rather than in the browser's
    # thread once the page is there.
    import parsers.capture
    import parsers.page

    def check(captured: Capture) -> parsers.CaptureReading:
        try:
            return parsers.read_capture(captured.api_body, captured.html.encode("utf-8"))
        except parsers.NotSsiPage as exc:
            error = LoginRequired(f"{exc}; run `ssi login`")
            error.kind, error.detail = exc.kind, str(exc)
            raise error from None
        except parsers.ParseError as exc:
            raise PageChanged(f"the page could not be read ({exc}); please report it") from None

    def keep_page(reading: parsers.CaptureReading) -> str | None:
        return {"disagrees": "page_disagrees", "unreadable": "page_unreadable"}.get(reading.page_check)

    visit = Visit(base_url=req.base_url, profile_dir=browser_profile(req.profile),
                  artifacts_root=artifacts_dir() / req.profile, timeout=req.timeout, cookies=cookies or None,
                  on_step=on_step, keep_page=keep_page)
    if shared is None:
        on_step("launching")
    with _session(req, shared) as session:
        warned = browser_warning(session.browser, record)
        if warned:
            notice(warned)
        try:
            captured, reading = session.capture(visit, check)
        except CollectError as error:
            error.seen = visit.seen
            with contextlib.suppress(OSError, StoreError):  # what went wrong is the error, not this
                _note_session(store, req, visit, imported_from, session, now(), error.status, str(error))
            raise
    snapshot = reading.snapshot
    warning = page_warning(reading, captured.page_has_figures, captured.artifacts)
    on_step("storing")
    finished = now()
    previous = store.previous_snapshot(req.profile, day)
    issues = [d.to_json() for d in reading.disagreements]
    if reading.page_error:
        issues.append({"field": None, "hook": "the page", "page": None, "api": None, "problem": reading.page_error})
    seen = visit.seen
    with store.transaction():
        raw_id, api_raw_id = _save_raws(store, req, captured.html, captured.api_body, captured.secrets, finished)
        snapshot_id = store.save_snapshot(req.profile, snapshot, utc_iso(finished), day,
                                          raw_id=raw_id, api_raw_id=api_raw_id, run_id=run_id)
        message = f"SSI {snapshot.ssi:.2f}" + (f"; {warning}" if warning else "")
        store.finish_run(run_id, "ok", message, utc_iso(finished), snapshot_id=snapshot_id,
                         raw_id=raw_id, api_raw_id=api_raw_id, page_check=reading.page_check, page_issues=issues,
                         artifacts=str(captured.artifacts) if captured.artifacts else None,
                         identity=seen.identity.to_json() if seen.identity else None, cookies=seen.cookies)
    try:
        _note_session(store, req, visit, imported_from, session, finished, "ok", message)
    except (OSError, StoreError) as exc:
        # The snapshot is safely stored; only the session's record could not be written.
        why = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) else str(exc)
        warning = (f"{warning}; " if warning else "") + f"the session's record could not be kept ({why})"
    return Result(run_id, "ok", message, snapshot=snapshot, snapshot_id=snapshot_id, previous=previous, day=day,
                  warning=warning, page_check=reading.page_check, artifacts=captured.artifacts)


def _no_session(req: Request, record: SessionRecord | None) -> LoginRequired | None:
    """Why there is nothing to visit with, if so: no session was ever signed in, or LinkedIn ended
    it and nobody has signed in since. Said at once, without a visit: LinkedIn would only send us
    to its sign-in page."""
    if not has_session(req.profile, req.base_url):
        return LoginRequired("this profile has no LinkedIn session yet: run `ssi login` (or bring one with "
                             "`ssi collect --auth STATE.json`)")
    if record is not None and record.ended:
        return LoginRequired(f"LinkedIn ended this profile's session on {str(record.ended_at)[:10]} and nobody has "
                             "signed in since: run `ssi login` and tick \"Keep me logged in\" (`ssi doctor` shows "
                             "how it ended)")
    return None


def _note_session(store: Store, req: Request, visit: Visit, imported_from: str | None, session: BrowserSession,
                  when: datetime, status: str, message: str) -> None:
    """Bring the profile's session record up to date after a visit, and when a session began with
    it (cookies brought in), record that in the profile and the database alike. An older
    version's state.json, once in the profile, is deleted: the profile is the one place the
    session lives."""
    seen, at = visit.seen, utc_iso(when)
    identity = seen.identity.to_json() if seen.identity else None
    if imported_from and seen.imported:
        # Once the visit has shown the cookies work (or LinkedIn has ended them), an older version's
        # copy is of no more use, and re-importing it would put stale cookies over the profile's.
        if imported_from == "state.json" and (status == "ok" or seen.ended):
            legacy_state_path(req.profile).unlink(missing_ok=True)
        began = note_session_began(req.profile, req.base_url, at=at, how=imported_from,
                                   executable=session.browser.executable, version=session.version,
                                   identity=identity, cookies=seen.cookies or {})
        store.record_sign_in(req.profile, at, imported_from, browser=session.browser.executable,
                             browser_version=session.version, identity=identity, remember=began.remember,
                             cookies=began.cookies)
    stamp = executable_stamp(session.browser)
    browser = {"executable": session.browser.executable, "stamp": stamp, "version": session.version}
    note_visit(req.profile, req.base_url, at=at, status=status, message=message, identity=identity,
               cookies=seen.cookies, ended=seen.ended, browser=browser if stamp and session.version else None)


def page_warning(reading: parsers.CaptureReading, page_has_figures: bool, artifacts: Path | None) -> str | None:
    """What a person should know about the page when LinkedIn's answer had to stand alone."""
    text: str | None = reading.summary()
    if reading.page_check == "unreadable" and not page_has_figures:
        text = "the page's layout was not recognised; the figures come from LinkedIn's answer alone"
    if text is None:
        return None
    if artifacts is not None:
        explain = f"ssi parse --explain {artifacts / 'page.html'} {artifacts / 'api.json'}"
        text += f"; the page is kept in {artifacts} (`{explain}` shows why)"
    return text


def _save_raws(store: Store, req: Request, html: str | None, api_body: bytes | None, secrets: list[str],
               when: datetime) -> tuple[str | None, str | None]:
    """Raw pages are stored without scripts and without any session secret."""
    fetched = utc_iso(when)
    raw_id = api_raw_id = None
    if html:
        raw_id = store.save_raw("page", req.base_url + "/sales/ssi", clean_page(html, secrets), fetched)
    if api_body:
        text = api_body.decode("utf-8", "replace")
        api_raw_id = store.save_raw("api", req.base_url + "/sales-api/salesApiSsi", redact(text, secrets), fetched)
    return raw_id, api_raw_id
