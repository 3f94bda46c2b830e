"""A session that lasts: one coherent browser from sign-in to the thirtieth daily visit.

Against the strict stand-in (collector.standin: it binds a session to the identity and bcookie it
was minted for, ends it on a contradiction or a Headless token, lets li_at lapse every few visits
and mints it again only from li_rm). Every request it logged is checked for the identity rules.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Playwright

from collector.browser.find import headless_shell, resolve_browser
from collector.browser.identity import Identity, changes, problems, user_agent_for
from tests.conftest import Env, give_session
from tests.test_login import drive_sign_in, free_port, start_login, wait_for_signin_page

VISITS = 30
SESSION_ROUTES = ("/sales/ssi", "/sales-api/salesApiSsi", "/uas/login-submit")


# -- helpers ---------------------------------------------------------------------------------------
def sign_in(env: Env, site: Any, playwright: Playwright, *, remember: bool = True, headed: bool = False,
            extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`ssi login`, with a person's hands on the stand-in's form (through the browser's debugging port)."""
    process, port = start_login(env, site, headed=headed, extra_env=extra_env)
    try:
        wait_for_signin_page(process, port)
        drive_sign_in(playwright, port, remember=remember)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def chrome_version(user_agent: str) -> str | None:
    match = re.search(r"\bChrome/(\d+)", user_agent)
    return match.group(1) if match else None


def brand_versions(sec_ch_ua: str) -> dict[str, str]:
    return dict(re.findall(r'"([^"]*)"\s*;\s*v="([^"]*)"', sec_ch_ua))


UA_PLATFORMS = {"Linux": "X11; Linux", "macOS": "Macintosh", "Windows": "Windows NT"}


def assert_coherent(requests: list[dict[str, Any]]) -> tuple[str, str, str]:
    """Every logged request: no Headless, the User-Agent's version and platform are the client
    hints', and all of them present one and the same identity. Returns that identity."""
    seen = set()
    for request in requests:
        headers = {name.lower(): value for name, value in request["headers"].items()}
        agent, hints, platform = headers["user-agent"], headers.get("sec-ch-ua"), headers.get("sec-ch-ua-platform")
        assert hints and platform, f"{request['path']}: no client hints"
        assert "headless" not in (agent + hints).lower(), (request["path"], agent, hints)
        assert brand_versions(hints).get("Chromium") == chrome_version(agent), (request["path"], agent, hints)
        assert UA_PLATFORMS[platform.strip('"')] in agent, (request["path"], agent, platform)
        seen.add((agent, hints, platform))
    assert len(seen) == 1, f"more than one identity: {seen}"
    return seen.pop()


def collect_daily(env: Env, site: Any, days: int, monkeypatch: pytest.MonkeyPatch, **options: Any) -> list[Any]:
    """``days`` collections, one a day (a clock that moves a day each time), in this process."""
    from collector.collection import Request, collect
    from collector.outcomes import CollectError
    from collector.store import Store

    monkeypatch.setenv("SSI_DATA_DIR", str(env.data))
    start = datetime.now(timezone.utc)
    store = Store(env.db)
    outcomes: list[Any] = []
    try:
        for day in range(days):
            moment = start + timedelta(days=day)
            try:
                outcomes.append(collect(store, Request(profile="default", base_url=site.url, **options),
                                        now=lambda moment=moment: moment))
            except CollectError as error:
                outcomes.append(error)
    finally:
        store.close()
    return outcomes


def record(env: Env, profile: str = "default") -> dict[str, Any]:
    return dict(json.loads((env.data / "profiles" / profile / "session.json").read_text()))


