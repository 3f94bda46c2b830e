"""`ssi schedule`: the daily daemon in the foreground, or a service file that runs it."""

from __future__ import annotations

import os
from datetime import time as dt_time
from pathlib import Path

import click

from ..outcomes import ExitCode
from ..schedule import WEEKDAYS as _WEEKDAYS  # the package alone: the scheduler loads only when it runs
from .settings import ClockTime, Failure, ProfileName, Settings, global_profile, zone_or_local


@click.command()
@click.option("--at", "at", type=ClockTime(), default="09:00", show_default=True,
              help="The time of day to collect, on the wall clock of --tz.")
@click.option("--jitter", type=click.IntRange(min=0, max=720), default=30, show_default=True, metavar="MINUTES",
              help="Add a random delay of up to this many minutes (the same all day, per profile).")
@click.option("--tz", "tz_name", metavar="ZONE", help="An IANA time zone such as Europe/Paris [default: local].")
@click.option("--profile", "profiles", type=ProfileName(), multiple=True,
              help="Collect this profile (repeatable) [default: every profile with a session].")
@click.option("--notify", multiple=True, metavar="URL",
              help="An apprise URL to alert (repeatable): desktop, mailto://, ntfy://, slack://, json://...")
@click.option("--drop-alert", type=click.FloatRange(min=0), default=3, show_default=True, metavar="N",
              help="Alert when the SSI falls more than N points below its best of the last 7 days.")
@click.option("--max-tries", type=click.IntRange(min=1, max=20), default=4, show_default=True,
              help="Attempts a day per profile before giving up (login failures are never retried).")
@click.option("--digest", "digest_day", type=click.Choice(_WEEKDAYS, case_sensitive=False), metavar="WEEKDAY",
              help="Also send last week's digest (`ssi digest`) to --notify every WEEKDAY (e.g. monday) at --at.")
@click.option("--install", type=click.Choice(["systemd", "launchd"]),
              help="Write a service file that runs this daemon with these options.")
@click.option("--print", "print_only", is_flag=True, help="With --install: show the file instead of writing it.")
@click.option("--heartbeat", type=click.FloatRange(min=0.2), default=30, hidden=True)
@click.option("--retry-after", type=click.FloatRange(min=0.1), default=600, hidden=True)
@click.option("--blocked-after", type=click.FloatRange(min=0.1), default=7200, hidden=True)
@click.option("--child-timeout", type=click.FloatRange(min=1), default=300, hidden=True)
@click.pass_context
def schedule(ctx: click.Context, at: dt_time, jitter: int, tz_name: str | None, profiles: tuple[str, ...],
             notify: tuple[str, ...], drop_alert: float, max_tries: int, digest_day: str | None, install: str | None,
             print_only: bool, heartbeat: float, retry_after: float, blocked_after: float,
             child_timeout: float) -> None:
    """Run in the foreground and collect once a day, every day.

    At --at (plus jitter) for each profile with a session, one after another; and at start, or
    after the machine wakes, for any profile whose time has passed without today's snapshot.
    Network errors and blocks are retried with growing waits, a few times a day; a login failure
    is never retried, it is reported (--notify). Use --install to run it as a service.
    """
    import datetime as dt

    settings: Settings = ctx.obj
    if global_profile(ctx):
        profiles = (settings.profile, *[p for p in profiles if p != settings.profile])
    tz = zone_or_local(tz_name)
    if print_only and not install:
        raise click.UsageError("--print goes with --install systemd|launchd")
    if digest_day and not notify:
        raise click.UsageError("--digest sends to the --notify URLs: give at least one")
    if install:
        _install_service(ctx, install, print_only)
        return

    from ..locks import scheduler_lock
    from ..outcomes import Busy
    from ..paths import log_dir
    from ..schedule.daemon import Daemon, Options, setup_logging
    from ..schedule.planning import Policy

    db = settings.db_path().resolve()
    policy = Policy(at=at, tz=tz, jitter=dt.timedelta(minutes=jitter), max_tries=max_tries,
                    retry_after=dt.timedelta(seconds=retry_after), blocked_after=dt.timedelta(seconds=blocked_after))
    options = Options(db=db, base_url=settings.base_url, browser_path=settings.browser_path, policy=policy,
                      tz_name=tz_name, profiles=profiles, notify=notify, drop_alert=drop_alert, heartbeat=heartbeat,
                      digest_day=_WEEKDAYS.index(digest_day.lower()) if digest_day else None,
                      child_timeout=child_timeout)
    try:
        with scheduler_lock(db):
            setup_logging(log_dir())
            settings.store().close()  # fail now, clearly, on a database we cannot use
            Daemon(options).run()
    except Busy as exc:
        raise Failure(ExitCode.BUSY, str(exc)) from None


def _install_service(ctx: click.Context, kind: str, print_only: bool) -> None:
    """Write (or show) a service file running this same daemon, with the same options."""
    from ..paths import data_dir, log_dir
    from ..schedule import service_files

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
    if params["digest_day"]:
        options += ["--digest", params["digest_day"].lower()]
    global_options = ["--db", str(settings.db_path().resolve())]
    if settings.base_url != "https://www.linkedin.com":
        global_options += ["--base-url", settings.base_url]
    if settings.browser_path:
        global_options += ["--browser-path", str(Path(settings.browser_path).resolve())]
    if global_profile(ctx):
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
