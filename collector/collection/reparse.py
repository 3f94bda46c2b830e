"""`ssi reparse`: read every archived capture again with today's parsers.

A parser fix (or a new hook for a changed page) then corrects history without a single new page
load: stored snapshots get their figures re-read (ids, days and links stay as they were), and the
days lost to a page we could not read come back. A run that ended `page_changed` kept its
capture; when today's parsers can read it, a snapshot is filed under that run's day, once, never
over a reading of the same day, marked ``source = 'reparse:api'`` (or ``'reparse:page'``), and the
run points at it. ``dry_run`` reports the same without writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import parsers

from ..days import day_in, parse_moment
from ..store import SNAPSHOT_FIGURES, Store, snapshot_columns

RECOVERED = "reparse:"


@dataclass
class Report:
    dry_run: bool = False
    read: int = 0
    changed: int = 0
    unreadable: int = 0
    failed_runs: int = 0
    recovered: int = 0
    still_unreadable: int = 0
    details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        changed = "would change" if self.dry_run else "changed"
        text = (f"Re-read {self.read} snapshot{'s' if self.read != 1 else ''}: {self.changed} {changed}, "
                f"{self.read - self.changed - self.unreadable} unchanged, {self.unreadable} unreadable.")
        if self.failed_runs:
            added = "would add" if self.dry_run else "added"
            text += (f" Failed runs with a kept page: {self.failed_runs}; {added} {self.recovered} "
                     f"day{'s' if self.recovered != 1 else ''}, {self.still_unreadable} still unreadable, "
                     f"{self.failed_runs - self.recovered - self.still_unreadable} left alone (their day has a "
                     "reading).")
        if self.dry_run:
            text += " (dry run: nothing was written)"
        return text


def _differs(old: object, new: object) -> bool:
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return abs(old - new) > 1e-9
    return old != new


def _read(store: Store, raw_id: str | None, api_raw_id: str | None) -> parsers.CaptureReading:
    page = store.raw(raw_id) if raw_id else None
    body = store.raw(api_raw_id) if api_raw_id else None
    return parsers.read_capture(body.text.encode() if body else None, page.text.encode() if page else None)


def reparse_all(store: Store, *, dry_run: bool = False) -> Report:
    report = Report(dry_run=dry_run)
    for row in store.snapshots_with_raw():
        report.read += 1
        try:
            snapshot = _read(store, row["raw_id"], row["api_raw_id"]).snapshot
        except parsers.ParseError as exc:
            report.unreadable += 1
            report.details.append(
                f"#{row['id']} ({row['profile']}, {row['day']}): unreadable now: {exc}; kept as it was")
            continue
        # A recovered day stays marked as such; only its figures may change.
        source = RECOVERED + snapshot.source if str(row["source"]).startswith(RECOVERED) else None
        new = snapshot_columns(snapshot, source)
        diffs = [f"{col} {row[col]} → {new[col]}" for col in SNAPSHOT_FIGURES if _differs(row[col], new[col])]
        if diffs:
            if not dry_run:
                store.update_snapshot(row["id"], snapshot, source)
            report.changed += 1
            report.details.append(f"#{row['id']} ({row['profile']}, {row['day']}): " + "; ".join(diffs))
    _recover(store, report, dry_run)
    return report


def run_day(store: Store, run: dict[str, Any]) -> str:
    """The day a run counted for: recorded on the run, or (older runs) its start in the day zone."""
    if run.get("day"):
        return str(run["day"])
    return day_in(store, parse_moment(str(run["started_at"]))).isoformat()


def days_to_recover(store: Store, profile: str | None = None) -> list[tuple[dict[str, Any], str]]:
    """Failed runs with a kept capture whose day still has no snapshot, with that day: what
    `ssi reparse` may bring back (whether today's parsers can read them is its own question)."""
    found = []
    for run in store.failed_captures():
        if profile is not None and run["profile"] != profile:
            continue
        day = run_day(store, run)
        if store.snapshot_on(run["profile"], day) is None:
            found.append((run, day))
    return found


def _recover(store: Store, report: Report, dry_run: bool) -> None:
    # Newest first, so that of several failed runs on one day the day's last capture is filed, as
    # the views take the day's last snapshot; the report lists them oldest first.
    lines: list[tuple[str, str]] = []
    filed: dict[tuple[str, str], int] = {}  # (profile, day) -> the run recovered for it in this pass
    for run in store.failed_captures():
        report.failed_runs += 1
        day = run_day(store, run)
        where = f"run #{run['id']} ({run['profile']}, {day})"
        if (run["profile"], day) in filed:
            later = filed[run["profile"], day]
            lines.append((run["started_at"], f"{where}: {day} is filed from the later run #{later}"))
            continue
        existing = store.snapshot_on(run["profile"], day)
        if existing is not None:
            lines.append((run["started_at"], f"{where}: {day} already has snapshot #{existing['id']}; left alone"))
            continue
        try:
            reading = _read(store, run["raw_id"], run["api_raw_id"])
        except parsers.ParseError as exc:
            report.still_unreadable += 1
            lines.append((run["started_at"], f"{where}: still unreadable: {exc}"))
            continue
        snapshot = reading.snapshot
        source = RECOVERED + snapshot.source
        verb = "would add a snapshot" if dry_run else "added"
        if not dry_run:
            with store.transaction():
                snapshot_id = store.save_snapshot(
                    run["profile"], snapshot, str(run["finished_at"] or run["started_at"]), day,
                    raw_id=run["raw_id"], api_raw_id=run["api_raw_id"], run_id=run["id"], source=source)
                store.link_run(run["id"], snapshot_id)
            verb += f" snapshot #{snapshot_id}"
        report.recovered += 1
        filed[run["profile"], day] = run["id"]
        note = f"; {reading.summary()}" if reading.summary() else ""
        lines.append((run["started_at"], f"{where}: {verb} for {day}, SSI {snapshot.ssi:.2f} "
                                         f"(source {source}){note}"))
    report.details += [line for _, line in sorted(lines)]
