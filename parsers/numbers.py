"""Numbers as the SSI page writes them: "13.12", "20,973" (decimal comma), "Top 75%", "верхние 4 %".

Every reading carries its tolerance, half a unit of the last digit shown, so that two hooks
showing the same figure at different precision can be compared honestly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# A sign is captured so that "-3" is read as -3 (and rejected by the range checks), not as 3.
NUMBERS = re.compile(r"(?<![\w.,])(-?\d{1,6}(?:[.,]\d{1,12})?)(?![\d])")
_WHOLE = re.compile(r"\s*([-+]?\d{1,6}(?:[.,]\d{1,20})?)\s*")
_PERCENT = re.compile(r"(?<![\w.,])(-?\d{1,6})\s?%")

# The smallest tolerance we grant: values travel as float32 (13.118002, 0.29999998), and a
# sum of four float32 pillars differs from the API's own float32 overall by a few 1e-6.
FLOAT32_SLACK = 1e-5


@dataclass(frozen=True)
class Reading:
    value: float
    tolerance: float


def _reading(token: str) -> Reading | None:
    token = token.replace(",", ".")
    decimals = len(token.split(".", 1)[1]) if "." in token else 0
    value = float(token)
    if not math.isfinite(value):
        return None
    return Reading(value, max(0.5 * 10.0**-decimals, FLOAT32_SLACK) if decimals else 0.5)


def read_whole(text: str | None) -> Reading | None:
    """The number that is the whole of ``text`` (an attribute such as ``value="13.118002"``)."""
    if text is None:
        return None
    match = _WHOLE.fullmatch(text)
    return _reading(match.group(1)) if match else None


def first_number(text: str) -> Reading | None:
    """The first number written in running text, decimal comma or point."""
    match = NUMBERS.search(text)
    return _reading(match.group(1)) if match else None


def percent(text: str) -> int | None:
    """The whole number written just before a percent sign ("Top 75%", "верхние 4 %")."""
    match = _PERCENT.search(text)
    return int(match.group(1)) if match else None


def as_int(reading: Reading | None) -> int | None:
    """A reading that must be a whole number (a rank); anything else is not a rank."""
    if reading is None or reading.value != int(reading.value):
        return None
    return int(reading.value)


def decimals_of(tolerance: float) -> int:
    """How many decimals a reading with this tolerance showed (to round derived figures)."""
    if tolerance >= 0.5:
        return 0
    return max(0, min(12, round(-math.log10(tolerance * 2))))
