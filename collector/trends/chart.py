"""`ssi chart`: a picture of the trend without Datasette, as PNG or SVG.

matplotlib, because it is the long-maintained standard for static plots in Python: it writes
PNG and SVG itself, offline, with no browser or JavaScript, and gives stable output for the same
data. It is imported only by this command (it is heavy), from the `chart` extra.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parsers import PILLAR_NAMES

if TYPE_CHECKING:
    from .goals import GoalReport


class ChartUnavailable(Exception):
    pass


FORMATS = {".png": "png", ".svg": "svg"}
_nan = float("nan")


def draw(rows: list[dict[str, Any]], profile: str, out: Path, *, notes: list[dict[str, Any]] | None = None,
         goals: list[GoalReport] | None = None) -> None:
    """SSI with the industry and network averages as reference lines, and the four pillars; each
    note as a numbered marker on its day (on the pillar it names, else on the SSI); each standing
    goal as a line at its target, with the projection where there is one."""
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise ValueError(f"{out.name}: the picture's name must end in .png or .svg")
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
    except ImportError:
        raise ChartUnavailable("`ssi chart` needs matplotlib: pip install 'ssi-collector[chart]'") from None
    days = [date.fromisoformat(r["day"]) for r in rows]
    imported = [r.get("import_id") is not None for r in rows]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7.5), sharex=True, height_ratios=[3, 2],
                                      layout="constrained")
    # Days brought in from another tracker are drawn lighter: the line runs through them, faint,
    # and is drawn in full only where the readings are ssi-collector's own.
    ssi = [r["ssi"] for r in rows]
    if any(imported):
        top.plot(days, ssi, color="#0a66c2", linewidth=2.2, alpha=0.35, label="Your SSI, imported (lighter)")
        top.plot(days, [_nan if was else value for value, was in zip(ssi, imported, strict=True)],
                 color="#0a66c2", linewidth=2.2, label="Your SSI")
    else:
        top.plot(days, ssi, color="#0a66c2", linewidth=2.2, label="Your SSI")
    for column, label, colour in (("industry_ssi", "Industry average", "#c37d16"),
                                  ("network_ssi", "Network average", "#5f9b41")):
        points = [(d, r[column]) for d, r in zip(days, rows, strict=True) if r[column] is not None]
        if points:
            top.plot(*zip(*points, strict=True), linestyle="--", linewidth=1.3, color=colour, label=label)
    _goals(top, bottom, goals or [], days[-1])
    _notes(top, bottom, notes or [], rows, days)
    top.set_ylabel("SSI (0–100)")
    top.set_title(f"Social Selling Index of {profile}: {days[0]:%d %b %Y} – {days[-1]:%d %b %Y}", loc="left")
    top.grid(alpha=0.3)
    top.legend(loc="best", frameon=False)
    for key, name in PILLAR_NAMES.items():
        values = [_nan if r[key] is None else r[key] for r in rows]  # an imported total may come alone
        own = [_nan if was else value for value, was in zip(values, imported, strict=True)]
        line = bottom.plot(days, own if any(imported) else values, linewidth=1.6, label=name)[0]
        if any(imported):
            bottom.plot(days, values, linewidth=1.6, alpha=0.35, color=line.get_color())
    bottom.set_ylim(0, 25)
    bottom.set_ylabel("pillar (0–25)")
    bottom.grid(alpha=0.3)
    bottom.legend(loc="upper left", ncols=2, frameon=False, fontsize="small")
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(bottom.xaxis.get_major_locator()))
    if any(r["source"] == "generated" for r in rows):
        top.text(1.0, 1.01, "includes generated demo history", transform=top.transAxes, ha="right", va="bottom",
                 fontsize="x-small", color="grey")
    fig.savefig(out, format=fmt, dpi=150, metadata={"Creator": "ssi-collector"} if fmt == "png" else None)
    plt.close(fig)


def _goals(top: Any, bottom: Any, goals: list[GoalReport], last: date) -> None:
    for goal in goals:
        axis = top if goal.pillar is None else bottom
        lines = goal.drawn(last)
        (start, target), (end, _) = lines["goal"]
        axis.plot([start, end], [target, target], color="#8e44ad", linewidth=1, linestyle=(0, (6, 3)), alpha=0.8)
        axis.annotate(f"goal {goal.target:g}" + (f" by {goal.by:%d %b %Y}" if goal.by else ""),
                      (start, target), textcoords="offset points", xytext=(2, 3), ha="left",
                      fontsize="x-small", color="#8e44ad")
        if "projection" in lines:
            (first, level), (until, reach) = lines["projection"]
            axis.plot([first, until], [level, reach], color="#8e44ad", linewidth=1.4, linestyle=":",
                      label=f"projection ({goal.name})")
            eta = goal.projection.eta
            axis.annotate(f"{goal.target:g} around {eta:%d %b %Y}" if eta else "", (until, reach),
                          textcoords="offset points", xytext=(0, -10), ha="right", fontsize="x-small",
                          color="#8e44ad")


def _notes(top: Any, bottom: Any, notes: list[dict[str, Any]], rows: list[dict[str, Any]], days: list[date]) -> None:
    if not notes:
        return
    by_day = {r["day"]: r for r in rows}
    first, last = days[0], days[-1]
    shown = [n for n in notes if first <= date.fromisoformat(n["day"]) <= last]
    for note in shown:
        day = date.fromisoformat(note["day"])
        # The marker sits on the figure it is about, on the last reading on or before its day.
        known = [d for d in by_day if d <= note["day"]]
        row = by_day[max(known)] if known else rows[0]
        axis, key = (bottom, note["pillar"]) if note["pillar"] else (top, "ssi")
        value = row[key] if row[key] is not None else row["ssi"]
        axis.axvline(day, color="grey", linewidth=0.6, alpha=0.5, linestyle=":")
        axis.plot([day], [value], marker="v", markersize=7, color="#333333", zorder=5)
        axis.annotate(str(note["id"]), (day, value), textcoords="offset points", xytext=(0, 6), ha="center",
                      fontsize="x-small", color="#333333")
    # The notes' words under the picture (as the x label, so the layout makes room for them).
    listed = [f"▼{n['id']} {n['day']}: {_short(n['text'])}" for n in shown[-6:]]
    if len(shown) > 6:
        listed.insert(0, f"(and {len(shown) - 6} earlier notes)")
    bottom.set_xlabel("\n".join(listed), loc="left", fontsize="x-small", color="#333333")


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
