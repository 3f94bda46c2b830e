"""Goals with a projection, notes on the timeline, and the weekly digest (issue 13)."""

from __future__ import annotations

import base64
import json
import random
import sqlite3
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from collector.schedule import daemon as scheduler
from collector.schedule.planning import WEEKDAYS, Policy, digest_due
from collector.store import Store, migrations
from collector.trends.digest import build, parse_week
from collector.trends.projection import fit, project
from parsers import Group, Pillars, Snapshot
from tests.conftest import Env, Receiver

START = date(2026, 9, 7)  # a Monday


def series(days: int, per_week: float, noise: float, *, seed: int = 1, level: float = 50.0,
           keep: Any = None) -> list[tuple[date, float]]:
    rnd = random.Random(seed)
    found = [(START + timedelta(days=i), level + per_week * i / 7 + rnd.gauss(0, noise)) for i in range(days)]
    return [r for r in found if keep is None or keep(r[0])]


def truth(days: int, per_week: float, target: float, level: float = 50.0) -> date:
    """When the noiseless line reaches ``target``."""
    return START + timedelta(days=round((target - level) / per_week * 7))


# -- the projection, on synthetic series ---------------------------------------------------------
def test_a_rising_series_is_projected_near_its_true_date_within_its_range() -> None:
    found = project(series(70, 0.5, 0.4), 60)
    expected = truth(70, 0.5, 60)
    assert found.eta is not None and found.earliest is not None and found.latest is not None
    assert found.earliest <= expected <= found.latest
    assert abs((found.eta - expected).days) <= 21
    assert found.trend is not None and 0.4 <= found.trend.per_week <= 0.6 and found.trend.rising
    assert found.verdict.startswith(f"at this pace 60 is reached around {found.eta}")


@pytest.mark.parametrize(("per_week", "kind"), [(0.0, "flat"), (-0.4, "falling")])
def test_flat_or_falling_is_not_at_this_pace(per_week: float, kind: str) -> None:
    found = project(series(70, per_week, 0.4, seed=3), 60)
    assert found.eta is None and not found.reached
    assert found.verdict.startswith(f"not at this pace: over the last 8 weeks the trend is {kind}")


def test_noisy_series_range_holds_the_true_date_nine_times_in_ten() -> None:
    expected = truth(70, 0.5, 60)
    held = 0
    for seed in range(40):
        found = project(series(70, 0.5, 2.0, seed=seed), 60)
        if found.eta is not None and found.earliest <= expected <= (found.latest or date.max):
            held += 1
    assert held >= 32  # a 90% range: 36 expected, with room for chance


def test_gaps_leave_weeks_out_and_the_fit_still_holds() -> None:
    # Readings on two days in three, and none at all for weeks 3 and 4 of the eight.
    readings = series(70, 0.5, 0.3, keep=lambda d: (d - START).days % 3 != 1 and not 14 <= (d - START).days < 28)
    trend = fit(readings)
    assert trend is not None and trend.weeks == 6
    assert 0.4 <= trend.per_week <= 0.6


def test_one_odd_week_does_not_tip_the_fit() -> None:
    readings = series(70, 0.5, 0.2)
    spiked = [(d, v + 8 if 35 <= (d - START).days < 42 else v) for d, v in readings]
    assert fit(spiked).per_week == pytest.approx(fit(readings).per_week, abs=0.1)


def test_too_little_history_and_a_goal_already_reached() -> None:
    assert fit(series(13, 0.5, 0.1)) is None  # two weeks of readings
    found = project(series(13, 0.5, 0.1), 60)
    assert found.eta is None and "not enough history" in found.verdict
    reached = project(series(30, 0.5, 0.1), 40)
    assert reached.reached and reached.short() == "reached"
    with_date = project(series(70, 0.5, 0.1), 60, by=START + timedelta(days=69 + 70))
    assert with_date.needed_per_week == pytest.approx((60 - with_date.current) / 10, rel=1e-6)
    assert with_date.on_track is (with_date.eta is not None and with_date.eta <= with_date.by)


# -- a store with known weeks --------------------------------------------------------------------
def save_day(store: Store, profile: str, day: date, ssi: float, *, pillars: tuple[float, ...] | None = None,
             industry_rank: int = 30, network_rank: int = 40) -> None:
    parts = pillars or (ssi * 0.3, ssi * 0.2, ssi * 0.2, ssi * 0.3)
    snapshot = Snapshot(ssi=sum(parts), pillars=Pillars(*parts),
                        industry=Group(rank=industry_rank, average=28.5, pillars=None, name="IT"),
                        network=Group(rank=network_rank, average=31.25, pillars=None), source="api")
    moment = datetime.combine(day, time(9), tzinfo=timezone.utc).isoformat()
    store.save_snapshot(profile, snapshot, moment, day.isoformat(), raw_id=None, api_raw_id=None, run_id=None)


