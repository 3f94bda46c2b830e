"""What a tracker's file holds, once read: entries (one capture each) and the rows that could not
be read, with their figures checked the same way for every format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from ..model import FIGURE_COLUMNS as COLUMNS
from ..model import PILLAR_KEYS

# The figures an entry may carry, by the snapshots table's column names: the numbers (the
# industry's name, the one text among them, is COLUMNS' "industry").
FIGURE_COLUMNS: tuple[str, ...] = tuple(column for column in COLUMNS if column != "industry")

# How exact a figure is, when it is not: the tags kept in snapshots.precision.
ROUNDED = "rounded"  # to a whole number ("53 de 100", beacon's Math.round total)
TRUNCATED = "truncated"  # cut to a whole number (link_ssi)
DISPLAYED = "displayed"  # as the page displays it, to two or three decimals (read from the page's text)
UNVERIFIED = "unverified"  # the tracker's own assignment, which could not be checked (socialedge's pillars by position)
AS_GIVEN = "as-given"  # a person's own spreadsheet: as they wrote it
# From least to most lossy: a sum takes the worst of its parts.
_ORDER = (DISPLAYED, AS_GIVEN, UNVERIFIED, ROUNDED, TRUNCATED)


@dataclass(frozen=True)
class Entry:
    """One capture in a tracker's file."""

    row: int  # where it is in the file: a line number, or the entry's place in a list (from 1)
    figures: dict[str, Any]  # column -> value; None when unknown (never 0); "industry" is the name
    precision: dict[str, str] = field(default_factory=dict)  # column -> tag, for figures not exact
    day: date | None = None  # the day as the file states it
    moment: datetime | None = None  # when it was captured (aware), where the file says
    local_time: time | None = None  # the stated day's time of capture, in the person's own zone
    source: str | None = None  # ssi-collector's own export only: the row's source, as exported
    collected_at: str | None = None  # ssi-collector's own export only: as exported


@dataclass(frozen=True)
class Problem:
    row: int
    message: str


@dataclass
class TrackerFile:
    format: str  # the key of FORMATS
    label: str  # what it is, for a person
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.entries) + len(self.problems)

    def add(self, found: Entry | Problem) -> None:
        """A row read: an entry, or a row that could not be read."""
        if isinstance(found, Problem):
            self.problems.append(found)
        else:
            self.entries.append(found)

    def add_all(self, items: list[Any], read: Callable[[int, Any], Entry | Problem]) -> None:
        """Each item read by ``read(row, item)``, rows counted from 1 as a person counts them."""
        for row, item in enumerate(items, start=1):
            self.add(read(row, item))


class NotThisFormat(ValueError):
    """The file is not in the format it was read as (or in any known one)."""


def worst(tags: list[str | None]) -> str | None:
    """The precision of a sum: exact when every part is, else its most lossy part's."""
    found = [tag for tag in tags if tag]
    return max(found, key=_ORDER.index) if found else None


def _check(column: str, value: Any) -> str | None:
    if value is None:
        return None
    if column == "industry":
        return None if isinstance(value, str) else f"the industry's name is {value!r}"
    if column.endswith("_rank"):
        if not isinstance(value, int) or not 1 <= value <= 100:
            return f"{column} is {value!r}, not a rank from 1 to 100"
        return None
    high = 100.0 if column in ("ssi", "industry_ssi", "network_ssi") else 25.0
    if not 0 <= value <= high:
        return f"{column} is {value:g}, outside 0–{high:g}"
    return None


def make_entry(row: int, figures: dict[str, Any], precision: dict[str, str] | None = None, *,
               total_check: float | None = None, **when: Any) -> Entry | Problem:
    """An entry, checked: every figure in its range; a total that is missing is the sum of the
    four pillars (as exact as they are); ``total_check``: how far the stated total may be from the
    sum of the pillars (its own rounding), when all four are known."""
    figures = {column: figures.get(column) for column in COLUMNS}
    precision = {column: tag for column, tag in (precision or {}).items() if figures.get(column) is not None}
    for column, value in figures.items():
        problem = _check(column, value)
        if problem:
            return Problem(row, problem)
    pillars = [figures[key] for key in PILLAR_KEYS]
    if all(value is not None for value in pillars):
        total = round(sum(pillars), 6)
        if figures["ssi"] is not None and total_check is not None and abs(figures["ssi"] - total) > total_check:
            return Problem(row, f"the total {figures['ssi']:g} is not the sum of its pillars ({total:g})")
        if figures["ssi"] is None or total_check is not None:
            # The sum of the pillars is the better figure where the total is a rounding of it.
            figures["ssi"] = total
            tag = worst([precision.get(key) for key in PILLAR_KEYS])
            if tag:
                precision["ssi"] = tag
            else:
                precision.pop("ssi", None)
    if figures["ssi"] is None:
        return Problem(row, "no total, and not all four pillars to add up")
    if not 0 <= figures["ssi"] <= 100:
        return Problem(row, f"the total {figures['ssi']:g} is outside 0–100")
    return Entry(row, figures, precision, **when)
