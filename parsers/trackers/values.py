"""Values as other trackers write them: numbers with decimal commas or words around them
("53 de 100", "20,998"), ranks as text ("Top 12% in your industry", "Primeiros 9%",
"верхние 4 %"), moments as epoch milliseconds or ISO 8601, days as ISO or day-first dates."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timezone
from typing import Any

from ..numbers import decimals_of, first_number, percent

_DAY_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y")


class BadValue(ValueError):
    """A value that should be a figure, a rank, a day or a moment and is not."""


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number(value: Any, what: str) -> float | None:
    """A figure: a JSON number, or the first number in a text (a decimal comma allowed). None for
    a blank or a text that says it is unknown; BadValue for anything else."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise BadValue(f"{what} is {value!r}, not a number")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise BadValue(f"{what} is {value!r}, not a number")
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text.casefold() in ("unknown", "n/a", "na", "-", "—", "null", "none"):
            return None
        reading = first_number(text.replace("\u00a0", " "))
        if reading is not None:
            return reading.value
    raise BadValue(f"{what} is {str(value)[:40]!r}, not a number")


def decimals(value: Any) -> int | None:
    """How many decimals a figure was written with (None when it came as a JSON float)."""
    if isinstance(value, str):
        reading = first_number(value)
        return None if reading is None else decimals_of(reading.tolerance)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return 0
    return None


def rank(value: Any, what: str) -> int | None:
    """A "Top N%" rank as its N: 12 for "Top 12% in your industry", "Primeiros 9%", "верхние 4 %", 12."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise BadValue(f"{what} is {value!r}, not a rank")
    if isinstance(value, (int, float)):
        found: float | None = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.casefold() in ("unknown", "n/a", "na", "-", "—", "null", "none"):
            return None
        pct = percent(text)
        found = float(pct) if pct is not None else number(text, what)
    else:
        raise BadValue(f"{what} is {str(value)[:40]!r}, not a rank")
    if found is None:
        return None
    if found != int(found) or not 1 <= found <= 100:
        raise BadValue(f"{what} is {value!r}, not a rank from 1 to 100")
    return int(found)


def moment(value: Any, what: str) -> datetime | None:
    """When a capture was made, in UTC: epoch milliseconds, or ISO 8601 (a Z or an offset; a
    moment without one is taken as UTC, as JavaScript's toISOString writes it)."""
    if blank(value):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value / 1000, timezone.utc)
        text = str(value).strip()
        if text.isdigit():
            return datetime.fromtimestamp(int(text) / 1000, timezone.utc)
        found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        raise BadValue(f"{what} is {str(value)[:40]!r}, not a moment") from None
    return found if found.tzinfo is not None else found.replace(tzinfo=timezone.utc)


def day(value: Any, what: str) -> date:
    """A day as a file states it: 2026-03-02, 2026/03/02, 02.03.2026, 02/03/2026 (day first)."""
    text = str(value).strip() if value is not None else ""
    for fmt in _DAY_FORMATS:
        try:
            return datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise BadValue(f"{what} is {text[:40]!r}, not a day")


def clock(value: Any) -> time | None:
    """A time of day as "09:27" (or "09:27:13"); None when there is none."""
    if blank(value):
        return None
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError:
        return None
