"""The only exceptions the parsers raise.

Whatever bytes come in, callers only ever see :class:`ParseError` (or its subclass
:class:`NotSsiPage`), so the collector can map every outcome to an exit code.
"""

from __future__ import annotations

from typing import Literal

BlockerKind = Literal["login", "authwall", "checkpoint", "captcha"]


class ParseError(Exception):
    """The input is not an SSI page or body we understand, or its figures are wrong.

    ``field`` names the figure at fault (``"pillars.brand"``, ``"industry.rank"``...) when one is.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class NotSsiPage(ParseError):
    """A login form, authwall, checkpoint or captcha page came back instead of the SSI page."""

    def __init__(self, kind: BlockerKind, evidence: str) -> None:
        human = {
            "login": "a LinkedIn sign-in page",
            "authwall": "LinkedIn's authwall (signed-out visitors' page)",
            "checkpoint": "a LinkedIn security checkpoint",
            "captcha": "a captcha challenge",
        }[kind]
        super().__init__(f"this is {human}, not the SSI page ({evidence})")
        self.kind: BlockerKind = kind
        self.evidence = evidence
