"""Cross-checking: every hook that shows a figure adds a clue; the clues must agree.

The page shows most figures in two or three places (a progress bar, a hidden table, a caption,
a sentence, the embedded API body). Taking the most precise clue and demanding that every other
clue agrees within the precision it was shown at is what turns "a selector matched something"
into "this number is right": a moved or renamed hook either drops out or contradicts, and a
contradiction is a ParseError naming the field, never a silently wrong number.
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


def _bounds(field: str) -> tuple[float, float, bool]:
    """(lowest, highest, must be whole) for a contract field."""
    if field == "ssi" or _GROUP_AVERAGE.fullmatch(field):
        return 0.0, 100.0, False
    if _RANK.fullmatch(field):
        return 1.0, 100.0, True
    if _PILLAR.fullmatch(field):
        return 0.0, 25.0, False
    raise ValueError(f"no range known for {field}")  # a bug in this package, not in the input


def _show(value: float) -> str:
    return f"{value:g}"


class Evidence:
    def __init__(self) -> None:
        self._clues: dict[str, list[Clue]] = {}
        self._texts: dict[str, list[tuple[str, str]]] = {}

    def __bool__(self) -> bool:
        return bool(self._clues or self._texts)

    def add(self, field: str, value: float, tolerance: float, hook: str, *, confirms_only: bool = False) -> None:
        if not math.isfinite(value):
            raise ParseError(f"{hook} is not a finite number", field=field)
        low, high, whole = _bounds(field)
        if whole and value != int(value):
            raise ParseError(f"{hook} gives {_show(value)}, not a whole number", field=field)
        # Out of range is judged with the clue's own precision: "25.00" may stand for 25.004.
        if value < low - tolerance or value > high + tolerance:
            raise ParseError(
                f"{hook} gives {_show(value)}, outside {_show(low)}–{_show(high)}", field=field
            )
        self._clues.setdefault(field, []).append(Clue(value, tolerance, hook, confirms_only))

    def add_text(self, field: str, text: str, hook: str) -> None:
        text = " ".join(text.split())
        if text:
            self._texts.setdefault(field, []).append((text, hook))

    def has(self, field: str) -> bool:
        return field in self._clues

    def resolve(self, field: str) -> Clue | None:
        """The most precise clue for ``field``, after checking that all of them agree.

        None when nothing but rounded displays show the figure: "31 out of 100" stored as the
        average would pass a rounding off as the figure, so the figure stays unknown instead.
        """
        clues = self._clues.get(field)
        if not clues:
            return None
        best = min(clues, key=lambda clue: (clue.confirms_only, clue.tolerance))
        for clue in clues:
            if abs(clue.value - best.value) > clue.tolerance + best.tolerance + 1e-9:
                raise ParseError(
                    f"{clue.hook} says {_show(clue.value)} but {best.hook} says {_show(best.value)}",
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
