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

from .browser.find import BrowserNotFound, browser_version, resolve_browser, shell_warning
from .browser.identity import Identity, changes, problems
from .browser.session_files import (SESSION_COOKIE, SessionRecord, legacy_cookies, legacy_state_path, load_record,
                                    profiles_with_session)
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
    try:
        browser = resolve_browser(browser_path, headless=True)
    except BrowserNotFound as exc:
        return [Check("browser", False, str(exc), "run `ssi browser install`, or set SSI_BROWSER_PATH")]
    version = browser_version(browser)
    if version is None:
        return [Check("browser", False, f"{browser.executable} does not run",
                      "install Chromium again, or choose another with --browser-path")]
    shell = shell_warning(browser)
    if shell:
        return [Check("browser", False, shell, "drop --browser-path / SSI_BROWSER_PATH, or name a full Chromium")]
    return [Check("browser", True, f"{browser.executable} ({browser.origin}; {version}), for sign-in and visits")]


def _when(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") + " UTC" if stamp else "never"


def _date(expiry: float | None) -> str:
    if expiry is None:
        return "the end of the browser session"
    return f"{datetime.fromtimestamp(expiry, timezone.utc):%Y-%m-%d}"


def _profile_checks(profile: str, base_url: str, browser_path: str | None) -> list[Check]:
    folder = profile_dir(profile)
    if not folder.exists():
        return [Check("profile", False, f"{folder} does not exist yet", "run `ssi login` (or `ssi collect --auth`)")]
    mode = stat.S_IMODE(folder.stat().st_mode)
    checks = [Check("profile", mode == 0o700, f"{folder} (mode {mode:o})",
                    "" if mode == 0o700 else f"chmod 700 {folder}")]
    record = load_record(profile)
    if record is None or not record.began_at:
        if legacy_cookies(profile, base_url):
            checks.append(Check("signed in", True, f"a session kept by an older version ({legacy_state_path(profile)}) "
                                "is moved into the browser profile at the next collection"))
        else:
            checks.append(Check("signed in", False, "no session in this profile yet", "run `ssi login`"))
        return checks
    return checks + _session_checks(record, base_url, browser_path)


def _session_checks(record: SessionRecord, base_url: str, browser_path: str | None) -> list[Check]:
    """The session's health: signed in when, still kept, li_rm, li_at's expiry, the identity."""
    host = urlsplit(base_url).hostname or ""
    how = (f"signed in with `ssi login` on {_when(record.signed_in_at)}" if record.began_at == record.signed_in_at
           else f"brought in ({record.imported_from}) on {_when(record.imported_at)}")
    checks = []
    if record.host != host:
        checks.append(Check("signed in", False, f"{how}, but to {record.host}, not {host}", "run `ssi login`"))
    elif record.ended:
        refusal = (record.last_refusal or {}).get("message", "")
        checks.append(Check("signed in", False, f"{how}; then, on {_when(record.ended_at)}: {refusal}",
                            "run `ssi login` and tick \"Keep me logged in\""))
    else:
        checks.append(Check("signed in", True, how))
    if record.remember:
        checks.append(Check("keep me logged in", True, "li_rm is there next to bcookie: LinkedIn renews the "
                            "session for this browser"))
    else:
        checks.append(Check("keep me logged in", True, "no li_rm next to bcookie: the session will lapse within days",
                            "`ssi login` again and tick \"Keep me logged in\" (accounts with two-step sign-in may "
                            "not be offered it)", warn=True))
    if record.has_cookie(SESSION_COOKIE):
        checks.append(Check("session cookie", True, f"li_at for {record.host} valid until "
                            f"{_date(record.expiry(SESSION_COOKIE))} (seen {_when(record.cookies_at)})"))
    elif not record.ended:
        checks.append(Check("session cookie", True, f"no li_at after the last look ({_when(record.cookies_at)})",
                            "LinkedIn may renew it from li_rm at the next visit; if that fails, `ssi login`",
                            warn=True))
    checks += _identity_checks(record)
    checks += _browser_change(record, browser_path)
    if record.last_refusal and not record.ended:
        checks.append(Check("last refusal", True, f"{_when(record.last_refusal.get('at'))}: "
                            f"{record.last_refusal.get('message', '')} (signed in again since)"))
    return checks


def _identity_checks(record: SessionRecord) -> list[Check]:
    signed = Identity.from_json(record.sign_in_identity)
    visit = record.last_visit or {}
    last = Identity.from_json(visit.get("identity"))
    if last is None:
        if signed is None:
            return []
        return [Check("identity", True, f"at sign-in: {signed.summary()}; no visit since")]
    found = problems(last)
    if found:
        return [Check("identity", False, f"the last visit ({_when(visit.get('at'))}) gave itself away: "
                      f"{'; '.join(found)}", "use the full Chromium the session was signed in with (no "
                      "--browser-path to a headless shell); then `ssi login` again")]
    if signed is None:
        return [Check("identity", True, f"last visit {_when(visit.get('at'))}: {last.summary()}")]
    changed = changes(signed, last)
    if changed:
        return [Check("identity", True, f"changed since sign-in: {'; '.join(changed)}",
                      "a browser update changes the version, which LinkedIn sees from real browsers too; a "
                      "different browser or system is what ends sessions: sign in again with this one", warn=True)]
    return [Check("identity", True, f"the same at sign-in and at the last visit ({_when(visit.get('at'))}): "
                  f"{last.summary()}")]


def _browser_change(record: SessionRecord, browser_path: str | None) -> list[Check]:
    signed = (record.browser or {}).get("executable")
    try:
        now_used = resolve_browser(browser_path, headless=True)
    except BrowserNotFound:
        return []  # the browser check says so
    if signed and os.path.realpath(signed) != os.path.realpath(now_used.executable):
        return [Check("same browser", True, f"collections would use {now_used.executable}, but the session was "
                      f"signed in with {signed}", "use that one (--browser-path), or `ssi login` with this one",
                      warn=True)]
    return []


def _other_profiles(profile: str, base_url: str) -> list[Check]:
    """The other accounts' sessions, one line each."""
    checks = []
    for name in profiles_with_session(base_url):
        record = load_record(name)
        if name == profile or record is None:
            continue
        state = (f"ended by LinkedIn on {_when(record.ended_at)}: `ssi --profile {name} login`" if record.ended
                 else f"kept{'' if record.remember else ', without li_rm (will lapse)'}")
        # A note, not a failure: doctor answers for --profile, and only points at the others.
        checks.append(Check(f"profile {name}", True, f"signed in {_when(record.began_at)}; {state}",
                            warn=record.ended or not record.remember))
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
    return [*_browser_checks(browser_path), *_profile_checks(profile, base_url, browser_path),
            *_database_checks(db, profile), *_other_profiles(profile, base_url)]
