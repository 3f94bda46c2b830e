"""One resolver decides which browser runs; each rule of its order, and its failure message."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from collector.browser import find as resolver
from collector.browser import BrowserNotFound, launch_options, resolve_browser


def executable(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\necho fake 1.0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.fixture
def no_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resolver, "_system_candidates", lambda names: ["/nowhere/chromium"])


def test_explicit_path_wins(tmp_path: Path) -> None:
    exe = executable(tmp_path / "my-chrome")
    chosen = resolve_browser(exe, env={"SSI_BROWSER_PATH": "/other"})
    assert chosen.executable == exe and chosen.origin == "--browser-path"


def test_env_var_is_next(tmp_path: Path) -> None:
    exe = executable(tmp_path / "env-chrome")
    chosen = resolve_browser(None, env={"SSI_BROWSER_PATH": exe})
    assert chosen.executable == exe and chosen.origin == "SSI_BROWSER_PATH"


def test_a_named_browser_that_is_missing_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    with pytest.raises(BrowserNotFound) as caught:
        resolve_browser(str(tmp_path / "missing"), env={})
    assert "--browser-path" in str(caught.value) and "missing" in str(caught.value)
    text = tmp_path / "not-executable"
    text.write_text("")
    with pytest.raises(BrowserNotFound):
        resolve_browser(None, env={"SSI_BROWSER_PATH": str(text)})


def test_the_full_browser_headless_or_not_and_the_shell_only_when_asked(tmp_path: Path, no_system: None) -> None:
    """A headless shell starts faster, but it is another browser from the one that signs in, and
    it says HeadlessChrome: the resolver never picks it, headless or not."""
    revisions = resolver._expected_revisions()
    assert revisions.get("chromium"), "the installed Playwright names its Chromium revision"
    rev = revisions["chromium-headless-shell"]
    binary = Path("chrome-headless-shell-linux64") / "chrome-headless-shell"
    executable(tmp_path / "chromium_headless_shell-1" / binary)
    shell = executable(tmp_path / f"chromium_headless_shell-{rev}" / binary)
    old_full = executable(tmp_path / "chromium-1" / "chrome-linux64" / "chrome")
    full = executable(tmp_path / f"chromium-{revisions['chromium']}" / "chrome-linux64" / "chrome")
    env = {"PLAYWRIGHT_BROWSERS_PATH": str(tmp_path)}
    for headless in (True, False):
        chosen = resolve_browser(None, headless=headless, env=env)
        assert chosen.executable == full and not chosen.headless_shell and chosen.origin == "Playwright's Chromium"
    assert old_full  # present but older: not chosen
    # Found only for the benchmark and the tests that replay the old daily visit; named, it is
    # used with a warning.
    found = resolver.headless_shell(env)
    assert found is not None and found.executable == shell and found.headless_shell
    named = resolve_browser(shell, env={})
    assert named.headless_shell and resolver.shell_warning(named) and resolver.shell_warning(chosen) is None


def test_system_browser_when_playwright_has_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shell = executable(tmp_path / "sys" / "chromium-headless-shell")
    full = executable(tmp_path / "sys" / "chromium")
    monkeypatch.setattr(resolver, "_SYSTEM_SHELLS", (shell,))
    monkeypatch.setattr(resolver, "_SYSTEM_FULL", ("/nowhere/chrome", full))
    env = {"PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "empty")}
    assert resolve_browser(None, headless=True, env=env).executable == full
    assert resolve_browser(None, headless=False, env=env).executable == full
    found = resolver.headless_shell(env)
    assert found is not None and found.executable == shell


def test_profile_options_one_identity_headless_or_headed(tmp_path: Path) -> None:
    from collector.browser.identity import user_agent_for
    from collector.browser.launch import profile_options

    browser = resolve_browser(executable(tmp_path / "c"), env={})
    headless = profile_options(browser, tmp_path / "profile", headless=True, version="Chromium 156.0.8078.114")
    assert headless["user_agent"] == user_agent_for("156.0.8078.114") and "Headless" not in headless["user_agent"]
    assert "--disable-blink-features=AutomationControlled" in headless["args"]
    assert headless["no_viewport"] is True and headless["user_data_dir"] == str(tmp_path / "profile")
    # With a window: the same User-Agent (the browser's own there), and the window the person's.
    headed = profile_options(browser, tmp_path / "profile", headless=False, version="156.0.8078.114")
    assert headed["user_agent"] == headless["user_agent"]
    assert "--disable-blink-features=AutomationControlled" in headed["args"]
    assert not [a for a in headed["args"] if a.startswith(("--window-size", "--screen-info"))]
    for unknown in (None, "version unknown"):
        with pytest.raises(ValueError):
            profile_options(browser, tmp_path / "profile", headless=True, version=unknown)


def test_nothing_found_names_what_was_tried(tmp_path: Path, no_system: None) -> None:
    with pytest.raises(BrowserNotFound) as caught:
        resolve_browser(None, env={"PLAYWRIGHT_BROWSERS_PATH": str(tmp_path)})
    assert "/nowhere/chromium" in caught.value.tried
    assert "SSI_BROWSER_PATH" in str(caught.value) and str(tmp_path) in str(caught.value)


def test_headed_run_refuses_a_headless_only_build(tmp_path: Path) -> None:
    shell = executable(tmp_path / "chromium-headless-shell")
    with pytest.raises(BrowserNotFound, match="headless-only"):
        resolve_browser(shell, headless=False, env={})


def test_launch_options_add_no_sandbox_only_as_root(tmp_path: Path) -> None:
    options = launch_options(resolve_browser(executable(tmp_path / "c"), env={}))
    assert ("--no-sandbox" in options["args"]) == (os.geteuid() == 0)
    assert options["headless"] is True


def test_this_machine_resolves_a_real_browser() -> None:
    chosen = resolve_browser(None, headless=True)
    assert os.access(chosen.executable, os.X_OK)
    json.dumps(chosen.__dict__)


def test_only_collect_starts_playwright_before_the_command_line_loads() -> None:
    from collector.entry import command_of

    assert command_of(["collect"]) == "collect"
    assert command_of(["--db", "collect", "--profile", "x", "collect", "--force"]) == "collect"
    assert command_of(["--base-url=http://x", "collect"]) == "collect"
    assert command_of(["--db", "x.db", "history"]) == "history"
    assert command_of(["collect", "--help"]) is None and command_of(["--help"]) is None and command_of([]) is None
    assert command_of(["--version"]) is None
