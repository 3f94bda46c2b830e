"""One collection, start to end: the same path for `ssi collect`, the scheduler and the demo.

lock the profile → a `runs` row → already collected today? → visit the page → parse and
cross-check → store the raw pages, the snapshot and the run's outcome together.
Every attempt leaves a `runs` row; only a success writes a snapshot; nothing earlier is touched.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .browser import BrowserNotFound, resolve_browser
from .outcomes import BadInput, BrowserFailed, Busy, CollectError, LoginRequired, PageChanged
from .paths import artifacts_dir, check_profile_name, profile_dir
from .locks import profile_lock
from .redact import redact, strip_scripts
from .store import Store

if TYPE_CHECKING:  # parsers and Playwright load inside collect(), keeping `ssi --help` fast
    from parsers import Snapshot


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


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def local_day(moment: datetime) -> str:
    return moment.astimezone().date().isoformat()


def load_auth(path: Path, base_url: str) -> list[dict[str, Any]]:
    """Cookies from a Playwright storage-state file (as `shot-scraper auth` or Playwright write it)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise BadInput(f"cannot read the --auth file {path}: {exc.strerror}") from None
    except ValueError:
        raise BadInput(f"the --auth file {path} is not JSON; expected a Playwright storage-state file") from None
    cookies = data.get("cookies") if isinstance(data, dict) else None
    if not isinstance(cookies, list) or not all(isinstance(c, dict) and "name" in c and "value" in c for c in cookies):
        raise BadInput(f"the --auth file {path} has no cookie list; expected a Playwright storage-state file")
    host = urlsplit(base_url).hostname or ""
    usable = [c for c in cookies if _cookie_matches(str(c.get("domain", "")), host)]
    if not usable:
        domains = sorted({str(c.get("domain", "?")) for c in cookies})[:3]
        raise BadInput(
            f"the --auth file {path} holds no cookies for {host} (only for {', '.join(domains) or 'nothing'})")
    if not any(c["name"] == "li_at" for c in usable):
        raise BadInput(f"the --auth file {path} has no li_at session cookie for {host}; sign in and export again")
    return usable


def _cookie_matches(domain: str, host: str) -> bool:
    domain = domain.lstrip(".").lower()
    return bool(domain) and (host == domain or host.endswith("." + domain))


def collect(store: Store, req: Request, *, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
            on_step: Callable[[str], None] = lambda step: None) -> Result:
    """Collect once. Raises CollectError (with the run recorded) on every failure."""
    check_profile_name(req.profile)
    started = now()
    day = local_day(started)
    try:
        with profile_lock(req.profile, f"{req.trigger} collection"):
            store.mark_interrupted(req.profile, utc_iso(started))  # we hold the lock: nobody else is running
            run_id = store.start_run(req.profile, req.trigger, utc_iso(started), os.getpid())
            try:
                return _collect_locked(store, req, run_id, day, now, on_step)
            except CollectError as error:
                raw_id = api_raw_id = None
                if isinstance(error, PageChanged) and error.raw is not None:
                    # Keep what could not be read, so `ssi reparse` can read it after an update.
                    raw_id, api_raw_id = _save_raws(store, req, error.raw[0], error.raw[1], error.secrets, now())
                store.finish_run(run_id, error.status, str(error), utc_iso(now()),
                                 artifacts=str(error.artifacts) if error.artifacts else None,
                                 raw_id=raw_id, api_raw_id=api_raw_id)
                raise
            except BaseException as exc:
                store.finish_run(run_id, "error", f"unexpected {type(exc).__name__}: {exc}", utc_iso(now()))
                raise
    except Busy as error:  # the attempt is recorded too
        run_id = store.start_run(req.profile, req.trigger, utc_iso(started), os.getpid())
        store.finish_run(run_id, "skipped", str(error), utc_iso(now()))
        raise


def _collect_locked(store: Store, req: Request, run_id: int, day: str, now: Callable[[], datetime],
                    on_step: Callable[[str], None]) -> Result:
    import parsers

    from .session import Capture, Visit, capture

    existing = store.snapshot_on(req.profile, day)
    if existing is not None and not req.force:
        message = (f"already collected today (snapshot #{existing['id']} at {existing['collected_at']}); "
                   "--force to collect again")
        store.finish_run(run_id, "skipped", message, utc_iso(now()), snapshot_id=existing["id"])
        return Result(run_id, "skipped", message, snapshot_id=existing["id"], day=day)

    cookies = load_auth(req.auth, req.base_url) if req.auth else None
    try:
        browser = resolve_browser(req.browser_path, headless=not req.headed)
    except BrowserNotFound as exc:
        raise BrowserFailed(str(exc)) from None

    def check(captured: Capture) -> parsers.Snapshot:
        try:
            return parsers.parse_capture(captured.api_body, captured.html.encode("utf-8"))
        except parsers.NotSsiPage as exc:
            raise LoginRequired(f"{exc}; run `ssi login`") from None
        except parsers.ParseError as exc:
            raise PageChanged(f"the page could not be read ({exc}); please report it") from None

    visit = Visit(
        base_url=req.base_url, profile_dir=profile_dir(req.profile), browser=browser,
        artifacts_root=artifacts_dir() / req.profile, headless=not req.headed, timeout=req.timeout,
        cookies=cookies, on_step=on_step,
    )
    captured, snapshot = capture(visit, check)
    warning = None
    if not captured.page_has_figures:
        warning = ("the page's layout was not recognised; the figures come from the API answer alone "
                   "(run `ssi reparse` after updating ssi-collector)")
    on_step("storing")
    finished = now()
    previous = store.previous_snapshot(req.profile, day)
    with store.transaction():
        raw_id, api_raw_id = _save_raws(store, req, captured.html, captured.api_body, captured.secrets, finished)
        snapshot_id = store.save_snapshot(req.profile, snapshot, utc_iso(finished), day,
                                          raw_id=raw_id, api_raw_id=api_raw_id, run_id=run_id)
        message = f"SSI {snapshot.ssi:.2f}" + (f"; {warning}" if warning else "")
        store.finish_run(run_id, "ok", message, utc_iso(finished), snapshot_id=snapshot_id,
                         raw_id=raw_id, api_raw_id=api_raw_id)
    return Result(run_id, "ok", message, snapshot=snapshot, snapshot_id=snapshot_id, previous=previous, day=day,
                  warning=warning)


def _save_raws(store: Store, req: Request, html: str | None, api_body: bytes | None, secrets: list[str],
               when: datetime) -> tuple[str | None, str | None]:
    """Raw pages are stored without scripts and without any session secret."""
    fetched = utc_iso(when)
    raw_id = api_raw_id = None
    if html:
        raw_id = store.save_raw("page", req.base_url + "/sales/ssi", redact(strip_scripts(html), secrets), fetched)
    if api_body:
        text = api_body.decode("utf-8", "replace")
        api_raw_id = store.save_raw("api", req.base_url + "/sales-api/salesApiSsi", redact(text, secrets), fetched)
    return raw_id, api_raw_id
