"""One visit to the SSI page in the person's own browser profile.

Open BASE/sales/ssi in a fresh browser context holding the profile's session, and return as soon as
the figures are there: the salesApiSsi response and the page drawn from it. No "network idle"
(the real site keeps trackers open forever) and no fixed sleeps: the response event and the
page's own elements are raced against each other and the deadline. Images, fonts, media and
trackers are never fetched. Sign-in pages, authwalls, checkpoints and captchas are recognised by
address and by element; 401/403/429/999 by the API's status.

Playwright is not thread-safe, so a BrowserSession starts its own Playwright and event loop in the
thread that creates it. One session can visit the page for several profiles in turn, each in its
own context: one browser start for a whole batch.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..outcomes import BrowserFailed, CollectError, NetworkError, PageChanged
from ..paths import private_dir
from .answers import address_error, is_blocked_path, login_error, status_error, watch_arguments
from .find import Browser, launch_options
from .redact import clean_page, redact

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
    state: dict[str, Any]  # the refreshed session, to keep after a success
    secrets: list[str] = field(default_factory=list)
    artifacts: Path | None = None  # the screenshot and page, kept when the reading asked for it


@dataclass
class Visit:
    base_url: str
    state: dict[str, Any] | None  # the profile's kept session (storage state), if any
    artifacts_root: Path
    timeout: float = 45.0
    cookies: list[dict[str, Any]] | None = None  # imported with --auth before the visit
    on_step: Callable[[str], None] = lambda step: None
    # Given what ``check`` returned, a label when the page should be kept (screenshot and all) even
    # though the visit succeeded: a page that disagrees with LinkedIn's answer, say.
    keep_page: Callable[[Any], str | None] = lambda result: None


def _remaining(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def normal_user_agent(version: str) -> str:
    """The user agent of the same Chrome with a window: headless builds call themselves
    "HeadlessChrome", which sites treat as a bot. Chrome itself reports major.0.0.0."""
    major = version.split(".", 1)[0]
    system = {"darwin": "Macintosh; Intel Mac OS X 10_15_7", "win32": "Windows NT 10.0; Win64; x64"}.get(
        sys.platform, "X11; Linux x86_64")
    return f"Mozilla/5.0 ({system}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36"


class BrowserSession:
    """One browser for one or more visits, each in a fresh context holding one profile's session.

    Playwright lives in a thread of its own, with its own event loop: it is created, used and
    stopped there only (Playwright is not thread-safe). That lets the browser start while the
    caller opens the database, and lets the store be written between visits. ``start()`` returns
    at once; ``capture()`` waits for the browser to be ready.
    """

    def __init__(self, browser: Browser, *, headless: bool = True, launch_timeout: float = 45.0,
                 single_use: bool = False) -> None:
        """``single_use``: the browser starts closing as soon as its one visit is captured, so that
        it shuts down while the caller stores the result."""
        self.browser = browser
        self.headless = headless
        self.launch_timeout = launch_timeout
        self.single_use = single_use
        self._closing: concurrent.futures.Future[None] | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="browser", daemon=True)
        self._started: concurrent.futures.Future[None] | None = None
        self._pw: Any = None
        self._browser: Any = None

    def start(self) -> BrowserSession:
        # Import Playwright here, before the thread starts, so that the browser thread spawns the
        # driver at once instead of competing for the GIL with the caller's own imports.
        import playwright.async_api  # noqa: F401

        self._thread.start()
        self._started = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        return self

    def __enter__(self) -> BrowserSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _begin_close(self) -> None:
        if self._closing is None and self._thread.is_alive():
            self._closing = asyncio.run_coroutine_threadsafe(self._stop(), self._loop)

    def close(self) -> None:
        if not self._thread.is_alive():
            return
        self._begin_close()
        try:
            assert self._closing is not None
            self._closing.result(timeout=30)
        except Exception:  # a browser that will not close must not hide what went before
            pass
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            if not self._thread.is_alive():
                self._loop.close()

    async def _start(self) -> None:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright

        self._pw = await async_playwright().start()
        try:
            self._browser = await self._pw.chromium.launch(
                **launch_options(self.browser, headless=self.headless), timeout=self.launch_timeout * 1000)
        except PlaywrightError as exc:
            raise BrowserFailed(
                f"the browser {self.browser.executable} would not start ({_first_line(exc)}); "
                "run `ssi doctor`, or choose another with --browser-path"
            ) from None

    async def _stop(self) -> None:
        from playwright.async_api import Error as PlaywrightError

        if self._browser is not None:
            with contextlib.suppress(PlaywrightError):
                await self._browser.close()
        if self._pw is not None:
            with contextlib.suppress(Exception):
                await self._pw.stop()

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
        future = asyncio.run_coroutine_threadsafe(self._capture(visit, check), self._loop)
        try:
            # Every step inside is bounded by the visit's deadline; this is the belt to those braces.
            return future.result(timeout=visit.timeout + 60)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise NetworkError(f"the visit did not end within {visit.timeout:g} s; try again later") from None
        finally:
            if self.single_use:
                self._begin_close()

    async def _capture(self, visit: Visit, check: Callable[[Capture], Any]) -> tuple[Capture, Any]:
        from playwright.async_api import Error as PlaywrightError

        if self._browser is None or not self._browser.is_connected():
            raise BrowserFailed("the browser is gone (it crashed or was killed); try again")
        deadline = time.monotonic() + visit.timeout
        visit.on_step("opening")
        try:
            context = await self._browser.new_context(
                storage_state=visit.state, user_agent=normal_user_agent(self._browser.version),
                viewport={"width": 1280, "height": 900}, service_workers="block", accept_downloads=False,
            )
        except PlaywrightError as exc:
            raise BrowserFailed(f"the browser could not open a window ({_first_line(exc)}); try again") from None
        try:
            return await _visit(context, visit, deadline, check)
        except PlaywrightError as exc:
            # The browser or page went away under us (crash, killed).
            raise BrowserFailed(f"the browser stopped during the visit ({_first_line(exc)}); try again") from None
        finally:
            with contextlib.suppress(PlaywrightError):
                await context.close()


async def _visit(
    context: BrowserContext, visit: Visit, deadline: float, check: Callable[[Capture], Any]
) -> tuple[Capture, Any]:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    await context.route("**/*", _block)
    if visit.cookies:
        try:
            await context.add_cookies(visit.cookies)  # type: ignore[arg-type]
        except PlaywrightError as exc:
            raise CollectError(f"the --auth file's cookies were refused by the browser ({_first_line(exc)})") from None
    page = await context.new_page()

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
    # The session's state does not wait for the page to draw: ask for it now, alongside.
    state_task = asyncio.ensure_future(context.storage_state())
    state_task.add_done_callback(lambda task: task.cancelled() or task.exception())  # never "not retrieved"
    try:
        return await _read(page, context, visit, check, fail, api_response, state_task, deadline, grace,
                           page_has_figures)
    finally:
        if not state_task.done():
            state_task.cancel()


async def _read(page: Page, context: BrowserContext, visit: Visit, check: Callable[[Capture], Any],
                fail: Callable[[CollectError], Any], api_response: asyncio.Future[Response],
                state_task: asyncio.Future[Any], deadline: float, grace: float,
                page_has_figures: bool) -> tuple[Capture, Any]:
    """The answer's body, the drawn page and the session's state, read once the race is run."""
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
        html, state = await asyncio.wait_for(asyncio.gather(page.content(), state_task),
                                             timeout=max(5.0, _remaining(deadline)))
    except asyncio.TimeoutError:
        raise await fail(NetworkError(f"the page did not let itself be read within {visit.timeout:g} s")) from None
    captured = Capture(
        url=page.url, html=html, api_body=api_body, api_status=api_status, page_has_figures=page_has_figures,
        state=dict(state), secrets=[str(c.get("value", "")) for c in state.get("cookies", [])],
    )
    try:
        result = check(captured)
    except CollectError as error:
        error.raw = (html, api_body)
        error.secrets = captured.secrets
        raise await fail(error) from None
    label = visit.keep_page(result)
    if label is not None:  # the very page that was read, not the page as it may have changed since
        captured.artifacts = await _save_artifacts(page, context, visit, label, label.replace("_", " "), api_body,
                                                   html=html, secrets=captured.secrets)
    return captured, result


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
