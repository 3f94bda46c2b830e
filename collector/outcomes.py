"""How a collection can end: the `runs.status` values and their exit codes (docs/design.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from .exit_codes import ExitCode

Status = Literal[
    "running", "ok", "skipped", "login_required", "blocked", "page_changed", "network_error", "error",
    "interrupted",
]


class StoreError(Exception):
    """The database cannot be used or written; the message says why and what to do."""


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
