"""What the site answered, in the contract's terms: an HTTP status, an address or a challenge
on the page becomes the CollectError (and so the exit code and runs.status) it means.

The sign-in and challenge pages themselves are defined once, in parsers.blockers; the watcher
script the visit runs in the page is given them from there.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

from parsers.blockers import BLOCKED_PATH, challenge_selectors, path_blocker

from ..outcomes import Blocked, CollectError, LoginRequired, NetworkError


def is_blocked_path(url: str) -> bool:
    """Whether ``url`` is a sign-in, authwall, sign-up or checkpoint address."""
    return bool(BLOCKED_PATH.search(urlsplit(url).path))


@cache
def watch_arguments() -> dict[str, Any]:
    """The rule the in-page watcher applies, as data: the blocked paths and the challenge elements.

    Built once: the visit's wait loop hands it to the page on every round. Callers must not mutate it."""
    return {"blockedPath": BLOCKED_PATH.pattern, "challenges": challenge_selectors()}


def address_error(url: str) -> LoginRequired | None:
    """The page sent us to a sign-in, authwall or checkpoint address."""
    path = urlsplit(url).path
    kind = path_blocker(path)
    if kind is None:
        return None
    return login_error(kind, f"the SSI page sent us to {path}")


def status_error(status: int, what: str) -> CollectError | None:
    """What an HTTP status means, alike for the page and for its API request (docs/design.md's codes)."""
    if status in (401, 403):
        return login_error("session", f"{what} was refused ({status})")
    if status in (429, 999):
        return Blocked(f"LinkedIn is limiting requests (HTTP {status}); wait a few hours before trying again")
    if status >= 500:
        return NetworkError(f"{what} failed on LinkedIn's side ({status}); LinkedIn may be down, try again later")
    return None


def login_error(kind: str, detail: str, *, had_session: bool = True, cookie_deleted: bool = False) -> LoginRequired:
    """What stood in the way, and what to do: a check that wants a human, a profile without a
    session cookie, a request refused (``kind`` "session": a 401/403, li_at kept), or a session
    LinkedIn ended (``cookie_deleted``: it sent li_at back expired)."""
    if kind == "captcha":
        message = f"{detail}; LinkedIn wants a human: run `ssi login` and solve the challenge in the window"
    elif kind == "checkpoint":
        message = f"{detail}; LinkedIn wants to verify it is you: run `ssi login` and complete the check"
    elif not had_session:
        message = (f"{detail}; the profile's browser holds no LinkedIn session cookie (any more): run `ssi login` "
                   "(or bring a session with `ssi collect --auth STATE.json`)")
    elif kind == "session":
        message = (f"LinkedIn refused the request ({detail}) but kept the session: try again later; if it "
                   "happens again, run `ssi login`")
    else:
        how = f"{detail}, and it sent the session cookie back expired" if cookie_deleted else detail
        message = (f"LinkedIn ended the session ({how}): run `ssi login` and tick \"Keep me logged in\"; "
                   "`ssi doctor` shows what the visit looked like")
    error = LoginRequired(message)
    error.kind, error.detail = kind, detail
    return error
