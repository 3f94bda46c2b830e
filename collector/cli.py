"""The `ssi` command line. Heavy modules (Playwright, rich, the parsers) load inside the command
that needs them, so `ssi --help` answers at once."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from datetime import time as dt_time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .exit_codes import ExitCode, Failure

if TYPE_CHECKING:
    from .collect import Request, Result
    from .session import BrowserSession
    from .store import Store


@dataclass
class Settings:
    db: Path | None
    profile: str
    base_url: str
    browser_path: str | None

    def store(self, default_name: str = "ssi.db", *, read_only: bool = False) -> Store:
        from .paths import data_dir
        from .store import Store, StoreError

        try:
            return Store(self.db or data_dir() / default_name, read_only=read_only)
        except StoreError as exc:
            raise Failure(ExitCode.ERROR, str(exc)) from None


class _Commands(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        from .outcomes import StoreError

        try:
            return super().invoke(ctx)
        except StoreError as exc:  # read-only file, full disk, newer version...: one line, no traceback
            raise Failure(ExitCode.ERROR, str(exc)) from None
        except OSError as exc:  # a folder we cannot create, a file we cannot write
            where = f" ({exc.filename})" if exc.filename else ""
            raise Failure(ExitCode.ERROR, f"{exc.strerror or exc}{where}") from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="SSI_DB",
              help="The SQLite file [env SSI_DB; default: ssi.db in your user data folder].")
@click.option("--profile", default="default", show_default=True, envvar="SSI_PROFILE",
              help="Which LinkedIn account; each has its own browser session and rows [env SSI_PROFILE].")
@click.option("--base-url", default="https://www.linkedin.com", show_default=True, envvar="SSI_BASE_URL",
              help="The site to read; tests and the demo point it at a local stand-in [env SSI_BASE_URL].")
@click.option("--browser-path", envvar="SSI_BROWSER_PATH", metavar="PATH",
              help="A Chromium/Chrome executable [env SSI_BROWSER_PATH; default: Playwright's own, "
                   "else a system one].")
@click.version_option(package_name="ssi-collector", prog_name="ssi")
@click.pass_context
def main(ctx: click.Context, db: Path | None, profile: str, base_url: str, browser_path: str | None) -> None:
    """Keep a daily history of your LinkedIn Social Selling Index.

    Opens linkedin.com/sales/ssi in your own logged-in browser, reads every figure (your score, its
    four pillars, your industry and network ranks and averages) and keeps one snapshot a day in
    SQLite.
    """
    from .paths import check_profile_name

    try:
        check_profile_name(profile)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    ctx.obj = Settings(db=db, profile=profile, base_url=base_url.rstrip("/"), browser_path=browser_path)


STEPS = {
    "launching": "Launching the browser",
    "opening": "Opening the SSI page",
    "reading": "Reading the scores",
    "storing": "Storing the snapshot",
}


@contextmanager
def early_browser(settings: Settings, request: Request, default_db: str) -> Iterator[BrowserSession | None]:
    """The browser starts first, in its own thread, and the database is opened while it does; it
    is shut down last, after the result is printed (it starts closing as soon as it is done)."""
    from .collect import start_browser_early
    from .paths import data_dir

    session = start_browser_early(request, settings.db or data_dir() / default_db)
    try:
        yield session
    finally:
        if session is not None:
            session.close()


def run_collect(settings: Settings, request: Request, session: BrowserSession | None,
                default_db: str = "ssi.db") -> tuple[Result, Store]:
    """Collect with a live progress line on stderr; map failures to the contract's exit codes."""
    from rich.console import Console

    from .collect import collect
    from .outcomes import CollectError

    store = settings.store(default_db)
    with Console(stderr=True).status(STEPS["launching"]) as status:
        try:
            result = collect(store, request, on_step=lambda step: status.update(STEPS.get(step, step)),
                             session=session)
        except CollectError as exc:
            raise Failure(exc.code, str(exc)) from None
    return result, store


