"""How things look in the terminal: snapshots, history, explanations, doctor's checks, a
collection's result. Only the command line renders; the core returns data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from parsers import PILLAR_KEYS, PILLAR_SHORT_NAMES, Snapshot

if TYPE_CHECKING:
    from rich.table import Table

    from parsers.explanation import Explanation

    from ..browser.login import SignedIn
    from ..collection import Result
    from ..doctor import Check
    from ..store import Store
    from ..trends.digest import Digest
    from ..trends.goals import GoalReport

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


def sparkline(values: list[float], width: int = 60) -> str:
    """Unicode bars scaled between the smallest and largest value shown; long series are
    resampled to ``width`` bars (each the last value of its stretch)."""
    if not values:
        return ""
    if len(values) > width:
        values = [values[min(len(values) - 1, (i + 1) * len(values) // width - 1)] for i in range(width)]
    low, high = min(values), max(values)
    if high == low:
        return SPARKS[3] * len(values)
    return "".join(SPARKS[min(7, int((v - low) / (high - low) * 7 + 0.5))] for v in values)


def snapshot_table(snapshot: Snapshot, previous: dict[str, Any] | None = None) -> Table:
    """You, your industry and your network side by side: the four pillars (of 25), SSI (of 100),
    ranks; with the change since ``previous`` (a `snapshots` row) when given."""
    from rich.table import Table  # here: `ssi history` does not need it

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
        row(f"{PILLAR_SHORT_NAMES[key]} /25", num(mine),
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


def day_marks(row: dict[str, Any]) -> str:
    """What a day of history is besides a reading of ours: * generated demo history, + imported
    from another tracker, ~ some of its figures are rounded or truncated at their source."""
    marks = "*" if row.get("source") == "generated" else ""
    if row.get("import_id") is not None:
        marks += "+"
    if row.get("precision"):
        marks += "~"
    return marks


def history_footnote(rows: list[dict[str, Any]]) -> str | None:
    notes = []
    if any(r.get("source") == "generated" for r in rows):
        notes.append("* generated demo history, not a reading")
    if any(r.get("import_id") is not None for r in rows):
        notes.append("+ imported from another tracker (`ssi import`)")
    if any(r.get("precision") for r in rows):
        notes.append("~ some figures are rounded or truncated at their source (column precision)")
    return "\n".join(notes) or None


_HISTORY_COLUMNS = (("Day", 13, "<"), ("SSI", 6, ">"), ("Change", 7, ">"), ("Brand", 6, ">"), ("People", 7, ">"),
                    ("Insights", 9, ">"), ("Relat.", 7, ">"), ("Industry", 9, ">"), ("Network", 8, ">"))
# What the history table reads from the `daily` view.
HISTORY_FIELDS = ("day", "ssi", "ssi_change", "brand", "people", "insights", "relationships", "industry_rank",
                  "network_rank", "source", "import_id", "precision")


def _top(rank: int | None) -> str:
    return "—" if rank is None else f"Top {rank}%"


def history_lines(rows: list[dict[str, Any]], colour: bool, notes: list[dict[str, Any]] | None = None) -> list[str]:
    """The history as aligned text lines, a row a day, each note (`ssi note`) under its day's row
    (or, on a day without a reading, where that day would be). Written by hand rather than with
    rich's Table: ten years are 3,650 rows, which rich takes 1.8 s to lay out and this 10 ms."""
    green, red, dim, reset = ("\x1b[32m", "\x1b[31m", "\x1b[2m", "\x1b[0m") if colour else ("", "", "", "")
    header = " ".join(f"{title:{align}{width}}" for title, width, align in _HISTORY_COLUMNS)
    lines = [header, "─" * len(header)]
    append = lines.append
    pending = list(notes or [])
    pending.reverse()  # oldest last, to pop

    def notes_until(day: str, *, same_day: bool) -> None:
        while pending and (pending[-1]["day"] <= day if same_day else pending[-1]["day"] < day):
            note = pending.pop()
            about = f" [{note['pillar']}]" if note["pillar"] else ""
            label = "" if same_day and note["day"] == day else note["day"]
            append(f"{dim}{label:<13} ▸ note #{note['id']}{about}: {note['text']}{reset}")

    for r in rows:
        notes_until(r["day"], same_day=False)
        delta = r["ssi_change"]
        if delta is None:
            shown = "       "
        elif round(delta, 2) == 0:
            shown = f"{dim}     ±0{reset}"
        else:
            shown = f"{green if delta > 0 else red}{delta:>+7.2f}{reset}"
        day = r["day"] + day_marks(r)
        append(f"{day:<13} {num(r['ssi']):>6} {shown} {num(r['brand']):>6} {num(r['people']):>7} "
               f"{num(r['insights']):>9} {num(r['relationships']):>7} {_top(r['industry_rank']):>9} "
               f"{_top(r['network_rank']):>8}")
        notes_until(r["day"], same_day=True)
    notes_until("9999-12-31", same_day=True)
    return lines


