"""When to collect: pure decisions from the clock and from what the database says.

No I/O and no APScheduler here, so that every rule (jitter, time zones and DST days, catch-up,
back-off, the daily bound, never retrying a login failure) is tested with an injected clock.
The daemon asks `decide` for each profile on every tick and does what it says.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

from ..days import day_of
from ..outcomes import RETRYABLE
from . import WEEKDAYS

__all__ = ["RETRYABLE", "WEEKDAYS", "Attempt", "Day", "Decision", "Policy", "backoff", "day_end", "decide",
           "digest_due", "due_at", "jitter_for", "local_day"]

Action = Literal["collect", "wait", "done", "gave_up", "needs_login"]


@dataclass(frozen=True)
class Policy:
    at: time = time(9, 0)
    tz: tzinfo = timezone.utc
    jitter: timedelta = timedelta(minutes=30)
    max_tries: int = 4  # scheduled attempts a day, the first one included
    retry_after: timedelta = timedelta(minutes=10)  # after a network error, a broken page, a crash
    blocked_after: timedelta = timedelta(hours=2)  # after 429/999: LinkedIn asked us to slow down
    busy_after: timedelta = timedelta(minutes=2)  # another collection held the profile
    growth: float = 3.0  # each further wait is this many times longer


@dataclass(frozen=True)
class Attempt:
    finished_at: datetime
    status: str


@dataclass(frozen=True)
class Day:
    """What the database says about one profile's day (in the schedule's time zone)."""

    collected: bool = False
    attempts: tuple[Attempt, ...] = ()  # scheduled attempts today, oldest first


@dataclass(frozen=True)
class Decision:
    action: Action
    at: datetime | None  # when to collect, or when to look again
    reason: str
    failures: int = field(default=0, compare=False)


def jitter_for(profile: str, day: date, jitter: timedelta) -> timedelta:
    """A random delay that is the same every time it is asked for the same profile and day, so
    a restarted daemon keeps today's time instead of rolling a new one."""
    if jitter <= timedelta(0):
        return timedelta(0)
    digest = hashlib.sha256(f"{profile}|{day.isoformat()}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return timedelta(seconds=int(fraction * jitter.total_seconds()))


def due_at(profile: str, day: date, policy: Policy) -> datetime:
    """The moment (UTC) of ``day``'s collection: --at on that day's wall clock in --tz, plus jitter.

    On the day clocks spring forward, a time inside the gap (02:30 that never happens) is taken
    as the same distance past the change (03:30); on the day they fall back, a time that happens
    twice is taken the first time. The jitter never carries it past the day's last minute: a
    collection due "tomorrow" would leave today without one.
    """
    wall = datetime.combine(day, policy.at).replace(tzinfo=policy.tz, fold=0)
    instant = wall.astimezone(timezone.utc) + jitter_for(profile, day, policy.jitter)
    return min(instant, day_end(day, policy) - timedelta(minutes=1))


def day_end(day: date, policy: Policy) -> datetime:
    """The moment (UTC) ``day`` ends in the schedule's zone."""
    return datetime.combine(day + timedelta(days=1), time(0)).replace(tzinfo=policy.tz).astimezone(timezone.utc)


def local_day(moment: datetime, policy: Policy) -> date:
    """The schedule's day of ``moment`` (collector.days' rule, in the schedule's zone)."""
    return day_of(moment, policy.tz)


def backoff(status: str, failures: int, policy: Policy) -> timedelta:
    """How long to wait after the ``failures``-th failed attempt of the day that ended with ``status``."""
    if status == "skipped":
        return policy.busy_after
    base = policy.blocked_after if status == "blocked" else policy.retry_after
    return base * policy.growth ** max(0, failures - 1)


def decide(profile: str, now: datetime, policy: Policy, today: Day, *, needs_login: bool = False) -> Decision:
    """What to do about ``profile`` at ``now``.

    ``needs_login``: the profile's last run found its session dead and nobody has signed in
    since; collecting again would only invite a checkpoint. (A login failure earlier today no
    longer counts once the person has signed in again: the caller tells that from the session
    file.)
    """
    day = local_day(now, policy)
    tomorrow = due_at(profile, day + timedelta(days=1), policy)
    if today.collected:
        return Decision("done", tomorrow, "collected today")
    if needs_login:
        return Decision("needs_login", None, "the session needs `ssi login`")
    due = due_at(profile, day, policy)
    if now < due:
        return Decision("wait", due, "scheduled")
    failures = [a for a in today.attempts if a.status in RETRYABLE]
    if len(failures) >= policy.max_tries:
        return Decision("gave_up", tomorrow, f"failed on all {policy.max_tries} tries today", len(failures))
    if today.attempts:
        last = today.attempts[-1]
        retry = last.finished_at + backoff(last.status, len(failures), policy)
        if retry >= day_end(day, policy) and last.status in RETRYABLE:
            return Decision("gave_up", tomorrow, "no time left today for another try", len(failures))
        if now < retry:
            return Decision("wait", retry, f"retry after {last.status}", len(failures))
        return Decision("collect", now, f"retry {len(failures) + 1} of {policy.max_tries}", len(failures))
    return Decision("collect", now, "scheduled" if now - due < timedelta(minutes=5) else "catch-up")


def digest_due(now: datetime, policy: Policy, weekday: int) -> tuple[date, datetime]:
    """The weekly digest's week (its Monday) and when it is due (UTC), at ``now``.

    It tells about the last week that has ended (Monday to Sunday in the schedule's zone) and is
    due on ``weekday`` (0 Monday) of the week after, at --at without jitter. Until this week's
    day comes, the due one is still last week's: a missed Monday is caught up on any later day,
    and a digest skipped whole (the machine off all week) is superseded by the next one.
    """
    today = local_day(now, policy)
    monday = today - timedelta(days=today.weekday())
    due = datetime.combine(monday + timedelta(days=weekday), policy.at).replace(tzinfo=policy.tz, fold=0)
    if now < due.astimezone(timezone.utc):
        monday -= timedelta(days=7)
        due -= timedelta(days=7)
    return monday - timedelta(days=7), due.astimezone(timezone.utc)
