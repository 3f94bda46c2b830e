"""Demo history, `ssi chart`, `ssi advice` and `ssi export`."""

from __future__ import annotations

import csv
import itertools
import io
import json
import statistics
import struct
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import parsers
from collector.trends.advice import advise
from collector.demo.history import NotADemoProfile, generate
from collector.store import Store
from tests.conftest import CORPUS, Env


@pytest.fixture
def store(env: Env) -> Store:
    return Store(env.db)


def test_generated_history_is_plausible_and_marked(store: Store) -> None:
    end = date(2026, 11, 1)
    assert generate(store, "demo", days=200, end=end, seed=5) == 200
    rows = store.history("demo", "2000-01-01")
    assert [r["day"] for r in rows] == [(end - timedelta(days=199 - i)).isoformat() for i in range(200)]
    assert {r["source"] for r in rows} == {"generated"}
    for r in rows:
        pillars = [r["brand"], r["people"], r["insights"], r["relationships"]]
        assert all(0 <= p <= 25 for p in pillars)
        assert r["ssi"] == pytest.approx(sum(pillars), abs=1e-5)
        assert 1 <= r["industry_rank"] <= 100 and 1 <= r["network_rank"] <= 100
    # A trend, with noise: later months are higher on average, but days also go down.
    assert statistics.mean(r["ssi"] for r in rows[-30:]) > statistics.mean(r["ssi"] for r in rows[:30])
    assert any(r["ssi_change"] is not None and r["ssi_change"] < 0 for r in rows)
    # Ranks move in steps, not every day.
    moves = sum(1 for a, b in itertools.pairwise(rows) if a["industry_rank"] != b["industry_rank"])
    assert 3 <= moves <= 60
    # Weekdays move more than weekends.
    weekday = [abs(r["ssi_change"]) for r in rows[1:] if date.fromisoformat(r["day"]).weekday() < 5]
    weekend = [abs(r["ssi_change"]) for r in rows[1:] if date.fromisoformat(r["day"]).weekday() >= 5]
    assert statistics.mean(weekday) > statistics.mean(weekend)


def test_generated_history_never_mixes_with_real_rows(store: Store) -> None:
    with pytest.raises(NotADemoProfile):
        generate(store, "default", days=10, end=date(2026, 11, 1))
    real = parsers.parse((CORPUS / "api-bare-free.json").read_bytes())
    store.save_snapshot("demo", real, "2026-10-30T09:00:00+00:00", "2026-10-30", raw_id=None, api_raw_id=None,
                        run_id=None)
    assert generate(store, "demo", days=10, end=date(2026, 11, 1)) == 9  # the real day is left alone
    [kept] = store.db.query("SELECT source, ssi FROM snapshots WHERE day = '2026-10-30'")
    assert kept == {"source": "api", "ssi": real.ssi}
    assert generate(store, "demo", days=10, end=date(2026, 11, 1)) == 0  # nothing twice


def test_same_seed_same_history(tmp_path: Path) -> None:
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    generate(a, "demo", days=30, end=date(2026, 1, 31), seed=9)
    generate(b, "demo", days=30, end=date(2026, 1, 31), seed=9)
    query = "SELECT day, ssi, industry_rank FROM snapshots ORDER BY day"
    assert list(a.db.query(query)) == list(b.db.query(query))


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_chart(env: Env, store: Store, tmp_path: Path, suffix: str) -> None:
    generate(store, "demo", days=90, end=date.today(), group_pillars=True)
    out = tmp_path / f"ssi{suffix}"
    done = env.run("--profile", "demo", "chart", "--out", str(out), "--days", "60")
    assert done.returncode == 0, done.stderr
    assert "60 days" in done.stdout
    data = out.read_bytes()
    if suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (1500, 1125)
    else:
        root = ET.fromstring(data)
        assert root.tag.endswith("svg")
        text = data.decode()
        # SSI, two reference lines, four pillars: seven drawn lines of 60 points each (tick marks
        # and legend swatches are paths too, but short ones).
        lines = [el for el in root.iter() if el.tag.endswith("path") and el.get("d", "").count(" L ") >= 50]
        assert len(lines) == 7, len(lines)
        assert "Industry average" in text and "Network average" in text and "generated demo history" in text


