"""Which day is it: the one rule every part uses (a collection, the scheduler, history, reparse,
doctor, the demo).

A snapshot is filed under the date of its moment in the database's day zone (the `day_zone`
setting, which `ssi schedule --tz` records), else in the machine's zone, so that a manual and a
scheduled collection always agree on what "today" is.
"""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_ZONE = "day_zone"  # the settings key


def zone_named(name: str | None) -> tzinfo | None:
    """The IANA zone called ``name``; None for no name or an unknown one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def day_of(moment: datetime, zone: tzinfo | None = None) -> date:
    """The date ``moment`` falls on in ``zone`` (None: the machine's zone)."""
    return (moment.astimezone(zone) if zone is not None else moment.astimezone()).date()


class Zoned(Protocol):
    def day_zone(self) -> tzinfo | None: ...


def day_in(store: Zoned, moment: datetime) -> date:
    """The date ``moment`` falls on in the database's day zone (a Store's ``day_zone()``)."""
    return day_of(moment, store.day_zone())


def now() -> datetime:
    return datetime.now(timezone.utc)


def utc_iso(moment: datetime) -> str:
    """How moments are stored: ISO 8601 in UTC, to the second."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_moment(text: str) -> datetime:
    """A stored moment back (older rows may end in Z)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
