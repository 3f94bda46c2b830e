"""`ssi collect`: one profile (the browser started first), or every profile with `--all`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..outcomes import ExitCode
from .settings import Failure, ProfileName, Settings

if TYPE_CHECKING:
    from ..browser.visit import BrowserSession
    from ..collection import Request, Result
    from ..store import Store

STEPS = {
    "launching": "Launching the browser",
    "opening": "Opening the SSI page",
    "reading": "Reading the scores",
    "storing": "Storing the snapshot",
}


def make_request(settings: Settings, **options: Any) -> Request:
    from ..collection import Request

    return Request(profile=settings.profile, base_url=settings.base_url, browser_path=settings.browser_path,
                   **options)


def run_collect(settings: Settings, request: Request, session: BrowserSession | None,
                default_db: str = "ssi.db") -> tuple[Result, Store]:
    """Collect with a live progress line on stderr; map failures to the contract's exit codes."""
    from rich.console import Console

    from ..collection import collect as collect_one
    from ..outcomes import CollectError

    store = settings.store(default_db)
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    with console.status(STEPS["launching"]) as status:
        try:
            result = collect_one(store, request, on_step=lambda step: status.update(STEPS.get(step, step)),
                                 session=session, notice=lambda line: console.print(f"warning: {line}", markup=False))
        except CollectError as exc:
            raise Failure(exc.code, str(exc)) from None
    return result, store


@click.command()
@click.option("--auth", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="STATE.json",
              help="Bring in a session from elsewhere: the cookies of a Playwright storage-state file (e.g. from "
                   "`shot-scraper auth`), imported into the profile's browser once.")
@click.option("--force", is_flag=True, help="Collect even if today's snapshot exists (adds another).")
@click.option("--headed", is_flag=True, help="Show the browser window.")
@click.option("--timeout", type=click.FloatRange(min=1), default=45, show_default=True, metavar="S",
              help="Give up after this many seconds.")
@click.option("--all", "all_profiles", is_flag=True,
              help="Every profile with a session (or the --profile ones), one after another in one browser.")
@click.option("--profile", "profiles", type=ProfileName(), multiple=True, help="With --all: only these profiles.")
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
        collect_all(settings, profiles, trigger=trigger, force=force, headed=headed, timeout=timeout)
        return
    from ..collection import early_browser
    from .render import print_result

    request = make_request(settings, trigger=trigger, force=force, headed=headed, timeout=timeout, auth=auth)
    with early_browser(request, settings.db_path()) as session:
        result, store = run_collect(settings, request, session)
        print_result(result, store, settings.profile)
        store.close()


def collect_all(settings: Settings, profiles: tuple[str, ...], *, trigger: str, force: bool, headed: bool,
                timeout: float) -> None:
    from rich.console import Console

    from ..browser.session_files import profiles_with_session
    from ..collection import Request, collect_many
    from ..outcomes import CollectError

    names = list(profiles) or profiles_with_session(settings.base_url)
    if not names:
        raise Failure(ExitCode.LOGIN_NEEDED, "no profile has a session yet; run `ssi login` (or --profile NAME)")
    store = settings.store()
    requests = [Request(profile=name, base_url=settings.base_url, browser_path=settings.browser_path,
                        trigger=trigger, force=force, headed=headed, timeout=timeout) for name in names]
    console = Console(highlight=False)
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    with errors.status("Collecting") as status:
        outcomes = collect_many(store, requests,
                                on_step=lambda name, step: status.update(f"{name}: {STEPS.get(step, step)}"),
                                notice=lambda name, line: errors.print(f"warning: {name}: {line}", markup=False))
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
