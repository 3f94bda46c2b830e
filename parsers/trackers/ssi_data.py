"""linkedin-ssi-data (a Python + Playwright script): one `;`-separated CSV a day, UTF-8 with a
BOM, in long form: `data_referencia;hora_referencia;secao;campo;valor_original;unidade;
valor_numerico;escala;observacao;fonte`, one row per figure, in the account's language.

Rows are matched on what they say (secao and campo, compared accent- and case-blind), not on
their order: an older hand-made file names its sections differently, writes "%" as the unit and
leaves valor_numerico empty on text rows. The total there is the rounded display ("53 de 100"):
the exact total is the sum of the pillars (shown to three decimals)."""

from __future__ import annotations

from typing import Any

from ..language import PILLAR_LABELS, group_of, normalise
from . import values
from .entries import DISPLAYED, ROUNDED, NotThisFormat, Problem, TrackerFile, make_entry
from .tables import keys, read_table

HEADER = ("data referencia", "hora referencia", "secao", "campo", "valor original", "unidade", "valor numerico")


def is_ssi_data(header: list[str]) -> bool:
    names = keys(header)
    return all(name in names for name in HEADER[:4])


def _value(cells: dict[str, str], what: str) -> Any:
    numeric = cells.get("valor numerico", "").strip()
    return numeric if numeric else cells.get("valor original", "")


def _field(section: str, name: str) -> tuple[str, str] | None:
    """(column, precision) for a row, from its section and field; None for a row we do not use."""
    group = group_of(section) or (group_of(name) if "classificacao" in name or "rank" in name else None)
    if name in PILLAR_LABELS:
        key = PILLAR_LABELS[name]
        return (f"{group}_{key}" if group else key), DISPLAYED
    if "classificacao" in name or "ranking" in name or "rank" in name:
        named = group_of(name) or group
        return (f"{named}_rank", "") if named else None
    if "social selling index" in name or "ssi" in name.split():
        if group:
            return f"{group}_ssi", ROUNDED
        return "ssi", ROUNDED
    return None


def read(raw: bytes) -> TrackerFile:
    header, rows = read_table(raw)
    if not is_ssi_data(header):
        raise NotThisFormat("not a linkedin-ssi-data file")
    names = keys(header)
    result = TrackerFile("ssi-data", "linkedin-ssi-data daily CSV")
    captures: dict[tuple[str, str], dict[str, Any]] = {}
    unused: list[str] = []
    for line, cells in rows:
        named = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(names)}
        where = (named.get("data referencia", "").strip(), named.get("hora referencia", "").strip())
        capture = captures.setdefault(where, {"line": line, "figures": {}, "precision": {}, "problem": None})
        section, name = normalise(named.get("secao", "")), normalise(named.get("campo", ""))
        target = _field(section, name)
        if target is None:
            unused.append(f"line {line} ({named.get('campo', '').strip() or '?'})")
            continue
        column, tag = target
        try:
            if column.endswith("_rank"):
                capture["figures"][column] = values.rank(_value(named, column), named.get("campo", column))
            else:
                capture["figures"][column] = values.number(_value(named, column), named.get("campo", column))
                if tag:
                    capture["precision"][column] = tag
        except values.BadValue as exc:
            capture["problem"] = capture["problem"] or Problem(line, str(exc))
    for (stated, clock), capture in captures.items():
        if capture["problem"] is not None:
            result.problems.append(capture["problem"])
            continue
        try:
            day = values.day(stated, "data_referencia")
        except values.BadValue as exc:
            result.problems.append(Problem(capture["line"], str(exc)))
            continue
        entry = make_entry(capture["line"], capture["figures"], capture["precision"], total_check=0.5 + 0.002,
                           day=day, local_time=values.clock(clock))
        result.add(entry)
    if unused:
        result.notes.append(f"rows not used: {', '.join(unused[:5])}{' …' if len(unused) > 5 else ''}")
    return result
