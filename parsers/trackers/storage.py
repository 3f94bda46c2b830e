"""Browser extensions without an export button, read from a dump of their storage (what a person
gets by saving the extension's storage as JSON): linkedin-beacon (`ssi:history`, `ssi:latest`)
and linkmate (`linkmate.ssi.history.v1`). A stored value may be the JSON itself or a string of it
(localStorage keeps strings); the keys may sit one level down (a dump of every storage area)."""

from __future__ import annotations

import json
from typing import Any

from ..model import PILLAR_KEYS
from . import values
from .entries import DISPLAYED, ROUNDED, Entry, NotThisFormat, Problem, TrackerFile, make_entry

BEACON_HISTORY, BEACON_LATEST = "ssi:history", "ssi:latest"
LINKMATE = "linkmate.ssi.history.v1"
_LINKMATE_PILLARS = {"establishBrand": "brand", "findRightPeople": "people", "engageWithInsights": "insights",
                     "buildRelationships": "relationships"}


def _stored(data: Any, key: str) -> Any:
    """The value stored under ``key``, at the top of the dump or one level down."""
    if not isinstance(data, dict):
        return None
    for where in (data, *[v for v in data.values() if isinstance(v, dict)]):
        if key in where:
            value = where[key]
            if isinstance(value, str):
                try:
                    return json.loads(value)
                except ValueError:
                    return value
            return value
    return None


def is_beacon(data: Any) -> bool:
    return _stored(data, BEACON_HISTORY) is not None or _stored(data, BEACON_LATEST) is not None


def is_linkmate(data: Any) -> bool:
    return _stored(data, LINKMATE) is not None


def read_beacon(data: Any) -> TrackerFile:
    history = _stored(data, BEACON_HISTORY)
    latest = _stored(data, BEACON_LATEST)
    if history is None and latest is None:
        raise NotThisFormat("not a linkedin-beacon storage dump")
    items = list(history) if isinstance(history, list) else []
    # The latest capture is also in the history once its day is over; keep it once.
    if isinstance(latest, dict) and all(latest.get("capturedAt") != i.get("capturedAt") for i in items
                                        if isinstance(i, dict)):
        items.append(latest)
    result = TrackerFile("beacon", f"linkedin-beacon storage ({BEACON_HISTORY})")
    result.add_all(items, _beacon)
    result.notes.append("its totals are whole numbers (Math.round): the SSI stored is the sum of the exact pillars")
    return result


def _beacon(row: int, item: Any) -> Entry | Problem:
    if not isinstance(item, dict):
        return Problem(row, "not an entry (an object with a total)")
    try:
        figures: dict[str, Any] = {"ssi": values.number(item.get("total"), "total")}
        for pillar in item.get("pillars") or []:
            if isinstance(pillar, dict) and pillar.get("key") in PILLAR_KEYS:
                figures[pillar["key"]] = values.number(pillar.get("score"), f"pillar {pillar['key']}")
        figures["industry_rank"] = values.rank(item.get("industryRank"), "industryRank")
        figures["network_rank"] = values.rank(item.get("networkRank"), "networkRank")
        moment = values.moment(item.get("capturedAt"), "capturedAt")
    except values.BadValue as exc:
        return Problem(row, str(exc))
    if moment is None:
        return Problem(row, "no capturedAt: the day it was read is unknown")
    return make_entry(row, figures, {"ssi": ROUNDED}, total_check=0.5 + 1e-6, moment=moment)


def read_linkmate(data: Any) -> TrackerFile:
    history = _stored(data, LINKMATE)
    if not isinstance(history, list):
        raise NotThisFormat("not a linkmate storage dump")
    result = TrackerFile("linkmate", f"linkmate storage ({LINKMATE})")
    result.add_all(history, _linkmate)
    result.notes.append("it reads the page's text: pillars as displayed (two decimals)")
    return result


def _linkmate(row: int, item: Any) -> Entry | Problem:
    if not isinstance(item, dict):
        return Problem(row, "not an entry (an object with a total)")
    try:
        total = item.get("total")
        figures: dict[str, Any] = {"ssi": values.number(total, "total")}
        found = item.get("components")
        components: dict[str, Any] = found if isinstance(found, dict) else {}
        precision = {}
        for name, key in _LINKMATE_PILLARS.items():
            figures[key] = values.number(components.get(name), name)
            precision[key] = DISPLAYED
        precision["ssi"] = ROUNDED if values.decimals(total) == 0 else DISPLAYED
        figures["industry_rank"] = values.rank(item.get("industryRank"), "industryRank")
        figures["network_rank"] = values.rank(item.get("networkRank"), "networkRank")
        moment = values.moment(item.get("capturedAt"), "capturedAt")
    except values.BadValue as exc:
        return Problem(row, str(exc))
    if moment is None:
        return Problem(row, "no capturedAt: the day it was read is unknown")
    # Displayed pillars add up to within 0.02 of the displayed total, or of its rounding.
    return make_entry(row, figures, precision, total_check=0.5 + 0.021, moment=moment)
