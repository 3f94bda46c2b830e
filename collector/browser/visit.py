"""One visit to the SSI page in the person's own browser profile.

Open BASE/sales/ssi in the account's own Chromium profile (the one `ssi login` signed in with, kept
between visits: collector.browser.launch), and return as soon as the figures are there: the
salesApiSsi response and the page drawn from it. No "network idle" (the real site keeps
trackers open forever) and no fixed sleeps: the response event and the page's own elements
are raced against each other and the deadline. Images, fonts, media and
trackers are never fetched. Sign-in pages, authwalls, checkpoints and captchas are recognised by
address and by element; 401/403/429/999 by the API's status.

Playwright is not thread-safe, so a BrowserSession starts its own Playwright and event loop in the
thread that creates it. One session can visit the page for several profiles in turn, each in its
own profile's browser, with one Playwright driver for the whole batch.

Each visit also notes what it saw of itself (``Seen``): the identity the page could read, the
kept cookies' expiries (never their values), and whether LinkedIn ended the session.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..outcomes import BrowserFailed, CollectError, LoginRequired, NetworkError, PageChanged
from ..paths import private_dir
from .answers import address_error, is_blocked_path, login_error, status_error, watch_arguments
from .driver import Driver, take
from .find import Browser, browser_version, launch_options
from .identity import READ_IDENTITY, Identity, major_version
from .launch import profile_options
from .redact import clean_page, redact
from .session_files import SESSION_COOKIE, cookie_facts

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Request, Response, Route

SSI_PATH = "/sales/ssi"
API_PATH = "/sales-api/salesApiSsi"
BLOCKED_TYPES = frozenset({"image", "font", "media"})
TRACKERS = re.compile(
    r"/li/track|/tscp-serving/|/collect\b|px\.ads\.linkedin\.com|snap\.licdn\.com|doubleclick|google-analytics"
    r"|googletagmanager|/sensorCollect|/platform-telemetry|/csp/dtag",
    re.I,
)
# The requests handed to _block: those that may be an image, a font or media by their address
# (an asset's extension, LinkedIn's media hosts) and the trackers. Playwright pauses only the
# requests a route's pattern matches, and each paused request is a round trip through this
# process: routing "**/*" cost a tenth of a visit in the benchmark. _block still decides by the
# resource type, so a script that happens to match is let through.
BLOCKABLE = re.compile(
    r"\.(?:png|jpe?g|gif|webp|avif|svg|ico|bmp|woff2?|ttf|otf|eot|mp4|webm|m4a|mp3|ogg)(?:[?#]|$)"
    r"|media\.licdn\.com|/dms/image/|/aero-v1/sc/h/|" + TRACKERS.pattern,
    re.I,
)

# Elements that mean "the figures are on the page" in one of the known layouts.
FIGURES = (
    "progress[id$='__sub-score-bar'], .user-ssi-score__donut-chart-caption, "
    "span.ssi-score__value.block, .ssi-rank__category-score"
)
# Evaluated in the page until it returns something: a blocker, the figures, or (when the page
# has finished loading and the SSI request has still not been made) "no-request". The blocked
# addresses and challenge elements come in as data from parsers.blockers (see answers).
_WATCH = """
(a) => {
  const st = window.__ssiWatch || (window.__ssiWatch = {});
  if (new RegExp(a.blockedPath).test(location.pathname)) return 'url';
  for (const [kind, selector] of a.challenges)
    if (document.querySelector(selector)) return 'blocker:' + kind;
  if (document.querySelector(a.figures)) return 'figures';
  for (const code of document.querySelectorAll('code'))
    if (code.textContent.includes('"memberScore"')) return 'figures';
  if (document.readyState === 'complete') {
    st.loadedAt = st.loadedAt || performance.now();
    if (performance.now() - st.loadedAt > a.graceMs) return 'no-request';
  }
  return false;
}
"""


@dataclass
class Capture:
    url: str
    html: str
    api_body: bytes | None
    api_status: int | None
    page_has_figures: bool
    secrets: list[str] = field(default_factory=list)
    artifacts: Path | None = None  # the screenshot and page, kept when the reading asked for it


@dataclass
class Seen:
    """What a visit saw of its own session and identity, filled in as it goes (so a failed visit
    tells too): for the run's row and the profile's session record. Never a cookie value."""

    identity: Identity | None = None
    cookies: dict[str, float | None] | None = None  # the kept cookies' expiries after the visit
    had_session: bool = False  # a li_at for the site was in the profile when the visit began
    ended: bool = False  # LinkedIn ended the session during the visit (li_at sent back expired, sign-in page)
    imported: bool = False  # the visit's cookies went into the profile, and the profile was closed cleanly


@dataclass
class Visit:
    base_url: str
    profile_dir: Path  # the account's own Chromium profile (session_files.browser_profile)
    artifacts_root: Path
    timeout: float = 45.0
    cookies: list[dict[str, Any]] | None = None  # imported into the profile first (--auth, an old state.json)
    on_step: Callable[[str], None] = lambda step: None
    # Given what ``check`` returned, a label when the page should be kept (screenshot and all) even
    # though the visit succeeded: a page that disagrees with LinkedIn's answer, say.
    keep_page: Callable[[Any], str | None] = lambda result: None
    seen: Seen = field(default_factory=Seen)


def _remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


class BrowserSession:
    """Playwright for one or more visits, each in its profile's own browser.

    Every profile is a persistent Chromium profile (collector.browser.launch), so each visit opens
    that profile's browser and closes it afterwards; a batch shares the Playwright driver. The
    caller holds the profile's lock for as long as its browser is open.

    Playwright lives in a thread of its own (collector.browser.driver): it is created, used and
    stopped there only (Playwright is not thread-safe). That lets the browser start while the
    caller opens the database, and lets the store be written between visits. ``start()`` returns
    at once; ``capture()`` waits for the browser to be ready.
    """

    def __init__(self, browser: Browser, *, headless: bool = True, launch_timeout: float = 45.0,
                 single_use: bool = False, version: str | None = None) -> None:
        """``single_use``: the browser starts closing as soon as its one visit is captured, so that
        it shuts down while the caller stores the result. ``version``: the browser's, when it is
        known already (read on an earlier visit from the same, unchanged executable)."""
        self.browser = browser
        self.headless = headless
        self.launch_timeout = launch_timeout
        self.single_use = single_use
        self.version = version  # the running browser's, for the User-Agent it presents
        self._driver: Driver | None = None
        self._closing: concurrent.futures.Future[None] | None = None
        self._started: concurrent.futures.Future[None] | None = None
        self._pw: Any = None
        self._context: BrowserContext | None = None
        self._context_dir: Path | None = None
        self._context_closing: asyncio.Future[bool] | None = None
        self._opening: asyncio.Lock | None = None  # made in the driver's own loop, at first use

    def start(self) -> BrowserSession:
        """Take Playwright's driver (the one a command started early, or a new one), and ask it for
        what the visit needs; returns at once."""
        self._driver = take()
        self._started = self._driver.submit(self._start())
        return self

    def __enter__(self) -> BrowserSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _begin_close(self) -> None:
        if self._closing is None and self._driver is not None and self._driver.alive:
            self._closing = self._driver.submit(self._close_context_quietly())

    def close(self) -> None:
        if self._driver is None or not self._driver.alive:
            return
        self._begin_close()
        try:
            assert self._closing is not None
            self._closing.result(timeout=30)
        except Exception:  # a browser that will not close must not hide what went before
            pass
        finally:
            self._driver.stop()

    async def _start(self) -> None:
        try:
            await self._start_driver()
        except BrowserFailed:
            raise
        except Exception as exc:  # Playwright's driver itself would not start: one line, not a traceback
            raise BrowserFailed(f"Playwright could not start ({_first_line(exc)}); run `ssi doctor`") from None

    async def _start_driver(self) -> None:
        assert self._driver is not None
        # The version (for the User-Agent), unless known, is asked of the binary while Playwright's
        # driver starts.
        asked = (None if self.version is not None
                 else asyncio.get_running_loop().run_in_executor(None, browser_version, self.browser))
        self._pw = await self._driver.playwright()
        if asked is not None:
            self.version = await asked
        if major_version(self.version) is None:  # a browser that will not say (Chrome on Windows): ask it
            await self._ask_version()

    def open_profile(self, folder: Path) -> None:
        """Open ``folder``'s browser as soon as Playwright is up (the visit to come is for it). The
        caller holds the profile's lock: Playwright's driver starts first, while it takes it."""
        assert self._driver is not None, "start() first"
        self._driver.submit(self._open_when_started(folder))

    async def _open_when_started(self, folder: Path) -> None:
        assert self._started is not None
        with contextlib.suppress(Exception):  # a failed start is the visit's to report
            await asyncio.wrap_future(self._started)
            await self._open(folder)  # the visit opens it again if this failed, and says why

    async def _ask_version(self) -> None:
        from playwright.async_api import Error as PlaywrightError

        try:
            probe = await self._pw.chromium.launch(**launch_options(self.browser, headless=True),
                                                   timeout=self.launch_timeout * 1000)
        except PlaywrightError as exc:
            raise BrowserFailed(f"the browser {self.browser.executable} would not start ({_first_line(exc)}); "
                                "run `ssi doctor`, or choose another with --browser-path") from None
        self.version = probe.version
        with contextlib.suppress(PlaywrightError):
            await probe.close()

    async def _open(self, folder: Path) -> BrowserContext:
        """The profile's browser, open (one at a time: the one before is closed first; an early
        opening still under way is waited for, never raced)."""
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            return await self._open_now(folder)

    async def _open_now(self, folder: Path) -> BrowserContext:
        from playwright.async_api import Error as PlaywrightError

        if self._context is not None and self._context_dir == folder:
            return self._context
        await self._close_context()
        context = await self._launch(folder)
        running = context.browser.version if context.browser is not None else None
        if major_version(running) not in (None, major_version(self.version)):
            # The version read before (a cache, a launcher script) is not the running browser's: the
            # User-Agent would contradict the client hints. Open it again with the right one.
            self.version = running
            with contextlib.suppress(PlaywrightError):
                await context.close()
            context = await self._launch(folder)
        self._context, self._context_dir = context, folder
        return context

    async def _launch(self, folder: Path) -> BrowserContext:
        from playwright.async_api import Error as PlaywrightError

        options = profile_options(self.browser, folder, headless=self.headless, version=self.version)
        try:
            return await self._pw.chromium.launch_persistent_context(**options, timeout=self.launch_timeout * 1000)
        except PlaywrightError as exc:
            message = _first_line(exc)
            if "ProcessSingleton" in str(exc) or "profile appears to be in use" in str(exc):
                raise BrowserFailed(f"the browser profile {folder} is open in another browser; close it and "
                                    "try again") from None
            raise BrowserFailed(f"the browser {self.browser.executable} would not start ({message}); "
                                "run `ssi doctor`, or choose another with --browser-path") from None

    async def _close_context(self) -> bool:
        """Close the open profile's browser (which writes its cookies to disk); False if it failed
        or the browser was gone already. Every caller waits for the one close under way."""
        if self._context is not None and self._context_closing is None:
            self._context_closing = asyncio.ensure_future(self._close(self._context))
        if self._context_closing is None:
            return True
        try:
            return await asyncio.shield(self._context_closing)
        finally:
            if self._context_closing.done():
                self._context, self._context_dir, self._context_closing = None, None, None

    @staticmethod
    async def _close(context: BrowserContext) -> bool:
        from playwright.async_api import Error as PlaywrightError

        browser = context.browser
        if browser is not None and not browser.is_connected():
            return False  # crashed or killed: what it held in memory was never written
        try:
            await context.close()
        except PlaywrightError:
            return False
        return True

    async def _close_context_quietly(self) -> None:
        await self._close_context()

    def capture(self, visit: Visit, check: Callable[[Capture], Any]) -> tuple[Capture, Any]:
        """Visit the page; ``check`` (the parser) runs while the page is still open, so that a page
        we cannot read gets its screenshot. Raises a CollectError subclass on every failure."""
        if self._started is None:
            self.start()
        assert self._started is not None
        try:  # the browser's own failure to start, if any, surfaces here
            self._started.result(timeout=self.launch_timeout + 30)
        except concurrent.futures.TimeoutError:
            raise BrowserFailed(f"the browser did not start within {self.launch_timeout:g} s; try again") from None
        assert self._driver is not None
        future = self._driver.submit(self._capture(visit, check))
        try:
            # Every step inside is bounded by the visit's deadline; this is the belt to those braces.
            return future.result(timeout=visit.timeout + 60)
        except concurrent.futures.TimeoutError:
            future.cancel()
            # The caller lets go of the profile's lock after this: its browser must be closed first.
            with contextlib.suppress(Exception):
                self._driver.submit(self._close_context()).result(timeout=30)
            raise NetworkError(f"the visit did not end within {visit.timeout:g} s; try again later") from None
        finally:
            if self.single_use:
                self._begin_close()

    async def _capture(self, visit: Visit, check: Callable[[Capture], Any]) -> tuple[Capture, Any]:
        from playwright.async_api import Error as PlaywrightError

        deadline = time.monotonic() + visit.timeout
        visit.on_step("opening")
        context = await self._open(visit.profile_dir)
        added = crashed = False
        try:
            if visit.cookies:
                try:
                    await context.add_cookies(visit.cookies)  # type: ignore[arg-type]
                except PlaywrightError as exc:
                    raise CollectError(f"the session's cookies were refused by the browser ({_first_line(exc)})"
                                       ) from None
                added = True
            return await _visit(context, visit, deadline, check)
        except PlaywrightError as exc:
            # The browser or page went away under us (crash, killed).
            crashed = True
            raise BrowserFailed(f"the browser stopped during the visit ({_first_line(exc)}); try again") from None
        except BrowserFailed:
            crashed = True
            raise
        finally:
            # Imported cookies are only safe once the profile has written them, on a clean close:
            # close now, and say whether they are.
            if visit.cookies or not self.single_use:
                closed = await self._close_context()
                visit.seen.imported = added and closed and not crashed


async def _visit(
    context: BrowserContext, visit: Visit, deadline: float, check: Callable[[Capture], Any]
) -> tuple[Capture, Any]:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    # Both before the page is asked for, side by side: the blocking in place, the jar as it was.
    _, jar = await asyncio.gather(context.route(BLOCKABLE, _block), context.cookies(visit.base_url))
    visit.seen.had_session = any(c["name"] == SESSION_COOKIE for c in jar)
    # A persistent profile opens with its window's first tab: use it, as a person would.
    page = context.pages[0] if context.pages else await context.new_page()
    document: dict[str, Response | None] = {"response": None}

    loop = asyncio.get_running_loop()
    api_response: asyncio.Future[Response] = loop.create_future()
    requested = {"ssi": False}

    def on_request(request: Request) -> None:
        if _is_api(request.url):
            requested["ssi"] = True

    def on_response(response: Response) -> None:
        if _is_api(response.url) and not api_response.done():
            api_response.set_result(response)

    failed: list[str] = []

    def on_failed(request: Request) -> None:
        reason = request.failure or "failed"
        if "ERR_BLOCKED_BY_CLIENT" not in reason:  # not one we blocked ourselves
            failed.append(f"{_path(request.url)}: {reason}")

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)

    async def fail(error: CollectError) -> CollectError:
        if _gone(page):  # whatever it looked like from here, the browser going away is the cause
            return BrowserFailed("the browser stopped during the visit (it crashed or was killed); try again")
        with contextlib.suppress(Exception):
            await _look(page, context, visit, document["response"])
        if isinstance(error, LoginRequired):
            error = _refusal(error, visit.seen, page.url)
        if isinstance(error, PageChanged) and error.raw is None:
            # Keep what could not be read, so that `ssi reparse` can read it after an update.
            with contextlib.suppress(Exception):
                html = await asyncio.wait_for(page.content(), timeout=5)
                error.raw = (html, None)
                error.secrets = [str(c.get("value", "")) for c in await context.cookies()]
        api_body = error.raw[1] if error.raw else None
        return error.with_artifacts(
            await _save_artifacts(page, context, visit, error.status, error.message, api_body))

    url = visit.base_url + SSI_PATH
    try:
        response = await page.goto(url, wait_until="commit", timeout=_remaining(deadline) * 1000)
    except PlaywrightTimeout:
        # Not a byte came: there is no page to keep, and waiting for a screenshot of nothing would
        # only hold the person past the deadline they set.
        if _gone(page):
            raise await fail(NetworkError("the browser went away")) from None
        raise NetworkError(f"{visit.base_url} did not answer within {visit.timeout:g} s; try again later") from None
    except PlaywrightError as exc:
        raise await fail(NetworkError(f"could not reach {visit.base_url} ({_first_line(exc)})")) from None
    document["response"] = response
    refused = address_error(page.url) or (status_error(response.status, "the SSI page") if response else None)
    if refused is not None:
        raise await fail(refused)

    visit.on_step("reading")
    grace = min(10.0, visit.timeout / 3)
    outcome = await _race(page, api_response, requested, deadline, grace)
    if outcome == "url" and (moved := address_error(page.url)) is not None:
        raise await fail(moved)
    if outcome.startswith("blocker:"):
        kind = outcome.split(":", 1)[1]
        raise await fail(login_error(kind, f"the page shows a {kind} form"))
    if outcome in ("timeout", "no-request") and failed:
        raise await fail(NetworkError(
            f"the site stopped answering while the page loaded ({len(failed)} request(s) failed, first "
            f"{failed[0]}); try again later"))
    if outcome == "timeout":
        if requested["ssi"] and not api_response.done():
            raise await fail(NetworkError(
                f"the SSI request was sent but not answered within {visit.timeout:g} s; try again later"))
        raise await fail(NetworkError(f"the SSI page did not finish loading within {visit.timeout:g} s"))
    if outcome == "no-request":
        raise await fail(PageChanged(
            "the page loaded but never asked for the scores and shows none we know: LinkedIn has "
            "probably changed the page; please report it"))

    page_has_figures = outcome == "figures"
    # What the visit saw of itself does not wait for the page to draw: ask for it now, alongside.
    look = asyncio.ensure_future(_look(page, context, visit, response))
    look.add_done_callback(lambda task: task.cancelled() or task.exception())  # never "not retrieved"
    try:
        return await _read(page, visit, check, fail, api_response, look, deadline, grace, page_has_figures)
    finally:
        if not look.done():
            look.cancel()


async def _read(page: Page, visit: Visit, check: Callable[[Capture], Any],
                fail: Callable[[CollectError], Any], api_response: asyncio.Future[Response],
                look: asyncio.Future[list[Any]], deadline: float, grace: float,
                page_has_figures: bool) -> tuple[Capture, Any]:
    """The answer's body, the drawn page and what the visit saw of itself, read once the race is run."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    api_status: int | None = None
    api_body: bytes | None = None
    if api_response.done():
        answer = api_response.result()
        api_status = answer.status
        refused = status_error(api_status, "the SSI request")
        if refused is not None:
            raise await fail(refused)
        if api_status != 200:
            raise await fail(PageChanged(f"the SSI request answered {api_status}, which we do not understand"))
        try:
            # The answer's headers came; its body may still stall. Bounded by the same deadline.
            api_body = await asyncio.wait_for(answer.body(), timeout=max(0.1, _remaining(deadline)))
        except asyncio.TimeoutError:
            raise await fail(NetworkError(
                f"the SSI answer started but did not finish within {visit.timeout:g} s; try again later")) from None
        if not page_has_figures and _is_json(api_body):
            # The page draws itself from the answer: give it a moment to do so, and make do
            # with the answer alone if it draws something we do not know.
            try:
                await page.wait_for_selector(FIGURES, state="attached", timeout=min(grace, _remaining(deadline)) * 1000)
                page_has_figures = True
            except PlaywrightTimeout:
                page_has_figures = False

    try:
        html, cookies = await asyncio.wait_for(asyncio.gather(page.content(), look),
                                               timeout=max(5.0, _remaining(deadline)))
    except asyncio.TimeoutError:
        raise await fail(NetworkError(f"the page did not let itself be read within {visit.timeout:g} s")) from None
    captured = Capture(
        url=page.url, html=html, api_body=api_body, api_status=api_status, page_has_figures=page_has_figures,
        secrets=[str(c.get("value", "")) for c in cookies],
    )
    try:
        result = check(captured)
    except CollectError as error:
        error.raw = (html, api_body)
        error.secrets = captured.secrets
        raise await fail(error) from None
    label = visit.keep_page(result)
    if label is not None:  # the very page that was read, not the page as it may have changed since
        captured.artifacts = await _save_artifacts(page, page.context, visit, label, label.replace("_", " "),
                                                   api_body, html=html, secrets=captured.secrets)
    return captured, result


