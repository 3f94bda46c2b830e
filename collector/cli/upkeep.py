"""Looking after the tool: `ssi reparse`, `doctor`, `login`, `demo` and `browser install`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..outcomes import ExitCode
from .settings import Failure, Settings

if TYPE_CHECKING:
    from ..browser.login import SignedIn


@click.command()
@click.option("--dry-run", is_flag=True, help="Only say what would be added or changed; write nothing.")
@click.pass_obj
def reparse(settings: Settings, dry_run: bool) -> None:
    """Re-read every archived capture with today's parsers: update the snapshots whose figures
    change, and recover the days of runs that failed with a page we could not read (once each,
    never over a reading of the same day; marked source 'reparse:api' or 'reparse:page')."""
    from ..collection.reparse import reparse_all

    store = settings.store(read_only=dry_run)
    report = reparse_all(store, dry_run=dry_run)
    click.echo(report.summary())
    for line in report.details:
        click.echo(f"  {line}")


@click.command()
@click.pass_obj
def doctor(settings: Settings) -> None:
    """Check the browser, the profile and its login, and the database; say how to fix each."""
    from ..doctor import run_checks
    from .render import print_checks

    checks = run_checks(settings.db, settings.profile, settings.base_url, settings.browser_path)
    print_checks(checks)
    if not all(check.ok for check in checks):
        raise SystemExit(int(ExitCode.ERROR))


@click.command()
@click.option("--timeout", type=click.FloatRange(min=10), default=600, show_default=True, metavar="S",
              help="How long to wait for you to sign in.")
@click.option("--headless", is_flag=True,
              help="No window: sign in through the browser's remote debugging port instead (a server without "
                   "a screen; see the README).")
@click.option("--remote-debugging-port", type=int, metavar="PORT",
              help="Let another browser drive the sign-in page (with --headless: through chrome://inspect). "
                   "While the window is open, anyone on this machine can reach the port and the session "
                   "in it: use it on a machine only you log in to.")
@click.pass_obj
def login(settings: Settings, timeout: float, headless: bool, remote_debugging_port: int | None) -> None:
    """Sign in to LinkedIn in a visible browser window; the session stays in the profile.

    You sign in yourself (2FA and captchas included); ssi-collector never sees or stores your
    password. Tick "Keep me logged in": without it LinkedIn lets the session lapse within days.
    The browser and its profile are the ones every collection uses, so LinkedIn sees one device.
    Without a display, see the README's "How your session is kept" (ssh -X, or --headless with
    --remote-debugging-port).
    """
    from ..browser.login import LoginFailed, sign_in
    from .render import print_sign_in

    def waiting(holder: str) -> None:
        click.echo(f"Waiting for the profile to be free ({holder}) ...", err=True)

    if headless and not remote_debugging_port:
        raise click.UsageError("--headless needs --remote-debugging-port, to reach the sign-in page")
    try:
        done = sign_in(settings.profile, settings.base_url, settings.browser_path, timeout=timeout,
                       headless=headless, debugging_port=remote_debugging_port, waiting=waiting)
    except LoginFailed as exc:
        raise Failure(exc.code, str(exc)) from None
    _record_sign_in(settings, done)
    print_sign_in(done)


def _record_sign_in(settings: Settings, done: SignedIn) -> None:
    """The sign-in in the database too, for the dashboard's session panel; the session itself is
    already safe in the profile, so a database that cannot be written costs only a warning."""
    from ..store import Store, StoreError

    try:
        store = Store(settings.db_path(), hooks=settings.store_hooks)
        try:
            store.record_sign_in(settings.profile, done.at, "login", browser=done.browser.executable,
                                 browser_version=done.version,
                                 identity=done.identity.to_json() if done.identity else None,
                                 remember=done.remember, cookies=done.cookies)
        finally:
            store.close()
    except StoreError as exc:
        click.echo(f"warning: the sign-in could not be noted in the database ({exc})", err=True)


@click.command()
@click.pass_obj
def demo(settings: Settings) -> None:
    """The whole pipeline against the bundled stand-in site: no LinkedIn account needed.

    Starts the stand-in on a free port, collects through the real browser into a demo database
    (--db to choose; default demo.db in your data folder), then shows the history.
    """
    from dataclasses import replace
    from datetime import timedelta

    from rich.console import Console

    from ..browser.login import LoginFailed, sign_in
    from ..collection import early_browser
    from ..days import day_in, now
    from ..demo import demo_profile, fill_sign_in_form, prepare
    from ..standin import StandIn
    from .collect import make_request, run_collect
    from .render import command_name, print_history, print_result

    profile = demo_profile(settings.profile)
    demo_settings = replace(settings, db=settings.db_path("demo.db"), profile=profile)
    console = Console()
    store = demo_settings.store()
    made, body = prepare(store, profile, day_in(store, now()))
    store.close()
    if made:
        console.print(f"Generated {made} days of demo history (marked source='generated').", style="dim")
    with StandIn(mode="ok", body=body) as site:
        console.print(f"Stand-in for linkedin.com running at {site.url}", style="dim", highlight=False)
        visiting = replace(demo_settings, base_url=site.url)
        # Signed in as a person would be, on the stand-in's own form with "Keep me logged in"
        # ticked, in the demo profile's own browser: the one the collection then opens.
        try:
            done = sign_in(profile, site.url, settings.browser_path, timeout=60, headless=True,
                           fill=fill_sign_in_form)
        except LoginFailed as exc:
            raise Failure(exc.code, str(exc)) from None
        _record_sign_in(visiting, done)
        console.print(f"Signed in to the stand-in as {done.identity.summary() if done.identity else 'Chromium'}"
                      f"{'' if done.remember else ' (without Keep me logged in)'}.", style="dim", highlight=False)
        request = make_request(visiting, trigger="demo", force=True, headed=False, timeout=45)
        with early_browser(request, visiting.db_path()) as session:
            result, store = run_collect(visiting, request, session)
    print_result(result, store, profile)
    console.print()
    today = day_in(store, now())
    first = (today - timedelta(days=13)).isoformat()
    print_history(store.history(profile, first), profile, 14, store.notes(profile, first))
    console.print()
    from ..trends.goals import goal_reports
    from .render import print_goals

    reports = goal_reports(store, profile, today)
    if reports:
        print_goals(reports)
        console.print()
    db = demo_settings.db
    console.print(f"Demo database: [bold]{db}[/bold]", highlight=False)
    console.print("Try next:", highlight=False)
    ssi = command_name()
    for command in (f"{ssi} --db {db} --profile {profile} browse --open   # the dashboard",
                    f"{ssi} --db {db} --profile {profile} advice",
                    f"{ssi} --db {db} --profile {profile} chart --out ssi.png   # with goals and notes",
                    f"{ssi} --db {db} --profile {profile} digest   # last week, to read or forward",
                    f"{ssi} --db {db} --profile {profile} notes --effect",
                    f"{ssi} --db {db} --profile {profile} history --days 90",
                    f"{ssi} login    # then: ssi collect, for your own LinkedIn account"):
        console.print(f"  {command}", highlight=False, soft_wrap=True)


@click.group()
def browser() -> None:
    """The Chromium that ssi-collector runs."""


@browser.command("install")
def browser_install() -> None:
    """Make sure a Chromium exists: keep the one found, else Playwright's download, else Debian's
    packages with apt (as root or with password-less sudo); else say what to install."""
    from ..browser.install import main as install

    code = install()
    if code:
        raise SystemExit(code)