# -- the thirty days ----------------------------------------------------------------------------------
def test_signed_in_with_keep_me_logged_in_thirty_daily_visits_hold(
        env: Env, site_factory: Any, playwright: Playwright, monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_factory()
    signed = sign_in(env, site, playwright, remember=True)
    assert signed.returncode == 0, signed.stderr
    assert "Keep me logged in\" took" in signed.stdout and "warning" not in signed.stdout + signed.stderr
    outcomes = collect_daily(env, site, VISITS, monkeypatch)
    assert [getattr(o, "status", "failed: " + str(o)) for o in outcomes] == ["ok"] * VISITS
    events = [e["event"] for e in site.events]
    assert events.count("signed-in") == 1, "no new sign-in along the way"
    assert events.count("reminted") >= VISITS // (site.session_visits + 1) - 1, events
    assert not {"ended", "lapsed", "refused-remember"} & set(events), site.events
    # The identity rules hold for every request the stand-in logged, the sign-in included.
    session_requests = [r for r in site.requests if r["path"].split("?")[0] in SESSION_ROUTES]
    assert any(r["path"] == "/uas/login-submit" for r in session_requests)
    agent, _, _ = assert_coherent(site.requests)
    assert agent == user_agent_for(_version()), "derived from the running browser"
    # What the page saw, run by run: the sign-in's own identity, webdriver off, nothing contradicting.
    kept = record(env)
    signed_identity = Identity.from_json(kept["sign_in_identity"])
    assert signed_identity is not None and not problems(signed_identity)
    identities = [Identity.from_json(json.loads(r["identity"])) for r in env.rows("SELECT identity FROM runs")]
    assert len(identities) == VISITS
    for identity in identities:
        assert identity is not None and not problems(identity) and identity.webdriver is False
        assert changes(signed_identity, identity) == []
    assert kept["remember"] is True and kept["ended_at"] is None and kept["signed_in_at"]
    [sign_in_row] = env.rows("SELECT how, remember FROM sign_ins")
    assert sign_in_row == {"how": "login", "remember": 1}


def _version() -> str:
    from collector.browser.find import browser_version

    version = browser_version(resolve_browser())
    assert version is not None
    return version


def test_without_keep_me_logged_in_login_warns_and_the_session_lapses(
        env: Env, site_factory: Any, playwright: Playwright) -> None:
    site = site_factory()
    signed = sign_in(env, site, playwright, remember=False)
    assert signed.returncode == 0, signed.stderr
    assert "LinkedIn did not keep you signed in (li_rm missing" in signed.stdout
    assert "tick \"Keep me logged in\"" in signed.stdout
    codes = [env.run("collect", "--force", site=site).returncode for _ in range(site.session_visits + 2)]
    assert codes[: site.session_visits] == [0] * site.session_visits
    assert codes[site.session_visits:] == [3, 3], codes
    failed = env.run("collect", "--force", site=site)
    assert failed.returncode == 3 and "LinkedIn ended this profile's session" in failed.stderr
    visits = sum(r["path"] == "/sales/ssi" for r in site.requests)
    assert visits == site.session_visits + 1, "a session known to be ended is not visited with again"
    doctor = env.run("doctor", site=site)
    assert doctor.returncode == 1
    assert "no li_rm next to bcookie" in doctor.stdout and "LinkedIn ended the session" in doctor.stdout
    assert_coherent(site.requests)


def todays_launch(playwright: Playwright, site: Any, state: Path, shell: str) -> bool:
    """The daily visit as ssi-collector made it before this change: the headless shell, a fresh
    context from a JSON state, a User-Agent override; the refreshed state written back after a success."""
    browser = playwright.chromium.launch(executable_path=shell, headless=True,
                                         args=["--no-sandbox"] if os.geteuid() == 0 else [])
    major = browser.version.split(".")[0]
    agent = (f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 "
             "Safari/537.36")
    context = browser.new_context(storage_state=str(state), user_agent=agent)
    page = context.new_page()
    try:
        with page.expect_response(lambda r: "/sales-api/salesApiSsi" in r.url, timeout=10_000) as answer:
            page.goto(site.url + "/sales/ssi")
        ok = answer.value.status == 200
    except Exception:
        ok = False
    if ok:
        state.write_text(json.dumps(context.storage_state()))
    browser.close()
    return ok


def test_the_same_thirty_days_with_todays_launch_fail(env: Env, site_factory: Any, playwright: Playwright,
                                                      tmp_path: Path) -> None:
    """The stand-in tells the old daily visit from the new: signed in the same way, the headless
    shell's visits lose the session at once."""
    shell = headless_shell()
    assert shell is not None, "the tests need Debian's chromium-headless-shell (make test installs it)"
    site = site_factory()
    assert sign_in(env, site, playwright, remember=True).returncode == 0
    # What `ssi login` used to keep: the signed-in browser's cookies, as a storage-state file.
    from collector.browser.find import launch_options

    context = playwright.chromium.launch_persistent_context(
        str(env.data / "profiles" / "default" / "browser"), **launch_options(resolve_browser()))
    state = tmp_path / "state.json"
    state.write_text(json.dumps(context.storage_state()))
    context.close()
    held = 0
    while held < VISITS and todays_launch(playwright, site, state, shell.executable):
        held += 1
    assert held < VISITS and held == 0, f"today's launch held for {held} visits"
    [ended] = [e for e in site.events if e["event"] == "ended"]
    assert "headless" in ended["reason"].lower()


# -- two processes, one profile -----------------------------------------------------------------------
def test_a_collection_while_signing_in_exits_7_and_the_session_then_works(
        env: Env, site_factory: Any, playwright: Playwright) -> None:
    site = site_factory()
    login, port = start_login(env, site)
    try:
        wait_for_signin_page(login, port)
        busy = env.run("collect", site=site)  # the sign-in holds the profile, its browser open
        assert busy.returncode == 7, busy.stderr
        assert "another collection or sign-in for profile 'default'" in busy.stderr and "sign-in by pid" in busy.stderr
        drive_sign_in(playwright, port)
        login.communicate(timeout=30)
    finally:
        if login.poll() is None:
            login.kill()
            login.wait()
    assert login.returncode == 0
    done = env.run("collect", site=site)
    assert done.returncode == 0, done.stderr
    assert [r["status"] for r in env.rows("SELECT status FROM runs ORDER BY id")] == ["skipped", "ok"]
    assert not [e for e in site.events if e["event"] in ("ended", "lapsed")]


def test_a_sign_in_waits_for_a_collection_to_finish(env: Env, site_factory: Any, playwright: Playwright) -> None:
    site = site_factory("slow", slow_seconds=4)
    give_session(env, site)
    collecting = env.popen("collect", site=site)
    deadline = time.monotonic() + 20
    while not any(r["path"] == "/sales-api/salesApiSsi" for r in site.requests):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    login, port = start_login(env, site)
    try:
        _, err = collecting.communicate(timeout=60)
        assert collecting.returncode == 0, err
        wait_for_signin_page(login, port)  # only once the collection's browser has closed
        drive_sign_in(playwright, port)
        _, login_err = login.communicate(timeout=30)
    finally:
        if login.poll() is None:
            login.kill()
            login.wait()
    assert login.returncode == 0 and "Waiting for the profile to be free (manual collection by pid" in login_err
    site.mode = "ok"
    again = env.run("collect", "--force", site=site)
    assert again.returncode == 0, again.stderr


# -- refusals told apart, and what doctor shows -------------------------------------------------------
def test_refusals_told_apart_and_shown_by_doctor(env: Env, site_factory: Any) -> None:
    site = site_factory()
    give_session(env, site)  # a session kept by an older version: imported once, then deleted
    assert env.run("collect", site=site).returncode == 0
    profile = env.data / "profiles" / "default"
    assert not (profile / "state.json").exists()
    assert env.rows("SELECT how FROM sign_ins") == [{"how": "state.json"}]
    doctor = env.run("doctor", site=site)
    assert doctor.returncode == 0, doctor.stdout
    assert "li_rm is there next to bcookie" in doctor.stdout and "li_at for 127.0.0.1 valid until" in doctor.stdout
    assert "identity: the same at sign-in and at the last visit" in doctor.stdout
    # A rate limit, a server error, a network failure: nothing said about the session.
    for mode, code in (("api-429", 4), ("page-500", 6)):
        site.mode = mode
        assert env.run("collect", "--force", site=site).returncode == code
    site.mode = "ok"
    assert record(env)["ended_at"] is None and record(env)["last_refusal"] is None
    doctor = env.run("doctor", site=site)
    assert "ok signed in" in doctor.stdout and "LinkedIn ended" not in doctor.stdout
    assert env.run("collect", "--force", site=site).returncode == 0
    # LinkedIn signs the session out: it says so, doctor says so, and no visit is made with it again.
    site.expire_sessions()
    ended = env.run("collect", "--force", site=site)
    assert ended.returncode == 3 and ended.stderr.startswith("error: LinkedIn ended the session")
    kept = record(env)
    assert kept["ended_at"] and kept["last_refusal"]["message"].startswith("LinkedIn ended the session")
    doctor = env.run("doctor", site=site)
    assert doctor.returncode == 1 and "LinkedIn ended the session" in doctor.stdout
    health = env.rows("SELECT * FROM session_health")
    assert health[0]["session"] == "ended by LinkedIn: sign in again" and health[0]["identity"] == "same"
    assert not any(secret in json.dumps(health) + json.dumps(kept)
                   for entry in site.issued for secret in entry)


def test_a_headless_shell_is_warned_about_and_its_visit_ends_the_session(env: Env, site_factory: Any) -> None:
    shell = headless_shell()
    assert shell is not None, "the tests need Debian's chromium-headless-shell (make test installs it)"
    site = site_factory()
    give_session(env, site)
    assert env.run("collect", site=site).returncode == 0
    done = env.run("--browser-path", shell.executable, "collect", "--force", site=site)
    assert done.returncode == 3
    [warning] = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert "headless-shell build" in warning
    assert "LinkedIn ended the session" in done.stderr
    doctor = env.run("--browser-path", shell.executable, "doctor", site=site)
    assert "is a headless-shell build" in doctor.stdout and "says Headless" in doctor.stdout


def test_a_session_minted_for_another_browser_is_ended_at_its_first_visit(env: Env, site_factory: Any,
                                                                          tmp_path: Path) -> None:
    site = site_factory()
    other = {"user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                           "Chrome/155.0.0.0 Safari/537.36",
             "sec_ch_ua": '"Chromium";v="155", "Google Chrome";v="155", "Not?A_Brand";v="24"',
             "sec_ch_ua_platform": '"macOS"'}
    state = tmp_path / "elsewhere.json"
    state.write_text(json.dumps(site.storage_state(identity=other)))
    done = env.run("collect", "--auth", str(state), site=site)
    assert done.returncode == 3 and "LinkedIn ended the session" in done.stderr
    assert [e["event"] for e in site.events][-1] == "ended"


# -- a headed sign-in and a headless visit are one identity -------------------------------------------
def test_a_headed_sign_in_and_the_headless_visits_present_one_identity(
        env: Env, site_factory: Any, playwright: Playwright, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window a person signs in with (under a virtual screen here) and the daily headless visit:
    the same User-Agent, brands, platform, webdriver off."""
    xvfb = shutil.which("Xvfb")
    assert xvfb, "the tests need Xvfb (make test installs it)"
    display = f":{free_port() % 400 + 100}"
    screen = subprocess.Popen([xvfb, display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        site = site_factory()
        signed = sign_in(env, site, playwright, headed=True, extra_env={"DISPLAY": display})
        assert signed.returncode == 0, signed.stderr
    finally:
        screen.terminate()
        screen.wait()
    [outcome] = collect_daily(env, site, 1, monkeypatch)
    assert outcome.status == "ok"
    at_sign_in = Identity.from_json(record(env)["sign_in_identity"])
    [visit] = [Identity.from_json(json.loads(r["identity"])) for r in env.rows("SELECT identity FROM runs")]
    assert at_sign_in is not None and visit is not None
    assert "Headless" not in at_sign_in.user_agent and not problems(visit)
    assert changes(at_sign_in, visit) == []
    assert_coherent(site.requests)


# -- the identity rules, pure --------------------------------------------------------------------------
def test_identity_problems_read_the_reference_table() -> None:
    agent = user_agent_for("156.0.8078.114", "linux")
    assert agent == ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 "
                     "Safari/537.36")
    assert "Macintosh" in user_agent_for("Chromium 157.0.1.2", "darwin") and "Chrome/157.0.0.0" in \
        user_agent_for("Chromium 157.0.1.2", "darwin")
    good = Identity(agent, ("Not:A-Brand/8", "Chromium/156"), "Linux", False, False,
                    '"Not:A-Brand";v="8", "Chromium";v="156"', '"Linux"', agent)
    assert problems(good) == []
    # Today's daily visit, from the reference's table: the headless shell with a User-Agent override.
    shell = Identity(agent, ("Not:A-Brand/8", "Chromium/156", "HeadlessChrome/156"), "Linux", False, True,
                     '"Not:A-Brand";v="8", "Chromium";v="156", "HeadlessChrome";v="156"', '"Linux"', agent)
    found = problems(shell)
    assert "the client hints (sec-ch-ua) says Headless" in found and "navigator.webdriver is true" in found
    # Full Chromium headless with no override: the User-Agent gives it away.
    bare = Identity(agent.replace("Chrome/", "HeadlessChrome/"), ("Not:A-Brand/8", "Chromium/156"), "Linux",
                    False, True)
    assert "the User-Agent says Headless" in problems(bare)
    # A replayed User-Agent that disagrees with the client hints (the mautrix case).
    replay = Identity(agent.replace("156", "150"), ("Chromium/156",), "Windows", False, False)
    assert {p.split(" but ")[0] for p in problems(replay)} == {"the User-Agent says Chrome 150",
                                                                "the User-Agent says Linux"}
    assert changes(good, replay)[0].startswith("User-Agent: Chrome/156 → Chrome/150")
    assert Identity.from_json(good.to_json()) == good and Identity.from_json({"nope": 1}) is None


# -- what ends a session, and what does not -------------------------------------------------------------
def test_a_refused_request_keeps_the_session(env: Env, site_factory: Any) -> None:
    """A 401/403 with li_at left in the jar says the request was refused, not that the session is
    over: exit 3, but the next visit is made, and works."""
    site = site_factory()
    give_session(env, site)
    assert env.run("collect", site=site).returncode == 0
    site.mode = "api-403"
    refused = env.run("collect", "--force", site=site)
    assert refused.returncode == 3 and "LinkedIn refused the request" in refused.stderr, refused.stderr
    assert record(env)["ended_at"] is None
    site.mode = "ok"
    assert env.run("collect", "--force", site=site).returncode == 0


def test_an_import_the_browser_refuses_loses_nothing(env: Env, site_factory: Any) -> None:
    """An older version's state.json whose cookies the browser will not take: the run fails, and
    the file is kept (nothing was imported), so that nothing of the session is lost."""
    site = site_factory()
    give_session(env, site)
    legacy = env.data / "profiles" / "default" / "state.json"
    state = json.loads(legacy.read_text())
    state["cookies"][0]["sameSite"] = "no_restriction"  # as some cookie exporters write it
    legacy.write_text(json.dumps(state))
    failed = env.run("collect", site=site)
    assert failed.returncode == 1 and "cookies were refused by the browser" in failed.stderr, failed.stderr
    assert legacy.exists() and env.rows("SELECT * FROM sign_ins") == []
    assert not (env.data / "profiles" / "default" / "session.json").exists() or not record(env)["imported_at"]


def test_refusals_told_apart_by_what_linkedin_did() -> None:
    from collector.browser.answers import login_error, status_error
    from collector.browser.visit import Seen, _refusal

    def judge(error: Any, url: str, **kw: Any) -> tuple[bool, str]:
        seen = Seen(had_session=kw.get("had", True), cookies=kw.get("jar", {"li_at": None, "bcookie": None}))
        message = _refusal(error, seen, url).message
        return seen.ended, message

    # Sent to sign in, li_at left in the jar: ended.
    assert judge(login_error("login", "the SSI page sent us to /uas/login"), "http://x/uas/login")[0]
    # li_at sent back expired: ended, and said so.
    ended, message = judge(login_error("session", "the SSI request was refused (401)"), "http://x/sales/ssi",
                           jar={"bcookie": None})
    assert ended and message.startswith("LinkedIn ended the session") and "sent the session cookie back" in message
    # A 403 with li_at kept: refused, not ended.
    refused = status_error(403, "the SSI request")
    ended, message = judge(refused, "http://x/sales/ssi")
    assert not ended and "LinkedIn refused the request" in message
    # A checkpoint wants a human; LinkedIn's sign-in checkpoint ends the session.
    ended, message = judge(login_error("checkpoint", "the SSI page sent us to /checkpoint/challenge/x"),
                           "http://x/checkpoint/challenge/x")
    assert not ended and "wants to verify it is you" in message
    assert judge(login_error("checkpoint", "the SSI page sent us to /checkpoint/lg/login"),
                 "http://x/checkpoint/lg/login")[0]
    # No li_at in the jar when the visit began, sent to sign in: the session has lapsed.
    ended, message = judge(login_error("login", "the SSI page sent us to /uas/login"), "http://x/uas/login",
                           had=False, jar={})
    assert ended and "holds no LinkedIn session cookie" in message
