"""How snapshots and history look in the terminal."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table

from parsers import PILLAR_KEYS, Snapshot

PILLAR_NAMES = {  # as the page names them, shortened to fit a terminal
    "brand": "Professional brand",
    "people": "Find the right people",
    "insights": "Engage with insights",
    "relationships": "Build relationships",
}
SPARKS = "▁▂▃▄▅▆▇█"


def num(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def change(value: float | None, places: int = 2, *, lower_is_better: bool = False) -> str:
    """'+0.42' in green, '-1.10' in red (rich markup); '' when unknown."""
    if value is None:
        return ""
    if round(value, places) == 0:
        return "[dim]±0[/dim]"
    better = (value < 0) if lower_is_better else (value > 0)
    colour = "green" if better else "red"
    return f"[{colour}]{value:+.{places}f}[/{colour}]"


def sparkline(values: list[float]) -> str:
    """Unicode bars scaled between the smallest and largest value shown."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARKS[3] * len(values)
    return "".join(SPARKS[min(7, int((v - low) / (high - low) * 7 + 0.5))] for v in values)


def snapshot_table(snapshot: Snapshot, previous: dict[str, Any] | None = None) -> Table:
    """You, your industry and your network side by side: the four pillars (of 25), SSI (of 100),
    ranks; with the change since ``previous`` (a `snapshots` row) when given."""
    industry, network = snapshot.industry, snapshot.network
    caption = f"Industry: {industry.name}" if industry.name else None
    table = Table(caption=caption, caption_justify="left", show_edge=False, pad_edge=False)
    table.add_column("", style="bold")
    table.add_column("You", justify="right")
    if previous is not None:
        table.add_column(f"since {previous['day']}", justify="right")
    table.add_column("Industry", justify="right")
    table.add_column("Network", justify="right")

    def row(label: str, mine: str, delta: str, ind: str, net: str, style: str | None = None) -> None:
        cells = [label, mine] + ([delta] if previous is not None else []) + [ind, net]
        table.add_row(*cells, style=style)

    for key in PILLAR_KEYS:
        mine = getattr(snapshot.pillars, key)
        row(f"{PILLAR_NAMES[key]} /25", num(mine),
            change(mine - previous[key]) if previous is not None else "",
            num(getattr(industry.pillars, key) if industry.pillars else None),
            num(getattr(network.pillars, key) if network.pillars else None))
    table.add_section()
    row("Social Selling Index /100", num(snapshot.ssi),
        change(snapshot.ssi - previous["ssi"]) if previous is not None else "",
        num(industry.average), num(network.average), style="bold")
    rank_moves = []
    if previous is not None:
        for label, rank, before in (("ind.", industry.rank, previous.get("industry_rank")),
                                    ("net.", network.rank, previous.get("network_rank"))):
            if rank is not None and before is not None and rank != before:
                rank_moves.append(f"{label} {change(rank - before, 0, lower_is_better=True)}")
    row("Your rank", "", " ".join(rank_moves),
        f"Top {industry.rank}%" if industry.rank is not None else "—",
        f"Top {network.rank}%" if network.rank is not None else "—")
    return table


def history_footnote(rows: list[dict[str, Any]]) -> str | None:
    if any(r.get("source") == "generated" for r in rows):
        return "* generated demo history, not a reading"
    return None


def history_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 1), collapse_padding=True)
    for title in ("Day", "SSI", "Change", "Brand", "People", "Insights", "Relat.", "Industry", "Network"):
        table.add_column(title, justify="left" if title == "Day" else "right", no_wrap=True)
    for r in rows:
        generated = r.get("source") == "generated"
        table.add_row(
            r["day"] + ("*" if generated else ""), num(r["ssi"]), change(r["ssi_change"]),
            num(r["brand"]), num(r["people"]), num(r["insights"]), num(r["relationships"]),
            f"Top {r['industry_rank']}%" if r["industry_rank"] is not None else "—",
            f"Top {r['network_rank']}%" if r["network_rank"] is not None else "—",
        )
    return table
