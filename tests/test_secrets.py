"""The session's cookie and CSRF values never reach the database (with its WAL), raw pages,
artifacts or the command's output, on success and on failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Env


def test_secrets_are_never_stored_or_printed(env: Env, site_factory: Any) -> None:
    site = site_factory(slow_seconds=2)
    runs = [("ok", ()), ("api-429", ("--force",)), ("malformed", ("--force",)), ("captcha", ("--force",)),
            ("dom-changed", ("--force",)), ("hang", ("--force", "--timeout", "3"))]
    for mode, options in runs:
        site.mode = mode
        env.run("collect", "--auth", env.state_file(site), *options, site=site)
    site.mode = "ok"
    env.run("history", "--json", site=site)
    env.run("history", "--csv", site=site)

    assert len(site.issued) == len(runs)
    # The page really carried the CSRF token, so there was something to remove.
    assert any("csrfToken" in text for text in env.raw_texts())
    assert_no_secrets(env, site)


def assert_no_secrets(env: Env, site: Any) -> None:
    """No cookie or CSRF value the stand-in ever handed out is in the database (with its WAL),
    a raw page, an artifact, a log file, or anything a command printed."""
    secrets = [value for pair in site.issued for value in pair]
    assert secrets and all(len(s) > 20 for s in secrets)
    haystacks: dict[str, bytes] = {}
    for path in env.db.parent.glob(env.db.name + "*"):  # the database, its -wal and -shm
        haystacks[str(path)] = path.read_bytes()
    for i, text in enumerate(env.raw_texts()):
        haystacks[f"raw page {i}"] = text.encode()
    artifacts = list((env.data / "artifacts").rglob("*"))
    assert any(p.name == "page.html" for p in artifacts) and any(p.name == "screenshot.png" for p in artifacts)
    for path in artifacts:
        if path.is_file():
            haystacks[str(path)] = path.read_bytes()
            assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
    for path in (env.data / "logs").glob("*"):
        haystacks[str(path)] = path.read_bytes()
    for i, text in enumerate(env.outputs):
        haystacks[f"output {i}"] = text.encode()
    assert str(env.db) in haystacks and len(haystacks) >= 4  # something real was scanned
    # Where the session is meant to be kept, it is kept privately.
    for state in (env.data / "profiles").glob("*/state.json"):
        assert state.stat().st_mode & 0o777 == 0o600 and state.parent.stat().st_mode & 0o777 == 0o700
    for secret in secrets:
        for variant in {secret, secret.strip('"'), secret.split(":", 1)[-1]}:
            for name, data in haystacks.items():
                assert variant.encode() not in data, f"a session secret leaked into {name}"


def test_artifacts_keep_no_scripts(env: Env, site_factory: Any) -> None:
    site = site_factory("api-403")
    assert env.run("collect", "--auth", env.state_file(site), site=site).returncode == 3
    [page] = list((env.data / "artifacts").rglob("page.html"))
    text = page.read_text()
    assert "<script" in text and "__ssiConfig" not in text and "csrfToken" in text and "[redacted]" in text
    assert Path(page.parent).stat().st_mode & 0o777 == 0o700
