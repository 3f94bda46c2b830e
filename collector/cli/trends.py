"""What people look at: `ssi history`, `chart`, `advice`, `export` and `browse`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..outcomes import ExitCode
from .settings import Failure, ProfileName, Settings, global_profile


@click.command()
@click.option("--days", type=click.IntRange(min=1), default=30, show_default=True, help="How far back to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as a JSON list.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the rows as CSV.")
@click.pass_obj
def history(settings: Settings, days: int, as_json: bool, as_csv: bool) -> None:
    """Your trend: one row a day (the day's last snapshot) with the change since the day before."""
    import datetime as dt

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from ..days import day_in, now
    from .render import HISTORY_FIELDS, print_history

    store = settings.store()
    since = (day_in(store, now()) - dt.timedelta(days=days - 1)).isoformat()
    rows = store.history(settings.profile, since, None if as_json or as_csv else HISTORY_FIELDS)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if as_csv:
        import csv
        import sys

        columns = list(rows[0]) if rows else ["profile", "day", "ssi"]
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    print_history(rows, settings.profile, days, store.notes(settings.profile, since))


@click.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The picture to write: a .png or .svg file.")
@click.option("--days", type=click.IntRange(min=2), default=365, show_default=True, help="How far back.")
@click.pass_obj
def chart(settings: Settings, out: Path, days: int) -> None:
    """Draw SSI and the pillars over time, with the peer averages, your notes and your goals."""
    import datetime as dt

    from ..trends.chart import ChartUnavailable, draw

    if out.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("the picture's name must end in .png or .svg", param_hint="--out")
    from ..days import day_in, now

    store = settings.store()
    since = (day_in(store, now()) - dt.timedelta(days=days - 1)).isoformat()
    rows = store.history(settings.profile, since)
    if len(rows) < 2:
        raise Failure(ExitCode.ERROR, f"profile {settings.profile!r} has {len(rows)} day(s) of history in the last "
                                      f"{days} days; a chart needs two")
    from ..trends.goals import goal_reports

    last = dt.date.fromisoformat(rows[-1]["day"])
    try:
        draw(rows, settings.profile, out, notes=store.notes(settings.profile, since),
             goals=goal_reports(store, settings.profile, last))
    except ChartUnavailable as exc:
        raise Failure(ExitCode.ERROR, str(exc)) from None
    except OSError as exc:
        raise Failure(ExitCode.ERROR, f"cannot write {out}: {exc.strerror}") from None
    click.echo(f"Wrote {out} ({len(rows)} days, {rows[0]['day']} to {rows[-1]['day']}).")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the advice as JSON.")
@click.pass_obj
def advice(settings: Settings, as_json: bool) -> None:
    """Which pillar to work on next, and how: room to 25, gaps to your peers, 4-week trend."""
    from rich.console import Console
    from rich.table import Table

    from ..trends.advice import advise
    from .render import change, num

    store = settings.store()
    found = advise(store, settings.profile)
    if found is None:
        raise Failure(ExitCode.ERROR, f"no snapshot for profile {settings.profile!r} yet; run `ssi collect`")
    if as_json:
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False)
    console.print(f"[bold]{found.profile}[/bold]: SSI {found.ssi:.2f} on {found.day}"
                  + (" (generated demo history)" if found.source == "generated" else ""))
    from parsers import PILLAR_SHORT_NAMES

    table = Table(box=None, padding=(0, 1, 0, 0))
    for title in ("Pillar /25", "Score", "To 25", "vs industry", "vs network", "4 weeks"):
        table.add_column(title, justify="left" if title.startswith("Pillar") else "right", no_wrap=True)
    for p in found.pillars:
        table.add_row(("[bold]" if p is found.focus else "") + PILLAR_SHORT_NAMES[p.key], num(p.score), num(p.room),
                      change(p.industry_gap) or "—", change(p.network_gap) or "—", change(p.trend_4w) or "—")
    console.print(table)
    console.print(f"\n[bold]Focus: {found.focus.name}.[/bold] {found.why}")
    steps = Table.grid(padding=(0, 1))
    steps.add_column(no_wrap=True)
    steps.add_column()
    for action in found.actions:
        steps.add_row("  •", action)
    console.print(steps)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), required=True)
@click.option("--since", metavar="DATE", help="Only snapshots from this day on (YYYY-MM-DD).")
@click.option("--profile", "own_profile", type=ProfileName(), help="Only this profile [default: all].")
@click.pass_context
def export(ctx: click.Context, fmt: str, since: str | None, own_profile: str | None) -> None:
    """Every snapshot as CSV or JSON on stdout (generated demo rows say so in `source`)."""
    import datetime as dt
    import sys

    from ..trends.export import rows, write

    if since is not None:
        try:
            since = dt.date.fromisoformat(since).isoformat()
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--since") from None
    settings: Settings = ctx.obj
    store = settings.store()
    write(sys.stdout, fmt, rows(store, own_profile or global_profile(ctx), since))


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Listen on this address; anything but loopback shows your history to the network.")
@click.option("--open", "open_browser", is_flag=True, help="Open the dashboard in your web browser.")
@click.pass_obj
def browse(settings: Settings, port: int, host: str, open_browser: bool) -> None:
    """Browse your history in Datasette, with a dashboard of charts (read-only)."""
    from ..trends.browse import BrowseUnavailable, is_loopback, serve

    store = settings.store()  # creates or upgrades the database first, so the views exist
    path = store.path
    profiles = store.profiles_by_recency()
    store.close()
    default = settings.profile if settings.profile in profiles else (profiles[0] if profiles else None)
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach this machine can read your SSI history",
                   err=True)
    try:
        serve(path, default, host, port, open_browser)
    except BrowseUnavailable as exc:
        raise Failure(ExitCode.ERROR, str(exc)) from None