def test_chart_refuses_bad_input(env: Env, store: Store, tmp_path: Path) -> None:
    assert env.run("chart", "--out", str(tmp_path / "x.gif")).returncode == 2
    too_short = env.run("chart", "--out", str(tmp_path / "x.png"))
    assert too_short.returncode == 1 and "a chart needs two" in too_short.stderr
    assert not (tmp_path / "x.png").exists()


def _snapshot(ssi_parts: tuple[float, float, float, float], industry: tuple[float, ...] | None = None) -> Any:
    base = parsers.parse((CORPUS / "api-bare-free.json").read_bytes())
    groups = parsers.Group(rank=12, average=30.0, name="Financial Services",
                           pillars=parsers.Pillars(*industry) if industry else None)
    return parsers.Snapshot(round(sum(ssi_parts), 6), parsers.Pillars(*ssi_parts), groups, base.network, "api")


def test_advice_names_the_pillar_with_the_most_to_gain(env: Env, store: Store) -> None:
    today = date.today()
    # Four weeks ago "people" stood at 12; now 10: falling. "insights" has more room (11 vs 15
    # to go), but trails no one; "people" trails the industry by 3 and fell by 2.
    store.save_snapshot("p", _snapshot((20, 12, 10, 15), (9, 13, 6, 8)), f"{today - timedelta(28)}T09:00:00+00:00",
                        (today - timedelta(days=28)).isoformat(), raw_id=None, api_raw_id=None, run_id=None)
    store.save_snapshot("p", _snapshot((20, 10, 10.5, 15), (9, 13, 6, 8)), f"{today}T09:00:00+00:00",
                        today.isoformat(), raw_id=None, api_raw_id=None, run_id=None)
    found = advise(store, "p")
    assert found is not None
    by_key = {p.key: p for p in found.pillars}
    assert by_key["people"].room == 15 and by_key["people"].industry_gap == -3 and by_key["people"].trend_4w == -2
    assert by_key["insights"].room == 14.5 and by_key["insights"].industry_gap == 4.5
    assert by_key["people"].network_gap is None  # the page showed no network pillars
    assert found.focus.key == "people"
    assert "3.0 below your industry's average" in found.why and "fell 2.0 in four weeks" in found.why
    done = env.run("--profile", "p", "advice", "--json")
    data = json.loads(done.stdout)
    assert data["focus"]["key"] == "people" and len(data["focus"]["actions"]) >= 3
    assert [p["key"] for p in data["pillars"]] == ["brand", "people", "insights", "relationships"]
    human = env.run("--profile", "p", "advice")
    assert "Focus: Find the right people" in human.stdout and "warm introductions" in human.stdout
    assert env.run("--profile", "nobody", "advice").returncode == 1


def test_collect_ends_with_short_advice(env: Env, site_factory: Any) -> None:
    site = site_factory()
    done = env.run("collect", "--auth", env.state_file(site), site=site)
    assert done.returncode == 0
    last = done.stdout.strip().splitlines()[-3:]
    assert any(line.startswith("Focus next: ") for line in last), done.stdout


def test_export(env: Env, store: Store) -> None:
    generate(store, "demo", days=20, end=date(2026, 3, 20))
    generate(store, "demo-b", days=5, end=date(2026, 3, 20))
    everything = env.run("export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(everything.stdout)))
    assert len(rows) == 25 and {r["source"] for r in rows} == {"generated"}
    assert rows[0]["profile"] == "demo" and rows[0]["day"] == "2026-03-01"
    some = json.loads(env.run("export", "--format", "json", "--profile", "demo", "--since", "2026-03-15").stdout)
    assert [r["day"] for r in some] == [f"2026-03-{d}" for d in range(15, 21)]
    assert set(some[0]) >= {"ssi", "brand", "industry_rank", "network_ssi", "source"}
    assert json.loads(env.run("--profile", "demo-b", "export", "--format", "json").stdout)[0]["profile"] == "demo-b"
    assert json.loads(env.run("export", "--format", "json", "--profile", "nobody").stdout) == []
    assert env.run("export", "--format", "json", "--since", "March").returncode == 2
