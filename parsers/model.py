"""The typed snapshot every parser returns, and its contract JSON form (docs/design.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

PILLAR_KEYS: tuple[str, ...] = ("brand", "people", "insights", "relationships")

# The pillars as the page names them, and shortened where a terminal or a chart is narrow.
PILLAR_NAMES: dict[str, str] = {
    "brand": "Establish your professional brand",
    "people": "Find the right people",
    "insights": "Engage with insights",
    "relationships": "Build relationships",
}
PILLAR_SHORT_NAMES: dict[str, str] = {**PILLAR_NAMES, "brand": "Professional brand"}

# The API's identifiers for the pillars; the page and the contract use the short keys.
API_PILLARS: dict[str, str] = {
    "PROFESSIONAL_BRAND": "brand",
    "FIND_RIGHT_PEOPLE": "people",
    "INSIGHT_ENGAGEMENT": "insights",
    "STRONG_RELATIONSHIP": "relationships",
}

# A snapshot's figures by the snapshots table's column names (the store, `ssi reparse`, the
# importers and export all use these): the score, the pillars, the industry's name, and per peer
# group its rank, average and pillars.
GROUP_COLUMNS: tuple[str, ...] = tuple(f"{group}_{key}" for group in ("industry", "network")
                                       for key in ("rank", "ssi", *PILLAR_KEYS))
FIGURE_COLUMNS: tuple[str, ...] = ("ssi", *PILLAR_KEYS, "industry", *GROUP_COLUMNS)

# "generated" is never produced by a parser: it marks demo history (collector.demo.history);
# "import": a day read from another tracker's file (parsers.trackers).
Source = Literal["api", "page", "generated", "import"]


@dataclass(frozen=True)
class Pillars:
    brand: float | None = None
    people: float | None = None
    insights: float | None = None
    relationships: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {key: getattr(self, key) for key in PILLAR_KEYS}

    def known(self) -> bool:
        return any(value is not None for value in self.as_dict().values())

    def complete(self) -> bool:
        return all(value is not None for value in self.as_dict().values())


@dataclass(frozen=True)
class Group:
    """Your standing in a peer group (people in your industry, or in your network)."""

    rank: int | None = None  # "Top N%"
    average: float | None = None  # the group's average SSI
    pillars: Pillars | None = None  # the group's average per pillar, when the page shows it
    name: str | None = None  # the industry's name (industry group only)


@dataclass(frozen=True)
class Snapshot:
    ssi: float
    pillars: Pillars
    industry: Group
    network: Group
    source: Source

    def columns(self) -> dict[str, Any]:
        """The figures under the snapshots table's column names (FIGURE_COLUMNS)."""
        row: dict[str, Any] = {"ssi": self.ssi, **self.pillars.as_dict(), "industry": self.industry.name}
        for name, group in (("industry", self.industry), ("network", self.network)):
            row[f"{name}_rank"] = group.rank
            row[f"{name}_ssi"] = group.average
            for key in PILLAR_KEYS:
                row[f"{name}_{key}"] = getattr(group.pillars, key) if group.pillars else None
        return row

    def to_json(self) -> dict[str, Any]:
        """The exact shape docs/design.md promises for ``ssi parse --json``."""

        def pillars(p: Pillars | None) -> dict[str, float | None] | None:
            return p.as_dict() if p is not None and p.known() else None

        return {
            "ssi": self.ssi,
            "pillars": self.pillars.as_dict(),
            "industry": {
                "name": self.industry.name,
                "rank": self.industry.rank,
                "average": self.industry.average,
                "pillars": pillars(self.industry.pillars),
            },
            "network": {
                "rank": self.network.rank,
                "average": self.network.average,
                "pillars": pillars(self.network.pillars),
            },
            "source": self.source,
        }
