"""Cross-checking: every hook that shows a figure adds a clue; the clues must agree.

The page shows most figures in two or three places (a progress bar, a hidden table, a caption,
a sentence, the embedded API body). Taking the most precise clue and demanding that every other
clue agrees within the precision it was shown at is what turns "a selector matched something"
into "this number is right": a moved or renamed hook either drops out or contradicts, and a
contradiction is a ParseError naming the field, never a silently wrong number.

Evidence is strict by default: a clue that cannot be a figure (out of range, not finite) raises at
once. When the page is only evidence against LinkedIn's own answer (``strict=False``), such a
clue is kept in ``rejected`` instead, so that one bad hook is reported, not fatal.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .errors import ParseError

_RANK = re.compile(r"(industry|network)\.rank")
_GROUP_AVERAGE = re.compile(r"(industry|network)\.average")
_PILLAR = re.compile(r"((industry|network)\.)?pillars\.\w+")


@dataclass(frozen=True)
class Clue:
    value: float
    tolerance: float  # half a unit of the last digit the hook showed
    hook: str  # where on the page (or in the body) it was read
    confirms_only: bool = False  # a rounded display ("31 out of 100"): checks a figure, never gives it


@dataclass(frozen=True)
class Rejected:
    """A hook that showed something that cannot be the figure (outside its range, not a number)."""

    field: str
    hook: str
    message: str


def _bounds(field: str) -> tuple[float, float, bool]:
    """(lowest, highest, must be whole) for a contract field."""
    if field == "ssi" or _GROUP_AVERAGE.fullmatch(field):
        return 0.0, 100.0, False
    if _RANK.fullmatch(field):
        return 1.0, 100.0, True
    if _PILLAR.fullmatch(field):
        return 0.0, 25.0, False
    raise ValueError(f"no range known for {field}")  # a bug in this package, not in the input


def show(value: float) -> str:
    """A figure as it was given: every digit of a float32 score (0.29999998), no trailing zeros."""
    return f"{value:.10g}"


def agree(a: Clue, b: Clue) -> bool:
    """Whether two clues can show the same figure, each at the precision it was shown at."""
    return abs(a.value - b.value) <= a.tolerance + b.tolerance + 1e-9


class Evidence:
    def __init__(self, *, strict: bool = True) -> None:
        self.strict = strict
        self._clues: dict[str, list[Clue]] = {}
        self._texts: dict[str, list[tuple[str, str]]] = {}
        self.rejected: list[Rejected] = []

    def __bool__(self) -> bool:
        return bool(self._clues or self._texts or self.rejected)

    def copy(self) -> Evidence:
        other = Evidence(strict=self.strict)
        other._clues = {field: list(clues) for field, clues in self._clues.items()}
        other._texts = {field: list(texts) for field, texts in self._texts.items()}
        other.rejected = list(self.rejected)
        return other

    def absorb(self, other: Evidence) -> None:
        """Add every clue of ``other`` after this one's (so that, at equal precision, ours win)."""
        for field, clues in other._clues.items():
            self._clues.setdefault(field, []).extend(clues)
        for field, texts in other._texts.items():
            self._texts.setdefault(field, []).extend(texts)
        self.rejected.extend(other.rejected)

    def reject(self, field: str, hook: str, message: str) -> None:
        """``hook`` shows something that cannot be ``field``: fatal when strict, noted otherwise."""
        if self.strict:
            raise ParseError(message, field=field)
        self.rejected.append(Rejected(field, hook, message))

    def add(self, field: str, value: float, tolerance: float, hook: str, *, confirms_only: bool = False) -> None:
        if not math.isfinite(value):
            self.reject(field, hook, f"{hook} is not a finite number")
            return
        low, high, whole = _bounds(field)
        if whole and value != int(value):
            self.reject(field, hook, f"{hook} gives {show(value)}, not a whole number")
            return
        # Out of range is judged with the clue's own precision: "25.00" may stand for 25.004.
        if value < low - tolerance or value > high + tolerance:
            self.reject(field, hook, f"{hook} gives {show(value)}, outside {show(low)}–{show(high)}")
            return
        self._clues.setdefault(field, []).append(Clue(value, tolerance, hook, confirms_only))

    def add_text(self, field: str, text: str, hook: str) -> None:
        text = " ".join(text.split())
        if text:
            self._texts.setdefault(field, []).append((text, hook))

    def has(self, field: str) -> bool:
        return field in self._clues

    def fields(self) -> list[str]:
        return list(self._clues)

    def clues(self, field: str) -> list[Clue]:
        return list(self._clues.get(field, ()))

    def text_fields(self) -> list[str]:
        return list(self._texts)

    def texts(self, field: str) -> list[tuple[str, str]]:
        return list(self._texts.get(field, ()))

    def best(self, field: str) -> Clue | None:
        """The clue that would give ``field``: the most precise one that is not a rounded display."""
        clues = self._clues.get(field)
        if not clues:
            return None
        return min(clues, key=lambda clue: (clue.confirms_only, clue.tolerance))

    def resolve(self, field: str) -> Clue | None:
        """The most precise clue for ``field``, after checking that all of them agree.

        None when nothing but rounded displays show the figure: "31 out of 100" stored as the
        average would pass a rounding off as the figure, so the figure stays unknown instead.
        """
        best = self.best(field)
        if best is None:
            return None
        for clue in self._clues[field]:
            if not agree(clue, best):
                raise ParseError(
                    f"{clue.hook} says {show(clue.value)} but {best.hook} says {show(best.value)}",
                    field=field,
                )
        return None if best.confirms_only else best

    def resolve_text(self, field: str) -> str | None:
        texts = self._texts.get(field)
        if not texts:
            return None
        first, first_hook = texts[0]
        for text, hook in texts[1:]:
            if text.casefold() != first.casefold():
                raise ParseError(f"{hook} says {text!r} but {first_hook} says {first!r}", field=field)
        return first
