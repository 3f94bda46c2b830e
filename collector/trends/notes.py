"""`ssi notes --effect`: what each figure did in the 7 and 14 days after a note, next to how it
usually moves over as many days.

Said as what happened next, never as a cause: the SSI moves for many reasons at once, and one
person's notes are no experiment. "Usual" is the figure's own record over the 90 days before
the note: the median change over the same number of days, and the range of the middle 80%.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from parsers import PILLAR_KEYS

from ..store import Store

SPANS = (7, 14)
USUAL_DAYS = 90
SLACK = 3  # a reading up to this many days short of a span still stands for it (days without one)
FIGURES = ("ssi", *PILLAR_KEYS)


@dataclass(frozen=True)
class Usual:
    median: float
    low: float  # 10th percentile
    high: float  # 90th percentile
    count: int


@dataclass(frozen=True)
class Movement:
    figure: str
    span: int  # days
    change: float | None  # None: no reading that far after the note yet
    usual: Usual | None  # None: too little history before the note

    @property
    def compared(self) -> str:
        if self.change is None or self.usual is None:
            return ""
        if self.change > self.usual.high:
            return "more than usual"
        if self.change < self.usual.low:
            return "less than usual"
        return "within the usual range"


@dataclass(frozen=True)
class NoteEffect:
    note: dict[str, Any]
    movements: tuple[Movement, ...]

    def lines(self) -> list[str]:
        note = self.note
        about = f" [{note['pillar']}]" if note["pillar"] else ""
        out = [f"#{note['id']} {note['day']}{about}: {note['text']}"]
        order = sorted(FIGURES, key=lambda f: (f != note["pillar"], FIGURES.index(f)))
        for figure in order:
            parts = []
            for m in (m for m in self.movements if m.figure == figure):
                if m.change is None:
                    parts.append(f"{m.span} days: not yet")
                    continue
                usual = (f" (usually {m.usual.median:+.2f}, {m.usual.low:+.2f} to {m.usual.high:+.2f}: "
                         f"{m.compared})") if m.usual else ""
                parts.append(f"{m.span} days: {m.change:+.2f}{usual}")
            out.append(f"  {figure:<13} next {'; '.join(parts)}")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"note": self.note, "next": [
            {"figure": m.figure, "days": m.span, "change": m.change, "compared": m.compared or None,
             "usual": None if m.usual is None else {"median": m.usual.median, "low": m.usual.low,
                                                     "high": m.usual.high, "changes": m.usual.count}}
            for m in self.movements]}


class _Series:
    """One figure's readings, for "the value on or before a day" by bisection."""

    def __init__(self, readings: list[tuple[date, float]]) -> None:
        self.days = [day for day, _ in readings]
        self.values = [value for _, value in readings]

    def at(self, day: date, *, not_before: date | None = None) -> tuple[date, float] | None:
        index = bisect_right(self.days, day) - 1
        if index < 0 or (not_before is not None and self.days[index] < not_before):
            return None
        return self.days[index], self.values[index]

    def change(self, start: date, span: int) -> float | None:
        """From the reading on or before ``start`` to the one on or before ``start + span``
        (no more than SLACK days short of it, and after the first)."""
        before = self.at(start)
        after = self.at(start + timedelta(days=span), not_before=start + timedelta(days=span - SLACK))
        if before is None or after is None or after[0] <= before[0]:
            return None
        return round(after[1] - before[1], 4)

    def usual(self, until: date, span: int) -> Usual | None:
        changes = [change for day in self.days if until - timedelta(days=USUAL_DAYS) <= day - timedelta(days=span)
                   and day <= until
                   if (change := self.change(day - timedelta(days=span), span)) is not None]
        if len(changes) < 10:
            return None
        deciles = statistics.quantiles(changes, n=10)
        return Usual(round(statistics.median(changes), 4), round(deciles[0], 4), round(deciles[-1], 4), len(changes))


def effects(store: Store, profile: str, notes: list[dict[str, Any]]) -> list[NoteEffect]:
    """What followed each of ``notes``."""
    if not notes:
        return []
    first = min(date.fromisoformat(n["day"]) for n in notes) - timedelta(days=USUAL_DAYS + max(SPANS))
    series = {figure: _Series([(date.fromisoformat(day), value)
                               for day, value in store.readings(profile, figure, first.isoformat())])
              for figure in FIGURES}
    found = []
    for note in notes:
        day = date.fromisoformat(note["day"])
        movements = tuple(Movement(figure, span, series[figure].change(day, span), series[figure].usual(day, span))
                          for figure in FIGURES for span in SPANS)
        found.append(NoteEffect(note, movements))
    return found
