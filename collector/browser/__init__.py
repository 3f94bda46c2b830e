"""The browser side: which Chromium to run (`find`, `install`), one visit to the SSI page
(`visit`), what the site's answers mean (`answers`), the kept sessions (`session_files`), signing
in (`login`) and keeping secrets out of what is stored (`redact`).

Nothing here imports Playwright at import time: it loads when a browser starts.
"""

from .find import Browser, BrowserNotFound, browser_version, launch_options, resolve_browser

__all__ = ["Browser", "BrowserNotFound", "browser_version", "launch_options", "resolve_browser"]
