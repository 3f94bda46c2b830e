"""Turn agreed evidence into a Snapshot: one place that decides what is required and what is null."""

from __future__ import annotations

from .errors import ParseError
from .evidence import Clue, Evidence
from .model import PILLAR_KEYS, Group, Pillars, Snapshot, Source
from .numbers import decimals_of

def sum_clue(clues: list[Clue | None], what: str) -> Clue | None:
    """A total is also the sum of its four pillars (None unless all four are known)."""
    if not all(clue is not None and not clue.confirms_only for clue in clues):
        return None
    known = [clue for clue in clues if clue is not None]
    tolerance = sum(clue.tolerance for clue in known)
    total = round(sum(clue.value for clue in known), max(6, decimals_of(tolerance)))
    return Clue(total, tolerance, f"the sum of the {what} pillars")


def _sum_clue(ev: Evidence, clues: list[Clue | None], field: str, what: str) -> None:
    """Add the pillars' sum as one more clue for the total to agree with."""
    found = sum_clue(clues, what)
    if found is not None:
        ev.add(field, found.value, found.tolerance, found.hook)


def _value(clue: Clue | None) -> float | None:
    if clue is None:
        return None
    # Round away the float noise that derived clues pick up (100 - 69.01 = 30.989999999999995)
    # without touching float32 figures as the API gives them (0.29999998).
    return round(clue.value, max(8, decimals_of(clue.tolerance)))


def _group(ev: Evidence, group: str) -> Group:
    clues = [ev.resolve(f"{group}.pillars.{key}") for key in PILLAR_KEYS]
    _sum_clue(ev, clues, f"{group}.average", f"{group} average")
    rank = ev.resolve(f"{group}.rank")
    pillars = Pillars(*(_value(clue) for clue in clues))
    return Group(
        rank=int(rank.value) if rank is not None else None,
        average=_value(ev.resolve(f"{group}.average")),
        pillars=pillars if pillars.known() else None,
        name=ev.resolve_text(f"{group}.name"),
    )


def build_snapshot(ev: Evidence, source: Source) -> Snapshot:
    clues = [ev.resolve(f"pillars.{key}") for key in PILLAR_KEYS]
    missing = [key for key, clue in zip(PILLAR_KEYS, clues, strict=False) if clue is None]
    if missing:
        raise ParseError("not found on the page or in the body", field=f"pillars.{missing[0]}")
    _sum_clue(ev, clues, "ssi", "four")
    ssi = ev.resolve("ssi")
    assert ssi is not None  # the sum clue was just added
    return Snapshot(
        ssi=_value(ssi),  # type: ignore[arg-type]
        pillars=Pillars(*(_value(clue) for clue in clues)),
        industry=_group(ev, "industry"),
        network=_group(ev, "network"),
        source=source,
    )
