"""Why a page (or a capture) was read as it was: every clue of every field, and which one won.

For ``ssi parse --explain``: when the page drifts again, one screen shows each figure, every hook
that showed it, at what precision, and whether it agreed with the one that decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .assemble import sum_clue
from .capture import CaptureReading, flat_figures, read_capture
from .errors import NotSsiPage, ParseError
from .evidence import Clue, Evidence, agree, show
from .model import PILLAR_KEYS
from .numbers import FLOAT32_SLACK, decimals_of

Role = Literal["chosen", "agrees", "disagrees", "rejected", "unused"]

FIELD_ORDER: tuple[str, ...] = (
    "ssi", *(f"pillars.{key}" for key in PILLAR_KEYS),
    *(f"{group}.{what}" for group in ("industry", "network")
      for what in ("rank", "average", *(["name"] if group == "industry" else []),
                   *(f"pillars.{key}" for key in PILLAR_KEYS))),
)


@dataclass(frozen=True)
class ClueReport:
    source: Literal["api", "page", "derived"]
    hook: str
    shows: float | str | None
    precision: str
    role: Role
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "hook": self.hook, "shows": self.shows, "precision": self.precision,
                "role": self.role, "note": self.note or None}


@dataclass(frozen=True)
class FieldReport:
    field: str
    value: float | str | None
    clues: tuple[ClueReport, ...]
    verdict: str

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "verdict": self.verdict,
                "clues": [clue.to_json() for clue in self.clues]}


@dataclass(frozen=True)
class Explanation:
    decided_by: Literal["api", "page"]
    outcome: str  # "read", or the error that stops the reading
    reading: CaptureReading | None
    fields: tuple[FieldReport, ...]
    notes: tuple[str, ...]
    blocked: bool = False  # the reading stopped at a sign-in, authwall, checkpoint or captcha page

    def to_json(self) -> dict[str, Any]:
        return {
            "decided_by": self.decided_by,
            "outcome": self.outcome,
            "page_check": self.reading.page_check if self.reading else None,
            "snapshot": self.reading.snapshot.to_json() if self.reading else None,
            "notes": list(self.notes),
            "fields": [report.to_json() for report in self.fields],
        }


def precision(clue: Clue) -> str:
    if clue.confirms_only:
        return "rounded (confirms only)"
    if clue.tolerance <= 4 * FLOAT32_SLACK + 1e-12:  # a float32 figure, or the sum of four
        return "exact"
    if clue.tolerance >= 0.5:
        return "whole number"
    places = decimals_of(clue.tolerance)
    return f"{places} decimal{'s' if places != 1 else ''}"


def _gather(raw: bytes | str | None, reader: str) -> tuple[Evidence, str | None]:
    from .api import raw_body_clues
    from .page import page_clues

    ev = Evidence(strict=False)
    if raw is None:
        return ev, None
    try:
        if reader == "api":
            raw_body_clues(raw, ev)
        else:
            page_clues(raw, ev)
    except ParseError as exc:
        return ev, str(exc)
    return ev, None


def _sum_clue(ev: Evidence, prefix: str) -> Clue | None:
    """The total that the four pillars' best clues add up to (what a page-only reading uses)."""
    return sum_clue([ev.best(f"{prefix}pillars.{key}") for key in PILLAR_KEYS],
                    "four" if not prefix else prefix.rstrip(".") + " average")


def explain(api_body: bytes | str | None, page: bytes | str | None) -> Explanation:
    """Every clue for every field of a capture (either part may be None), and the verdict."""
    api_ev, api_error = _gather(api_body, "api")
    page_ev, page_error = _gather(page, "page")
    try:
        reading: CaptureReading | None = read_capture(api_body, page)
        outcome, blocked = "read", False
    except ParseError as exc:
        reading, outcome, blocked = None, str(exc), isinstance(exc, NotSsiPage)
    # Who decided is what the reading did: a body that is JSON but not a usable answer (its
    # overall not the sum, a pillar out of range) leaves the page to decide alone.
    decided_by: Literal["api", "page"] = (
        "api" if reading is not None and reading.page_check != "page_only" else "page")
    if reading is not None and reading.api_error:
        api_error = reading.api_error
    elif reading is None and api_body is not None and api_error is None:
        try:
            read_capture(api_body, None)
        except ParseError as exc:
            api_error = str(exc)
    values = flat_figures(reading.snapshot) if reading else {}
    notes = []
    if api_error:
        notes.append(f"LinkedIn's answer could not be used: {api_error}")
    if page_error:
        notes.append(f"the page could not be read: {page_error}")
    if reading is not None and reading.filled_from_page:
        notes.append(f"taken from the page (LinkedIn's answer has none): {', '.join(reading.filled_from_page)}")

    reports = []
    for name in FIELD_ORDER:
        reports_for = _field(name, api_ev, page_ev, decided_by, values.get(name), stopped=reading is None)
        if reports_for is not None:
            reports.append(reports_for)
    return Explanation(decided_by, outcome, reading, tuple(reports), tuple(notes), blocked)


