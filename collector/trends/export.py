"""`ssi export`: every snapshot, as CSV or JSON, streamed (a decade of data stays small in memory)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from ..store import Store

COLUMNS = ("profile", "day", "collected_at", "ssi", "brand", "people", "insights", "relationships",
           "industry", "industry_rank", "industry_ssi", "network_rank", "network_ssi",
           "industry_brand", "industry_people", "industry_insights", "industry_relationships",
           "network_brand", "network_people", "network_insights", "network_relationships", "source", "id",
           "precision")  # (extended: new columns go at the end, for readers that count)


def rows(store: Store, profile: str | None, since: str | None) -> Iterator[dict[str, Any]]:
    """Every snapshot (of ``profile``, from ``since`` on), in export's columns."""
    return store.export_rows(COLUMNS, profile, since)


def write(out: TextIO, fmt: str, records: Iterator[dict[str, Any]]) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(record)
            count += 1
        return count
    out.write("[")
    for record in records:
        out.write(("\n" if count == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
