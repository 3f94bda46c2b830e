"""docs/design.md's exit codes, and the one-line failure every command prints instead of a traceback."""

from __future__ import annotations

from enum import IntEnum

import click


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


class Failure(click.ClickException):
    """What happened and what to do, in one line, with the contract's exit code."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.exit_code = int(code)  # type: ignore[misc]  # click declares it on the class

    def show(self, file: object = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)
