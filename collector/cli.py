"""The `ssi` command line. Heavy modules (Playwright, rich, the parsers) load inside the command
that needs them, so `ssi --help` answers at once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

from .exit_codes import ExitCode, Failure


@dataclass
class Settings:
    db: Path | None
    profile: str
    base_url: str
    browser_path: str | None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    ctx.obj = Settings(db=db, profile=profile, base_url=base_url.rstrip("/"), browser_path=browser_path)


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print the snapshot as JSON (one object per file; a list when several files).")
def parse(files: tuple[Path, ...], as_json: bool) -> None:
    """Read a saved SSI page (.html) or salesApiSsi body (.json) and print its figures.

    The kind is told from the content, not the file name. Exit 3 when the file is a sign-in,
    authwall, checkpoint or captcha page; exit 5 when it cannot be read as an SSI page.
    """
    import parsers

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
    for _, message in failures[:-1]:
        click.echo(f"error: {message}", err=True)
    if failures:
        code, message = failures[-1]
        raise Failure(code, message)


if __name__ == "__main__":
    main(prog_name="ssi")
