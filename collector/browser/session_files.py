"""Where a profile's LinkedIn session lives: a Playwright storage-state file, owner-only.

``profiles/<name>/state.json`` (mode 0600, in a 0700 folder) holds the session's cookies. `ssi
login` writes it after the person has signed in; every successful collection writes back the
refreshed state (the reference's advice: sessions kept fresh this way last, hand-copied cookies
die); `--auth FILE` imports another tool's storage state into it. Reading it needs no browser,
so `ssi doctor` and the scheduler can tell who is signed in at once, and one browser can visit
the page for several profiles in turn, each in its own context.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..outcomes import BadInput
from ..paths import private_dir, profile_dir

SESSION_COOKIE = "li_at"


def state_path(profile: str) -> Path:
    return profile_dir(profile) / "state.json"


def browser_profile(profile: str) -> Path:
    """The Chromium profile `ssi login` signs in with (kept, so LinkedIn knows the device)."""
    return private_dir(profile_dir(profile) / "browser")


def load_state(profile: str) -> dict[str, Any] | None:
    path = state_path(profile)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # unreadable: as good as no session; the next login rewrites it
    return data if isinstance(data, dict) and isinstance(data.get("cookies"), list) else None


def save_state(profile: str, state: dict[str, Any]) -> Path:
    """Write atomically, owner-only from the first byte (never a moment readable by others)."""
    folder = private_dir(profile_dir(profile))
    final = folder / "state.json"
    temp = folder / f".state.{os.getpid()}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except OSError:
        temp.unlink(missing_ok=True)  # never leave a copy of the cookies behind
        raise
    return final


def cookie_matches(domain: str, host: str) -> bool:
    """Whether a cookie set for ``domain`` is sent to ``host`` (".linkedin.com" covers www.)."""
    domain = domain.lstrip(".").lower()
    return bool(domain) and (host == domain or host.endswith("." + domain))


def session_cookie(state: dict[str, Any] | None, base_url: str) -> tuple[bool, float | None]:
    """(a live session cookie for the site is there, its expiry as a Unix time or None)."""
    host = urlsplit(base_url).hostname or ""
    for cookie in (state or {}).get("cookies", []):
        if (isinstance(cookie, dict) and cookie.get("name") == SESSION_COOKIE
                and cookie_matches(str(cookie.get("domain", "")), host)):
            expires = cookie.get("expires")
            expiry = float(expires) if isinstance(expires, (int, float)) and expires > 0 else None
            return (expiry is None or expiry > time.time()), expiry
    return False, None


def has_session(profile: str, base_url: str) -> bool:
    return session_cookie(load_state(profile), base_url)[0]


def profiles_with_session(base_url: str) -> list[str]:
    """Profiles that keep a live session for the site."""
    from ..paths import profiles_dir

    root = profiles_dir()
    if not root.is_dir():
        return []
    return [folder.name for folder in sorted(root.iterdir()) if folder.is_dir() and has_session(folder.name, base_url)]


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
