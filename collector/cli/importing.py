"""`ssi import`: the history other trackers kept, into a profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .settings import Failure, Settings

if TYPE_CHECKING:
    from ..importing import ImportReport


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", metavar="NAME",
              help="Read every file as this format instead of telling it by content: socialedge, beacon, "
                   "linkmate, ssi-data, link_ssi, csv, ssi-collector.")
@click.option("--map", "mapping", metavar="HEADER=FIELD,...",
              help='Name a spreadsheet\'s columns, e.g. "Datum=day,Gesamt=ssi,Marke=brand" (fields: day, '
                   "moment, ssi, brand, people, insights, relationships, industry_rank, network_rank, "
                   "industry_ssi, network_ssi, industry).")
@click.option("--dry-run", is_flag=True, help="Show what would be added and skipped; write nothing.")
@click.option("--skip-bad", is_flag=True, help="Import the good rows of a file that has unreadable ones.")
@click.option("--replace-imports", is_flag=True,
              help="Replace days imported before (never a day collected by ssi-collector itself).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def import_history(settings: Settings, files: tuple[Path, ...], fmt: str | None, mapping: str | None, dry_run: bool,
                   skip_bad: bool, replace_imports: bool, as_json: bool) -> None:
    """Bring in the history another tracker kept: socialedge's exports, linkedin-beacon and
    linkmate storage dumps, linkedin-ssi-data's daily CSVs (files or a folder), link_ssi's CSV,
    a spreadsheet of your own, or an `ssi export` file. Told apart by content.

    Each figure is kept as exactly as its source has it, and marked where it is rounded or
    truncated there. A day keeps the day's last capture; a day already collected is never
    overwritten; importing the same file twice adds nothing. All or nothing: a file with
    unreadable rows imports none of them without --skip-bad.

    \b
    Exit codes: 0 imported (or nothing new), 1 nothing imported: rows could not
    be read (see the report; --skip-bad), 2 a file that cannot be read or is none
    of the formats, or a bad --map.
    """
    from parsers.trackers import FORMATS
    from parsers.trackers.spreadsheet import BadMapping, parse_mapping

    from ..importing import ImportRefused, import_files

    if fmt is not None and fmt not in FORMATS:
        raise click.BadParameter(f"one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        columns = parse_mapping(mapping) if mapping else None
    except BadMapping as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None
    store = settings.store(read_only=dry_run)
    try:
        report = import_files(store, settings.profile, list(files), format=fmt, mapping=columns,
                              replace_imports=replace_imports, skip_bad=skip_bad, dry_run=dry_run)
    except ImportRefused as exc:
        if exc.report is not None:
            _show(exc.report, as_json)
        raise Failure(exc.code, str(exc)) from None
    _show(report, as_json)


def _show(report: ImportReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return
    for line in report.lines():
        click.echo(line)
    if not (report.bad and not report.skip_bad):
        click.echo(report.summary())
