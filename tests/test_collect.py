"""`ssi collect` for real: the browser, the stand-in on 127.0.0.1, the store, the exit codes."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from collector.standin import DEFAULT_BODY, StandIn
from tests.conftest import Env


def served(body: dict[str, Any]) -> dict[str, Any]:
    """The figures a correct snapshot of ``body`` holds, in the snapshots table's columns."""
    keys = {"PROFESSIONAL_BRAND": "brand", "FIND_RIGHT_PEOPLE": "people", "INSIGHT_ENGAGEMENT": "insights",
            "STRONG_RELATIONSHIP": "relationships"}
    out: dict[str, Any] = {"ssi": body["memberScore"]["overall"]}
    out.update({keys[s["pillar"]]: s["score"] for s in body["memberScore"]["subScores"]})
    for group in body["groupScore"]:
        name = group["groupType"].lower()
        out[f"{name}_rank"] = group["rank"]
        out[f"{name}_ssi"] = group["score"]["overall"]
        if "industry" in group:
            out["industry"] = group["industry"]
    return out


def snapshot_figures(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in served(DEFAULT_BODY)}


def test_full_collect(env: Env, site_factory: Any) -> None:
    site = site_factory()
    done = env.run("collect", "--auth", env.state_file(site), site=site)
    assert done.returncode == 0, done.stderr
    assert "SSI 58.91" in done.stdout and "Top 9%" in done.stdout and "Stored snapshot #1" in done.stdout
    [snap] = env.rows("SELECT * FROM snapshots")
    assert snapshot_figures(snap) == served(DEFAULT_BODY)
    assert snap["source"] == "api" and snap["profile"] == "default"
    [run] = env.rows("SELECT * FROM runs")
    assert run["status"] == "ok" and run["trigger"] == "manual" and run["snapshot_id"] == snap["id"]
    # The page, drawn with a .ssi-score__value span in every <progress> as the live page is, agrees.
    assert run["page_check"] == "agrees" and run["page_issues"] is None and run["day"] == snap["day"]
    assert "warning" not in done.stdout
    kinds = {r["kind"] for r in env.rows("SELECT kind FROM raw_pages")}
    assert kinds == {"page", "api"}
    # The request really went the way the real page's does.
    api = [r for r in site.requests if r["path"] == "/sales-api/salesApiSsi"]
    assert len(api) == 1 and api[0]["headers"]["csrf-token"].startswith("ajax:")
    agents = {r["headers"].get("User-Agent", "") for r in site.requests}
    assert agents and not any("Headless" in a for a in agents)
    # Images, fonts and the tracker were never fetched.
    fetched = {r["path"].split("?")[0] for r in site.requests}
    assert not any(p.startswith(("/static/img/", "/static/fonts/", "/li/track")) for p in fetched), fetched
    # The session lives in the profile's own browser, the owner's only; next to it, a record of it
    # (0600) that holds no cookie value, and no copy of the cookies anywhere else.
    profile = env.data / "profiles" / "default"
    assert profile.stat().st_mode & 0o777 == 0o700 and (profile / "browser").stat().st_mode & 0o777 == 0o700
    record = profile / "session.json"
    assert record.stat().st_mode & 0o777 == 0o600
    kept = json.loads(record.read_text())
    assert kept["imported_from"] == "auth" and {"li_at", "li_rm", "bcookie"} <= set(kept["cookies"])
    assert not any(secret in record.read_text() for entry in site.issued for secret in entry)
    assert sorted(p.name for p in profile.iterdir()) == ["browser", "session.json"]
    # The run says what the page saw of the browser: no webdriver, no Headless, the same as the headers.
    identity = json.loads(run["identity"])
    assert identity["webdriver"] is False and "Headless" not in json.dumps(identity)
    assert identity["header_user_agent"] == identity["user_agent"] and identity["user_agent"] in agents


def test_second_collect_same_day_adds_nothing_and_force_does(env: Env, site_factory: Any) -> None:
    site = site_factory()
    assert env.run("collect", "--auth", env.state_file(site), site=site).returncode == 0
    again = env.run("collect", site=site)
    assert again.returncode == 0 and "already collected today" in again.stdout
    assert len(env.rows("SELECT id FROM snapshots")) == 1
    assert [r["status"] for r in env.rows("SELECT status FROM runs ORDER BY id")] == ["ok", "skipped"]
    assert sum(r["path"] == "/sales/ssi" for r in site.requests) == 1  # no page load for a skip
    # The kept session (imported once with --auth) is enough for a forced second collection.
    forced = env.run("collect", "--force", site=site)
    assert forced.returncode == 0, forced.stderr
    assert len(env.rows("SELECT id FROM snapshots")) == 2
    assert "since" not in forced.stdout  # same day: no earlier day to compare with


