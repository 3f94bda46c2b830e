"""Aim and be told: `ssi goal`, `ssi note` / `ssi notes`, and `ssi digest`."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import click

from ..outcomes import ExitCode
from .settings import Day, Failure, PillarName, Settings

if TYPE_CHECKING:
    from ..store import Store


def _today(store: Store) -> date:
    from ..days import day_in, now

    return day_in(store, now())


def _stamp() -> str:
    from ..days import now, utc_iso

    return utc_iso(now())


# -- goals -----------------------------------------------------------------------------------------
@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the goals' progress and projections as JSON.")
@click.option("--all", "every", is_flag=True, help="List every goal ever set, retired ones too.")
@click.pass_context
def goal(ctx: click.Context, as_json: bool, every: bool) -> None:
    """Your goals: progress, and when the recent pace reaches each (`ssi goal set 70`)."""
    if ctx.invoked_subcommand is not None:
        return
    settings: Settings = ctx.obj
    store = settings.store()
    if every:
        rows = store.goals(settings.profile, retired=True)
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not rows:
            click.echo(f"No goals for profile {settings.profile!r} yet. Set one: ssi goal set 70 --by 2027-06-30")
        for row in rows:
            from ..trends.goals import figure_name

            state = f"retired {row['retired_at'][:10]}" if row["retired_at"] else "standing"
            by = f" by {row['by_day']}" if row["by_day"] else ""
            click.echo(f"#{row['id']} {figure_name(row['pillar'])} {row['target']:g}{by}, set {row['set_on']} "
                       f"({state})")
        return
    from ..trends.goals import goal_reports

    today = _today(store)
    reports = goal_reports(store, settings.profile, today)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in reports], indent=2, ensure_ascii=False))
        return
    if not reports:
        click.echo(f"No goal for profile {settings.profile!r} yet. Set one: ssi goal set 70 --by 2027-06-30 "
                   "(or --pillar people for a pillar).")
        return
    from .render import print_goals

    print_goals(reports)


@goal.command("set")
@click.argument("target", type=click.FloatRange(min=0, min_open=True, max=100))
@click.option("--by", "by_day", type=Day(), help="The day to reach it by.")
@click.option("--pillar", type=PillarName(), help="A goal for one pillar (0–25) instead of the SSI.")
@click.pass_obj
def goal_set(settings: Settings, target: float, by_day: date | None, pillar: str | None) -> None:
    """Set the goal for your SSI (or one pillar); it replaces the one before, which is kept."""
    if pillar is not None and target > 25:
        raise click.BadParameter(f"a pillar goes up to 25, not {target:g}", param_hint="TARGET")
    store = settings.store()
    today = _today(store)
    if by_day is not None and by_day <= today:
        raise click.BadParameter(f"{by_day} is not after today ({today})", param_hint="--by")
    goal_id = store.set_goal(settings.profile, pillar, target, by_day.isoformat() if by_day else None, _stamp(),
                             today.isoformat())
    from ..trends.goals import report

    found = report(store, settings.profile, next(g for g in store.goals(settings.profile) if g["id"] == goal_id),
                   today)
    click.echo(f"Goal #{goal_id} set. " + " ".join(found.lines()))


@goal.command("clear")
@click.option("--pillar", type=PillarName(), help="The pillar's goal instead of the SSI's.")
@click.option("--all", "every", is_flag=True, help="Every standing goal of the profile.")
@click.pass_obj
def goal_clear(settings: Settings, pillar: str | None, every: bool) -> None:
    """Retire a standing goal (it stays in `ssi goal --all`)."""
    store = settings.store()
    count = store.retire_goals(settings.profile, pillar, _stamp(), every=every)
    if not count:
        raise Failure(ExitCode.ERROR, f"profile {settings.profile!r} has no standing goal "
                                      f"{'at all' if every else 'for ' + (pillar or 'the SSI')}")
    click.echo(f"Retired {count} goal{'s' if count != 1 else ''}.")


# -- notes -----------------------------------------------------------------------------------------
@click.command()
@click.argument("text")
@click.option("--day", type=Day(), help="The day it happened [default: today].")
@click.option("--pillar", type=PillarName(), help="The pillar it is about.")
@click.pass_obj
def note(settings: Settings, text: str, day: date | None, pillar: str | None) -> None:
    """Note what you did ("published an article on pricing"), to see it on the timeline."""
    if not text.strip():
        raise click.BadParameter("say what happened", param_hint="TEXT")
    store = settings.store()
    today = _today(store)
    if day is not None and day > today:
        raise click.BadParameter(f"{day} is in the future (today is {today})", param_hint="--day")
    note_id = store.add_note(settings.profile, (day or today).isoformat(), text.strip(), pillar, _stamp())
    click.echo(f"Noted #{note_id} on {day or today}. `ssi notes --effect` shows what followed it.")


@click.group(invoke_without_command=True)
@click.option("--days", type=click.IntRange(min=1), help="Only the notes of the last N days.")
@click.option("--effect", is_flag=True,
              help="What each figure did in the 7 and 14 days after each note, next to its usual movement.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def notes(ctx: click.Context, days: int | None, effect: bool, as_json: bool) -> None:
    """Your notes (`ssi notes edit ID`, `ssi notes remove ID`)."""
    if ctx.invoked_subcommand is not None:
        return
    import datetime as dt

    settings: Settings = ctx.obj
    store = settings.store()
    since = (_today(store) - dt.timedelta(days=days - 1)).isoformat() if days else None
    found = store.notes(settings.profile, since)
    if effect:
        from ..trends.notes import effects

        followed = effects(store, settings.profile, found)
        if as_json:
            click.echo(json.dumps([f.to_json() for f in followed], indent=2, ensure_ascii=False))
            return
        if followed:
            click.echo("What each figure did next (not what caused it), against its usual change over as many days:")
        for item in followed:
            click.echo("\n".join(item.lines()))
    elif as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    else:
        for row in found:
            about = f" [{row['pillar']}]" if row["pillar"] else ""
            click.echo(f"#{row['id']} {row['day']}{about}: {row['text']}")
    if not found:
        click.echo(f"No notes for profile {settings.profile!r} yet. Add one: ssi note \"published an article\"")


def _own_note(store: Store, settings: Settings, note_id: int) -> dict[str, Any]:
    found = store.note(settings.profile, note_id)
    if found is None:
        raise Failure(ExitCode.USAGE, f"profile {settings.profile!r} has no note #{note_id} (see `ssi notes`)")
    return found


@notes.command("edit")
@click.argument("note_id", metavar="ID", type=int)
@click.option("--text", help="New words.")
@click.option("--day", type=Day(), help="Another day.")
@click.option("--pillar", type=PillarName(), help="Another pillar.")
@click.option("--no-pillar", is_flag=True, help="About no pillar in particular.")
@click.pass_obj
def notes_edit(settings: Settings, note_id: int, text: str | None, day: date | None, pillar: str | None,
               no_pillar: bool) -> None:
    """Change a note's words, day or pillar."""
    if pillar and no_pillar:
        raise click.UsageError("choose one of --pillar and --no-pillar")
    store = settings.store()
    _own_note(store, settings, note_id)
    changes: dict[str, Any] = {}
    if text is not None:
        if not text.strip():
            raise click.BadParameter("say what happened", param_hint="--text")
        changes["text"] = text.strip()
    if day is not None:
        if day > _today(store):
            raise click.BadParameter(f"{day} is in the future", param_hint="--day")
        changes["day"] = day.isoformat()
    if pillar or no_pillar:
        changes["pillar"] = pillar
    if not changes:
        raise click.UsageError("nothing to change: give --text, --day, --pillar or --no-pillar")
    store.update_note(note_id, changes, _stamp())
    row = _own_note(store, settings, note_id)
    click.echo(f"#{row['id']} {row['day']}{' [' + row['pillar'] + ']' if row['pillar'] else ''}: {row['text']}")


