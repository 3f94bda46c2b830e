"""`ssi import`: other trackers' histories into a profile, each day honestly.

The files are read by parsers.trackers (what each holds, how exact, which rows it could not
read). Here each entry gets its day: a moment counts on its day in the database's day zone,
like our own snapshots; a file that states only a day keeps it. Of several captures in one day
the day's last is kept (as the `daily` view keeps the day's last snapshot); the others are
counted. A day that already has a reading of ours is left alone; a day imported before is left
alone too, unless `replace_imports`. Everything lands in one transaction with a record of the
import (the `imports` table), or nothing does: a file we cannot read, or bad rows without
`skip_bad`, import nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from parsers.trackers import Entry, Problem, TrackerFile

from .days import day_of, utc_iso
from .days import now as clock_now
from .outcomes import ExitCode
from .store import Store
from .store.schema import IMPORT_PREFIX

DUPLICATE = "duplicate: the same day in another file (the later capture is kept)"
FIRST_DAY = date(2014, 1, 1)  # LinkedIn's SSI is younger than this: an earlier day is a misread date


class ImportRefused(Exception):
    """Nothing was imported; the report says why (``code``: the contract's exit code)."""

    def __init__(self, message: str, code: ExitCode, report: ImportReport | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.report = report


@dataclass
class Candidate:
    entry: Entry
    file: FileResult
    day: str
    collected_at: str
    source: str


@dataclass
class FileResult:
    path: Path
    tracker: TrackerFile
    added: list[str] = field(default_factory=list)  # days
    replaced: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reason, detail)

    @property
    def problems(self) -> list[Problem]:
        return self.tracker.problems


@dataclass
class ImportReport:
    profile: str
    dry_run: bool
    files: list[FileResult] = field(default_factory=list)
    import_id: int | None = None
    skip_bad: bool = False

    @property
    def added(self) -> int:
        return sum(len(f.added) for f in self.files)

    @property
    def replaced(self) -> int:
        return sum(len(f.replaced) for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(len(f.skipped) for f in self.files)

    @property
    def bad(self) -> int:
        return sum(len(f.problems) for f in self.files)

    def lines(self) -> list[str]:
        """The report, as a person reads it: per file what it is, what was (or would be) added,
        what was left out and why, and which rows could not be read."""
        would = self.dry_run or (self.bad and not self.skip_bad)
        verb = "would add" if would else "added"
        out = []
        for result in self.files:
            tracker = result.tracker
            out.append(f"{result.path}: {tracker.label}, {tracker.rows} "
                       f"{'entry' if tracker.rows == 1 else 'entries'}")
            if result.added:
                out.append(f"  {verb} {_days(result.added)}")
            if result.replaced:
                replaced = "would replace" if would else "replaced"
                out.append(f"  {replaced} the earlier import of {_days(result.replaced)}")
            if not result.added and not result.replaced:
                out.append("  nothing to add")
            by_reason: dict[str, list[str]] = {}
            for reason, detail in result.skipped:
                by_reason.setdefault(reason, []).append(detail)
            for reason, details in by_reason.items():
                shown = "; ".join(details[:3]) + (f"; and {len(details) - 3} more" if len(details) > 3 else "")
                out.append(f"  skipped {len(details)}, {reason}: {shown}")
            for problem in tracker.problems:
                out.append(f"  unreadable row {problem.row}: {problem.message}")
            out += [f"  note: {note}" for note in tracker.notes]
        return out

    def summary(self) -> str:
        if self.bad and not self.skip_bad:
            return (f"Nothing imported: {self.bad} row{'s' if self.bad != 1 else ''} could not be read (above). "
                    "Fix them, or import the others with --skip-bad.")
        days = f"{self.added} day{'s' if self.added != 1 else ''}"
        if not self.dry_run and self.import_id is None:
            return f"Nothing new to import into profile {self.profile!r} (skipped {self.skipped}); nothing was written."
        if self.dry_run:
            return (f"Dry run, nothing was written: would add {days} to profile {self.profile!r}, replace "
                    f"{self.replaced}, skip {self.skipped}.")
        return (f"Imported {days} into profile {self.profile!r} (import #{self.import_id}); replaced {self.replaced}, "
                f"skipped {self.skipped}{f', left out {self.bad} unreadable rows' if self.bad else ''}.")

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile, "dry_run": self.dry_run, "import_id": self.import_id,
            "added": self.added, "replaced": self.replaced, "skipped": self.skipped, "unreadable": self.bad,
            "files": [{"path": str(f.path), "format": f.tracker.format, "rows": f.tracker.rows,
                       "added": f.added, "replaced": f.replaced,
                       "skipped": [{"reason": r, "detail": d} for r, d in f.skipped],
                       "unreadable": [{"row": p.row, "problem": p.message} for p in f.problems],
                       "notes": f.tracker.notes} for f in self.files],
        }


def _days(days: list[str]) -> str:
    ordered = sorted(days)
    if len(ordered) == 1:
        return f"1 day ({ordered[0]})"
    return f"{len(ordered)} days ({ordered[0]} … {ordered[-1]})"


def files_of(paths: list[Path]) -> list[Path]:
    """The files named, a folder's files (not hidden ones) in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        else:
            found.append(path)
    return found


def _when(entry: Entry, zone: tzinfo | None, own: bool) -> tuple[str, str] | None:
    """(day, collected_at) of an entry. A moment counts on its day in the day zone; a stated day
    stays as stated (taken at its stated time, or at noon, in the day zone); ssi-collector's own
    export keeps both as it wrote them."""
    if own and entry.day is not None and entry.moment is not None:
        return entry.day.isoformat(), utc_iso(entry.moment)
    if entry.moment is not None:
        return day_of(entry.moment, zone).isoformat(), utc_iso(entry.moment)
    if entry.day is None:
        return None
    local = datetime.combine(entry.day, entry.local_time or time(12, 0))
    moment = local.replace(tzinfo=zone) if zone is not None else local.astimezone()
    return entry.day.isoformat(), utc_iso(moment)


def import_files(store: Store, profile: str, paths: list[Path], *, format: str | None = None,
                 mapping: dict[str, str] | None = None, replace_imports: bool = False, skip_bad: bool = False,
                 dry_run: bool = False, now: Callable[[], datetime] = clock_now) -> ImportReport:
    """Import ``paths`` into ``profile``. Raises ImportRefused, with nothing written, for a file
    that cannot be read or recognised, or for unreadable rows without ``skip_bad``."""
    from parsers.trackers import NotThisFormat, read_tracker

    report = ImportReport(profile, dry_run, skip_bad=skip_bad)
    files = files_of(paths)
    if not files:
        raise ImportRefused("no files to import", ExitCode.USAGE)
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ImportRefused(f"{path}: cannot read it ({exc.strerror})", ExitCode.USAGE) from None
        try:
            tracker = read_tracker(raw, format=format, mapping=mapping)
        except NotThisFormat as exc:
            raise ImportRefused(f"{path}: not a file we can import ({exc}); nothing was imported",
                                ExitCode.USAGE) from None
        report.files.append(FileResult(path, tracker))

    zone = store.day_zone()
    today = day_of(now(), zone)
    chosen: dict[str, Candidate] = {}
    for result in report.files:
        own = result.tracker.format == "ssi-collector"
        per_day: dict[str, Candidate] = {}
        for entry in result.tracker.entries:
            when = _when(entry, zone, own)
            if when is None:
                result.tracker.problems.append(Problem(entry.row, "no day and no moment: its day is unknown"))
                continue
            day, collected_at = when
            if not FIRST_DAY.isoformat() <= day <= today.isoformat():
                result.skipped.append(("out of range", f"{day} (row {entry.row})"))
                continue
            source = entry.source if own and entry.source else f"{IMPORT_PREFIX}{result.tracker.format}"
            candidate = Candidate(entry, result, day, collected_at, source)
            earlier = per_day.get(day)
            if earlier is None or (collected_at, entry.row) >= (earlier.collected_at, earlier.entry.row):
                if earlier is not None:
                    result.skipped.append(("another capture that day (the day's last is kept)",
                                           f"{day} row {earlier.entry.row}"))
                per_day[day] = candidate
            else:
                result.skipped.append(("another capture that day (the day's last is kept)", f"{day} row {entry.row}"))
        for day, candidate in per_day.items():
            other = chosen.get(day)
            if other is None or candidate.collected_at >= other.collected_at:
                if other is not None:
                    other.file.skipped.append((DUPLICATE, f"{day} (in {result.path.name})"))
                chosen[day] = candidate
            else:
                result.skipped.append((DUPLICATE, f"{day} (in {other.file.path.name})"))

    to_write: list[Candidate] = []
    to_replace: list[str] = []
    for day in sorted(chosen):
        candidate = chosen[day]
        there = store.snapshots_on(profile, day)
        readings = [row for row in there if row["import_id"] is None]
        if readings:
            candidate.file.skipped.append(("already collected", f"{day} (snapshot #{readings[-1]['id']})"))
            continue
        if there and not replace_imports:
            candidate.file.skipped.append(("already imported (--replace-imports to replace)",
                                           f"{day} (import #{there[-1]['import_id']})"))
            continue
        if there:
            to_replace.append(day)
            candidate.file.replaced.append(day)
        else:
            candidate.file.added.append(day)
        to_write.append(candidate)

    if report.bad and not skip_bad:
        raise ImportRefused(report.summary(), ExitCode.ERROR, report)
    if dry_run or not to_write:  # nothing new: nothing is written, not even a record
        return report
    started = utc_iso(now())
    with store.transaction():
        report.import_id = store.start_import(profile, started, [str(f.path) for f in report.files])
        for day in to_replace:
            store.delete_imported(profile, day)
        for candidate in to_write:
            precision = candidate.entry.precision
            store.save_imported(profile, candidate.entry.figures, candidate.day, candidate.collected_at,
                                candidate.source, json.dumps(precision, sort_keys=True) if precision else None,
                                report.import_id)
        store.finish_import(report.import_id, utc_iso(now()), report.to_json(), "\n".join(report.lines()))
    return report