def _field(name: str, api_ev: Evidence, page_ev: Evidence, decided_by: str,
           value: float | str | None, *, stopped: bool = False) -> FieldReport | None:
    """``stopped``: the reading as a whole failed; show what this field alone would give."""
    found: list[tuple[str, Clue]] = [("api", c) for c in api_ev.clues(name)]
    found += [("page", c) for c in page_ev.clues(name)]
    if name == "ssi" or name.endswith(".average"):
        prefix = "" if name == "ssi" else name.rsplit(".", 1)[0] + "."
        derived = _sum_clue(api_ev if decided_by == "api" else page_ev, prefix)
        if derived is not None:
            found.append(("derived", derived))
    texts = [("api", t, h) for t, h in api_ev.texts(name)] + [("page", t, h) for t, h in page_ev.texts(name)]
    rejected = [(source, r) for source, ev in (("api", api_ev), ("page", page_ev)) for r in ev.rejected
                if r.field == name]
    if not found and not texts and not rejected and value is None:
        return None

    # The clue that decides: LinkedIn's answer when it decides and has the figure; else (the page
    # decides, or filled in what the answer lacks) the page's most precise clue or their sum.
    api_clues = [c for s, c in found if s == "api"]
    if decided_by == "api" and api_clues:
        deciding = api_clues
    elif decided_by == "api" and value is None:
        deciding = []
    else:
        # The page decides: its own clues (and the derived sum of its pillars), not an unusable body's.
        deciding = [c for s, c in found if s != "api"]
    winner = min(deciding, key=lambda c: (c.confirms_only, c.tolerance)) if deciding else None
    if winner is not None and winner.confirms_only:
        winner = None if value is None else winner
    clues: list[ClueReport] = []
    for source, clue in found:
        if winner is None:
            role: Role = "unused"
        elif clue is winner:
            role = "chosen"
        else:
            role = "agrees" if agree(clue, winner) else "disagrees"
        clues.append(ClueReport(source, clue.hook, clue.value, precision(clue), role))  # type: ignore[arg-type]
    chosen_text = value if isinstance(value, str) else None
    taken = False
    for source, text, hook in texts:
        if chosen_text is None:
            role = "unused"
        elif text == chosen_text and not taken and (source == "api" or decided_by == "page" or
                                                     not any(s == "api" for s, _, _ in texts)):
            role, taken = "chosen", True
        else:
            role = "agrees" if text.casefold() == chosen_text.casefold() else "disagrees"
        clues.append(ClueReport(source, hook, text, "text", role))  # type: ignore[arg-type]
    for source, r in rejected:
        clues.append(ClueReport(source, r.hook, None, "—", "rejected", r.message))  # type: ignore[arg-type]
    if stopped and winner is not None and not any(c.role in ("disagrees", "rejected") for c in clues):
        verdict = _verdict(winner.value, clues) + " (but the reading as a whole stops: see above)"
        return FieldReport(name, winner.value, tuple(clues), verdict)
    return FieldReport(name, value, tuple(clues), _verdict(value, clues))


def _verdict(value: float | str | None, clues: list[ClueReport]) -> str:
    against = [c for c in clues if c.role in ("disagrees", "rejected")]
    if value is None:
        if clues and all(c.precision.startswith("rounded") for c in clues if c.role != "rejected"):
            return "unknown: only a rounded display shows it"
        if against:
            return f"unknown: {len(against)} hook(s) disagree"
        return "unknown: not taken (see the notes)"
    chosen = next((c for c in clues if c.role == "chosen"), None)
    source = f"from {chosen.hook}" if chosen is not None else "read"
    if against:
        return f"{source}; {len(against)} hook(s) disagree (recorded, not used)"
    return source


def render_value(value: float | str | None) -> str:
    if value is None:
        return "—"
    return show(value) if isinstance(value, float) else str(value)
