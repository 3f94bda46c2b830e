"""The stand-in judges who is asking, as the reference says LinkedIn does
(``../shared/reference/session-and-identity.md`` sections 1-2): plain HTTP, in-process, no browser.

A ``Client`` is one browser as the server sees it: the identity headers it sends and the cookie
jar it keeps (Set-Cookie applied, an expiry in the past deletes)."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest

from collector.standin import StandIn

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
CHROME: dict[str, str | None] = {
    "User-Agent": UA, "sec-ch-ua": '"Not:A-Brand";v="8", "Chromium";v="156"', "sec-ch-ua-platform": '"Linux"',
}
# The same browser as storage_state(identity=...) names it.
CHROME_IDENTITY = {"user_agent": UA, "sec_ch_ua": CHROME["sec-ch-ua"], "sec_ch_ua_platform": '"Linux"'}
SIGNALS = {"webdriver": False, "userAgent": UA, "platform": "Linux", "mobile": False,
           "brands": [{"brand": "Not:A-Brand", "version": "8"}, {"brand": "Chromium", "version": "156"}]}
OTHER_BCOOKIE = "v=2&0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
BCOOKIE_LINE = re.compile(r'bcookie="v=2&[0-9a-f-]{36}"; Path=/; Max-Age=31536000; SameSite=Lax')
DELETE_ME = 'li_at="delete me"; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'


@dataclass
class Answer:
    status: int
    location: str
    set_cookies: list[str]
    body: str

    def sets(self, name: str) -> str | None:
        """The Set-Cookie line for ``name``, if this answer has one."""
        return next((line for line in self.set_cookies if line.startswith(name + "=")), None)


@dataclass
class Client:
    site: StandIn | SimpleNamespace  # a stand-in in this process, or one's port in another
    identity: dict[str, str | None] = field(default_factory=lambda: dict(CHROME))
    jar: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None,
                ) -> Answer:
        sent = {k: v for k, v in {**self.identity, **(headers or {})}.items() if v is not None}
        if self.jar:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.jar.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.site.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.getheader("Location") or "",
                            response.headers.get_all("Set-Cookie") or [], response.read().decode())
        finally:
            connection.close()
        for line in answer.set_cookies:
            self._keep(line)
        return answer

    def _keep(self, line: str) -> None:
        """What a browser does with a Set-Cookie line."""
        pair, *attributes = [part.strip() for part in line.split(";")]
        name, _, value = pair.partition("=")
        gone = any(a.lower().startswith("expires=") and "1970" in a for a in attributes)
        if gone or any(a.lower() == "max-age=0" for a in attributes):
            self.jar.pop(name, None)
        else:
            self.jar[name] = value

    def get(self, path: str = "/sales/ssi", **headers: str) -> Answer:
        return self.request("GET", path, headers=headers)

    def sign_in(self, *, remember: bool = True, redirect: str = "/sales/ssi", **extra: str) -> Answer:
        fields = {"session_key": "seller@example.com", "session_password": "correct horse",
                  "session_redirect": redirect, **({"rememberMeOptIn": "true"} if remember else {}), **extra}
        return self.request("POST", "/uas/login-submit", urlencode(fields),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def api(self, signals: dict[str, Any] | None = None, *, csrf: str | None = None) -> Answer:
        token = self.jar.get("JSESSIONID", "").strip('"') if csrf is None else csrf
        headers = {"csrf-token": token, "x-restli-protocol-version": "2.0.0",
                   "x-li-client-signals": json.dumps(SIGNALS if signals is None else signals)}
        return self.request("GET", "/sales-api/salesApiSsi", headers=headers)

    def load(self, state: dict[str, Any]) -> Client:
        """Import a storage-state document, as `--auth` does."""
        self.jar.update({c["name"]: c["value"] for c in state["cookies"]})
        return self


@pytest.fixture
def make_site() -> Iterator[Any]:
    started: list[StandIn] = []

    def start(**options: Any) -> StandIn:
        site = StandIn(api_delay=0, **options).start()
        started.append(site)
        return site

    yield start
    for site in started:
        site.stop()


def signed_in(site: StandIn, **options: Any) -> Client:
    client = Client(site)
    assert client.get("/login").status == 200
    assert client.sign_in(**options).status == 302
    return client


def served(answer: Answer) -> bool:
    return answer.status == 200 and "Social Selling Index" in answer.body


def events(site: StandIn, kind: str) -> list[dict[str, Any]]:
    return [e for e in site.events if e["event"] == kind]


def assert_ended(site: StandIn, answer: Answer, reason: str, *, api: bool = False) -> None:
    if api:
        assert answer.status == 401
    else:
        assert (answer.status, answer.location) == (302, "/login?session_redirect=/sales/ssi")
    assert DELETE_ME in answer.set_cookies
    assert [e["reason"] for e in events(site, "ended")] == [reason]


# -- signing in ------------------------------------------------------------------------------------
def test_sign_in_with_keep_me_logged_in(make_site: Any) -> None:
    site = make_site()
    client = Client(site)
    page = client.get("/login")
    form = page.body[page.body.index("<form"):page.body.index("</form>")]
    assert "<input type='checkbox' name='rememberMeOptIn' value='true' id='rememberMeOptIn-checkbox' checked>" in form
    assert "<label for='rememberMeOptIn-checkbox'>Keep me logged in</label>" in form
    # The first answer to a browser without an id gives it one.
    assert BCOOKIE_LINE.fullmatch(page.sets("bcookie") or "")
    bcookie = client.jar["bcookie"]

    answer = client.sign_in()
    assert (answer.status, answer.location) == (302, "/sales/ssi")
    assert {"li_at", "JSESSIONID", "li_rm"} <= set(client.jar) and answer.sets("bcookie") is None
    assert "Max-Age=31536000" in (answer.sets("li_rm") or "") and "HttpOnly" in (answer.sets("li_rm") or "")
    assert client.jar["bcookie"] == bcookie
    assert site.issued == [(client.jar["li_at"], client.jar["JSESSIONID"].strip('"'), client.jar["li_rm"])]
    assert events(site, "signed-in") == [{"event": "signed-in", "reason": "login form",
                                          "path": "/uas/login-submit", "remember": True}]


def test_sign_in_without_the_box_and_without_a_browser_id(make_site: Any) -> None:
    site = make_site()
    client = Client(site)
    answer = client.sign_in(remember=False)  # straight to the form's target: no bcookie yet
    assert answer.status == 302 and "li_at" in client.jar and "li_rm" not in client.jar
    # The sign-in minted a browser id too, and bound the session to it.
    assert BCOOKIE_LINE.fullmatch(answer.sets("bcookie") or "")
    assert served(client.get())
    assert [len(values) for values in site.issued] == [2] and events(site, "signed-in")[0]["remember"] is False


def test_sign_in_checks_stay(make_site: Any) -> None:
    site = make_site()
    client = Client(site)
    answer = client.request("POST", "/uas/login-submit", urlencode({"session_key": "seller@example.com"}),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 200 and "Please enter your email and password." in answer.body
    assert "li_at" not in client.jar and not site.issued


def test_a_headless_or_incoherent_browser_is_refused_at_sign_in(make_site: Any) -> None:
    site = make_site()
    for identity in ({**CHROME, "sec-ch-ua": '"Chromium";v="156", "HeadlessChrome";v="156"'},
                     {**CHROME, "sec-ch-ua-platform": '"Windows"'}):
        client = Client(site, identity=identity)
        answer = client.sign_in(redirect="/sales/ssi")
        assert answer.status == 200 and "We couldn&#x27;t sign you in from this browser." in answer.body
        assert "value='/sales/ssi'" in answer.body  # the form still leads where it was going
        assert not {"li_at", "JSESSIONID", "li_rm"} & set(client.jar)
    assert not site.issued and not site.sessions and not site.remembered
    assert [e["reason"] for e in events(site, "refused-sign-in")] == [
        "headless token in sec-ch-ua",
        "client hints contradict user-agent: sec-ch-ua-platform Windows, user-agent Linux",
    ]


def test_offer_remember_off_renders_no_box_and_mints_no_li_rm(make_site: Any) -> None:
    site = make_site(offer_remember=False)
    client = Client(site)
    assert "rememberMeOptIn" not in client.get("/login").body
    assert "rememberMeOptIn" not in client.get("/uas/login?session_redirect=%2Fsales%2Fssi").body
    answer = client.sign_in(remember=True)  # even if a browser posts it anyway
    assert answer.status == 302 and answer.sets("li_rm") is None and "li_rm" not in client.jar
    assert not site.remembered and [len(values) for values in site.issued] == [2]


# -- a coherent browser is served --------------------------------------------------------------
@pytest.mark.parametrize("identity", [
    CHROME,
    {"User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/155.0.0.0 Safari/537.36",
     "sec-ch-ua": '"Google Chrome";v="155", "Chromium";v="155", "Not_A Brand";v="24"', "sec-ch-ua-platform": '"macOS"'},
    {"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0",
     "sec-ch-ua": None, "sec-ch-ua-platform": None},
], ids=["chromium-linux", "chrome-mac", "firefox-windows"])
def test_a_coherent_browser_is_served(make_site: Any, identity: dict[str, str | None]) -> None:
    site = make_site()
    client = Client(site, identity=dict(identity))
    client.get("/login")
    client.sign_in()
    page = client.get()
    assert served(page) and client.jar["JSESSIONID"].strip('"') in page.body  # the page's own csrf field
    signals = {**SIGNALS, "userAgent": identity["User-Agent"], "brands": None}
    api = client.api(signals)
    assert api.status == 200 and json.loads(api.body)["memberScore"]["overall"] == pytest.approx(58.913501)
    assert client.api(signals, csrf="ajax:0").status == 403  # the CSRF check stays
    assert client.request("GET", "/sales-api/salesApiSsi", headers={"csrf-token": client.jar["JSESSIONID"].strip('"')},
                          ).status == 200  # no page signals: no evidence either way
    assert client.get("/feed/").status == 200
    assert not events(site, "ended") and not events(site, "lapsed")
    assert all(r["headers"].get("User-Agent") == identity["User-Agent"] for r in site.requests)


# -- what ends a session ---------------------------------------------------------------------------
ENDINGS = [
    # rule 1: a Headless token
    ("ua-headless", {"User-Agent": UA.replace("Chrome/", "HeadlessChrome/")}, "headless token in user-agent"),
    ("ch-headless", {"sec-ch-ua": '"Chromium";v="156", "HeadlessChrome";v="156"'}, "headless token in sec-ch-ua"),
    # rule 2: User-Agent and client hints contradict each other
    ("version", {"User-Agent": UA.replace("Chrome/156", "Chrome/155")},
     "client hints contradict user-agent: Chrome/155 but sec-ch-ua says 156"),
    ("no-hints", {"sec-ch-ua": None}, "client hints contradict user-agent: no sec-ch-ua from a Chrome user-agent"),
    ("platform", {"sec-ch-ua-platform": '"macOS"'},
     "client hints contradict user-agent: sec-ch-ua-platform macOS, user-agent Linux"),
    # rule 3: another identity, coherent in itself, or another browser id
    ("new-chrome", {"User-Agent": UA.replace("Chrome/156", "Chrome/157"),
                    "sec-ch-ua": '"Not:A-Brand";v="8", "Chromium";v="157"'}, "identity changed: user-agent"),
    ("brand-order", {"sec-ch-ua": '"Chromium";v="156", "Not:A-Brand";v="8"'}, "identity changed: sec-ch-ua"),
]


@pytest.mark.parametrize(("change", "reason"), [(c, r) for _, c, r in ENDINGS], ids=[i for i, _, _ in ENDINGS])
def test_rules_1_to_3_end_the_session(make_site: Any, change: dict[str, str | None], reason: str) -> None:
    site = make_site()
    client = signed_in(site)
    assert served(client.get())
    old = dict(client.jar)
    client.identity.update(change)
    assert_ended(site, client.get(), reason)
    assert "li_at" not in client.jar and events(site, "ended")[0]["remember"] is True
    # Dead for good: even the browser that signed in, with every cookie it had, is sent to sign in.
    client.identity, client.jar = dict(CHROME), old
    answer = client.get()
    assert (answer.status, answer.location) == (302, "/uas/login?session_redirect=/sales/ssi")
    assert not site.sessions and not site.remembered


@pytest.mark.parametrize(("bcookie", "reason"), [(OTHER_BCOOKIE, "bcookie changed"), (None, "bcookie absent")])
def test_another_browser_id_ends_the_session(make_site: Any, bcookie: str | None, reason: str) -> None:
    site = make_site()
    client = signed_in(site)
    mine = client.jar["bcookie"]
    if bcookie is None:
        del client.jar["bcookie"]
    else:
        client.jar["bcookie"] = bcookie
    answer = client.get()
    assert_ended(site, answer, reason)
    client.jar["bcookie"] = mine
    assert client.get().location.startswith("/uas/login")


@pytest.mark.parametrize(("signals", "reason"), [
    ({**SIGNALS, "webdriver": True}, "webdriver"),
    ({**SIGNALS, "userAgent": UA.replace("Chrome/", "HeadlessChrome/")}, "navigator.userAgent differs from user-agent"),
    ({**SIGNALS, "brands": [{"brand": "Chromium", "version": "156"}, {"brand": "HeadlessChrome", "version": "156"}]},
     "headless brand in navigator.userAgentData"),
], ids=["webdriver", "user-agent", "brand"])
def test_rule_4_the_page_signals_end_the_session(make_site: Any, signals: dict[str, Any], reason: str) -> None:
    site = make_site()
    client = signed_in(site)
    assert served(client.get())
    assert_ended(site, client.api(signals), reason, api=True)
    assert client.api().status == 403 and client.get().location.startswith("/uas/login")


def test_a_session_judged_on_the_feed_too(make_site: Any) -> None:
    site = make_site()
    client = signed_in(site, redirect="/feed/")
    assert client.get("/feed/").status == 200
    client.identity["sec-ch-ua"] = None
    answer = client.get("/feed/")
    assert (answer.status, answer.location) == (302, "/login?session_redirect=/feed/")
    assert DELETE_ME in answer.set_cookies


def test_any_response_hands_out_a_browser_id_to_a_browser_without_one(make_site: Any) -> None:
    site = make_site()
    assert BCOOKIE_LINE.fullmatch(Client(site).get("/no/such/page").sets("bcookie") or "")
    assert BCOOKIE_LINE.fullmatch(Client(site, jar={"bcookie": "garbage"}).get("/static/app.css").sets("bcookie") or "")
    # A well-formed id from anywhere (an earlier run of the stand-in) is this browser's id.
    assert Client(site, jar={"bcookie": f'"{OTHER_BCOOKIE}"'}).get("/login").sets("bcookie") is None


# -- lapsing and "Keep me logged in" -------------------------------------------------------------
def test_li_at_lapses_and_li_rm_mints_a_fresh_one(make_site: Any) -> None:
    site = make_site(session_visits=2)
    client = signed_in(site)
    first, jsession = client.jar["li_at"], client.jar["JSESSIONID"]
    assert served(client.get()) and served(client.get())
    again = client.get()  # the third visit: lapsed, and re-minted from li_rm
    assert served(again)
    assert client.jar["li_at"] != first and client.jar["JSESSIONID"] == jsession
    assert "Max-Age=31536000" in (again.sets("li_at") or "") and "HttpOnly" in (again.sets("li_at") or "")
    assert [e["event"] for e in site.events] == ["signed-in", "reminted"]
    assert site.issued[-1] == (client.jar["li_at"],)
    assert client.api().status == 200  # same csrf token with the new li_at
    # The new one is bound like the old one, and serves its own visits.
    assert served(client.get())
    assert client.get(**{"sec-ch-ua-platform": '"Windows"'}).status == 302
    # The lapsed li_at is gone.
    assert Client(site, jar={**client.jar, "li_at": first}).get().location.startswith("/uas/login")


def test_li_at_lapses_for_good_without_li_rm(make_site: Any) -> None:
    site = make_site(session_visits=3)
    client = signed_in(site, remember=False)
    assert all(served(client.get()) for _ in range(3))
    answer = client.get()
    assert (answer.status, answer.location) == (302, "/uas/login?session_redirect=/sales/ssi")
    assert DELETE_ME in answer.set_cookies and "li_at" not in client.jar
    assert events(site, "lapsed") == [{"event": "lapsed", "reason": "lapsed after 3 visits",
                                       "path": "/sales/ssi", "remember": False}]
    assert not site.sessions


def test_li_rm_next_to_another_browser_id_is_refused(make_site: Any) -> None:
    site = make_site(session_visits=1)
    owner = signed_in(site, remember=True)
    other = signed_in(site, remember=False)  # another browser, with a session of its own
    assert owner.jar["bcookie"] != other.jar["bcookie"]
    other.jar["li_rm"] = owner.jar["li_rm"]  # ... and the first one's "remember me"
    assert served(other.get())
    answer = other.get()
    assert (answer.status, answer.location) == (302, "/uas/login?session_redirect=/sales/ssi")
    assert [(e["event"], e["reason"]) for e in site.events[-2:]] == [
        ("refused-remember", "li_rm with another bcookie"), ("lapsed", "lapsed after 1 visits")]
    # Those cookies turned up elsewhere: that sign-in is over for its own browser too.
    assert served(owner.get())
    assert owner.get().location.startswith("/uas/login") and not events(site, "reminted")


def test_expire_sessions_forgets_li_at_and_li_rm(make_site: Any) -> None:
    site = make_site(session_visits=1)
    client = signed_in(site)
    assert served(client.get())
    site.expire_sessions()
    assert client.get().location.startswith("/uas/login") and not site.remembered


def test_visits_are_counted_under_the_lock(make_site: Any) -> None:
    site = make_site(session_visits=24)
    client = signed_in(site, remember=False)
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(served(Client(site, jar=dict(client.jar)).get())))
               for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 24
    assert client.get().location == "/uas/login?session_redirect=/sales/ssi"  # the 25th


# -- sessions brought from elsewhere (storage_state, what `ssi collect --auth` imports) ------------
def test_storage_state_is_bound_at_first_use(make_site: Any) -> None:
    site = make_site()
    state = site.storage_state()
    names = {c["name"] for c in state["cookies"]}
    assert names == {"li_at", "JSESSIONID", "bcookie", "li_rm"}
    assert all(c["domain"] == "127.0.0.1" for c in state["cookies"])
    assert {c["name"] for c in site.storage_state(remember=False)["cookies"]} == names - {"li_rm"}
    # Whoever presents it first owns it, here a Chrome on a Mac...
    mac = {"User-Agent": UA.replace("X11; Linux x86_64", "Macintosh; Intel Mac OS X 10_15_7"),
           "sec-ch-ua": CHROME["sec-ch-ua"], "sec-ch-ua-platform": '"macOS"'}
    first = Client(site, identity=mac).load(state)
    assert served(first.get()) and first.api({**SIGNALS, "userAgent": mac["User-Agent"]}).status == 200
    # ... and from then on nobody else.
    assert_ended(site, Client(site).load(state).get(), "identity changed: user-agent")


def test_storage_state_bound_to_a_given_identity(make_site: Any) -> None:
    site = make_site()
    state = site.storage_state(identity=CHROME_IDENTITY)
    assert served(Client(site).load(state).get())  # the browser that minted it
    other = {**CHROME, "User-Agent": UA.replace("Chrome/156", "Chrome/157"),
             "sec-ch-ua": '"Not:A-Brand";v="8", "Chromium";v="157"'}
    fresh = site.storage_state(identity=CHROME_IDENTITY)
    assert_ended(site, Client(site, identity=other).load(fresh).get(), "identity changed: user-agent")
    # Minted by that browser, so with that browser's id: the same identity with another id is another browser.
    moved = Client(site).load(site.storage_state(identity=CHROME_IDENTITY))
    moved.jar["bcookie"] = OTHER_BCOOKIE
    assert moved.get().status == 302 and events(site, "ended")[-1]["reason"] == "bcookie changed"


def test_new_session_still_works(make_site: Any) -> None:
    site = make_site()
    li_at, jsession = site.new_session()
    client = Client(site, jar={"li_at": li_at, "JSESSIONID": f'"{jsession}"', "bcookie": OTHER_BCOOKIE})
    assert served(client.get()) and client.api().status == 200
    assert site.issued == [(li_at, jsession)]


# -- lenient, and the modes ----------------------------------------------------------------------
def test_lenient_judges_nobody(make_site: Any) -> None:
    site = make_site(strict=False, session_visits=1)
    headless = {"User-Agent": UA.replace("Chrome/", "HeadlessChrome/"), "sec-ch-ua": None, "sec-ch-ua-platform": None}
    client = Client(site, identity=headless)
    assert client.sign_in().status == 302 and "li_at" in client.jar
    client.jar.pop("bcookie")
    for _ in range(4):
        assert served(client.get())
    assert client.api({**SIGNALS, "webdriver": True}).status == 200
    client.identity = dict(CHROME)
    assert served(client.get()) and client.get("/feed/").status == 200
    state = Client(site).load(site.storage_state(identity=CHROME_IDENTITY))
    state.identity = headless
    assert served(state.get())
    assert {e["event"] for e in site.events} == {"signed-in", "minted"}


@pytest.mark.parametrize(("mode", "status", "location"), [
    ("checkpoint", 302, "/checkpoint/challenge/AgE1x?ut=2x"),
    ("captcha", 200, ""),
    ("authwall", 302, "/authwall?trk=sales&sessionRedirect=%2Fsales%2Fssi"),
    ("page-500", 500, ""),
    ("redirect-loop", 302, "/sales/ssi?from=sales-nav"),
    ("layout-2021", 200, ""),
])
def test_the_modes_answer_a_well_behaved_browser_as_before(make_site: Any, mode: str, status: int,
                                                           location: str) -> None:
    site = make_site(mode=mode)
    client = signed_in(site)
    answer = client.get()
    assert (answer.status, answer.location) == (status, location)
    assert not events(site, "ended") and "li_at" in client.jar


@pytest.mark.parametrize(("mode", "status"), [("api-429", 429), ("api-401", 401), ("ok", 200)])
def test_the_api_modes_answer_a_well_behaved_browser_as_before(make_site: Any, mode: str, status: int) -> None:
    site = make_site(mode=mode)
    client = signed_in(site)
    assert served(client.get())
    answer = client.api()
    assert answer.status == status and DELETE_ME not in answer.set_cookies and not events(site, "ended")


def test_the_app_sends_the_page_signals(make_site: Any) -> None:
    site = make_site()
    bundle = Client(site).get("/static/bundle.js").body
    for needle in ("'x-li-track'", "'x-li-client-signals'", "navigator.webdriver", "navigator.userAgentData",
                   "mpName: 'sales-web'", "timezoneOffset"):
        assert needle in bundle


def run_cli(*options: str) -> tuple[subprocess.Popen[str], Any]:
    """`python -m collector.standin` with ``options``, and something a Client can address it by."""
    process = subprocess.Popen([sys.executable, "-m", "collector.standin", *options], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    return process, SimpleNamespace(port=int(url.rsplit(":", 1)[1]))


@pytest.mark.parametrize(("options", "identity", "second_visit"), [
    (("--lenient", "--session-visits", "1"), {**CHROME, "sec-ch-ua": None}, 200),  # contradicts itself: served
    (("--session-visits", "1"), CHROME, 302),  # judged: the second visit lapses (no li_rm)
])
def test_the_command_line_options(options: tuple[str, ...], identity: dict[str, str | None], second_visit: int,
                                  ) -> None:
    process, remote = run_cli(*options)
    try:
        client = Client(remote, identity=dict(identity))
        assert client.sign_in(remember=False).status == 302
        assert served(client.get())
        assert client.get().status == second_visit
    finally:
        process.terminate()
        process.wait(timeout=10)
