"""Playwright's driver in a thread of its own, started as soon as a command knows it needs one.

Playwright is not thread-safe: a Driver's Playwright is created, used and stopped only in the
Driver's own thread, on its own event loop; callers hand it coroutines (``submit``). Its driver is
a Node.js process that takes a quarter of a second to boot, so `ssi collect` starts it before the
command line has even loaded (collector.entry): click and this program's modules then load while
it boots, and the browser session takes it over (``take``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class Driver:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="browser", daemon=True)
        self.ready: concurrent.futures.Future[Any] | None = None  # Playwright, once its driver is up

    def start(self) -> Driver:
        # Playwright is imported here, before the thread starts, so that the thread spawns the
        # driver at once instead of competing for the GIL with the caller's own imports.
        from playwright.async_api import async_playwright

        self._thread.start()
        self.ready = self.submit(async_playwright().start())
        return self

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def submit(self, work: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run ``work`` in the driver's thread; its result (or error) comes back in the future."""
        return asyncio.run_coroutine_threadsafe(work, self.loop)

    async def playwright(self) -> Any:
        """Playwright, from inside the driver's thread (its start's error, if it failed)."""
        assert self.ready is not None, "start() first"
        return await asyncio.wrap_future(self.ready)

    def stop(self, timeout: float = 30) -> None:
        """Stop Playwright's driver, then the thread (bounded: a driver that hangs is left to die
        with the process)."""
        if not self.alive:
            return
        with contextlib.suppress(Exception):
            self.submit(self._stop()).result(timeout=timeout)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self.loop.close()

    @property
    def failed(self) -> bool:
        return self.ready is not None and self.ready.done() and self.ready.exception() is not None

    async def _stop(self) -> None:
        if self.ready is None:
            return
        with contextlib.suppress(Exception):  # a driver still starting is waited for, then stopped
            playwright = await asyncio.wait_for(asyncio.wrap_future(self.ready), timeout=20)
            await playwright.stop()


_early: Driver | None = None


def start_early() -> None:
    """Start a driver now, for the browser session this command will open (``take``)."""
    global _early
    if _early is None:
        _early = Driver().start()


def take() -> Driver:
    """The driver started early, if there is one still unused; else a new one, started."""
    global _early
    found, _early = _early, None
    if found is not None and found.alive and not found.failed:
        return found
    if found is not None:
        found.stop()
    return Driver().start()