async def _look(page: Page, context: BrowserContext, visit: Visit, response: Response | None) -> list[Any]:
    """Note what the visit saw of itself (visit.seen): the identity the page could read, with the
    page request's own headers, and the kept cookies' expiries. Returns the cookies (their values
    are what must be kept out of anything stored). The identity is a secondary figure: when it
    cannot be read, the visit goes on without it."""
    identity = None
    with contextlib.suppress(Exception):
        identity = Identity.from_json(await asyncio.wait_for(page.evaluate(READ_IDENTITY), timeout=3))
        if identity is not None and response is not None:
            identity = identity.with_headers(await asyncio.wait_for(response.request.all_headers(), timeout=2))
    if identity is not None:
        visit.seen.identity = identity
    cookies = await context.cookies()
    visit.seen.cookies = cookie_facts(cookies, visit.base_url)
    return cookies


def _refusal(error: LoginRequired, seen: Seen, url: str) -> LoginRequired:
    """The refusal told apart, and whether it ended the session (``seen.ended``).

    LinkedIn ends a session by sending li_at back expired, or by sending the visit to a sign-in
    page (`/login`, `/uas/login`, `/authwall`, `/checkpoint/lg/login`) with it: ended. A
    checkpoint or captcha wants a human, and a 401/403 with li_at kept says the request was
    refused: the session is not known to be over. A profile whose jar held no li_at any more when
    the visit began, sent to sign in, has lapsed: ended too."""
    deleted = seen.had_session and seen.cookies is not None and SESSION_COOKIE not in seen.cookies
    signed_out = error.kind in ("login", "authwall") or urlsplit(url).path.startswith("/checkpoint/lg/login")
    seen.ended = deleted or signed_out
    detail = error.detail or error.message.split("; ", 1)[0]
    if error.kind in ("captcha", "checkpoint") and not seen.ended:
        return error
    kind = "login" if seen.ended else error.kind
    return login_error(kind, detail, had_session=seen.had_session, cookie_deleted=deleted)