_MARKS = {"chosen": "[green]✓[/green]", "agrees": "[dim]=[/dim]", "disagrees": "[red]✗[/red]",
          "rejected": "[red]![/red]", "unused": "[dim]·[/dim]"}
_CHECKS = {
    "agrees": "the page agrees with it",
    "disagrees": "the page disagrees with it (recorded; the answer's figures are kept)",
    "unreadable": "the page could not be read (the answer's figures are kept)",
    "absent": "no page was given",
    "page_only": "",
}


def explanation_lines(name: str, found: Explanation) -> list[str]:
    """``ssi parse --explain``: per field, its value and verdict, then every clue under it
    (✓ chosen, = agrees, ✗ disagrees, ! not a figure, · not used), as rich markup lines."""
    from rich.markup import escape

    from parsers.explanation import render_value

    if found.reading is None:
        head = f"[red]not read[/red]: {escape(found.outcome)}"
    elif found.decided_by == "api":
        head = "LinkedIn's answer decides; " + _CHECKS[found.reading.page_check]
    else:
        head = "read from the page alone (no usable API body): every clue must agree"
    lines = [f"[bold]{escape(name)}[/bold]: {head}"]
    lines += [f"  [yellow]note:[/yellow] {escape(note)}" for note in found.notes]
    hook_width = max([len(c.hook) for f in found.fields for c in f.clues] + [20])
    for report in found.fields:
        lines.append(f"  [bold]{report.field:<24}[/bold] {render_value(report.value):<12} "
                     f"[dim]{escape(report.verdict)}[/dim]")
        for clue in report.clues:
            shows = render_value(clue.shows)
            extra = f"  {escape(clue.note)}" if clue.note else ""
            lines.append(f"     {_MARKS[clue.role]} {clue.source:<7} {escape(clue.hook):<{hook_width}}  "
                         f"{escape(shows):>12}  [dim]{clue.precision}[/dim]{extra}")
    return lines


def command_name() -> str:
    """How the person ran ssi: "ssi" when that is what their PATH finds, else the path they used
    (".venv/bin/ssi" in a checkout), so that suggested commands can be pasted as they are."""
    import os
    import shutil
    import sys

    used = sys.argv[0] if sys.argv else ""
    if os.path.basename(used) != "ssi":  # `python -m collector`, a test runner...
        return "ssi"
    found = shutil.which("ssi")
    if found and os.path.realpath(found) == os.path.realpath(used):
        return "ssi"
    return used


def print_result(result: Result, store: Store, profile: str) -> None:
    from rich.console import Console

    console = Console()
    if result.snapshot is None:
        console.print(result.message, highlight=False)
        return
    snap = result.snapshot
    console.print(f"[bold]SSI {snap.ssi:.2f}[/bold] / 100 on {result.day} (profile {profile})", highlight=False)
    console.print(snapshot_table(snap, result.previous))
    if result.warning:
        console.print(f"[yellow]warning:[/yellow] {result.warning}", highlight=False)
    console.print(f"Stored snapshot #{result.snapshot_id} in {store.path}", style="dim", highlight=False)
    from ..trends.advice import advise

    advice = advise(store, profile)
    if advice is not None:
        console.print(advice.short(), highlight=False)