@pytest.fixture
def known(env: Env) -> Store:
    """Ten weeks of a steady +0.7 a week (0.1 a day) from 40, ranks improving in week 9."""
    store = Store(env.db)
    for i in range(70):
        day = START + timedelta(days=i)
        save_day(store, "p", day, 40 + 0.1 * i, industry_rank=25 if i >= 56 else 30)
    return store


def test_goals_are_kept_with_their_history_and_projected(env: Env, known: Store) -> None:
    last = START + timedelta(days=69)
    assert env.run("--profile", "p", "goal", "set", "60", "--by", "2027-12-31").returncode == 0
    assert env.run("--profile", "p", "goal", "set", "55").returncode == 0  # replaces the first
    assert env.run("--profile", "p", "goal", "set", "20", "--pillar", "brand").returncode == 0
    rows = env.rows("SELECT pillar, target, by_day, retired_at FROM goals ORDER BY id")
    assert [(r["pillar"], r["target"], r["retired_at"] is not None) for r in rows] == [
        (None, 60.0, True), (None, 55.0, False), ("brand", 20.0, False)]
    done = env.run("--profile", "p", "goal", "--json")
    reports = json.loads(done.stdout)
    assert [g["figure"] for g in reports] == ["ssi", "brand"]
    ssi = reports[0]
    assert ssi["current"] == pytest.approx(46.9) and ssi["target"] == 55
    # 0.7 a week, exactly: 8.1 points to go from the last reading (the readings end before today).
    assert ssi["projection"]["per_week"] == pytest.approx(0.7, abs=1e-6)
    eta = date.fromisoformat(ssi["projection"]["eta"])
    assert abs((eta - (last + timedelta(days=81))).days) <= 1
    assert [p["pillar"] for p in ssi["pillars"]] == ["brand", "people", "insights", "relationships"]
    assert sum(p["per_week"] for p in ssi["pillars"]) == pytest.approx(0.7, abs=1e-6)
    history = env.run("--profile", "p", "goal", "--all")
    assert "retired" in history.stdout and history.stdout.count("#") == 3
    text = env.run("--profile", "p", "goal").stdout
    assert "SSI 55/100" in text and "reached around" in text