async def _race(page: Page, api_response: asyncio.Future[Response], requested: dict[str, bool],
                deadline: float, grace: float) -> str:
    """What happens first: the API answers, the page shows figures or a blocker, or time runs out."""
    from playwright.async_api import Error as PlaywrightError

    while True:
        watch = asyncio.ensure_future(
            page.wait_for_function(_WATCH, arg={"figures": FIGURES, "graceMs": grace * 1000, **watch_arguments()},
                                   timeout=max(1.0, _remaining(deadline) * 1000))
        )
        pending: set[asyncio.Future[Any]] = {api_response, watch}
        done, _ = await asyncio.wait(pending, timeout=_remaining(deadline), return_when=asyncio.FIRST_COMPLETED)
        if api_response in done:
            watch.cancel()
            return "api"
        if watch not in done:
            watch.cancel()
            return "timeout"
        try:
            outcome = str(await (await watch).json_value())
        except PlaywrightError:
            if _gone(page):  # the browser crashed or was killed: no use watching any longer
                raise
            # The page navigated while we watched it (a redirect in script): look again.
            if _remaining(deadline) <= 0:
                return "timeout"
            if is_blocked_path(page.url):
                return "url"
            continue
        if outcome == "no-request" and requested["ssi"]:
            # Sent but not yet answered: wait for the answer until the deadline.
            done, _ = await asyncio.wait({api_response}, timeout=_remaining(deadline))
            return "api" if done else "timeout"
        return outcome