def make_request(settings: Settings, **options: Any) -> Request:
    from .collect import Request

    return Request(profile=settings.profile, base_url=settings.base_url, browser_path=settings.browser_path,
                   **options)


def print_result(result: Result, store: Store, profile: str) -> None:
    from rich.console import Console

    from .display import snapshot_table

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
    from .advice import advise

    advice = advise(store, profile)
    if advice is not None:
        console.print(advice.short(), highlight=False)


@main.command()
@click.option("--auth", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="STATE.json",
              help="Import the cookies of a Playwright storage-state file (e.g. from `shot-scraper auth`) first.")
@click.option("--force", is_flag=True, help="Collect even if today's snapshot exists (adds another).")
@click.option("--headed", is_flag=True, help="Show the browser window.")
@click.option("--timeout", type=click.FloatRange(min=1), default=45, show_default=True, metavar="S",
              help="Give up after this many seconds.")
@click.option("--all", "all_profiles", is_flag=True,
              help="Every profile with a session (or the --profile ones), one after another in one browser.")
@click.option("--profile", "profiles", multiple=True, metavar="NAME", help="With --all: only these profiles.")
@click.option("--trigger", type=click.Choice(["manual", "scheduled"]), default="manual", hidden=True,
              help="Recorded in runs.trigger; `ssi schedule` runs collections as 'scheduled'.")
@click.pass_obj
def collect(settings: Settings, auth: Path | None, force: bool, headed: bool, timeout: float, all_profiles: bool,
            profiles: tuple[str, ...], trigger: str) -> None:
    """Collect now: open the SSI page with your kept session and store today's snapshot.

    LinkedIn's own answer (the salesApiSsi request the page makes) decides the figures; the page
    is checked against it, and a page that disagrees or cannot be read is reported and kept,
    never at the cost of the day's snapshot.

    \b
    Exit codes: 0 stored (or already collected today; also when the page disagreed
    with LinkedIn's answer, which is reported), 3 login needed, 4 blocked or rate
    limited, 5 page not understood (no usable answer from LinkedIn, and the page
    alone could not be read or contradicts itself; the page is kept for `ssi reparse`),
    6 network or timeout, 7 another collection for this profile is running.
    With --all, the first failure's code.
    """
    if profiles and not all_profiles:
        raise click.UsageError("collect's --profile goes with --all (for one profile: ssi --profile NAME collect)")
    if all_profiles:
        if auth is not None:
            raise click.UsageError("--auth imports one profile's session: use it without --all")
        collect_all(settings, settings.store(), profiles, trigger=trigger, force=force, headed=headed,
                    timeout=timeout)
        return
    request = make_request(settings, trigger=trigger, force=force, headed=headed, timeout=timeout, auth=auth)
    with early_browser(settings, request, "ssi.db") as session:
        result, store = run_collect(settings, request, session)
        print_result(result, store, settings.profile)


def collect_all(settings: Settings, store: Store, profiles: tuple[str, ...], *, trigger: str, force: bool,
                headed: bool, timeout: float) -> None:
    from rich.console import Console

    from .collect import Request, collect_many
    from .outcomes import CollectError
    from .paths import check_profile_name
    from .sessions import profiles_with_session

    for name in profiles:
        try:
            check_profile_name(name)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--profile") from None
    names = list(profiles) or profiles_with_session(settings.base_url)
    if not names:
        raise Failure(ExitCode.LOGIN_NEEDED, "no profile has a session yet; run `ssi login` (or --profile NAME)")
    requests = [Request(profile=name, base_url=settings.base_url, browser_path=settings.browser_path,
                        trigger=trigger, force=force, headed=headed, timeout=timeout) for name in names]
    console = Console(highlight=False)
    with Console(stderr=True).status("Collecting") as status:
        outcomes = collect_many(store, requests,
                                on_step=lambda name, step: status.update(f"{name}: {STEPS.get(step, step)}"))
    failures: list[CollectError] = []
    for request, outcome in outcomes:
        if isinstance(outcome, CollectError):
            failures.append(outcome)
            console.print(f"[red]{request.profile}[/red]: {outcome}")
        elif outcome.snapshot is not None:
            console.print(f"[bold]{request.profile}[/bold]: SSI {outcome.snapshot.ssi:.2f}, "
                          f"stored #{outcome.snapshot_id}")
            if outcome.warning:
                console.print(f"  [yellow]warning:[/yellow] {outcome.warning}")
        else:
            console.print(f"{request.profile}: {outcome.message}")
    if failures:
        raise Failure(failures[0].code, f"{len(failures)} of {len(outcomes)} profiles failed")