def test_bad_goals_are_usage_errors_and_change_nothing(env: Env, known: Store) -> None:
    for args in (("goal", "set", "30", "--pillar", "brand"), ("goal", "set", "101"), ("goal", "set", "0"),
                 ("goal", "set", "60", "--by", "2020-01-01"), ("goal", "set", "60", "--pillar", "charm")):
        done = env.run("--profile", "p", *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, args
    assert env.rows("SELECT COUNT(*) AS n FROM goals")[0]["n"] == 0
    assert env.run("--profile", "p", "goal", "clear").returncode == 1


def test_notes_with_and_without_a_pillar_listed_edited_removed_and_in_history(env: Env, known: Store) -> None:
    day = START + timedelta(days=60)
    assert env.run("--profile", "p", "note", "published an article on pricing", "--day", day.isoformat(),
                   "--pillar", "insights").returncode == 0
    later = (day + timedelta(days=2)).isoformat()
    assert env.run("--profile", "p", "note", "asked for two recommendations", "--day", later).returncode == 0
    listed = env.run("--profile", "p", "notes").stdout.splitlines()
    assert listed == [f"#1 {day} [insights]: published an article on pricing",
                      f"#2 {day + timedelta(days=2)}: asked for two recommendations"]
    assert env.run("--profile", "p", "note", "tomorrow", "--day", "2999-01-01").returncode == 2
    assert env.run("--profile", "p", "note", "   ").returncode == 2
    edited = env.run("--profile", "p", "notes", "edit", "2", "--pillar", "brand", "--text", "asked for three")
    assert edited.returncode == 0
    assert env.run("--profile", "p", "notes", "edit", "9", "--text", "x").returncode == 2  # no such note
    rows = env.rows("SELECT id, pillar, text, updated_at FROM notes ORDER BY id")
    assert rows[1]["pillar"] == "brand" and rows[1]["text"] == "asked for three" and rows[1]["updated_at"]
    store = Store(env.db)
    from collector.cli.render import history_lines

    lines = history_lines(store.history("p", day.isoformat()), False, store.notes("p"))
    at = next(i for i, line in enumerate(lines) if line.startswith(day.isoformat()))
    assert "note #1 [insights]: published an article on pricing" in lines[at + 1]
    assert env.run("--profile", "p", "notes", "remove", "1").returncode == 0
    assert [r["id"] for r in env.rows("SELECT id FROM notes")] == [2]


def test_a_note_s_effect_is_what_followed_against_the_usual(env: Env) -> None:
    store = Store(env.db)
    rnd = random.Random(4)
    level = {"brand": 10.0, "people": 8.0, "insights": 6.0, "relationships": 9.0}
    note_day = START + timedelta(days=100)
    for i in range(120):
        day = START + timedelta(days=i)
        for key in level:
            level[key] += rnd.gauss(0.01, 0.05)
        if note_day < day <= note_day + timedelta(days=7):
            level["insights"] += 0.4  # the week after the note, insights climbs
        save_day(store, "p", day, 0, pillars=tuple(level.values()))
    store.add_note("p", note_day.isoformat(), "posted daily", "insights", "x")
    store.add_note("p", (START + timedelta(days=118)).isoformat(), "too recent", None, "x")
    done = json.loads(env.run("--profile", "p", "notes", "--effect", "--json").stdout)
    first = {(m["figure"], m["days"]): m for m in done[0]["next"]}
    assert first[("insights", 7)]["change"] == pytest.approx(2.8, abs=0.5)
    assert first[("insights", 7)]["compared"] == "more than usual"
    assert first[("people", 7)]["compared"] in ("within the usual range", "less than usual", "more than usual")
    assert first[("people", 7)]["usual"]["changes"] >= 60
    recent = {(m["figure"], m["days"]): m for m in done[1]["next"]}
    assert recent[("ssi", 7)]["change"] is None  # not 7 days on yet
    text = env.run("--profile", "p", "notes", "--effect").stdout
    assert "not what caused it" in text and text.index("insights") < text.index("brand")


# -- the digest ----------------------------------------------------------------------------------
def test_the_digest_of_a_known_week(env: Env, known: Store) -> None:
    week_monday = START + timedelta(days=56)  # week 9: ranks improved on its Monday
    known.add_note("p", (week_monday + timedelta(days=2)).isoformat(), "a <b>bold</b> | note", "people", "x")
    known.add_note("p", (week_monday - timedelta(days=1)).isoformat(), "the week before", None, "x")
    known.set_goal("p", None, 60, None, "2026-09-07T00:00:00+00:00", START.isoformat())
    week = f"{week_monday.isocalendar()[0]}-W{week_monday.isocalendar()[1]:02d}"
    done = json.loads(env.run("--profile", "p", "digest", "--week", week, "--format", "json").stdout)
    assert done["first_day"] == week_monday.isoformat() and done["readings"] == 7
    ssi = done["figures"][0]
    assert ssi["then"] == pytest.approx(40 + 5.5) and ssi["now"] == pytest.approx(40 + 6.2)
    assert ssi["change"] == pytest.approx(0.7) and ssi["industry_average"] == 28.5
    assert done["ranks"][0] == {"group": "industry", "then": 30, "now": 25}
    assert [n["text"] for n in done["notes"]] == ["a <b>bold</b> | note"]
    assert done["goals"][0]["target"] == 60 and done["goals"][0]["projection"]["eta"]
    assert done["focus"]["key"] in ("brand", "people", "insights", "relationships")
    markdown = env.run("--profile", "p", "digest", "--week", week, "--format", "markdown").stdout
    assert "| SSI | 45.50 | 46.20 | +0.70 | 28.50 | 31.25 |" in markdown
    assert "industry: top 25% (up from top 30%)" in markdown and r"a \<b\>bold\</b\> \| note" in markdown
    page = env.run("--profile", "p", "digest", "--week", week, "--format", "html").stdout
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    text = env.run("--profile", "p", "digest", "--week", week).stdout
    assert "Focus next week" in text and "Notes this week" in text
    empty = env.run("--profile", "p", "digest", "--week", "2026-W20")
    assert empty.returncode == 1 and "no snapshot in week 2026-W20" in empty.stderr
    assert env.run("--profile", "p", "digest", "--week", "2026-W60").returncode == 2


def test_digest_sent_to_a_local_json_target_with_the_chart(env: Env, known: Store, receiver: Receiver) -> None:
    done = env.run("--profile", "p", "digest", "--week", "2026-W45", "--format", "json", "--send", receiver.url)
    assert done.returncode == 0, done.stderr
    [message] = receiver.received
    assert message["title"].startswith("SSI week 2026-W45 (p): ")
    assert "| SSI |" in message["message"]
    [picture] = message["attachments"]
    assert picture["mimetype"] == "image/png" and base64.b64decode(picture["base64"])[:8] == b"\x89PNG\r\n\x1a\n"
    refused = env.run("--profile", "p", "digest", "--week", "2026-W45", "--send", "json://127.0.0.1:9/nothing")
    assert refused.returncode == 1 and "not accepted" in refused.stderr


# -- the weekly schedule -------------------------------------------------------------------------
def test_digest_due_is_last_week_on_the_chosen_day_and_caught_up_later() -> None:
    policy = Policy(at=time(9, 0))
    at = lambda text: datetime.fromisoformat(text).replace(tzinfo=timezone.utc)  # noqa: E731
    assert digest_due(at("2026-11-30T09:30"), policy, 0) == (date(2026, 11, 23), at("2026-11-30T09:00"))
    assert digest_due(at("2026-11-30T08:00"), policy, 0) == (date(2026, 11, 16), at("2026-11-23T09:00"))
    assert digest_due(at("2026-12-03T07:00"), policy, 0)[0] == date(2026, 11, 23)  # Thursday: still due
    assert digest_due(at("2026-12-02T12:00"), policy, 4) == (date(2026, 11, 16), at("2026-11-27T09:00"))
    from collector.cli.schedule import _WEEKDAYS

    assert _WEEKDAYS == WEEKDAYS


def test_the_scheduler_sends_the_digest_once_a_week_and_catches_up(env: Env, receiver: Receiver) -> None:
    store = Store(env.db)
    for i in range(21):  # 2026-11-09 .. 2026-11-29: three weeks
        save_day(store, "p", date(2026, 11, 9) + timedelta(days=i), 40 + 0.1 * i)
    clock = {"now": datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)}  # Monday, before 09:00
    options = scheduler.Options(db=env.db, base_url="http://127.0.0.1:9", browser_path=None,
                                policy=Policy(at=time(9, 0)), tz_name="UTC", profiles=("p", "nobody"),
                                notify=(receiver.url,), digest_day=0)
    daemon = scheduler.Daemon(options, now=lambda: clock["now"])
    # Before 09:00 on Monday the due one is the week before last; it was "missed" and is sent now.
    assert daemon.send_digests() == datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    assert [m["title"].split(" (")[0] for m in receiver.received] == ["SSI week 2026-W47"]
    clock["now"] = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)  # Monday missed: caught up on Tuesday
    assert daemon.send_digests() == datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
    clock["now"] = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)  # and never twice
    daemon.send_digests()
    assert [m["title"].split(" (")[0] for m in receiver.received] == ["SSI week 2026-W47", "SSI week 2026-W48"]
    alerts = env.rows("SELECT profile, kind, day, delivered FROM alerts ORDER BY id")
    assert alerts == [{"profile": "p", "kind": "digest", "day": "2026-11-16", "delivered": 1},
                      {"profile": "p", "kind": "digest", "day": "2026-11-23", "delivered": 1}]
    # A week without a snapshot sends nothing ("nobody" has none; p has none in week 49).
    clock["now"] = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
    daemon.send_digests()
    assert len(receiver.received) == 2 and len(env.rows("SELECT * FROM alerts")) == 2


