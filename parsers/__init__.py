"""Pure parsers for LinkedIn's Social Selling Index: bytes in, a typed Snapshot out.

No I/O and no Playwright here. Whatever bytes come in, the only exceptions that leave this
package are :class:`ParseError` and its subclass :class:`NotSsiPage`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from .errors import BlockerKind, NotSsiPage, ParseError
from .model import PILLAR_KEYS, PILLAR_NAMES, PILLAR_SHORT_NAMES, Group, Pillars, Snapshot

if TYPE_CHECKING:
    from .capture import CaptureReading
    from .explanation import Explanation

# The readers (and lxml) load on the first parse: commands that only read the database do
# not pay for them.

__all__ = [
    "PILLAR_KEYS", "PILLAR_NAMES", "PILLAR_SHORT_NAMES", "BlockerKind", "Group", "NotSsiPage", "ParseError",
    "Pillars", "Snapshot",
    "explain", "is_json", "parse", "parse_api", "parse_capture", "parse_page", "read_capture",
]

T = TypeVar("T")


def _guarded(work: Callable[[], T]) -> T:
    try:
        return work()
    except ParseError:
        raise
    except RecursionError:
        raise ParseError("the input nests too deeply to be an SSI page") from None
    except Exception as exc:
        # A bug in this package, not in the input: say so plainly so it gets reported.
        raise ParseError(
            f"internal parser error ({type(exc).__name__}: {exc}); please report it", field="internal"
        ) from exc


def is_json(raw: bytes | str) -> bool:
    """Decide by content, not by file name: JSON starts with { or [ (after a BOM and spaces)."""
    head = raw.lstrip("\ufeff \t\r\n")[:1] if isinstance(raw, str) else raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head in ("{", "[", b"{", b"[")


def parse_api(raw: bytes | str) -> Snapshot:
    """A salesApiSsi body, bare or wrapped."""

    from .api import raw_body_clues
    from .assemble import build_snapshot
    from .evidence import Evidence

    def work() -> Snapshot:
        ev = Evidence()
        raw_body_clues(raw, ev)
        return build_snapshot(ev, "api")

    return _guarded(work)


def parse_page(raw: bytes | str) -> Snapshot:
    """A saved or captured SSI page (any known layout)."""

    from .assemble import build_snapshot
    from .evidence import Evidence
    from .page import page_clues

    def work() -> Snapshot:
        ev = Evidence()
        carried_body = page_clues(raw, ev)
        return build_snapshot(ev, "api" if carried_body else "page")

    return _guarded(work)


def parse(raw: bytes | str) -> Snapshot:
    """A page or an API body, told apart by content."""
    return parse_api(raw) if is_json(raw) else parse_page(raw)


def read_capture(api_body: bytes | str | None, page: bytes | str | None) -> CaptureReading:
    """What the collector captured: LinkedIn's answer decides, the page is cross-checked against it
    (see parsers.capture). Raises ParseError only when the page must decide alone and cannot."""
    from .capture import read_capture as read

    return _guarded(lambda: read(api_body, page))


def parse_capture(api_body: bytes | None, page: bytes | None) -> Snapshot:
    """The snapshot of :func:`read_capture`."""
    return read_capture(api_body, page).snapshot


def explain(api_body: bytes | str | None, page: bytes | str | None) -> Explanation:
    """Every clue for every field, and which one won (``ssi parse --explain``)."""
    from .explanation import explain as run

    return _guarded(lambda: run(api_body, page))