@main.command()
@click.option("--days", type=click.IntRange(min=1), default=30, show_default=True, help="How far back to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as a JSON list.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the rows as CSV.")
@click.pass_obj
def history(settings: Settings, days: int, as_json: bool, as_csv: bool) -> None:
    """Your trend: one row a day (the day's last snapshot) with the change since the day before."""
    import datetime as dt

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    store = settings.store()
    since = (_today(store) - dt.timedelta(days=days - 1)).isoformat()
    rows = store.history(settings.profile, since)
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
    print_history(rows, settings.profile, days)


def _today(store: Store) -> date:
    """Today, in the zone the database counts its days in."""
    from .collect import store_day

    return date.fromisoformat(store_day(store, datetime.now(timezone.utc)))


def print_history(rows: list[dict[str, object]], profile: str, days: int) -> None:
    from rich.console import Console

    import sys

    from .display import history_footnote, history_lines, sparkline

    console = Console()
    if not rows:
        console.print(f"No snapshots for profile {profile!r} in the last {days} days. Run `ssi collect`.",
                      highlight=False)
        return
    values = [float(r["ssi"]) for r in rows]  # type: ignore[arg-type]
    console.print(f"[bold]{profile}[/bold]: SSI {values[0]:.2f} → {values[-1]:.2f} over {len(rows)} "
                  f"day{'s' if len(rows) != 1 else ''}  {sparkline(values)}", highlight=False)
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write("\n".join(history_lines(rows, colour)) + "\n")
    sys.stdout.flush()
    footnote = history_footnote(rows)
    if footnote:
        console.print(footnote, style="dim", highlight=False)


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print the snapshot as JSON (one object per file; a list when several files).")
@click.option("--explain", is_flag=True,
              help="Show, for each figure, every clue found, where on the page, at what precision, and "
                   "which one won. A page and an API body given together are read as one capture, as "
                   "`ssi collect` reads them.")
def parse(files: tuple[Path, ...], as_json: bool, explain: bool) -> None:
    """Read a saved SSI page (.html) or salesApiSsi body (.json) and print its figures.

    The kind is told from the content, not the file name. Exit 3 when the file is a sign-in,
    authwall, checkpoint or captcha page; exit 5 when it cannot be read as an SSI page.
    """
    import parsers

    if explain:
        _explain(files, as_json)
        return
    results: list[tuple[Path, parsers.Snapshot]] = []
    failures: list[tuple[ExitCode, str]] = []
    for path in files:
        try:
            results.append((path, parsers.parse(path.read_bytes())))
        except parsers.NotSsiPage as exc:
            failures.append((ExitCode.LOGIN_NEEDED, f"{path}: {exc}"))
        except parsers.ParseError as exc:
            failures.append((ExitCode.PAGE_NOT_UNDERSTOOD, f"{path}: {exc}"))
        except OSError as exc:
            failures.append((ExitCode.USAGE, f"{path}: cannot read ({exc.strerror})"))

    if as_json:
        # All or nothing: a list that silently lacks a file would misalign with the arguments.
        if not failures:
            objects = [snap.to_json() for _, snap in results]
            click.echo(json.dumps(objects[0] if len(files) == 1 else objects, indent=2, ensure_ascii=False))
    elif results:
        from rich.console import Console

        from .display import snapshot_table

        console = Console()
        for path, snap in results:
            console.print(f"[bold]{path}[/bold]  (read from the {'API body' if snap.source == 'api' else 'page'})",
                          highlight=False)
            console.print(snapshot_table(snap))
            console.print()
    _raise_last(failures)


