"""`ssi reparse`: read every archived raw page again with today's parsers.

A parser fix (or a new hook for a changed page) then corrects history without a single new
page load. Only the figures change; ids, days and links stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import parsers

from .store import SNAPSHOT_FIGURES, Store, _snapshot_columns


@dataclass
class Report:
    read: int = 0
    changed: int = 0
    unreadable: int = 0
    details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"Re-read {self.read} snapshot{'s' if self.read != 1 else ''}: {self.changed} changed, "
                f"{self.read - self.changed - self.unreadable} unchanged, {self.unreadable} unreadable.")


def _differs(old: object, new: object) -> bool:
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return abs(old - new) > 1e-9
    return old != new


def reparse_all(store: Store) -> Report:
    report = Report()
    for row in store.snapshots_with_raw():
        report.read += 1
        page = store.raw(row["raw_id"]) if row["raw_id"] else None
        body = store.raw(row["api_raw_id"]) if row["api_raw_id"] else None
        try:
            snapshot = parsers.parse_capture(body.text.encode() if body else None,
                                             page.text.encode() if page else None)
        except parsers.ParseError as exc:
            report.unreadable += 1
            report.details.append(
                f"#{row['id']} ({row['profile']}, {row['day']}): unreadable now: {exc}; kept as it was")
            continue
        new = _snapshot_columns(snapshot)
        diffs = [f"{col} {row[col]} → {new[col]}" for col in SNAPSHOT_FIGURES if _differs(row[col], new[col])]
        if diffs:
            store.update_snapshot(row["id"], snapshot)
            report.changed += 1
            report.details.append(f"#{row['id']} ({row['profile']}, {row['day']}): " + "; ".join(diffs))
    return report
