"""`ssi browser install` (and `make setup`): make sure a Chromium the collector can launch exists.

A browser that is already there is kept (re-running setup changes nothing). Otherwise Playwright's
own download is tried; where that cannot reach its CDN, Debian's packages are installed with apt
when we are root or have password-less sudo; otherwise we print exactly what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from .find import Browser, BrowserNotFound, browser_version, resolve_browser

APT_PACKAGES = ("chromium",)


def _find() -> Browser | None:
    try:
        browser = resolve_browser(None, headless=True)
    except BrowserNotFound:
        return None
    return browser if browser_version(browser) is not None else None


def _playwright_download() -> bool:
    print("setup: no browser found; trying Playwright's own Chromium download ...", flush=True)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            capture_output=True, text=True, timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"setup: Playwright's download did not finish ({exc})")
        return False
    if done.returncode != 0:
        lines = (done.stderr + done.stdout).splitlines()
        reason = next((line.strip() for line in lines if line.strip().startswith("Error")), "no reason given")
        print(f"setup: Playwright's download failed ({reason[:160]})")
        return False
    return True


def _apt_install() -> bool:
    if shutil.which("apt-get") is None:
        return False
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"setup: installing Debian's {' '.join(APT_PACKAGES)} with apt-get ...", flush=True)
    subprocess.run([*prefix, "apt-get", "update", "-qq"], env=env, check=False)
    done = subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *APT_PACKAGES], env=env)
    return done.returncode == 0


def ensure_browser() -> Browser | None:
    """A Chromium the collector can launch: the one already there, else Playwright's download,
    else Debian's packages (as root or with password-less sudo); None when none could be had."""
    browser = _find()
    if browser is None and _playwright_download():
        browser = _find()
    if browser is None and _apt_install():
        browser = _find()
    return browser


def main() -> int:
    """`ssi browser install` (and `make setup`'s browser step): say what was found or done."""
    browser = ensure_browser()
    if browser is None:
        print(
            "setup: no usable Chromium. Install one, then run `ssi browser install` again:\n"
            "  Debian/Ubuntu: sudo apt-get install chromium\n"
            f"  elsewhere:     {sys.executable} -m playwright install chromium\n"
            "  or point SSI_BROWSER_PATH at a Chrome/Chromium executable.",
            file=sys.stderr,
        )
        return 1
    print(f"setup: browser {browser.executable} ({browser.origin})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
