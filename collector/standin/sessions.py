"""Who is asking: the stand-in's rules for LinkedIn's sessions (``../shared/reference/session-
and-identity.md`` §1-2), apart from the HTTP server that applies them (site.py).

A request's identity is its User-Agent and client hints; a session (``li_at``) is bound to the
identity and browser id (``bcookie``) it was minted for; ``li_rm`` re-mints a lapsed ``li_at`` for
that browser only. Written from the reference alone, not from the product's own identity code
(collector.browser.identity), so that the tests judge the product against something it did not write.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

YEAR = 365 * 86400
SIGNALS_HEADER = "x-li-client-signals"  # the page's navigator, as app.js reports it (see the docstring)
# LinkedIn's answer to a session it ends: the cookie overwritten, with an expiry in the past.
DELETE_LI_AT = 'li_at="delete me"; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'
_BCOOKIE = re.compile(r"v=\d+&[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_BRAND = re.compile(r'"((?:[^"\\]|\\.)*)"\s*;\s*v\s*=\s*"([^"]*)"')
_CHROME = re.compile(r"\bChrome/(\d+)")
_CHROMIUM_BRANDS = ("Chromium", "Google Chrome")
# What sec-ch-ua-platform says for each User-Agent platform; Android and CrOS before Linux, whose
# word their User-Agents also carry ("Linux; Android 14", "X11; CrOS x86_64").
_UA_PLATFORMS = (("Windows NT", "Windows"), ("Macintosh", "macOS"), ("CrOS", "Chrome OS"),
                 ("Android", "Android"), ("Linux", "Linux"))


@dataclass(frozen=True)
class Identity:
    """Who a request says it is: what LinkedIn compares between the sign-in and every later visit."""

    user_agent: str
    sec_ch_ua: str | None = None
    sec_ch_ua_platform: str | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str] | Any) -> Identity:
        return cls(headers.get("User-Agent") or "", headers.get("sec-ch-ua"), headers.get("sec-ch-ua-platform"))

    @classmethod
    def from_dict(cls, data: Mapping[str, str | None]) -> Identity:
        """From ``{"user_agent": ..., "sec_ch_ua": ..., "sec_ch_ua_platform": ...}``."""
        return cls(data.get("user_agent") or "", data.get("sec_ch_ua"), data.get("sec_ch_ua_platform"))

    def change_from(self, bound: Identity) -> str | None:
        """Which part differs from the identity a session was bound to, or None."""
        for name, mine, theirs in (("user-agent", self.user_agent, bound.user_agent),
                                   ("sec-ch-ua", self.sec_ch_ua, bound.sec_ch_ua),
                                   ("sec-ch-ua-platform", self.sec_ch_ua_platform, bound.sec_ch_ua_platform)):
            if mine != theirs:
                return name
        return None


def brands(sec_ch_ua: str) -> dict[str, str]:
    """``"Not:A-Brand";v="8", "Chromium";v="156"`` -> {"Not:A-Brand": "8", "Chromium": "156"}."""
    return {name: version for name, version in _BRAND.findall(sec_ch_ua)}


def ua_platform(user_agent: str) -> str | None:
    """The sec-ch-ua-platform word a User-Agent's platform goes with; None when it names none we know."""
    return next((word for token, word in _UA_PLATFORMS if token in user_agent), None)


def contradiction(identity: Identity) -> str | None:
    """Why a request's own headers give it away (rules 1-2), or None: a Headless token, or a
    User-Agent the client hints disagree with (a User-Agent overridden by hand, without the
    metadata that keeps the hints in step with it)."""
    for name, value in (("user-agent", identity.user_agent), ("sec-ch-ua", identity.sec_ch_ua)):
        if value and "headless" in value.lower():
            return f"headless token in {name}"
    chrome = _CHROME.search(identity.user_agent)
    named = brands(identity.sec_ch_ua or "")
    versions = {named[b].split(".")[0] for b in _CHROMIUM_BRANDS if b in named}
    if chrome and identity.sec_ch_ua is None:
        return "client hints contradict user-agent: no sec-ch-ua from a Chrome user-agent"
    if chrome and not versions:
        return "client hints contradict user-agent: no Chromium brand in sec-ch-ua"
    if chrome and versions != {chrome.group(1)}:
        return (f"client hints contradict user-agent: Chrome/{chrome.group(1)} "
                f"but sec-ch-ua says {'/'.join(sorted(versions))}")
    if versions and not chrome:
        return "client hints contradict user-agent: sec-ch-ua names Chromium, the user-agent does not"
    said, hinted = ua_platform(identity.user_agent), (identity.sec_ch_ua_platform or "").strip().strip('"')
    if said and hinted and hinted != said:
        return f"client hints contradict user-agent: sec-ch-ua-platform {hinted}, user-agent {said}"
    return None


def page_signal_reason(raw: str | None, identity: Identity) -> str | None:
    """Why the page's own view of the browser (rule 4) gives it away, or None. No signals, or
    unreadable ones, are no evidence either way."""
    try:
        signals = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(signals, dict):
        return None
    if signals.get("webdriver") is True:
        return "webdriver"
    user_agent = signals.get("userAgent")
    if isinstance(user_agent, str) and user_agent != identity.user_agent:
        return "navigator.userAgent differs from user-agent"
    listed = signals.get("brands")
    if isinstance(listed, list) and any(isinstance(b, dict) and "headless" in str(b.get("brand", "")).lower()
                                        for b in listed):
        return "headless brand in navigator.userAgentData"
    return None


def browser_id(value: str | None) -> str | None:
    """A presented bcookie if it is well formed (any run's, not only this one's), else None."""
    return value if value and _BCOOKIE.fullmatch(value) else None


def new_browser_id() -> str:
    return f"v=2&{uuid.uuid4()}"


def bcookie_header(value: str) -> str:
    return f'bcookie="{value}"; Path=/; Max-Age={YEAR}; SameSite=Lax'  # LinkedIn quotes it


def new_li_at() -> str:
    return "AQEDA" + secrets.token_urlsafe(96)


def li_at_header(li_at: str) -> str:
    return f"li_at={li_at}; Path=/; HttpOnly; SameSite=Lax; Max-Age={YEAR}"


@dataclass
class Session:
    """One li_at the server knows. Unbound (identity None) until first use when brought from
    elsewhere; bound sessions check every later request against the identity and bcookie."""

    jsession: str
    remember: str | None = None  # the li_rm of the same sign-in, forgotten with it
    identity: Identity | None = None
    bcookie: str | None = None
    visits: int = 0  # GETs of /sales/ssi served with it; past session_visits it has lapsed


@dataclass
class Remembered:
    """One li_rm: it re-mints a lapsed li_at, for the browser (bcookie) and identity it was minted for."""

    jsession: str
    identity: Identity | None = None
    bcookie: str | None = None


@dataclass(frozen=True)
class Presented:
    """What one request to a route that needs a session brings."""

    path: str
    identity: Identity
    bcookie: str | None  # well formed, or None
    li_rm: str | None = None
    signals: str | None = None  # the x-li-client-signals header (API requests)
    visit: bool = False  # a GET of /sales/ssi: one visit of its li_at


@dataclass(frozen=True)
class Verdict:
    """The server's answer about a request's session."""

    jsession: str | None = None  # the live session's JSESSIONID; None: not signed in
    refused_to: str | None = None  # the session ended ("/login") or lapsed ("/uas/login") on this request
    set_cookies: tuple[str, ...] = ()
