"""`ssi login`: the person signs in on the stand-in's form; the kept session then collects."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from typing import Any

from playwright.sync_api import Playwright

from tests.conftest import SSI, Env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def signin_page_open(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as answer:
            return any("/login" in target.get("url", "") for target in json.load(answer))
    except OSError:
        return False


def start_login(env: Env, site: Any, *, headed: bool = False,
                extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], int]:
    """`ssi login` with its browser's debugging port open, for a test to play the person."""
    port = free_port()
    command = [SSI, "login", "--remote-debugging-port", str(port), "--timeout", "60",
               *([] if headed else ["--headless"])]
    environment = {**os.environ, "SSI_DATA_DIR": str(env.data), "SSI_DB": str(env.db), "SSI_BASE_URL": site.url,
                   **(extra_env or {})}
    return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True), port


def wait_for_signin_page(process: subprocess.Popen[str], port: int, within: float = 30) -> None:
    """Until the browser `ssi login` opened shows the sign-in page."""
    deadline = time.monotonic() + within
    while not signin_page_open(port):
        assert time.monotonic() < deadline and process.poll() is None, "no sign-in page opened"
        time.sleep(0.1)


def drive_sign_in(playwright: Playwright, port: int, *, remember: bool | None = None,
                  password: str = "correct horse battery staple") -> None:
    """What a person does in the window `ssi login` opened (reached through its debugging port):
    type their e-mail and password into LinkedIn's own page, maybe tick "Keep me logged in", submit."""
    # pytest-playwright's own Playwright: a second one cannot run in this process.
    browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
    page = next(p for c in browser.contexts for p in c.pages if "/login" in p.url)
    page.wait_for_selector("input[name=session_key]")
    page.fill("input[name=session_key]", "seller@example.com")
    page.fill("input[name=session_password]", password)
    if remember is not None:
        box = page.locator("input[name=rememberMeOptIn]")
        box.check() if remember else box.uncheck()
    page.click("button[type=submit]")


def test_login_by_driving_the_form_then_collect(env: Env, site_factory: Any, playwright: Playwright) -> None:
    site = site_factory()
    process, port = start_login(env, site)
    try:
        wait_for_signin_page(process, port)
        drive_sign_in(playwright, port)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Signed in" in out and str(env.data / "profiles" / "default") in out
    assert "correct horse" not in out + err
    assert (env.data / "profiles" / "default").stat().st_mode & 0o777 == 0o700
    # The session kept in the profile is enough to collect, with no --auth.
    done = env.run("collect", site=site)
    assert done.returncode == 0, done.stderr
    assert len(env.rows("SELECT id FROM snapshots")) == 1
    doctor = env.run("doctor", site=site)
    assert "ok signed in: signed in with `ssi login`" in doctor.stdout and "li_at for 127.0.0.1 valid" in doctor.stdout


def test_login_without_a_display_says_what_to_do(env: Env, site_factory: Any) -> None:
    site = site_factory()
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([SSI, "login"], env={**clean, "SSI_DATA_DIR": str(env.data), "SSI_BASE_URL": site.url},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "ssh -X" in done.stderr and "--auth" in done.stderr
    assert not site.requests  # nothing was opened
