"""How snapshots look in the terminal."""

from __future__ import annotations

from rich.table import Table

from parsers import PILLAR_KEYS, Snapshot

PILLAR_NAMES = {  # as the page names them, shortened to fit a terminal
    "brand": "Professional brand",
    "people": "Find the right people",
    "insights": "Engage with insights",
    "relationships": "Build relationships",
}


def _num(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def snapshot_table(snapshot: Snapshot, title: str | None = None) -> Table:
    """You, your industry and your network side by side: the four pillars (of 25), SSI (of 100), rank."""
    industry, network = snapshot.industry, snapshot.network
    caption = f"Industry: {industry.name}" if industry.name else None
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left",
                  show_edge=False, pad_edge=False)
    table.add_column("", style="bold")
    table.add_column("You", justify="right")
    table.add_column("Industry", justify="right")
    table.add_column("Network", justify="right")
    for key in PILLAR_KEYS:
        table.add_row(
            f"{PILLAR_NAMES[key]} /25",
            _num(getattr(snapshot.pillars, key)),
            _num(getattr(industry.pillars, key) if industry.pillars else None),
            _num(getattr(network.pillars, key) if network.pillars else None),
        )
    table.add_section()
    table.add_row("Social Selling Index /100", _num(snapshot.ssi), _num(industry.average), _num(network.average),
                  style="bold")
    table.add_row(
        "Your rank", "",
        f"Top {industry.rank}%" if industry.rank is not None else "—",
        f"Top {network.rank}%" if network.rank is not None else "—",
    )
    return table
