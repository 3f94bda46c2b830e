"""Other trackers' files, read into entries (one capture each), told apart by their content.

Pure like the rest of `parsers`: bytes in, a TrackerFile out. Which day an entry counts for (a
moment falls on a day in the database's day zone) and what is kept (the day's last capture, never
over a reading of ours) is decided by the collector (collector.importing); here each file says
what it holds, how exact each figure is, and which rows it could not read, and why.
What each tracker keeps, and in what shape, is described in the workspace's
reference/peer-exports.md; every reader cites the facts it relies on.
"""

from __future__ import annotations

import json

from .entries import (
    AS_GIVEN,
    DISPLAYED,
    FIGURE_COLUMNS,
    ROUNDED,
    TRUNCATED,
    UNVERIFIED,
    Entry,
    NotThisFormat,
    Problem,
    TrackerFile,
)

__all__ = ["AS_GIVEN", "DISPLAYED", "FIGURE_COLUMNS", "FORMATS", "ROUNDED", "TRUNCATED", "UNVERIFIED", "Entry",
           "NotThisFormat", "Problem", "TrackerFile", "read_tracker"]

# --format's names, and what each is.
FORMATS: dict[str, str] = {
    "socialedge": "socialedge's export (legacy array, v2, or snake_case)",
    "beacon": "a linkedin-beacon storage dump",
    "linkmate": "a linkmate storage dump",
    "ssi-data": "linkedin-ssi-data's daily CSV files",
    "link_ssi": "link_ssi's CSV export",
    "csv": "a spreadsheet of your own (CSV; --map to name its columns)",
    "ssi-collector": "ssi-collector's own `ssi export` (CSV or JSON)",
}


def _json(raw: bytes) -> object:
    from .tables import text_of

    try:
        return json.loads(text_of(raw))
    except ValueError as exc:
        raise NotThisFormat(f"it looks like JSON but is not valid JSON ({exc})") from None


def read_tracker(raw: bytes, *, format: str | None = None, mapping: dict[str, str] | None = None) -> TrackerFile:
    """Read one file, in ``format`` when given, else in the format its content shows.

    Raises NotThisFormat when the file is in none of them (or not in the one given), and only
    that, whatever the bytes: a reader's own failure is one too, said as such.
    """
    try:
        return _read(raw, format, mapping)
    except NotThisFormat:
        raise
    except RecursionError:
        raise NotThisFormat("it nests too deeply to be a tracker's file") from None
    except Exception as exc:  # a bug in a reader, not in the file: say so plainly so it gets reported
        raise NotThisFormat(f"internal reader error ({type(exc).__name__}: {exc}); please report it") from exc


def _read(raw: bytes, format: str | None, mapping: dict[str, str] | None) -> TrackerFile:
    from .. import is_json
    from . import link_ssi, own_export, socialedge, spreadsheet, ssi_data, storage
    from .tables import looks_tabular, read_table

    if format is not None and format not in FORMATS:
        raise NotThisFormat(f"unknown format {format!r}; one of {', '.join(FORMATS)}")
    if mapping and format not in (None, "csv"):
        raise NotThisFormat("--map is for a spreadsheet of your own (--format csv)")
    if is_json(raw):
        data = _json(raw)
        readers = {"socialedge": socialedge.read, "beacon": storage.read_beacon, "linkmate": storage.read_linkmate,
                   "ssi-collector": own_export.read_json}
        if format is not None:
            if format not in readers:
                raise NotThisFormat(f"this is JSON, and {format} files are CSV")
            return readers[format](data)
        if storage.is_beacon(data):
            return storage.read_beacon(data)
        if storage.is_linkmate(data):
            return storage.read_linkmate(data)
        if socialedge.history_of(data) is not None:
            return socialedge.read(data)
        try:
            return own_export.read_json(data)
        except NotThisFormat:
            raise NotThisFormat("JSON, but none of socialedge's exports, a beacon or linkmate storage dump, "
                                "or ssi-collector's own export") from None
    if not looks_tabular(raw):
        raise NotThisFormat("neither JSON nor a CSV table")
    if format is not None:
        tables = {"ssi-data": ssi_data.read, "link_ssi": link_ssi.read, "ssi-collector": own_export.read_csv}
        if format == "csv":
            return spreadsheet.read(raw, mapping)
        if format not in tables:
            raise NotThisFormat(f"this is a CSV table, and {format} files are JSON")
        return tables[format](raw)
    if mapping:
        return spreadsheet.read(raw, mapping)
    header, _ = read_table(raw)
    if ssi_data.is_ssi_data(header):
        return ssi_data.read(raw)
    if link_ssi.is_link_ssi(header):
        return link_ssi.read(raw)
    if own_export.is_own(header):
        return own_export.read_csv(raw)
    return spreadsheet.read(raw)