def _gone(page: Page) -> bool:
    """Whether the page's browser has gone away (crashed, killed) or the page was closed."""
    browser = page.context.browser
    return page.is_closed() or (browser is not None and not browser.is_connected())


def _path(url: str) -> str:
    return urlsplit(url).path


def _is_api(url: str) -> bool:
    return _path(url) == API_PATH


def _is_json(body: bytes) -> bool:
    """Whether the page could draw itself from this answer (if not, there is nothing to wait for)."""
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


async def _block(route: Route) -> None:
    request = route.request
    if request.resource_type in BLOCKED_TYPES or TRACKERS.search(request.url):
        await route.abort("blockedbyclient")
    else:
        await route.fallback()


async def _save_artifacts(page: Page, context: BrowserContext, visit: Visit, status: str, message: str,
                          api_body: bytes | None = None, *, html: str | None = None,
                          secrets: list[str] | None = None) -> Path | None:
    """A screenshot, the page and LinkedIn's answer, secrets and scripts removed, for the person
    (``ssi parse --explain page.html api.json`` reads them) or a bug report. Best effort: a
    page that cannot be kept (a full disk, a browser gone) never changes how the run ends."""
    try:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        folder = private_dir(visit.artifacts_root / f"{stamp}-{status}")
        if secrets is None:
            secrets = [str(c.get("value", "")) for c in await context.cookies()]
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(folder / "screenshot.png"), full_page=True, timeout=3000)
        if html is None:
            try:  # bounded: a page whose navigation never committed would keep this waiting for ever
                html = await asyncio.wait_for(page.content(), timeout=5)
            except Exception:
                html = ""
        (folder / "page.html").write_text(clean_page(html, secrets), encoding="utf-8")
        if api_body:
            (folder / "api.json").write_text(redact(api_body.decode("utf-8", "replace"), secrets), encoding="utf-8")
        (folder / "about.json").write_text(json.dumps({
            "url": redact(page.url, secrets), "status": status, "message": message, "saved_at": stamp,
        }, indent=2))
        for item in folder.iterdir():
            item.chmod(0o600)
        return folder
    except Exception:
        return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]
