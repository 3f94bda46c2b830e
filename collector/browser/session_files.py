"""Where a profile's LinkedIn session lives, and what we know about it without opening it.

The session itself lives in one place: the account's own Chromium profile,
``profiles/<name>/browser/`` (mode 0700), which `ssi login` signs in with and every collection
opens (collector.browser.launch). LinkedIn's cookies (``li_at``, ``li_rm``, ``bcookie``,
``JSESSIONID``, ...) and whatever else it sets during a visit stay there for the next one.

Next to it, ``profiles/<name>/session.json`` (0600) is this program's own record of that session,
with no cookie value in it: when it was signed in or brought in, with which browser and identity,
whether "Keep me logged in" took (``li_rm`` next to ``bcookie``), each kept cookie's expiry, the
last visit's identity and the last refusal. ``ssi doctor``, ``collect --all`` and the scheduler
read it without starting a browser.

A session brought from elsewhere (``ssi collect --auth STATE.json``) is imported into the profile
once. So is the ``state.json`` an earlier version of ssi-collector kept here: it is imported at the
next visit and then deleted, so that the profile is the one place the session lives.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..outcomes import BadInput
from ..paths import private_dir, profile_dir

SESSION_COOKIE = "li_at"
REMEMBER_COOKIE = "li_rm"  # "Keep me logged in": lets LinkedIn mint a new li_at for this browser
BROWSER_COOKIE = "bcookie"  # LinkedIn's id for the browser; li_rm only works next to its own
# The cookies whose expiry the record keeps (never their values).
KEPT_COOKIES = (SESSION_COOKIE, REMEMBER_COOKIE, BROWSER_COOKIE, "bscookie", "JSESSIONID", "lidc", "liap")


def browser_profile(profile: str) -> Path:
    """The account's Chromium profile: sign-in and every visit use it (mode 0700)."""
    return private_dir(profile_dir(profile) / "browser")


def record_path(profile: str) -> Path:
    return profile_dir(profile) / "session.json"


def legacy_state_path(profile: str) -> Path:
    """Where ssi-collector before the persistent profile kept the session's cookies."""
    return profile_dir(profile) / "state.json"


@dataclass
class SessionRecord:
    """What we know of a profile's session. Times are ISO 8601 UTC; no cookie value, ever."""

    host: str = ""  # the site signed in to (www.linkedin.com; 127.0.0.1 for the stand-in)
    signed_in_at: str | None = None  # the last `ssi login`
    imported_at: str | None = None  # the last session brought in (--auth, or an old state.json)
    imported_from: str | None = None
    browser: dict[str, Any] | None = None  # {"executable", "version"} that signed in or imported
    last_browser: dict[str, Any] | None = None  # {"executable", "stamp", "version"} of the last visit
    sign_in_identity: dict[str, Any] | None = None  # collector.browser.identity.Identity.to_json()
    remember: bool | None = None  # li_rm next to bcookie after signing in
    cookies: dict[str, float | None] = field(default_factory=dict)  # name -> expiry (None: ends with the browser)
    cookies_at: str | None = None
    last_visit: dict[str, Any] | None = None  # {"at", "status", "identity"}
    last_refusal: dict[str, Any] | None = None  # {"at", "message"}: the last time LinkedIn ended it
    ended_at: str | None = None  # LinkedIn ended the session, and nobody has signed in since

    @property
    def began_at(self) -> str | None:
        """The last sign-in or import: when the session now in the profile began."""
        return max((t for t in (self.signed_in_at, self.imported_at) if t), default=None)

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    def expiry(self, name: str) -> float | None:
        return self.cookies.get(name)

    def has_cookie(self, name: str) -> bool:
        return name in self.cookies

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> SessionRecord | None:
        if not isinstance(data, dict):
            return None
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{key: value for key, value in data.items() if key in known})
        except TypeError:
            return None


def load_record(profile: str) -> SessionRecord | None:
    try:
        data = json.loads(record_path(profile).read_text("utf-8"))
    except (OSError, ValueError):
        return None  # none yet, or unreadable: as good as never signed in; the next sign-in rewrites it
    return SessionRecord.from_json(data)


def save_record(profile: str, record: SessionRecord) -> Path:
    return write_private(record_path(profile), record.to_json())


def write_private(final: Path, data: Any) -> Path:
    """Write JSON atomically, owner-only from the first byte (never a moment readable by others)."""
    folder = private_dir(final.parent)
    temp = folder / f".{final.stem}.{os.getpid()}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except OSError:
        temp.unlink(missing_ok=True)
        raise
    return final


def cookie_matches(domain: str, host: str) -> bool:
    """Whether a cookie set for ``domain`` is sent to ``host`` (".linkedin.com" covers www.)."""
    domain = domain.lstrip(".").lower()
    return bool(domain) and (host == domain or host.endswith("." + domain))