def test_schedule_digest_needs_a_target(env: Env) -> None:
    done = env.run("schedule", "--digest", "monday")
    assert done.returncode == 2 and "--notify" in done.stderr


def test_m006_keeps_the_alerts_and_allows_digests(tmp_path: Path) -> None:
    import sqlite_utils

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="m006_goals_notes_digest")
    old.execute("INSERT INTO alerts (profile, kind, day, sent_at, title, body, delivered) "
                "VALUES ('p', 'drop', '2026-11-01', 'x', 't', 'b', 1)")
    old.conn.commit()
    old.close()
    store = Store(path)
    assert store.alerted("p", "drop", "2026-11-01")
    assert store.record_alert("p", "digest", "2026-11-23", "x", "t", "b", True, None)
    assert not store.record_alert("p", "digest", "2026-11-23", "x", "t", "b", True, None)  # once a week


def test_parse_week() -> None:
    assert parse_week("2026-W48") == date(2026, 11, 23) and parse_week("2026w48") == date(2026, 11, 23)
    with pytest.raises(ValueError):
        parse_week("2026-11-23")
    assert build(Store(Path(":memory:")), "p", date(2026, 11, 23)) is None


def test_the_chart_draws_goals_and_notes(env: Env, known: Store, tmp_path: Path) -> None:
    known.set_goal("p", None, 60, "2027-06-30", "2026-09-07T00:00:00+00:00", START.isoformat())
    known.add_note("p", (START + timedelta(days=50)).isoformat(), "spoke at a meetup", None, "x")
    out = tmp_path / "c.svg"
    done = env.run("--profile", "p", "chart", "--out", str(out), "--days", "400")
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    # matplotlib writes each text's words as a comment beside its drawn glyphs.
    assert "goal 60 by 30 Jun 2027" in text and "projection (SSI)" in text
    assert "spoke at a meetup" in text
