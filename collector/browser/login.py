"""`ssi login`: the person signs in, in a visible window, in the account's own browser profile.

We only watch: the window opens at BASE/login in the profile every collection uses (collector.browser.
launch: same full Chromium, same identity), and we wait until the address has left the sign-in and
checkpoint pages and the session cookie (li_at) exists. The session then simply stays in the
profile; this program keeps a record of it without any cookie value (session_files): when, with
which browser and identity, and whether "Keep me logged in" took (li_rm next to bcookie), without
which LinkedIn lets the session lapse within days. The password is typed into LinkedIn's own page
and never passes through this program.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..days import now, utc_iso
from ..outcomes import Busy, ExitCode
from ..paths import profile_dir
from .answers import is_blocked_path
from .find import Browser, BrowserNotFound, browser_version, launch_options, resolve_browser
from .identity import READ_IDENTITY, Identity, major_version
from .launch import profile_options
from .session_files import (BROWSER_COOKIE, REMEMBER_COOKIE, SESSION_COOKIE, browser_profile, cookie_facts,
                            legacy_state_path, note_session_began)

if TYPE_CHECKING:
    from playwright.sync_api import Page

# How long a sign-in waits for a collection of the same profile to finish (one takes seconds).
LOCK_WAIT = 300.0


class LoginFailed(Exception):
    def __init__(self, message: str, code: ExitCode = ExitCode.LOGIN_NEEDED) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class SignedIn:
    folder: Path  # the profile folder
    at: str  # when, ISO 8601 UTC
    browser: Browser
    version: str | None
    identity: Identity | None  # what the sign-in presented (later visits are compared with it)
    cookies: dict[str, float | None]  # the kept cookies' expiries; never their values
    remember: bool  # li_rm next to bcookie: LinkedIn will mint new sessions for this browser

    def remember_warning(self) -> str | None:
        """What to tell a person whose sign-in LinkedIn will not keep."""
        if self.remember:
            return None
        missing = [name for name in (REMEMBER_COOKIE, BROWSER_COOKIE) if name not in self.cookies]
        return (f"LinkedIn did not keep you signed in ({' and '.join(missing)} missing: \"Keep me logged in\" was "
                "not ticked, or not offered). This session will lapse within days, and collections will then "
                "stop with \"login needed\". Run `ssi login` again and tick \"Keep me logged in\" before you "
                "sign in; some accounts with two-step sign-in are not offered it, and then have to sign in "
                "again every few days.")


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def sign_in(profile: str, base_url: str, browser_path: str | None, *, timeout: float = 600,
            headless: bool = False, debugging_port: int | None = None,
            fill: Callable[[Page], None] | None = None,
            waiting: Callable[[str], None] = lambda holder: None) -> SignedIn:
    """Open the sign-in page in the profile's browser and wait for a signed-in session.

    ``fill``: types into the page (the demo, on the stand-in only). ``waiting``: told who holds the
    profile when another process (a collection) has it open; the sign-in waits its turn."""
    from ..locks import profile_lock

    if not headless and not has_display():
        raise LoginFailed(
            "no display to open a browser window on; on a server, sign in through `ssh -X` "
            "(see the README, \"How your session is kept\"), or sign in elsewhere and bring the session "
            "here with `ssi collect --auth STATE.json`",
            ExitCode.USAGE,
        )
    try:
        browser = resolve_browser(browser_path, headless=headless)
    except BrowserNotFound as exc:
        raise LoginFailed(str(exc), ExitCode.ERROR) from None
    try:
        with profile_lock(profile, "sign-in", wait=min(timeout, LOCK_WAIT), waiting=waiting):
            return _sign_in(profile, base_url, browser, timeout=timeout, headless=headless,
                            debugging_port=debugging_port, fill=fill)
    except Busy as exc:
        raise LoginFailed(str(exc), ExitCode.BUSY) from None


def _sign_in(profile: str, base_url: str, browser: Browser, *, timeout: float, headless: bool,
             debugging_port: int | None, fill: Callable[[Page], None] | None) -> SignedIn:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    version = browser_version(browser)
    deadline = time.monotonic() + timeout
    with sync_playwright() as pw:
        try:
            if major_version(version) is None:  # a browser that will not say (Chrome on Windows): ask it running
                probe = pw.chromium.launch(**launch_options(browser, headless=True))
                version = probe.version
                probe.close()
            options = profile_options(browser, browser_profile(profile), headless=headless, version=version)
            if debugging_port:
                options["args"] = [*options["args"], f"--remote-debugging-port={debugging_port}"]
            context = pw.chromium.launch_persistent_context(**options)
        except (PlaywrightError, ValueError) as exc:
            raise LoginFailed(f"the browser {browser.executable} would not start ({str(exc).splitlines()[0]}); "
                              "run `ssi doctor`", ExitCode.ERROR) from None
        try:
            page = context.pages[0] if context.pages else context.new_page()
            documents: list[Any] = []  # the page's own requests, for the headers the sign-in sent
            page.on("request", lambda r: documents.append(r)
                    if r.is_navigation_request() and r.frame == page.main_frame else None)
            try:
                page.goto(base_url + "/login")
            except PlaywrightError as exc:
                if "net::" not in str(exc):
                    raise
                raise LoginFailed(f"could not reach {base_url} ({str(exc).splitlines()[0]}); check the connection "
                                  "and try again", ExitCode.NETWORK) from None
            if fill is not None:
                fill(page)

            def signed_in() -> bool:
                return SESSION_COOKIE in cookie_facts(context.cookies(), base_url)

            while True:
                remaining = (deadline - time.monotonic()) * 1000
                if remaining <= 0:
                    raise LoginFailed(f"not signed in after {timeout:g} s; run `ssi login` again")
                page.wait_for_url(lambda url: not is_blocked_path(url), timeout=remaining)
                if signed_in():
                    break
                # Off the sign-in page but without a session (the person wandered off): wait for
                # the next page they open.
                page.wait_for_event("framenavigated", timeout=max(1.0, (deadline - time.monotonic()) * 1000))
            identity = _identity(page, documents)
            cookies = cookie_facts(context.cookies(), base_url)
        except PlaywrightTimeout:
            raise LoginFailed(f"not signed in after {timeout:g} s; run `ssi login` again") from None
        except PlaywrightError:
            raise LoginFailed("the browser window was closed before signing in finished") from None
        finally:
            with contextlib.suppress(PlaywrightError):
                context.close()  # writes the session into the profile folder
    # A session kept by an older version would otherwise be imported over this one at the next visit.
    legacy_state_path(profile).unlink(missing_ok=True)
    at = utc_iso(now())
    record = note_session_began(profile, base_url, at=at, how="login", executable=browser.executable,
                                version=version, identity=identity.to_json() if identity else None, cookies=cookies)
    return SignedIn(profile_dir(profile), at, browser, version, identity, cookies, bool(record.remember))


def _identity(page: Page, documents: list[Any]) -> Identity | None:
    """What the sign-in presented: the page's navigator, and its last page request's headers."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        identity = Identity.from_json(page.evaluate(READ_IDENTITY))
        if identity is not None and documents:
            identity = identity.with_headers(documents[-1].all_headers())
    except PlaywrightError:
        return None
    return identity
