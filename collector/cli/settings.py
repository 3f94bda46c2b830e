"""What every command shares: the global options (Settings), the one-line failure with its exit
code (Failure), and the option types (a profile name, a time of day, a time zone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time as dt_time
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..outcomes import ExitCode

if TYPE_CHECKING:
    from ..store import Store, StoreHooks


class Failure(click.ClickException):
    """What happened and what to do, in one line, with the contract's exit code."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.exit_code = int(code)  # type: ignore[misc]  # click declares it on the class

    def show(self, file: object = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


@dataclass
class Settings:
    """The global options, as every command receives them."""

    db: Path | None
    profile: str
    base_url: str
    browser_path: str | None
    store_hooks: StoreHooks | None = field(default=None, repr=False)  # set by a test harness only

    def db_path(self, default_name: str = "ssi.db") -> Path:
        from ..paths import data_dir

        return self.db or data_dir() / default_name

    def store(self, default_name: str = "ssi.db", *, read_only: bool = False) -> Store:
        from ..store import Store, StoreError

        try:
            return Store(self.db_path(default_name), read_only=read_only, hooks=self.store_hooks)
        except StoreError as exc:
            raise Failure(ExitCode.ERROR, str(exc)) from None


class ProfileName(click.ParamType):
    """A profile name, checked by the one rule (collector.paths.check_profile_name)."""

    name = "NAME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..paths import check_profile_name

        try:
            return check_profile_name(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class ClockTime(click.ParamType):
    """A time of day as HH:MM, 24-hour."""

    name = "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt_time:
        if isinstance(value, dt_time):
            return value
        import datetime as dt

        try:
            return dt.datetime.strptime(str(value), "%H:%M").time()
        except ValueError:
            self.fail("use HH:MM, 24-hour (e.g. 09:00)", param, ctx)


def zone_or_local(name: str | None) -> tzinfo:
    """The IANA zone ``name`` (collector.days' rule), or the machine's own zone; a usage error
    for a name that is not a zone."""
    from ..days import zone_named

    if name is None:
        from tzlocal import get_localzone

        return get_localzone()
    zone = zone_named(name)
    if zone is None:
        raise click.BadParameter(f"unknown time zone {name!r} (use an IANA name such as Europe/Paris)",
                                 param_hint="--tz")
    return zone


def global_profile(ctx: click.Context) -> str | None:
    """The global --profile when it was given (option or SSI_PROFILE), None when it is the default:
    commands that can span profiles (schedule, export) span them all unless told otherwise."""
    parent = ctx.find_root()
    if parent.get_parameter_source("profile") in (None, click.core.ParameterSource.DEFAULT):
        return None
    settings: Settings = ctx.obj
    return settings.profile


class PillarName(click.ParamType):
    """One of the four pillars by its key (parsers.PILLAR_KEYS, read only when an option is given,
    so that `ssi --help` does not load the parsers)."""

    name = "brand|people|insights|relationships"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from parsers import PILLAR_KEYS

        text = str(value).strip().lower()
        if text not in PILLAR_KEYS:
            self.fail(f"{value!r} is not a pillar: one of {', '.join(PILLAR_KEYS)}", param, ctx)
        return text


class Day(click.ParamType):
    """A day as YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime as dt

        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a day: use YYYY-MM-DD", param, ctx)
