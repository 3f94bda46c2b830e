from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from collector.browser import launch_options, resolve_browser

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"

# Bounded by default so `make test` stays quick; `HYPOTHESIS_PROFILE=long` for a longer run.
settings.register_profile("default", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if not p.name.endswith(".expected.json"))


def expected_for(path: Path) -> dict[str, Any]:
    return json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], pytestconfig: pytest.Config) -> dict[str, Any]:
    """pytest-playwright's browser comes from the same resolver as the collector's."""
    headless = not pytestconfig.getoption("--headed")
    options = launch_options(resolve_browser(None, headless=headless), headless=headless)
    return {**browser_type_launch_args, **options}


# -- the collector against the stand-in -------------------------------------------------------
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import zlib  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from collector.standin import StandIn  # noqa: E402

SSI = str(Path(sys.executable).with_name("ssi"))
# The same command with store hooks handed in (tests/harness.py): `[*HARNESS, "--max-pages", "9", "--", ...]`.
HARNESS = [sys.executable, str(Path(__file__).with_name("harness.py"))]


@dataclass
class Env:
    """A private data folder and database, and the real `ssi` command run against them."""

    data: Path
    db: Path
    outputs: list[str] = field(default_factory=list)

    def run(self, *args: str, site: StandIn | None = None, timeout: float = 120,
            extra_env: dict[str, str] | None = None, hooks: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
        """``hooks``: store hooks for tests/harness.py (e.g. ("--max-pages", "40")); none: the real `ssi`."""
        env = {**os.environ, "SSI_DATA_DIR": str(self.data), "SSI_DB": str(self.db), "COLUMNS": "120",
               **({"SSI_BASE_URL": site.url} if site else {}), **(extra_env or {})}
        command = [*HARNESS, *hooks, "--", *args] if hooks else [SSI, *args]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
        self.outputs += [done.stdout, done.stderr]
        return done

    def popen(self, *args: str, site: StandIn) -> subprocess.Popen[str]:
        env = {**os.environ, "SSI_DATA_DIR": str(self.data), "SSI_DB": str(self.db), "SSI_BASE_URL": site.url}
        return subprocess.Popen([SSI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def state_file(self, site: StandIn) -> str:
        path = self.data.parent / f"state-{len(list(self.data.parent.glob('state-*')))}.json"
        path.write_text(json.dumps(site.storage_state()))
        return str(path)

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        conn = sqlite3.connect(self.db)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in conn.execute(sql, params)]
        finally:
            conn.close()

    def rows_when_ready(self, sql: str) -> list[dict[str, Any]]:
        """Like rows(), but [] while the database is still being created by another process."""
        try:
            return self.rows(sql) if self.db.exists() else []
        except sqlite3.OperationalError:
            return []

    def raw_texts(self) -> list[str]:
        return [zlib.decompress(r["content"]).decode() for r in self.rows("SELECT content FROM raw_pages")]


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return Env(data=tmp_path / "data", db=tmp_path / "ssi.db")


@pytest.fixture
def site_factory() -> Iterator[Any]:
    started: list[StandIn] = []

    def start(mode: str = "ok", **kwargs: Any) -> StandIn:
        site = StandIn(mode=mode, **kwargs).start()
        started.append(site)
        return site

    yield start
    for site in started:
        site.stop()


def give_session(env: Env, site: StandIn, profile: str = "default") -> None:
    """What `ssi login` leaves behind: the profile's session, kept as a storage-state file."""
    folder = env.data / "profiles" / profile
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "state.json"
    path.write_text(json.dumps(site.storage_state()))
    path.chmod(0o600)


class Receiver:
    """A local HTTP endpoint that records what apprise's json:// notifier posts to it."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        received = self.received = []  # type: list[dict[str, Any]]

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()
