"""`ssi browse` in a real browser: every chart drawn, the profile filter works, served read-only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

import parsers
from collector.demo.history import generate
from collector.store import Store
from tests.conftest import CORPUS, SSI, Env
from tests.test_login import free_port

CARDS = ["current", "change_7d", "change_30d", "ssi", "this_week", "pillars", "compared", "ranks", "session", "notes"]
# Checked in the page: each vega-lite card holds an SVG with drawn marks, each metric a figure.
_CARD_STATE = """
(ids) => ids.map(id => {
  const el = document.querySelector('#chart-' + id);
  if (!el) return [id, 'missing'];
  const svg = el.querySelector('svg');
  const marks = svg ? svg.querySelectorAll('g.mark-line path, g.mark-rect path, g.mark-symbol path').length : 0;
  return [id, svg ? 'svg:' + marks : 'text:' + el.innerText.trim()];
})
"""


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    db = tmp_path / "seeded.db"
    store = Store(db)
    assert generate(store, "demo", days=150, end=date.today(), seed=3) == 150
    assert generate(store, "demo-team", days=130, end=date.today(), seed=4, group_pillars=True) == 130
    # A goal and notes of one's own, with words that would be markup if a panel did not escape them.
    first = store.history("demo", "2000-01-01")[0]["day"]
    store.set_goal("demo", None, 70, None, "2026-01-01T00:00:00+00:00", first)
    store.add_note("demo", (date.today() - timedelta(days=20)).isoformat(), "<b>wrote</b> & posted", None, "x")
    store.add_note("demo", (date.today() - timedelta(days=3)).isoformat(), "asked for intros", "people", "x")
    # A sign-in and a visit since, as `ssi login` and `ssi collect` record them, for the session panel.
    identity = {"user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36",
                "brands": ["Chromium/156"], "platform": "Linux", "mobile": False, "webdriver": False}
    store.record_sign_in("demo", "2026-11-01T08:00:00+00:00", "login", browser="/usr/bin/chromium",
                         browser_version="156", identity=identity, remember=True,
                         cookies={"li_at": 1830000000.0, "li_rm": 1830000000.0, "bcookie": 1830000000.0})
    run = store.start_run("demo", "scheduled", "2026-11-02T08:00:00+00:00", 1)
    store.finish_run(run, "ok", "SSI 50", "2026-11-02T08:00:03+00:00", identity=identity,
                     cookies={"li_at": 1831000000.0, "li_rm": 1830000000.0})
    store.close()
    return db


@pytest.fixture
def browse(seeded_db: Path, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    process = subprocess.Popen([SSI, "--db", str(seeded_db), "--profile", "demo", "browse", "--port", str(port)],
                               env={**os.environ, "SSI_DATA_DIR": str(tmp_path / "data")},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/-/versions.json", timeout=1).read()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, process.stderr and process.stderr.read()
            time.sleep(0.2)
    yield url, process
    process.terminate()
    process.communicate(timeout=20)


def card_states(page: Page) -> dict[str, str]:
    return dict(page.evaluate(_CARD_STATE, CARDS))


def test_dashboard_draws_every_chart_and_the_filter_changes_the_numbers(
        browse: tuple[str, Any], seeded_db: Path, page: Page, output_path: str) -> None:
    url, _ = browse
    artifacts = Path(output_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(url + "/-/dashboards/ssi")  # the default profile comes from --profile
    assert "profile=demo" in page.url

    def all_drawn() -> bool:
        states = card_states(page)
        return all(not s.startswith("svg:0") and s not in ("missing", "text:") for s in states.values())

    deadline = time.monotonic() + 30
    while not all_drawn():
        assert time.monotonic() < deadline, card_states(page)
        time.sleep(0.2)
    states = card_states(page)
    for chart in ("ssi", "pillars", "compared", "ranks"):
        assert states[chart].startswith("svg:") and int(states[chart][4:]) >= 2, states
    assert states["current"].endswith("/ 100") and states["change_7d"].startswith("text:")
    # The SSI chart: you, two peer averages, the goal and its projection as lines; a marker per note.
    ssi_chart = page.locator("#chart-ssi svg")
    assert ssi_chart.locator("g.mark-line path").count() >= 5, states
    notes = Store(seeded_db).notes("demo")  # the generator's notes of bursts, and the two above
    assert ssi_chart.locator("g.mark-symbol.role-mark path").count() == len(notes) >= 3
    labels = " ".join(ssi_chart.locator("[aria-label]").evaluate_all("els => els.map(e => e.ariaLabel)"))
    assert "Goal" in labels and "Projection" in labels and "Note" not in labels.replace("Notes", "")
    week = page.inner_text("#chart-this_week")
    assert "Goal: SSI 70/100" in week and "Notes this week" in week and "Professional brand" in week
    session = page.inner_text("#chart-session")
    assert "Keep me logged in\tyes" in session and "Identity since sign-in\tsame" in session, session
    assert "li_at valid until\t2028-01-09 03:06:40" in session and "Session\tkept" in session, session
    text = page.inner_text(".dashboard-grid")
    assert "Error" not in text and "error" not in text.lower().replace("errors", "")
    assert not problems, problems
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)  # kept among the test artifacts
    before = states["current"]

    page.select_option("#profile", "demo-team")
    page.click("input[type=submit]")
    page.wait_for_url("**profile=demo-team**")
    deadline = time.monotonic() + 30
    while card_states(page)["current"] in ("text:", before):
        assert time.monotonic() < deadline, card_states(page)
        time.sleep(0.2)
    after = card_states(page)
    assert after["current"] != before
    # demo-team's page shows per-group pillars: the comparison now has three bars per pillar.
    deadline = time.monotonic() + 30
    while not card_states(page)["compared"].startswith("svg:") or int(card_states(page)["compared"][4:]) < 12:
        assert time.monotonic() < deadline, card_states(page)
        time.sleep(0.2)
    page.screenshot(path=str(artifacts / "dashboard-demo-team.png"), full_page=True)
    if os.environ.get("SSI_DOCS_SCREENSHOT"):  # `make screenshot` refreshes the README's picture
        shutil.copy(artifacts / "dashboard-demo-team.png", os.environ["SSI_DOCS_SCREENSHOT"])


def test_metadata_describes_tables_and_units(browse: tuple[str, Any]) -> None:
    url, _ = browse
    meta = json.load(urllib.request.urlopen(url + "/-/metadata.json"))
    tables = meta["databases"]["seeded"]["tables"]
    assert "0–25" in tables["snapshots"]["columns"]["brand"]
    assert "0–100" in tables["snapshots"]["columns"]["ssi"]
    assert "Top N%" in tables["snapshots"]["columns"]["industry_rank"]
    assert meta["title"] == "ssi-collector"


def test_serves_read_only_while_the_collector_writes(browse: tuple[str, Any], seeded_db: Path) -> None:
    url, _ = browse

    def count() -> int:
        sql = urllib.parse.quote("select count(*) as n from snapshots")
        return int(json.load(urllib.request.urlopen(f"{url}/seeded.json?sql={sql}&_shape=array"))[0]["n"])

    before = count()
    store = Store(seeded_db)  # a writer, as `ssi collect` is
    snap = parsers.parse((CORPUS / "api-bare-free.json").read_bytes())
    store.save_snapshot("demo-other", snap, "2026-01-01T09:00:00+00:00", "2026-01-01",
                        raw_id=None, api_raw_id=None, run_id=None)
    store.close()
    assert count() == before + 1  # seen at once, through WAL
    # ...and nothing can be written through Datasette.
    request = urllib.request.Request(f"{url}/seeded/snapshots/-/insert", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request)


def test_a_clear_message_without_datasette(env: Env, tmp_path: Path) -> None:
    fake = tmp_path / "fake"
    (fake / "datasette").mkdir(parents=True)
    (fake / "datasette" / "__init__.py").write_text("raise ImportError('not installed', name='datasette')\n")
    done = env.run("browse", extra_env={"PYTHONPATH": str(fake)})
    assert done.returncode == 1
    assert "pip install 'ssi-collector[browse]'" in done.stderr and "Traceback" not in done.stderr


def test_warns_when_listening_beyond_loopback(env: Env) -> None:
    port = free_port()
    process = subprocess.Popen([SSI, "--db", str(env.db), "browse", "--host", "0.0.0.0", "--port", str(port)],
                               env={**os.environ, "SSI_DATA_DIR": str(env.data)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    process.terminate()
    _, err = process.communicate(timeout=20)
    assert "warning: listening on 0.0.0.0" in err


def test_browse_default_binds_loopback(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    from collector.trends import browse as module

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(module, "serve", lambda *args: calls.append(args))
    from click.testing import CliRunner

    from collector.cli import main

    result = CliRunner().invoke(main, ["--db", str(env.db), "browse"], env={"SSI_DATA_DIR": str(env.data)})
    assert result.exit_code == 0, result.output
    assert calls[0][2] == "127.0.0.1" and calls[0][3] == 8001
