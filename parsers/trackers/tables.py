"""CSV as trackers and people write it: a BOM or not, `;`, `,` or tabs, quoted or not."""

from __future__ import annotations

import csv
import io

from ..errors import ParseError
from ..html import decode
from ..language import normalise
from .entries import NotThisFormat


def text_of(raw: bytes) -> str:
    """The file's text: UTF-8 (a BOM allowed), else the encoding its bytes suggest."""
    try:
        return decode(raw).lstrip("\ufeff")
    except ParseError as exc:
        raise NotThisFormat(str(exc)) from None


def read_table(raw: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(line number, cells)]) of a delimited text file; blank lines left out."""
    text = text_of(raw)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                continue
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise NotThisFormat(f"not a readable CSV table (line {reader.line_num}: {exc})") from None
    return header or [], rows


def keys(header: list[str]) -> list[str]:
    """The header's names, compared case-, accent- and punctuation-blind."""
    return [normalise(name.replace("_", " ")) for name in header]


def looks_tabular(raw: bytes) -> bool:
    head = raw[:4096].lstrip(b"\xef\xbb\xbf")
    first = head.split(b"\n", 1)[0]
    return b"\x00" not in head and any(sep in first for sep in (b";", b",", b"\t"))