def _raise_last(failures: list[tuple[ExitCode, str]]) -> None:
    for _, message in failures[:-1]:
        click.echo(f"error: {message}", err=True)
    if failures:
        code, message = failures[-1]
        raise Failure(code, message)


def _explain(files: tuple[Path, ...], as_json: bool) -> None:
    """`ssi parse --explain`: one explanation per file, or one for a page and a body together."""
    import parsers

    try:
        contents = [(path, path.read_bytes()) for path in files]
    except OSError as exc:
        raise Failure(ExitCode.USAGE, f"{exc.filename}: cannot read ({exc.strerror})") from None
    bodies = [(p, raw) for p, raw in contents if parsers.is_json(raw)]
    pages = [(p, raw) for p, raw in contents if not parsers.is_json(raw)]
    jobs: list[tuple[str, bytes | None, bytes | None]]
    if len(bodies) == 1 and len(pages) == 1:
        jobs = [(f"{pages[0][0]} with {bodies[0][0]}", bodies[0][1], pages[0][1])]
    else:
        jobs = [(str(p), raw, None) if parsers.is_json(raw) else (str(p), None, raw) for p, raw in contents]
    failures: list[tuple[ExitCode, str]] = []
    explained = []
    for name, body, page in jobs:
        found = parsers.explain(body, page)
        explained.append((name, found))
        if found.reading is None:
            blocked = page is not None and _is_blocker(page)
            failures.append((ExitCode.LOGIN_NEEDED if blocked else ExitCode.PAGE_NOT_UNDERSTOOD,
                             f"{name}: {found.outcome}"))
    if as_json:
        objects = [{"file": name, **found.to_json()} for name, found in explained]
        click.echo(json.dumps(objects[0] if len(objects) == 1 else objects, indent=2, ensure_ascii=False))
    else:
        from rich.console import Console

        from .display import explanation_lines

        console = Console(highlight=False, soft_wrap=True)
        for name, found in explained:
            for line in explanation_lines(name, found):
                console.print(line)
            console.print()
    _raise_last(failures)


def _is_blocker(page: bytes) -> bool:
    import parsers

    try:
        parsers.parse_page(page)
    except parsers.NotSsiPage:
        return True
    except parsers.ParseError:
        return False
    return False


def _clock_time(ctx: click.Context, param: click.Parameter, value: str) -> dt_time:
    import datetime as dt

    try:
        return dt.datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise click.BadParameter("use HH:MM, 24-hour (e.g. 09:00)") from None


@main.command()
@click.option("--at", "at", default="09:00", show_default=True, callback=_clock_time, metavar="HH:MM",
              help="The time of day to collect, on the wall clock of --tz.")
@click.option("--jitter", type=click.IntRange(min=0, max=720), default=30, show_default=True, metavar="MINUTES",
              help="Add a random delay of up to this many minutes (the same all day, per profile).")
@click.option("--tz", "tz_name", metavar="ZONE", help="An IANA time zone such as Europe/Paris [default: local].")
@click.option("--profile", "profiles", multiple=True, metavar="NAME",
              help="Collect this profile (repeatable) [default: every profile with a session].")
@click.option("--notify", multiple=True, metavar="URL",
              help="An apprise URL to alert (repeatable): desktop, mailto://, ntfy://, slack://, json://...")
