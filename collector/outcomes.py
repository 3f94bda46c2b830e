"""How a collection can end: the exit codes, the `runs.status` values, and the errors that carry
both (docs/design.md). The one list of each: the store's CHECK constraint, the scheduler's
retry rule and doctor's verdicts are all read from here. No click here: the core raises these,
the command line turns them into its one-line failures."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Any, Literal, get_args


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # anything else: the browser would not start, the database cannot be written
    USAGE = 2
    LOGIN_NEEDED = 3  # login page, authwall, checkpoint, captcha, 401/403
    BLOCKED = 4  # 429, 999
    # No valid API answer, and the page alone shows nothing recognisable or contradicts itself.
    # (With LinkedIn's answer in hand, a page that disagrees is a warning, never this.)
    PAGE_NOT_UNDERSTOOD = 5
    NETWORK = 6  # no answer, or the SSI request never answered
    BUSY = 7  # another collection for this profile is running


Status = Literal[
    "running", "ok", "skipped", "login_required", "blocked", "page_changed", "network_error", "error",
    "interrupted",
]
STATUSES: tuple[str, ...] = get_args(Status)
# A run that ended well: a snapshot stored, or none needed (already collected, another run busy).
SUCCEEDED: frozenset[str] = frozenset({"ok", "skipped"})
# Worth another try later the same day; a login failure never is (it would invite a checkpoint).
RETRYABLE: frozenset[str] = frozenset({"network_error", "blocked", "page_changed", "error", "interrupted"})


class StoreError(Exception):
    """The database cannot be used or written; the message says why and what to do."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM (a service stopping, `kill`) turned into what Ctrl-C (SIGINT) already raises, so
    that both unwind alike: the run is marked interrupted, the browser closed, the process ends
    with 128 + the signal's number, as shells expect."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def signal_name(exc: KeyboardInterrupt) -> tuple[str, int]:
    """("SIGTERM", 15) for an Interrupted, ("Ctrl-C (SIGINT)", 2) for a plain KeyboardInterrupt."""
    import signal

    signum = exc.signum if isinstance(exc, Interrupted) else int(signal.SIGINT)
    return ("Ctrl-C (SIGINT)" if signum == signal.SIGINT else signal.Signals(signum).name), signum


class CollectError(Exception):
    """A collection that did not store a snapshot. ``message`` says what happened and what to do."""

    status: Status = "error"
    code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, artifacts: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.artifacts = artifacts
        self.raw: tuple[str | None, bytes | None] | None = None  # (page, api body) when something was captured
        self.secrets: list[str] = []  # the session's cookie values, to keep out of anything stored
        self.seen: Any = None  # what the visit saw of its session (collector.browser.visit.Seen), if it began

    def with_artifacts(self, folder: Path | None) -> CollectError:
        self.artifacts = folder
        return self

    def __str__(self) -> str:
        if self.artifacts is not None:
            return f"{self.message} (screenshot and page saved in {self.artifacts})"
        return self.message


class LoginRequired(CollectError):
    status = "login_required"
    code = ExitCode.LOGIN_NEEDED
    kind = "session"  # what stood in the way: "login", "authwall", "checkpoint", "captcha", "session"
    detail = ""  # what was seen, before the advice


class Blocked(CollectError):
    status = "blocked"
    code = ExitCode.BLOCKED


class PageChanged(CollectError):
    status = "page_changed"
    code = ExitCode.PAGE_NOT_UNDERSTOOD


class NetworkError(CollectError):
    status = "network_error"
    code = ExitCode.NETWORK


class Busy(CollectError):
    status = "skipped"
    code = ExitCode.BUSY


class BrowserFailed(CollectError):
    """The browser would not start, or died during the run."""


class BadInput(CollectError):
    """A file or option given by the person is unusable (an --auth file, a profile name)."""

    code = ExitCode.USAGE
