"""How a profile's browser is opened: one way, for `ssi login`, every collection and the demo.

LinkedIn must see one device (``../shared/reference/session-and-identity.md`` §2): the same full
Chromium, the account's own persistent profile (cookies, storage, all of it kept between visits),
and the same identity whether a window is shown or not. So every opening goes through
:func:`profile_options`, which gives ``launch_persistent_context`` its keyword arguments:

- ``--disable-blink-features=AutomationControlled``: Chromium's own switch, which leaves
  ``navigator.webdriver`` false as in a browser a person started;
- Playwright's ``user_agent`` set to the User-Agent this same Chromium sends with a window (derived
  from the running browser's version, never written down); Playwright sets the matching
  client-hint metadata with it, so ``sec-ch-ua`` and ``navigator.userAgentData`` agree. Set with a
  window too, where it is the browser's own already: so that the detailed client hints
  (platformVersion, architecture...) come from one calculation at sign-in and at every visit,
  whatever the system (on Linux they are the browser's own either way, measured);
- headless only: a window the size of its screen (Chromium's own ``--window-size`` and
  ``--screen-info``), so that the page never sees a window larger than the screen;
- no viewport emulation anywhere (a window reports its own size, as a person's does).

Nothing here imports Playwright.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .find import Browser, launch_options
from .identity import user_agent_for

WINDOW = (1280, 900)


def profile_options(browser: Browser, folder: Path, *, headless: bool, version: str | None) -> dict[str, Any]:
    """Keyword arguments for ``chromium.launch_persistent_context`` on the profile ``folder``.

    ``version``: the running browser's version (``browser_version`` or Playwright's
    ``browser.version``), which the User-Agent is derived from; ValueError when it names none."""
    if version is None:
        raise ValueError("the profile's browser needs the browser's version for its User-Agent")
    options = launch_options(browser, headless=headless)
    args = [*options.pop("args"), "--disable-blink-features=AutomationControlled"]
    if headless:
        width, height = WINDOW
        args += [f"--window-size={width},{height}", f"--screen-info={{{width}x{height}}}"]
    return {"user_data_dir": str(folder), **options, "args": args, "no_viewport": True,
            "service_workers": "block", "accept_downloads": False, "user_agent": user_agent_for(version)}
