"""ssi-collector's own `ssi export` (CSV or JSON): read back as it was written, each snapshot with
its day, its moment, its source and its precision, so that a history moves between machines
unchanged."""

from __future__ import annotations

import json
from typing import Any

from . import values
from .entries import FIGURE_COLUMNS, NotThisFormat, Problem, TrackerFile, make_entry
from .tables import read_table

REQUIRED = ("profile", "day", "collected_at", "ssi", "source")


def is_own(names: list[str]) -> bool:
    return all(name in names for name in REQUIRED) and "brand" in names


def read_rows(rows: list[tuple[int, dict[str, Any]]], label: str) -> TrackerFile:
    result = TrackerFile("ssi-collector", label)
    profiles = sorted({str(row.get("profile")) for _, row in rows})
    if len(profiles) > 1:
        result.notes.append(f"it holds the profiles {', '.join(profiles)}: all are imported into one")
    for line, row in rows:
        try:
            figures: dict[str, Any] = {}
            for column in FIGURE_COLUMNS:
                reader = values.rank if column.endswith("_rank") else values.number
                figures[column] = reader(row.get(column), column)
            figures["industry"] = (str(row["industry"]).strip() or None) if not values.blank(row.get("industry")) \
                else None
            precision = row.get("precision")
            tags = json.loads(precision) if isinstance(precision, str) and precision.strip() else (precision or {})
            if not isinstance(tags, dict):
                raise values.BadValue(f"precision is {precision!r}, not an object")
            collected = values.moment(row.get("collected_at"), "collected_at")
            source = str(row.get("source") or "").strip()
            if not source:
                raise values.BadValue("no source")
            entry = make_entry(line, figures, {k: str(v) for k, v in tags.items()},
                               day=values.day(row.get("day"), "day"), moment=collected, source=source,
                               collected_at=str(row.get("collected_at")))
        except (values.BadValue, ValueError) as exc:
            result.problems.append(Problem(line, str(exc)))
            continue
        result.add(entry)
    return result


def read_csv(raw: bytes) -> TrackerFile:
    header, rows = read_table(raw)
    if not is_own(header):
        raise NotThisFormat("not an `ssi export` file")
    return read_rows([(line, dict(zip(header, cells, strict=False))) for line, cells in rows],
                     "ssi-collector export (CSV)")


def read_json(data: Any) -> TrackerFile:
    if not (isinstance(data, list) and data and all(isinstance(r, dict) for r in data) and is_own(list(data[0]))):
        raise NotThisFormat("not an `ssi export` file")
    return read_rows(list(enumerate(data, start=1)), "ssi-collector export (JSON)")