@click.option("--drop-alert", type=click.FloatRange(min=0), default=3, show_default=True, metavar="N",
              help="Alert when the SSI falls more than N points below its best of the last 7 days.")
@click.option("--max-tries", type=click.IntRange(min=1, max=20), default=4, show_default=True,
              help="Attempts a day per profile before giving up (login failures are never retried).")
@click.option("--install", type=click.Choice(["systemd", "launchd"]),
              help="Write a service file that runs this daemon with these options.")
@click.option("--print", "print_only", is_flag=True, help="With --install: show the file instead of writing it.")
@click.option("--heartbeat", type=click.FloatRange(min=0.2), default=30, hidden=True)
@click.option("--retry-after", type=click.FloatRange(min=0.1), default=600, hidden=True)
@click.option("--blocked-after", type=click.FloatRange(min=0.1), default=7200, hidden=True)
@click.pass_context
def schedule(ctx: click.Context, at: dt_time, jitter: int, tz_name: str | None, profiles: tuple[str, ...],
             notify: tuple[str, ...], drop_alert: float, max_tries: int, install: str | None, print_only: bool,
             heartbeat: float, retry_after: float, blocked_after: float) -> None:
    """Run in the foreground and collect once a day, every day.

    At --at (plus jitter) for each profile with a session, one after another; and at start, or
    after the machine wakes, for any profile whose time has passed without today's snapshot.
    Network errors and blocks are retried with growing waits, a few times a day; a login failure
    is never retried, it is reported (--notify). Use --install to run it as a service.
    """
    import datetime as dt

    from .paths import check_profile_name

    settings: Settings = ctx.obj
    for name in profiles:
        try:
            check_profile_name(name)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--profile") from None
    if _global_profile(ctx):
        profiles = (settings.profile, *[p for p in profiles if p != settings.profile])
    tz = _zone(tz_name)
    if print_only and not install:
        raise click.UsageError("--print goes with --install systemd|launchd")
    if install:
        _install_service(ctx, install, print_only)
        return

    from .locks import scheduler_lock
    from .outcomes import Busy
    from .paths import data_dir, log_dir
    from .planning import Policy
    from .scheduler import Daemon, Options, setup_logging

    db = (settings.db or data_dir() / "ssi.db").resolve()
    policy = Policy(at=at, tz=tz, jitter=dt.timedelta(minutes=jitter), max_tries=max_tries,
                    retry_after=dt.timedelta(seconds=retry_after), blocked_after=dt.timedelta(seconds=blocked_after))
    options = Options(db=db, base_url=settings.base_url, browser_path=settings.browser_path, policy=policy,
                      tz_name=tz_name, profiles=profiles, notify=notify, drop_alert=drop_alert, heartbeat=heartbeat)
    try:
        with scheduler_lock(db):
            setup_logging(log_dir())
            settings.store().close()  # fail now, clearly, on a database we cannot use
            Daemon(options).run()
    except Busy as exc:
        raise Failure(ExitCode.BUSY, str(exc)) from None


def _zone(name: str | None) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name is None:
        from tzlocal import get_localzone

        return get_localzone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"unknown time zone {name!r} (use an IANA name such as Europe/Paris)",
                                 param_hint="--tz") from None


