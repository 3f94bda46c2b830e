"""The `ssi` command line: a thin layer over the core. Each command parses its options, calls
the core (collector.collection, .store, .schedule, .trends, .browser, parsers) and renders the
answer (`render`); failures become one line and the contract's exit code (`settings.Failure`).

Heavy modules (Playwright, rich, the parsers, sqlite-utils) load inside the command that needs
them, so `ssi --help` answers at once.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..outcomes import ExitCode, Interrupted, StoreError, signal_name
from . import collect, importing, parse, progress, schedule, trends, upkeep
from .settings import Failure, ProfileName, Settings

__all__ = ["Failure", "Settings", "main", "run"]


class _Commands(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except StoreError as exc:  # read-only file, full disk, newer version...: one line, no traceback
            raise Failure(ExitCode.ERROR, str(exc)) from None
        except OSError as exc:  # a folder we cannot create, a file we cannot write
            where = f" ({exc.filename})" if exc.filename else ""
            raise Failure(ExitCode.ERROR, f"{exc.strerror or exc}{where}") from None
        except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: one line, and 128 + the signal, as shells expect
            name, signum = signal_name(exc)
            click.echo(f"error: stopped by {name}; a collection under way is recorded as interrupted", err=True)
            ctx.exit(128 + signum)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="SSI_DB",
              help="The SQLite file [env SSI_DB; default: ssi.db in your user data folder].")
@click.option("--profile", type=ProfileName(), default="default", show_default=True, envvar="SSI_PROFILE",
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
    SQLite. See docs/design.md for the contract.
    """
    from ..store import StoreHooks

    # A test harness may hand in hooks for the store (tests/harness.py); nothing else sets ctx.obj.
    hooks = ctx.obj if isinstance(ctx.obj, StoreHooks) else None
    ctx.obj = Settings(db=db, profile=profile, base_url=base_url.rstrip("/"), browser_path=browser_path,
                       store_hooks=hooks)


for _command in (collect.collect, parse.parse, schedule.schedule, trends.history, trends.chart, trends.advice,
                 trends.export, trends.browse, importing.import_history, upkeep.reparse, upkeep.doctor,
                 upkeep.login, upkeep.demo, upkeep.browser, progress.goal, progress.note, progress.notes,
                 progress.digest):
    main.add_command(_command)


def run() -> None:
    """The `ssi` executable: `main`, then a prompt exit. Tearing the interpreter down module by
    module after a collection (Playwright, rich, sqlite-utils, lxml) and waiting for Playwright's
    driver to wind down takes 0.1-0.2 s that the person waits for and nothing needs: every command
    has closed what it opened by then. So, with output flushed and logging shut down, the process
    ends at once (os._exit). `main` itself is a plain click command, for tests and `python -m`."""
    import contextlib
    import logging
    import os
    import signal
    import sys

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    signal.signal(signal.SIGTERM, stop)  # unwind as Ctrl-C does (the scheduler's daemon sets its own)
    try:
        main(prog_name="ssi")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing left to say
            stream.flush()
    os._exit(code)

