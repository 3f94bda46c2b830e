"""`ssi login`: the person signs in, in a visible window, and the session stays in the profile.

We only watch: the window opens at BASE/login, and we wait until the address has left the
sign-in and checkpoint pages and the session cookie (li_at) exists; then the session is kept as
the profile's state.json (collector.browser.session_files). The window's own browser profile is kept too, so
that LinkedIn recognises the device next time. The password is typed into LinkedIn's own page and
never passes through this program.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from ..outcomes import ExitCode
from ..paths import profile_dir
from .answers import is_blocked_path
from .find import BrowserNotFound, launch_options, resolve_browser
from .session_files import SESSION_COOKIE, browser_profile, cookie_matches, save_state


class LoginFailed(Exception):
    def __init__(self, message: str, code: ExitCode = ExitCode.LOGIN_NEEDED) -> None:
        super().__init__(message)
        self.code = code


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def sign_in(profile: str, base_url: str, browser_path: str | None, *, timeout: float = 600,
            headless: bool = False, debugging_port: int | None = None) -> Path:
    """Open the sign-in page and wait for a signed-in session; keep it; return the profile folder."""
    if not headless and not has_display():
        raise LoginFailed(
            "no display to open a browser window on; on a server run `xvfb-run ssi login`, or sign in on "
            "another machine and bring the session here with `ssi collect --auth STATE.json`",
            ExitCode.USAGE,
        )
    try:
        browser = resolve_browser(browser_path, headless=headless)
    except BrowserNotFound as exc:
        raise LoginFailed(str(exc), ExitCode.ERROR) from None
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    folder = browser_profile(profile)
    options = launch_options(browser, headless=headless)
    if debugging_port:
        options["args"] = [*options["args"], f"--remote-debugging-port={debugging_port}"]
    host = urlsplit(base_url).hostname or ""
    deadline = time.monotonic() + timeout
    with sync_playwright() as pw:
        try:
            context = pw.chromium.launch_persistent_context(str(folder), **options, no_viewport=not headless)
        except PlaywrightError as exc:
            raise LoginFailed(f"the browser would not start ({str(exc).splitlines()[0]})", ExitCode.ERROR) from None
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(base_url + "/login")

            def signed_in() -> bool:
                return any(c["name"] == SESSION_COOKIE and cookie_matches(c["domain"], host)
                           for c in context.cookies())

            while True:
                remaining = (deadline - time.monotonic()) * 1000
                if remaining <= 0:
                    raise LoginFailed(f"not signed in after {timeout:g} s; run `ssi login` again")
                page.wait_for_url(lambda url: not is_blocked_path(url), timeout=remaining)
                if signed_in():
                    save_state(profile, dict(context.storage_state()))
                    return profile_dir(profile)
                # Off the sign-in page but without a session (the person wandered off): wait for
                # the next page they open.
                page.wait_for_event("framenavigated", timeout=max(1.0, (deadline - time.monotonic()) * 1000))
        except PlaywrightTimeout:
            raise LoginFailed(f"not signed in after {timeout:g} s; run `ssi login` again") from None
        except PlaywrightError:
            raise LoginFailed("the browser window was closed before signing in finished") from None
        finally:
            with contextlib.suppress(PlaywrightError):
                context.close()  # writes the session into the profile folder
