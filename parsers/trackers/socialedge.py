"""socialedge (a browser extension): its legacy export (a bare array, newest first), its export v2
({"schemaVersion": 2, "ssiHistory": [...]}) and the snake_case form its own scripts read.

Each entry may carry LinkedIn's own body (`raw`): read with the API parser, pillars by name. Its
`parsed` figures put the pillars in place by their position in LinkedIn's list, which LinkedIn
does not keep in order, so pillars from `parsed` alone are marked unverified (their total is
LinkedIn's overall, exact whatever the order)."""

from __future__ import annotations

import json
from typing import Any

from ..errors import ParseError
from . import values
from .entries import UNVERIFIED, Entry, NotThisFormat, Problem, TrackerFile, make_entry

_PARSED_PILLARS = {"prof_brand": "brand", "find_right_people": "people", "insight_engagement": "insights",
                   "relationship": "relationships"}


def history_of(data: Any) -> tuple[list[Any], str] | None:
    """socialedge's list of entries, and which export it is; None when ``data`` is not one."""
    if isinstance(data, list) and data and all(isinstance(e, dict) and "date" in e for e in data) \
            and any("parsed" in e or "raw" in e for e in data):
        return data, "socialedge export (legacy array)"
    if isinstance(data, dict):
        if isinstance(data.get("ssiHistory"), list):
            return data["ssiHistory"], f"socialedge export v{data.get('schemaVersion', 2)}"
        if isinstance(data.get("ssi_history"), list):
            return data["ssi_history"], "socialedge export (snake_case)"
    return None


def read(data: Any) -> TrackerFile:
    found = history_of(data)
    if found is None:
        raise NotThisFormat("not a socialedge export")
    history, label = found
    result = TrackerFile("socialedge", label)
    result.add_all(history, _entry)
    unverified = sum(entry.precision.get("brand") == UNVERIFIED for entry in result.entries)
    if unverified:
        result.notes.append(f"{unverified} entr{'y' if unverified == 1 else 'ies'} without LinkedIn's own body: "
                            "pillars as socialedge placed them, by position (marked unverified)")
    return result


def _entry(row: int, item: Any) -> Entry | Problem:
    if not isinstance(item, dict):
        return Problem(row, "not an entry (an object with a date)")
    try:
        when: dict[str, Any] = {"day": values.day(item.get("date"), "date")}
        if item.get("collectedAt") is not None:
            when["moment"] = values.moment(item.get("collectedAt"), "collectedAt")
    except values.BadValue as exc:
        return Problem(row, str(exc))
    raw = item.get("raw")
    if isinstance(raw, dict):
        from .. import parse_api

        try:
            snapshot = parse_api(json.dumps(raw))
        except ParseError:
            snapshot = None  # e.g. subScores without their pillar names: fall back to `parsed`
        if snapshot is not None:
            return make_entry(row, snapshot.columns(), **when)
    parsed = item.get("parsed")
    if not isinstance(parsed, dict):
        return Problem(row, "neither LinkedIn's body (raw) nor socialedge's figures (parsed)")
    try:
        figures: dict[str, Any] = {"ssi": values.number(parsed.get("overall"), "overall")}
        precision = {}
        for name, key in _PARSED_PILLARS.items():
            figures[key] = values.number(parsed.get(name), name)
            precision[key] = UNVERIFIED
        for peers in ("industry", "network"):
            block = parsed.get(peers)
            if not isinstance(block, dict):
                continue
            figures[f"{peers}_ssi"] = values.number(block.get("ssi"), f"{peers}.ssi")
            figures[f"{peers}_rank"] = values.rank(block.get("top"), f"{peers}.top")
            for name, key in _PARSED_PILLARS.items():
                figures[f"{peers}_{key}"] = values.number(block.get(name), f"{peers}.{name}")
                precision[f"{peers}_{key}"] = UNVERIFIED
            if peers == "industry" and isinstance(block.get("name"), str) and block["name"].strip():
                figures["industry"] = block["name"].strip()
    except values.BadValue as exc:
        return Problem(row, str(exc))
    return make_entry(row, figures, precision, **when)