# (mode, exit code, runs.status, extra collect options)
FAULTS = [
    ("authwall", 3, "login_required", ()),
    ("checkpoint", 3, "login_required", ()),
    ("captcha", 3, "login_required", ()),
    ("api-401", 3, "login_required", ()),
    ("api-403", 3, "login_required", ()),
    ("api-429", 4, "blocked", ()),
    ("api-999", 4, "blocked", ()),
    ("api-500", 6, "network_error", ()),
    ("malformed", 5, "page_changed", ()),
    ("hang", 6, "network_error", ("--timeout", "4")),
    ("stall-body", 6, "network_error", ("--timeout", "4")),
    ("page-403", 3, "login_required", ()),
    ("page-429", 4, "blocked", ()),
    ("page-999", 4, "blocked", ()),
    ("layout-changed", 5, "page_changed", ("--timeout", "6")),
    ("expired", 3, "login_required", ()),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One database with a good snapshot, and one stand-in whose mode each test switches."""
    root = tmp_path_factory.mktemp("faults")
    env = Env(data=root / "data", db=root / "ssi.db")
    site = StandIn(mode="ok", slow_seconds=3).start()
    assert env.run("collect", "--auth", env.state_file(site), site=site).returncode == 0
    yield env, site
    site.stop()


def database_state(env: Env) -> tuple[list[dict[str, Any]], ...]:
    return (env.rows("SELECT * FROM snapshots ORDER BY id"), env.rows("SELECT id, kind FROM raw_pages ORDER BY id"),
            env.rows("SELECT * FROM runs ORDER BY id"))


@pytest.mark.parametrize(("mode", "code", "status", "options"), FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_modes(seeded: Any, mode: str, code: int, status: str, options: tuple[str, ...]) -> None:
    env, site = seeded
    before = database_state(env)
    site.mode = "ok" if mode == "expired" else mode
    state = env.state_file(site)
    if mode == "expired":
        site.expire_sessions()
    try:
        done = env.run("collect", "--force", "--auth", state, *options, site=site)
    finally:
        site.mode = "ok"
    assert done.returncode == code, done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    after = database_state(env)
    assert after[0] == before[0], "no new snapshot, earlier ones untouched"
    assert after[2][: len(before[2])] == before[2], "earlier runs untouched"
    [run] = after[2][len(before[2]):]
    assert run["status"] == status and run["snapshot_id"] is None and run["finished_at"]
    assert run["message"] and run["message"] in done.stderr
    assert run["artifacts"], "a failure keeps a screenshot and the page"
    folder = Path(run["artifacts"])
    assert (folder / "page.html").exists() and (folder / "screenshot.png").stat().st_size > 1000
    assert str(folder) in done.stderr


SUCCESSES = [
    ("slow", {"check": "agrees"}),  # the API answers after 3 s: waited for, not timed out
    ("dom-changed", {"warning": "layout was not recognised", "check": "unreadable"}),
    ("layout-2022", {"check": "agrees"}),
    ("layout-2021", {"check": "page_only", "source": "api"}),  # the body embedded in the page
    ("api-renamed", {"check": "page_only", "source": "page"}),  # no body captured: the page alone
    ("pt", {"check": "agrees"}),
    ("de", {"check": "agrees"}),
    ("lookalikes", {"warning": "the page disagrees with LinkedIn's answer on ssi", "check": "disagrees"}),
]


@pytest.mark.parametrize(("mode", "expect"), SUCCESSES, ids=[s[0] for s in SUCCESSES])
def test_other_pages_that_must_succeed(seeded: Any, mode: str, expect: dict[str, str]) -> None:
    env, site = seeded
    site.mode = mode
    try:
        done = env.run("collect", "--force", "--auth", env.state_file(site), site=site)
    finally:
        site.mode = "ok"
    assert done.returncode == 0, done.stderr
    snap = env.rows("SELECT * FROM snapshots ORDER BY id DESC LIMIT 1")[0]
    assert snapshot_figures(snap) == served(DEFAULT_BODY)
    assert snap["source"] == expect.get("source", "api")
    run = env.rows("SELECT * FROM runs ORDER BY id DESC LIMIT 1")[0]
    assert run["page_check"] == expect["check"] and run["snapshot_id"] == snap["id"]
    if "warning" in expect:
        assert expect["warning"] in done.stdout and expect["warning"] in run["message"]
        assert run["artifacts"] and (Path(run["artifacts"]) / "page.html").exists(), "the page that disagreed is kept"
    else:
        assert "warning" not in done.stdout and run["artifacts"] is None


def test_no_secret_left_anywhere_after_every_fault(seeded: Any) -> None:
    """Runs after the fault and layout tests above, on the same database and data folder."""
    from tests.test_secrets import assert_no_secrets

    env, site = seeded
    assert len(env.rows("SELECT id FROM runs")) >= len(FAULTS) + len(SUCCESSES)
    assert_no_secrets(env, site)


def test_values_from_a_json_file(env: Env, site_factory: Any, tmp_path: Path) -> None:
    corpus = Path(__file__).parent.parent / "fixtures" / "corpus"
    body = json.loads((corpus / "api-data-wrapped.json").read_text())["data"]
    site = site_factory(body=body)
    done = env.run("collect", "--auth", env.state_file(site), site=site)
    assert done.returncode == 0, done.stderr
    snap = env.rows("SELECT * FROM snapshots")[0]
    assert {k: snap[k] for k in served(body)} == served(body)
    assert snap["industry_brand"] == 8.91 and snap["network_relationships"] == 9.39  # per-group pillars


def test_two_collections_at_once(env: Env, site_factory: Any) -> None:
    site = site_factory("slow", slow_seconds=3)
    state = env.state_file(site)
    first = env.popen("collect", "--auth", state, site=site)
    time.sleep(0.5)  # let the first take the profile's lock (this is the test's scheduling, not the product's)
    second = env.popen("collect", "--auth", state, site=site)
    _out2, err2 = second.communicate(timeout=60)
    _out1, err1 = first.communicate(timeout=60)
    assert (first.returncode, second.returncode) == (0, 7), (err1, err2)
    assert "another collection or sign-in for profile 'default' is running" in err2 and "pid" in err2
    statuses = sorted(r["status"] for r in env.rows("SELECT status FROM runs"))
    assert statuses == ["ok", "skipped"]
    assert len(env.rows("SELECT id FROM snapshots")) == 1


@pytest.mark.parametrize(("content", "complaint"), [
    ("{not json", "is not JSON"),
    (json.dumps({"cookies": [{"name": "li_at", "value": "x" * 20, "domain": ".example.org", "path": "/"}]}),
     "no cookies for 127.0.0.1"),
    (json.dumps({"cookies": [{"name": "lang", "value": "v=2&lang=en-us", "domain": "127.0.0.1", "path": "/"}]}),
     "no li_at session cookie"),
    (json.dumps([1, 2]), "no cookie list"),
])
def test_bad_auth_files(env: Env, site_factory: Any, tmp_path: Path, content: str, complaint: str) -> None:
    site = site_factory()
    state = tmp_path / "state.json"
    state.write_text(content)
    done = env.run("collect", "--auth", str(state), site=site)
    assert done.returncode == 2 and complaint in done.stderr, done.stderr
    assert env.rows("SELECT status FROM runs") == [{"status": "error"}]
    assert env.rows("SELECT id FROM snapshots") == []
    assert not any(r["path"] == "/sales/ssi" for r in site.requests)


def test_without_a_session_exit_3(env: Env, site_factory: Any) -> None:
    site = site_factory()
    done = env.run("collect", site=site)
    assert done.returncode == 3 and "has no LinkedIn session yet: run `ssi login`" in done.stderr
    assert env.rows("SELECT status FROM runs") == [{"status": "login_required"}]
    assert site.requests == [], "nothing to visit with: LinkedIn is not asked"


def test_a_run_cut_short_is_marked_interrupted_at_the_next_start(env: Env, site_factory: Any) -> None:
    site = site_factory("hang")
    state = env.state_file(site)
    process = env.popen("collect", "--auth", state, "--timeout", "30", site=site)
    deadline = time.monotonic() + 20
    while not any(r["path"] == "/sales-api/salesApiSsi" for r in site.requests):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.kill()  # SIGKILL: no chance to write anything
    process.wait()
    assert env.rows("SELECT status FROM runs") == [{"status": "running"}]
    site.mode = "ok"
    done = env.run("collect", "--auth", state, site=site)  # an import is kept only once it has worked
    assert done.returncode == 0, done.stderr
    runs = env.rows("SELECT status, message, finished_at FROM runs ORDER BY id")
    assert [r["status"] for r in runs] == ["interrupted", "ok"]
    assert "stopped before it finished" in runs[0]["message"] and runs[0]["finished_at"]


def test_collect_all_profiles_in_one_go(env: Env, site_factory: Any) -> None:
    from tests.conftest import give_session

    site = site_factory()
    for name in ("alice", "bob", "carol"):
        give_session(env, site, name)
    (env.data / "profiles" / "bob" / "state.json").write_text(json.dumps({"cookies": [], "origins": []}))  # no session
    done = env.run("collect", "--all", site=site)
    assert done.returncode == 0, done.stderr
    assert "alice: SSI 58.91" in done.stdout and "carol: SSI 58.91" in done.stdout and "bob" not in done.stdout
    rows = env.rows("SELECT profile, source FROM snapshots ORDER BY profile")
    assert rows == [{"profile": "alice", "source": "api"}, {"profile": "carol", "source": "api"}]
    assert sum(r["path"] == "/sales/ssi" for r in site.requests) == 2
    # Again the same day: nothing to do, no page loaded (and no browser started).
    again = env.run("collect", "--all", site=site)
    assert again.returncode == 0 and again.stdout.count("already collected today") == 2
    assert sum(r["path"] == "/sales/ssi" for r in site.requests) == 2
    # A named profile whose session died fails alone, with its own code; the others are stored.
    site.expire_sessions()
    give_session(env, site, "dave")
    mixed = env.run("collect", "--all", "--force", "--profile", "alice", "--profile", "dave", site=site)
    assert mixed.returncode == 3 and "1 of 2 profiles failed" in mixed.stderr
    statuses = {r["profile"]: r["status"] for r in env.rows("SELECT profile, status FROM runs ORDER BY id")}
    assert statuses["alice"] == "login_required" and statuses["dave"] == "ok"
    assert env.run("collect", "--profile", "x").returncode == 2  # --profile without --all


def test_a_session_record_that_cannot_be_kept_does_not_undo_the_snapshot(env: Env, site_factory: Any) -> None:
    site = site_factory()
    folder = env.data / "profiles" / "default"
    (folder / "session.json").mkdir(parents=True)  # something in the way of the session's record
    done = env.run("collect", "--auth", env.state_file(site), site=site)
    assert done.returncode == 0, done.stderr
    assert "the session's record could not be kept" in done.stdout
    [run] = env.rows("SELECT status, snapshot_id FROM runs")
    assert run["status"] == "ok" and run["snapshot_id"] == 1
    assert not list(folder.glob(".session.*")), "no stray half-written record"


def test_days_are_counted_in_the_database_zone(env: Env, site_factory: Any) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from collector.store import Store

    store = Store(env.db)
    store.set_setting("day_zone", "Pacific/Kiritimati")  # UTC+14: often already tomorrow
    store.close()
    site = site_factory()
    assert env.run("collect", "--auth", env.state_file(site), site=site).returncode == 0
    [snap] = env.rows("SELECT day FROM snapshots")
    assert snap["day"] == datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat()
    again = env.run("collect", site=site)  # the same "today" for the skip check, before any browser
    assert "already collected today" in again.stdout


def test_a_page_that_disagrees_costs_nothing_and_is_explained(env: Env, site_factory: Any) -> None:
    """The lookalikes page: a card of past weeks in the user's section, and a donut caption 7 points
    off. LinkedIn's answer decides; the disagreement is recorded, shown, kept and explained."""
    site = site_factory("lookalikes")
    done = env.run("collect", "--auth", env.state_file(site), site=site)
    assert done.returncode == 0, done.stderr
    [snap] = env.rows("SELECT * FROM snapshots")
    assert snapshot_figures(snap) == served(DEFAULT_BODY) and snap["source"] == "api"
    [run] = env.rows("SELECT * FROM runs")
    assert run["status"] == "ok" and run["page_check"] == "disagrees"
    issues = json.loads(run["page_issues"])
    assert {i["field"] for i in issues} == {"ssi"}, issues  # the weekly card's numbers were never read
    assert {i["hook"] for i in issues} == {"the score donut's caption", "the score donut's caption text"}
    assert all(i["page"] == 66 and i["api"] == 58.913501 for i in issues)
    assert "warning: the page disagrees with LinkedIn's answer on ssi" in done.stdout
    folder = Path(run["artifacts"])
    assert {p.name for p in folder.iterdir()} >= {"page.html", "api.json", "screenshot.png", "about.json"}
    # The command the warning gives shows why, in one screen.
    explained = env.run("parse", "--explain", str(folder / "page.html"), str(folder / "api.json"))
    assert explained.returncode == 0, explained.stderr
    assert "✗ page    the score donut's caption" in explained.stdout and "58.913501" in explained.stdout
    # ... and doctor says so, without failing.
    doctor = env.run("doctor", site=site)
    assert doctor.returncode == 0, doctor.stdout
    assert "page check" in doctor.stdout and "disagreed with LinkedIn's answer on ssi" in doctor.stdout
    assert "nothing was lost" in doctor.stdout
