"""link_ssi (a browser extension): its CSV export, `Date,CapturedAt,Total,Brand,People,Insights,
Relationships`, every value truncated to a whole number, several captures a day."""

from __future__ import annotations

from ..model import PILLAR_KEYS
from . import values
from .entries import TRUNCATED, Entry, NotThisFormat, Problem, TrackerFile, make_entry
from .tables import keys, read_table

HEADER = ("date", "capturedat", "total", "brand", "people", "insights", "relationships")


def is_link_ssi(header: list[str]) -> bool:
    return tuple(keys(header)[:7]) == HEADER


def read(raw: bytes) -> TrackerFile:
    header, rows = read_table(raw)
    if not is_link_ssi(header):
        raise NotThisFormat("not a link_ssi export")
    result = TrackerFile("link_ssi", "link_ssi CSV export")
    for line, cells in rows:
        named = dict(zip(HEADER, cells, strict=False))
        try:
            figures: dict[str, float | None] = {"ssi": values.number(named.get("total"), "Total")}
            for key in PILLAR_KEYS:
                figures[key] = values.number(named.get(key), key.title())
            stated = values.day(named.get("date"), "Date")
            captured = values.moment(named.get("capturedat"), "CapturedAt")
        except values.BadValue as exc:
            result.problems.append(Problem(line, str(exc)))
            continue
        entry = make_entry(line, figures, {column: TRUNCATED for column in figures}, day=stated, moment=captured)
        pillars = [figures[key] for key in PILLAR_KEYS]
        total = figures["ssi"]
        if isinstance(entry, Entry) and total is not None and all(p is not None for p in pillars):
            # Each pillar lost less than 1 to truncation: the true total is within [sum, sum + 4).
            low = sum(pillars)  # type: ignore[arg-type]
            if not low - 1e-9 <= total < low + 4:
                entry = Problem(line, f"the total {total:g} does not fit its truncated pillars (which add up "
                                      f"to {low:g})")
        result.add(entry)
    result.notes.append("every figure there is truncated to a whole number (marked truncated)")
    return result