def _install_service(ctx: click.Context, kind: str, print_only: bool) -> None:
    """Write (or show) a service file running this same daemon, with the same options."""
    from . import service_files
    from .paths import data_dir, log_dir

    settings: Settings = ctx.obj
    params = ctx.params
    options = ["--at", params["at"].strftime("%H:%M"), "--jitter", str(params["jitter"])]
    if params["tz_name"]:
        options += ["--tz", params["tz_name"]]
    for name in params["profiles"]:
        options += ["--profile", name]
    for url in params["notify"]:
        options += ["--notify", url]
    options += ["--drop-alert", f"{params['drop_alert']:g}", "--max-tries", str(params["max_tries"])]
    global_options = ["--db", str((settings.db or data_dir() / "ssi.db").resolve())]
    if settings.base_url != "https://www.linkedin.com":
        global_options += ["--base-url", settings.base_url]
    if settings.browser_path:
        global_options += ["--browser-path", str(Path(settings.browser_path).resolve())]
    if _global_profile(ctx):
        global_options += ["--profile", settings.profile]
    command = service_files.daemon_command(options, global_options)
    env = {"SSI_DATA_DIR": str(data_dir())} if os.environ.get("SSI_DATA_DIR") else {}
    content: str | bytes = (service_files.systemd_unit(command, env) if kind == "systemd"
                            else service_files.launchd_plist(command, env, log_dir()))
    if print_only:
        click.echo(content if isinstance(content, str) else content.decode(), nl=False)
        return
    path = service_files.install(kind, content)
    click.echo(f"Wrote {path} (readable by you only).")
    click.echo(service_files.how_to_enable(kind, path))


def _global_profile(ctx: click.Context) -> str | None:
    """The global --profile when it was given (option or SSI_PROFILE), None when it is the default:
    commands that can span profiles (schedule, export) span them all unless told otherwise."""
    if ctx.parent is None or ctx.parent.get_parameter_source("profile") in (None, click.core.ParameterSource.DEFAULT):
        return None
    settings: Settings = ctx.obj
    return settings.profile


@main.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The picture to write: a .png or .svg file.")
@click.option("--days", type=click.IntRange(min=2), default=365, show_default=True, help="How far back.")
@click.pass_obj
def chart(settings: Settings, out: Path, days: int) -> None:
    """Draw SSI and the pillars over time, with the industry and network averages as reference lines."""
    import datetime as dt

    from .chart import ChartUnavailable, draw

    if out.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("the picture's name must end in .png or .svg", param_hint="--out")
    store = settings.store()
    since = (_today(store) - dt.timedelta(days=days - 1)).isoformat()
    rows = store.history(settings.profile, since)
    if len(rows) < 2:
        raise Failure(ExitCode.ERROR, f"profile {settings.profile!r} has {len(rows)} day(s) of history in the last "
                                      f"{days} days; a chart needs two")
    try:
        draw(rows, settings.profile, out)
    except ChartUnavailable as exc:
        raise Failure(ExitCode.ERROR, str(exc)) from None
    except OSError as exc:
        raise Failure(ExitCode.ERROR, f"cannot write {out}: {exc.strerror}") from None
    click.echo(f"Wrote {out} ({len(rows)} days, {rows[0]['day']} to {rows[-1]['day']}).")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the advice as JSON.")
@click.pass_obj
def advice(settings: Settings, as_json: bool) -> None:
    """Which pillar to work on next, and how: room to 25, gaps to your peers, 4-week trend."""
    from rich.console import Console
    from rich.table import Table

    from .advice import advise
    from .display import change, num

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


@main.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), required=True)
@click.option("--since", metavar="DATE", help="Only snapshots from this day on (YYYY-MM-DD).")
@click.option("--profile", "own_profile", metavar="NAME", help="Only this profile [default: all].")
@click.pass_context
def export(ctx: click.Context, fmt: str, since: str | None, own_profile: str | None) -> None:
    """Every snapshot as CSV or JSON on stdout (generated demo rows say so in `source`)."""
    import datetime as dt
    import sys

    from .export import rows, write

    if since is not None:
        try:
            since = dt.date.fromisoformat(since).isoformat()
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--since") from None
    settings: Settings = ctx.obj
    store = settings.store()
    write(sys.stdout, fmt, rows(store, own_profile or _global_profile(ctx), since))


