"""The `ssi` executable: the command line, with Playwright's driver started first when the
command is `ssi collect`.

A collection waits on the browser, and the browser on Playwright's driver, a Node.js process that
takes a quarter of a second to boot. Started here, before click and the command modules load, it
boots while they do (collector.browser.driver), which the benchmark measured as a tenth of a
collection. Every other command starts nothing. This module imports nothing of the command line
before deciding.
"""

from __future__ import annotations

import sys

# The global options that take a value (collector.cli.main): their value is not the command.
_VALUED = frozenset({"--db", "--profile", "--base-url", "--browser-path"})


def command_of(argv: list[str]) -> str | None:
    """The subcommand `ssi` was given, past the global options; None for none, or for help."""
    args = iter(argv)
    for arg in args:
        if arg in ("-h", "--help", "--version"):
            return None
        if arg in _VALUED:
            next(args, None)
        elif not arg.startswith("-"):
            return None if any(a in ("-h", "--help") for a in args) else arg
    return None


def run() -> None:
    if command_of(sys.argv[1:]) == "collect":
        from .browser.driver import start_early

        start_early()
    from .cli import run as run_command_line

    run_command_line()
