"""Which Chromium to launch: the one place that decides, for the collector and the tests alike.

Order: ``--browser-path`` / ``SSI_BROWSER_PATH``; Playwright's own Chromium (for the revision the
installed Playwright expects, else any it has); a system Chromium or Chrome. Always the full
browser, headless or not: the headless shell starts faster, but it is a different browser from the
one a person signs in with, it says "HeadlessChrome" in its client hints, and LinkedIn ends sessions
that change browsers (``../shared/reference/session-and-identity.md``). A shell named explicitly is
used, with a warning (``shell_warning``). Nothing here imports Playwright, so ``ssi doctor`` and
setup stay fast.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Browser:
    executable: str
    origin: str  # how it was found, for messages and `ssi doctor`
    headless_shell: bool  # a headless-only build: cannot open a visible window


class BrowserNotFound(Exception):
    def __init__(self, message: str, tried: list[str]) -> None:
        super().__init__(message)
        self.tried = tried


def _usable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _is_shell(path: str) -> bool:
    name = os.path.basename(path)
    return "headless" in name


def playwright_browsers_dir(env: Mapping[str, str] = os.environ) -> Path | None:
    """Where Playwright keeps its browsers (PLAYWRIGHT_BROWSERS_PATH, else its per-OS cache)."""
    custom = env.get("PLAYWRIGHT_BROWSERS_PATH")
    if custom == "0":
        package = _playwright_package()
        return package / "driver" / "package" / ".local-browsers" if package else None
    if custom:
        return Path(custom)
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "ms-playwright"
    if sys.platform == "win32":
        return Path(env.get("LOCALAPPDATA", home / "AppData" / "Local")) / "ms-playwright"
    return Path(env.get("XDG_CACHE_HOME", home / ".cache")) / "ms-playwright"


def _playwright_package() -> Path | None:
    spec = importlib.util.find_spec("playwright")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _expected_revisions() -> dict[str, str]:
    package = _playwright_package()
    if package is None:
        return {}
    try:
        data = json.loads((package / "driver" / "package" / "browsers.json").read_text())
        return {b["name"]: str(b["revision"]) for b in data["browsers"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


_BINARIES = {
    "chromium-headless-shell": ("*/chrome-headless-shell", "*/headless_shell", "*/chrome-headless-shell.exe",
                                "*/headless_shell.exe"),
    "chromium": ("*/chrome", "*/chrome.exe", "*/*.app/Contents/MacOS/*"),
}


def _playwright_candidates(names: tuple[str, ...], env: Mapping[str, str]) -> list[str]:
    root = playwright_browsers_dir(env)
    if root is None or not root.is_dir():
        return []
    expected = _expected_revisions()
    found: list[str] = []
    for name in names:
        prefix = name.replace("-", "_") if name == "chromium-headless-shell" else name
        folders = sorted(root.glob(f"{prefix}-*"), key=lambda p: p.name.rsplit("-", 1)[-1], reverse=True)
        # The revision this Playwright was built for first, then whatever else is there.
        folders.sort(key=lambda p: p.name != f"{prefix}-{expected.get(name)}")
        for folder in folders:
            for pattern in _BINARIES[name]:
                found.extend(sorted(glob.glob(str(folder / pattern))))
    return found


_SYSTEM_SHELLS = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell")


def _system_candidates(names: tuple[str, ...]) -> list[str]:
    found = []
    for name in names:
        path = name if os.path.isabs(name) or "\\" in name else shutil.which(name)
        found.append(path or name)
    return found


_SYSTEM_FULL = (
    "/usr/lib/chromium/chromium",  # Debian's real binary behind the /usr/bin/chromium script
    "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
    "/usr/lib/chromium-browser/chromium-browser", "/opt/google/chrome/chrome", "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)


def resolve_browser(
    explicit: str | None = None, *, headless: bool = True, env: Mapping[str, str] = os.environ
) -> Browser:
    """The browser to launch, or BrowserNotFound listing everything that was tried."""
    for origin, path in (("--browser-path", explicit), ("SSI_BROWSER_PATH", env.get("SSI_BROWSER_PATH"))):
        if path:
            # A browser named by the person is never silently replaced by another one.
            if not _usable(path):
                raise BrowserNotFound(f"{origin} {path} is not an executable file", [path])
            if not headless and _is_shell(path):
                raise BrowserNotFound(
                    f"{origin} {path} is a headless-only build; a visible window needs a full Chromium", [path]
                )
            return Browser(path, origin, _is_shell(path))
    tried: list[str] = []
    for origin, candidates in (
        ("Playwright's Chromium", _playwright_candidates(("chromium",), env)),
        ("system", _system_candidates(_SYSTEM_FULL)),
    ):
        for path in candidates:
            if path in tried:
                continue
            tried.append(path)
            if _usable(path):
                return Browser(path, origin, _is_shell(path))
    where = playwright_browsers_dir(env)
    raise BrowserNotFound(
        "no Chromium or Chrome found (looked in Playwright's folder "
        f"{where} and for a system browser); run `ssi browser install`, install Debian's "
        "`chromium`, or set SSI_BROWSER_PATH",
        tried,
    )


def headless_shell(env: Mapping[str, str] = os.environ) -> Browser | None:
    """A headless-shell build, if one is installed: never used by the product, only measured
    against the full browser (`make bench`) and replayed by the tests as the old daily visit."""
    shells = (("Playwright's headless shell", _playwright_candidates(("chromium-headless-shell",), env)),
              ("system", _system_candidates(_SYSTEM_SHELLS)))
    for origin, candidates in shells:
        for path in candidates:
            if _usable(path):
                return Browser(path, origin, True)
    return None


def shell_warning(browser: Browser) -> str | None:
    """The one line to show when the browser is a headless shell (only ever named by the person)."""
    if not browser.headless_shell:
        return None
    return (f"{browser.executable} is a headless-shell build, a different browser from the one you sign in "
            "with; it says HeadlessChrome to LinkedIn, which ends such sessions. Use a full Chromium or Chrome")


def executable_stamp(browser: Browser) -> str | None:
    """What changes when the browser is updated in place (its file's time and size): a version
    read once stays true while this does."""
    try:
        found = os.stat(os.path.realpath(browser.executable))
    except OSError:
        return None
    return f"{found.st_mtime_ns}:{found.st_size}"


def browser_version(browser: Browser) -> str | None:
    """What the executable says of itself (``--version``), or None when it does not run: the
    cheap proof that a file found on disk is a browser that starts."""
    import subprocess  # only setup and doctor ask; a collection's start-up should not pay for it

    try:
        done = subprocess.run([browser.executable, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.strip().splitlines()
    return (lines[-1] if lines else "version unknown") if done.returncode == 0 else None


def launch_options(browser: Browser, *, headless: bool = True) -> dict[str, Any]:
    """Keyword arguments for Playwright's ``chromium.launch`` / ``launch_persistent_context``."""
    args: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox on
    return {"executable_path": browser.executable, "headless": headless, "args": args}