def cookie_facts(cookies: Sequence[Mapping[str, Any]], base_url: str) -> dict[str, float | None]:
    """The kept cookies the site ``base_url`` gets, by name, with their expiry and never their value.

    A cookie whose expiry is past is left out (LinkedIn ends a session by sending li_at back expired)."""
    host = urlsplit(base_url).hostname or ""
    now = time.time()
    facts: dict[str, float | None] = {}
    for cookie in cookies:
        name = cookie.get("name")
        if name not in KEPT_COOKIES or not cookie_matches(str(cookie.get("domain", "")), host):
            continue
        expires = cookie.get("expires")
        expiry = float(expires) if isinstance(expires, (int, float)) and expires > 0 else None
        if expiry is not None and expiry <= now:
            continue
        if cookie.get("value") == "delete me":
            continue
        facts[str(name)] = expiry
    return facts


def has_session(profile: str, base_url: str) -> bool:
    """Signed in (or brought in) for this site, whether or not LinkedIn has ended it since."""
    host = urlsplit(base_url).hostname or ""
    record = load_record(profile)
    if record is not None and record.began_at and record.host == host:
        return True
    return bool(legacy_cookies(profile, base_url))


def profiles_with_session(base_url: str) -> list[str]:
    """The profiles signed in to the site (those LinkedIn has since signed out included: their
    collection says so, and the scheduler stops until the next sign-in)."""
    from ..paths import profiles_dir

    root = profiles_dir()
    if not root.is_dir():
        return []
    return [folder.name for folder in sorted(root.iterdir()) if folder.is_dir() and has_session(folder.name, base_url)]


def legacy_cookies(profile: str, base_url: str) -> list[dict[str, Any]]:
    """The site's cookies in an old ``state.json`` still waiting to be imported into the profile."""
    try:
        data = json.loads(legacy_state_path(profile).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    cookies = data.get("cookies") if isinstance(data, dict) else None
    if not isinstance(cookies, list):
        return []
    host = urlsplit(base_url).hostname or ""
    return [c for c in cookies if isinstance(c, dict) and "name" in c and "value" in c
            and cookie_matches(str(c.get("domain", "")), host)]


def load_auth(path: Path, base_url: str) -> list[dict[str, Any]]:
    """The cookies of a storage-state file given with --auth (as `shot-scraper auth` or Playwright
    write it) that belong to the site; a clear BadInput for anything else."""
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
    usable = [c for c in cookies if cookie_matches(str(c.get("domain", "")), host)]
    if not usable:
        domains = sorted({str(c.get("domain", "?")) for c in cookies})[:3]
        raise BadInput(
            f"the --auth file {path} holds no cookies for {host} (only for {', '.join(domains) or 'nothing'})")
    if not any(c["name"] == SESSION_COOKIE for c in usable):
        raise BadInput(f"the --auth file {path} has no {SESSION_COOKIE} session cookie for {host}; "
                       "sign in and export again")
    return usable


def _host(base_url: str) -> str:
    return urlsplit(base_url).hostname or ""


def note_session_began(profile: str, base_url: str, *, at: str, how: str, executable: str, version: str | None,
                       identity: dict[str, Any] | None, cookies: dict[str, float | None]) -> SessionRecord:
    """A session began in the profile: signed in (``how`` "login") or brought in ("auth", or
    "state.json" from an older version). The identity is the sign-in's own, or for a session brought
    in, its first visit's: what later visits are compared with."""
    record = load_record(profile) or SessionRecord()
    record.host = _host(base_url)
    if how == "login":
        record.signed_in_at = at
    else:
        record.imported_at, record.imported_from = at, how
    record.browser = {"executable": executable, "version": version}
    record.sign_in_identity = identity
    record.remember = REMEMBER_COOKIE in cookies and BROWSER_COOKIE in cookies
    record.cookies, record.cookies_at = cookies, at
    record.ended_at = None
    save_record(profile, record)
    return record


def known_version(record: SessionRecord | None, executable: str, stamp: str | None) -> str | None:
    """The version the last visit read from this very executable, if it has not changed since."""
    last = (record.last_browser or {}) if record is not None else {}
    if stamp and last.get("executable") == executable and last.get("stamp") == stamp:
        version = last.get("version")
        return version if isinstance(version, str) else None
    return None


def note_visit(profile: str, base_url: str, *, at: str, status: str, message: str,
               identity: dict[str, Any] | None, cookies: dict[str, float | None] | None,
               ended: bool, browser: dict[str, Any] | None = None) -> SessionRecord:
    """What a visit saw: its identity; the cookies' expiries after a success or after LinkedIn
    ended the session (an error page can show an empty cookie jar: nothing is concluded there);
    and, when LinkedIn ended the session, when and how."""
    record = load_record(profile) or SessionRecord(host=_host(base_url))
    record.last_visit = {"at": at, "status": status, "identity": identity}
    if browser is not None:
        record.last_browser = browser
    if cookies is not None and (status == "ok" or ended):
        record.cookies, record.cookies_at = cookies, at
    if ended:
        record.ended_at = at
        record.last_refusal = {"at": at, "message": message}
    save_record(profile, record)
    return record
