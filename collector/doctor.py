"""`ssi doctor`: is everything in place for tomorrow's collection? Each check says how to fix it."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .browser.find import BrowserNotFound, browser_version, resolve_browser
from .browser.session_files import load_state, session_cookie, state_path
from .outcomes import SUCCEEDED
from .paths import data_dir, profile_dir

if TYPE_CHECKING:
    from .store import Store


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    warn: bool = False  # worth knowing, nothing broken: shown, but doctor still passes


def _browser_checks(browser_path: str | None) -> list[Check]:
    checks = []
    try:
        browser = resolve_browser(browser_path, headless=True)
        version = browser_version(browser)
        if version is None:
            checks.append(Check("browser", False, f"{browser.executable} does not run",
                                "install Chromium again, or choose another with --browser-path"))
        else:
            checks.append(Check("browser", True, f"{browser.executable} ({browser.origin}; {version})"))
    except BrowserNotFound as exc:
        checks.append(Check("browser", False, str(exc), "run `make setup`, or set SSI_BROWSER_PATH"))
    try:
        headed = resolve_browser(browser_path, headless=False)
        checks.append(Check("browser for `ssi login`", True, headed.executable))
    except BrowserNotFound:
        checks.append(Check("browser for `ssi login`", False, "only a headless-only Chromium is installed",
                            "install a full one (Debian: `apt-get install chromium`), or use --auth"))
    return checks


def _profile_checks(profile: str, base_url: str) -> list[Check]:
    folder = profile_dir(profile)
    if not folder.exists():
        return [Check("profile", False, f"{folder} does not exist yet", "run `ssi login` (or `ssi collect --auth`)")]
    mode = stat.S_IMODE(folder.stat().st_mode)
    checks = [Check("profile", mode == 0o700, f"{folder} (mode {mode:o})",
                    "" if mode == 0o700 else f"chmod 700 {folder}")]
    host = urlsplit(base_url).hostname or ""
    path = state_path(profile)
    state = load_state(profile)
    if state is None:
        checks.append(Check("signed in", False, f"no session kept yet ({path})", "run `ssi login`"))
        return checks
    live, expiry = session_cookie(state, base_url)
    file_mode = stat.S_IMODE(path.stat().st_mode)
    if live:
        until = f", valid until {datetime.fromtimestamp(expiry, timezone.utc):%Y-%m-%d}" if expiry else ""
        checks.append(Check("signed in", True, f"session cookie for {host} present{until}"))
    else:
        checks.append(Check("signed in", False, f"no valid session cookie for {host} in {path}", "run `ssi login`"))
    checks.append(Check("session file", file_mode == 0o600, f"{path} (mode {file_mode:o})",
                        "" if file_mode == 0o600 else f"chmod 600 {path}"))
    return checks


def _database_checks(db: Path | None, profile: str) -> list[Check]:
    from .store import Store, StoreError

    path = db or data_dir() / "ssi.db"
    if not path.exists():
        return [Check("database", True, f"{path} will be created by the first collection")]
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return [Check("database", False, f"{path} is not writable", f"check the permissions of {path} and its folder")]
    try:
        store = Store(path)
    except StoreError as exc:
        return [Check("database", False, str(exc), "use --db to choose another file")]
    try:
        counts = store.counts()
        checks = [Check("database", True, f"{path}: {counts['snapshots']} snapshots, {counts['runs']} runs")]
        last = store.last_run(profile)
        if last is not None:
            recovered = last["status"] == "page_changed" and last["snapshot_id"] is not None
            good = last["status"] in SUCCEEDED or recovered
            detail = f"{last['started_at']}: {last['status']} — {last['message']}"
            if recovered:
                detail += f" (recovered since by `ssi reparse`: snapshot #{last['snapshot_id']})"
            checks.append(Check("last collection", good, detail, "" if good else _fix_for(last["status"])))
        checks += _page_checks(store, profile)
        return checks
    finally:
        store.close()


def _page_checks(store: Store, profile: str) -> list[Check]:
    """How the page compared with LinkedIn's answer last time, and the failed days still kept."""
    checks = []
    last = store.last_page_check(profile)
    if last is not None and last["page_check"] in ("disagrees", "unreadable"):
        issues = json.loads(last["page_issues"] or "[]")
        fields = sorted({issue["field"] for issue in issues if issue.get("field")})
        what = (f"disagreed with LinkedIn's answer on {', '.join(fields)}" if last["page_check"] == "disagrees"
                else "could not be read")
        kept = f"; the page is kept in {last['artifacts']}" if last["artifacts"] else ""
        checks.append(Check(
            "page check", True, f"on {last['started_at']} the page {what}; the snapshot came from LinkedIn's "
            f"answer, nothing was lost{kept}",
            "nothing to do today; if it repeats, update ssi-collector, or report it with that page "
            "(`ssi parse --explain` on it shows every clue)", warn=True))
    elif last is not None:
        checks.append(Check("page check", True, f"on {last['started_at']}: {last['page_check'].replace('_', ' ')}"))
    from .collection.reparse import days_to_recover

    failed = days_to_recover(store, profile)
    if failed:
        days = sorted({day for _, day in failed})
        checks.append(Check(
            "days to recover", True, f"{len(failed)} run(s) on {len(days)} day(s) ({', '.join(days[:5])}"
            f"{'…' if len(days) > 5 else ''}) failed on a page we could not read; their pages are kept",
            "after updating ssi-collector, `ssi reparse --dry-run` shows which it can recover", warn=True))
    return checks


def _fix_for(status: str) -> str:
    return {
        "login_required": "run `ssi login`",
        "blocked": "wait a few hours; keep to one collection a day",
        "page_changed": "update ssi-collector; the page was archived, run `ssi reparse` afterwards",
        "network_error": "check the connection; it will be retried",
    }.get(status, "run `ssi collect` to see the error")


def run_checks(db: Path | None, profile: str, base_url: str, browser_path: str | None) -> list[Check]:
    return [*_browser_checks(browser_path), *_profile_checks(profile, base_url), *_database_checks(db, profile)]