@main.command()
@click.option("--dry-run", is_flag=True, help="Only say what would be added or changed; write nothing.")
@click.pass_obj
def reparse(settings: Settings, dry_run: bool) -> None:
    """Re-read every archived capture with today's parsers: update the snapshots whose figures
    change, and recover the days of runs that failed with a page we could not read (once each,
    never over a reading of the same day; marked source 'reparse:api' or 'reparse:page')."""
    from .reparse import reparse_all

    store = settings.store(read_only=dry_run)
    report = reparse_all(store, dry_run=dry_run)
    click.echo(report.summary())
    for line in report.details:
        click.echo(f"  {line}")


@main.command()
@click.pass_obj
def doctor(settings: Settings) -> None:
    """Check the browser, the profile and its login, and the database; say how to fix each."""
    from rich.console import Console
    from rich.markup import escape

    from .doctor import run_checks

    checks = run_checks(settings.db, settings.profile, settings.base_url, settings.browser_path)
    console = Console(soft_wrap=True, highlight=False)
    for check in checks:
        mark = "[red]!![/red]" if not check.ok else "[yellow]![/yellow] " if check.warn else "[green]ok[/green]"
        console.print(f"{mark} [bold]{check.name}[/bold]: {escape(check.detail)}")
        if (not check.ok or check.warn) and check.fix:
            console.print(f"   [yellow]{'fix' if not check.ok else 'note'}:[/yellow] {escape(check.fix)}")
    if not all(check.ok for check in checks):
        raise SystemExit(int(ExitCode.ERROR))


@main.command()
@click.option("--timeout", type=click.FloatRange(min=10), default=600, show_default=True, metavar="S",
              help="How long to wait for you to sign in.")
@click.option("--headless", is_flag=True, hidden=True, help="For automated tests: no window.")
@click.option("--remote-debugging-port", type=int, hidden=True, help="For automated tests: drive the browser.")
@click.pass_obj
def login(settings: Settings, timeout: float, headless: bool, remote_debugging_port: int | None) -> None:
    """Sign in to LinkedIn in a visible browser window; the session is kept in the profile.

    You sign in yourself (2FA and captchas included); ssi-collector never sees or stores your
    password. Without a display, use `xvfb-run ssi login`, or sign in elsewhere and import the
    session with `ssi collect --auth STATE.json`.
    """
    from .login import LoginFailed, sign_in

    try:
        where = sign_in(settings.profile, settings.base_url, settings.browser_path, timeout=timeout,
                        headless=headless, debugging_port=remote_debugging_port)
    except LoginFailed as exc:
        raise Failure(exc.code, str(exc)) from None
    click.echo(f"Signed in. The session is kept in {where} (readable by you only).")
    click.echo("Next: `ssi collect`.")


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Listen on this address; anything but loopback shows your history to the network.")
@click.option("--open", "open_browser", is_flag=True, help="Open the dashboard in your web browser.")
@click.pass_obj
def browse(settings: Settings, port: int, host: str, open_browser: bool) -> None:
    """Browse your history in Datasette, with a dashboard of charts (read-only)."""
    from .browse import BrowseUnavailable, is_loopback, serve

    store = settings.store()  # creates or upgrades the database first, so the views exist
    path = store.path
    profiles = [row["profile"] for row in store.db.query(
        "SELECT profile FROM snapshots GROUP BY profile ORDER BY MAX(collected_at) DESC")]
    store.close()
    default = settings.profile if settings.profile in profiles else (profiles[0] if profiles else None)
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach this machine can read your SSI history",
                   err=True)
    try:
        serve(path, default, host, port, open_browser)
    except BrowseUnavailable as exc:
        raise Failure(ExitCode.ERROR, str(exc)) from None


@main.command()
@click.pass_obj
def demo(settings: Settings) -> None:
    """The whole pipeline against the bundled stand-in site: no LinkedIn account needed.

    Starts the stand-in on a free port, collects through the real browser into a demo database
    (--db to choose; default demo.db in your data folder), then shows the history.
    """
    from .demo import run_demo

    run_demo(settings)


if __name__ == "__main__":
    main(prog_name="ssi")