@notes.command("remove")
@click.argument("note_id", metavar="ID", type=int)
@click.pass_obj
def notes_remove(settings: Settings, note_id: int) -> None:
    """Remove a note."""
    store = settings.store()
    row = _own_note(store, settings, note_id)
    store.delete_note(note_id)
    click.echo(f"Removed note #{note_id} ({row['day']}: {row['text']}).")


# -- the weekly digest -----------------------------------------------------------------------------
@click.command()
@click.option("--week", metavar="YYYY-Www", help="The ISO week [default: the last week that has ended].")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "json"]), default="text",
              show_default=True, help="text is for the terminal; the others to paste, mail or script.")
@click.option("--send", "urls", multiple=True, metavar="URL",
              help="Send it (apprise URL; repeatable) with the chart attached where the service takes files.")
@click.pass_obj
def digest(settings: Settings, week: str | None, fmt: str, urls: tuple[str, ...]) -> None:
    """One week in a page: scores then and now, against your peers, ranks, goals, notes, focus.

    Exit codes: 0 printed (and sent), 1 no snapshot that week or a target did not accept it,
    2 a bad --week.
    """
    from ..trends.digest import BadWeek, build, last_full_week, parse_week, week_name

    store = settings.store()
    try:
        monday = parse_week(week) if week else last_full_week(_today(store))
    except BadWeek as exc:
        raise click.BadParameter(str(exc), param_hint="--week") from None
    found = build(store, settings.profile, monday)
    if found is None:
        sunday = monday + timedelta(days=6)
        raise Failure(ExitCode.ERROR, f"profile {settings.profile!r} has no snapshot in week {week_name(monday)} "
                                      f"({monday} to {sunday}); try another --week, or see `ssi history`")
    if fmt == "json":
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(found.to_markdown(), nl=False)
    elif fmt == "html":
        click.echo(found.to_html(), nl=False)
    else:
        from .render import print_digest

        print_digest(found)
    if urls:
        from ..schedule.alerts import send_digest

        if not send_digest(store, urls, found):
            raise Failure(ExitCode.ERROR, "the digest was not accepted by every --send target "
                                          "(check the URL; `apprise -vv` says more)")
        click.echo(f"Sent to {len(urls)} target{'s' if len(urls) != 1 else ''}.", err=True)