def print_sign_in(done: SignedIn) -> None:
    """`ssi login`: where the session is kept, as whom the browser signed in, and whether it will last."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    console.print(f"Signed in. The session is kept in {escape(str(done.folder))} (readable by you only).")
    if done.identity is not None:
        console.print(f"The browser presented itself as {escape(done.identity.summary())}; every collection "
                      "presents itself the same way.", style="dim")
    warning = done.remember_warning()
    if warning:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    else:
        console.print("\"Keep me logged in\" took: LinkedIn will renew the session for this browser.", style="dim")
    console.print("Next: `ssi collect`.")


def print_history(rows: list[dict[str, Any]], profile: str, days: int,
                  notes: list[dict[str, Any]] | None = None) -> None:
    """`ssi history`'s screen: a line with the trend and a sparkline, the rows, a footnote.
    Plain ANSI rather than rich: a decade of history should print as fast as `ssi --help`."""
    import os
    import sys

    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    bold, dim, reset = ("\x1b[1m", "\x1b[2m", "\x1b[0m") if colour else ("", "", "")
    out = sys.stdout
    if not rows:
        out.write(f"No snapshots for profile {profile!r} in the last {days} days. Run `ssi collect`.\n")
        return
    values = [float(r["ssi"]) for r in rows]
    out.write(f"{bold}{profile}{reset}: SSI {values[0]:.2f} → {values[-1]:.2f} over {len(rows)} "
              f"day{'s' if len(rows) != 1 else ''}  {sparkline(values)}\n")
    out.write("\n".join(history_lines(rows, colour, notes)) + "\n")
    footnote = history_footnote(rows)
    if footnote:
        out.write(f"{dim}{footnote}{reset}\n")
    out.flush()


def print_checks(checks: list[Check]) -> None:
    """`ssi doctor`: each check, ok (green), a note (yellow) or a problem (red) with its fix."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(soft_wrap=True, highlight=False)
    for check in checks:
        mark = "[red]!![/red]" if not check.ok else "[yellow]![/yellow] " if check.warn else "[green]ok[/green]"
        console.print(f"{mark} [bold]{check.name}[/bold]: {escape(check.detail)}")
        if (not check.ok or check.warn) and check.fix:
            console.print(f"   [yellow]{'fix' if not check.ok else 'note'}:[/yellow] {escape(check.fix)}")


def _bar(share: float | None, width: int = 24) -> str:
    if share is None:
        return ""
    filled = round(max(0.0, min(1.0, share)) * width)
    return f"[green]{'█' * filled}[/green][dim]{'░' * (width - filled)}[/dim] {share:.0%}"


def print_goals(reports: list[GoalReport]) -> None:
    """`ssi goal`: each goal with a progress bar, its projection and what it takes."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    for number, found in enumerate(reports):
        if number:
            console.print()
        lines = found.lines()
        console.print(f"[bold]{escape(found.title())}[/bold]  {_bar(found.progress)}")
        for line in lines[1:] if len(lines) > 1 else lines:
            console.print(f"  {escape(line)}")


def print_digest(digest: Digest) -> None:
    """`ssi digest` in the terminal: the scores as a table, then the digest's sections."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    console.print(f"[bold]{escape(digest.title())}[/bold]\n[dim]{escape(digest.span())}[/dim]")
    table = Table(box=None, padding=(0, 1, 0, 0))
    for title in ("", "then", "now", "change", "industry", "network"):
        table.add_column(title, justify="left" if not title else "right", no_wrap=True)
    for f in digest.figures:
        table.add_row(f"[bold]{f.name}[/bold]" if f.key == "ssi" else f.name, num(f.then), num(f.now),
                      change(f.change) or "—", num(f.industry), num(f.network))
    console.print(table)
    for heading, body in digest.sections()[1:]:
        console.print(f"\n[bold]{escape(heading)}[/bold]" if heading else "")
        for line in body:
            console.print(f"  • {escape(line)}")
