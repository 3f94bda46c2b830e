"""`ssi parse`: read saved pages and API bodies, and `--explain` why they read as they do."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..outcomes import ExitCode
from .settings import Failure


@click.command()
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

        from .render import snapshot_table

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
            failures.append((ExitCode.LOGIN_NEEDED if found.blocked else ExitCode.PAGE_NOT_UNDERSTOOD,
                             f"{name}: {found.outcome}"))
    if as_json:
        objects = [{"file": name, **found.to_json()} for name, found in explained]
        click.echo(json.dumps(objects[0] if len(objects) == 1 else objects, indent=2, ensure_ascii=False))
    else:
        from rich.console import Console

        from .render import explanation_lines

        console = Console(highlight=False, soft_wrap=True)
        for name, found in explained:
            for line in explanation_lines(name, found):
                console.print(line)
            console.print()
    _raise_last(failures)
