"""The schedule's rules as pure functions of an injected clock."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


from collector.schedule.planning import Attempt, Day, Policy, backoff, decide, due_at, jitter_for

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_due_time_is_the_wall_clock_in_the_zone() -> None:
    policy = Policy(at=time(9, 0), tz=BERLIN, jitter=timedelta(0))
    assert due_at("p", date(2026, 1, 15), policy) == utc(2026, 1, 15, 8, 0)  # CET = UTC+1
    assert due_at("p", date(2026, 7, 15), policy) == utc(2026, 7, 15, 7, 0)  # CEST = UTC+2


def test_jitter_is_bounded_and_stable_per_profile_and_day() -> None:
    jitter = timedelta(minutes=30)
    values = {jitter_for(f"p{i}", date(2026, 3, 1), jitter) for i in range(200)}
    assert all(timedelta(0) <= v < jitter for v in values)
    assert len(values) > 150  # spread, not one value
    assert jitter_for("a", date(2026, 3, 1), jitter) == jitter_for("a", date(2026, 3, 1), jitter)
    assert jitter_for("a", date(2026, 3, 1), jitter) != jitter_for("a", date(2026, 3, 2), jitter)
    policy = Policy(at=time(9, 0), tz=timezone.utc, jitter=jitter)
    assert due_at("a", date(2026, 3, 1), policy) == utc(2026, 3, 1, 9) + jitter_for("a", date(2026, 3, 1), jitter)


def test_spring_forward_gap_and_fall_back_repeat() -> None:
    # New York, 2026-03-08: 02:00 jumps to 03:00, so 02:30 never happens on the wall clock.
    spring = Policy(at=time(2, 30), tz=NY, jitter=timedelta(0))
    assert due_at("p", date(2026, 3, 8), spring) == utc(2026, 3, 8, 7, 30)  # = 03:30 EDT, once
    assert due_at("p", date(2026, 3, 8), spring).astimezone(NY).hour == 3
    # The days around it keep 02:30 local.
    assert due_at("p", date(2026, 3, 7), spring).astimezone(NY).time() == time(2, 30)
    assert due_at("p", date(2026, 3, 9), spring).astimezone(NY).time() == time(2, 30)
    # 2026-11-01: 01:30 happens twice; we take the first (EDT, UTC-4), and only once.
    fall = Policy(at=time(1, 30), tz=NY, jitter=timedelta(0))
    assert due_at("p", date(2026, 11, 1), fall) == utc(2026, 11, 1, 5, 30)
    # A day is 23 or 25 hours long there, and the schedule follows the wall clock, not 24 h steps.
    nine = Policy(at=time(9, 0), tz=NY, jitter=timedelta(0))
    assert due_at("p", date(2026, 3, 8), nine) - due_at("p", date(2026, 3, 7), nine) == timedelta(hours=23)
    assert due_at("p", date(2026, 11, 1), nine) - due_at("p", date(2026, 10, 31), nine) == timedelta(hours=25)


def test_before_the_time_wait_after_it_collect_then_done() -> None:
    policy = Policy(at=time(9, 0), tz=timezone.utc, jitter=timedelta(0))
    early = decide("p", utc(2026, 5, 1, 8, 59), policy, Day())
    assert early.action == "wait" and early.at == utc(2026, 5, 1, 9)
    on_time = decide("p", utc(2026, 5, 1, 9, 0, 30), policy, Day())
    assert on_time.action == "collect" and on_time.reason == "scheduled"
    done = decide("p", utc(2026, 5, 1, 9, 5), policy, Day(collected=True))
    assert done.action == "done" and done.at == utc(2026, 5, 2, 9)


def test_catch_up_after_the_time_passed_unseen() -> None:
    """Asleep at 09:00, awake at 13:10: today's snapshot is missing, so now."""
    policy = Policy(at=time(9, 0), tz=timezone.utc, jitter=timedelta(minutes=30))
    decision = decide("p", utc(2026, 5, 1, 13, 10), policy, Day())
    assert decision.action == "collect" and decision.reason == "catch-up"
    # ...but never a second snapshot the same day, even after midnight UTC in an eastern zone.
    assert decide("p", utc(2026, 5, 1, 23, 0), policy, Day(collected=True)).action == "done"


def test_day_boundaries_follow_the_schedule_zone() -> None:
    tokyo = Policy(at=time(9, 0), tz=ZoneInfo("Asia/Tokyo"), jitter=timedelta(0))
    # 2026-05-01 23:30 UTC is already 2026-05-02 08:30 in Tokyo: the new day's run is 30 min away.
    decision = decide("p", utc(2026, 5, 1, 23, 30), tokyo, Day())
    assert decision.action == "wait" and decision.at == utc(2026, 5, 2, 0, 0)


def test_backoff_grows_and_blocks_wait_longer() -> None:
    policy = Policy()
    network = [backoff("network_error", n, policy) for n in (1, 2, 3)]
    assert network == [timedelta(minutes=10), timedelta(minutes=30), timedelta(minutes=90)]
    assert backoff("blocked", 1, policy) == timedelta(hours=2)
    assert backoff("blocked", 2, policy) == timedelta(hours=6)
    assert backoff("blocked", 1, policy) > backoff("network_error", 3, policy)
    assert backoff("skipped", 3, policy) == timedelta(minutes=2)  # busy: soon, and it is no failure


def test_retry_schedule_is_bounded_a_day() -> None:
    policy = Policy(at=time(9, 0), tz=timezone.utc, jitter=timedelta(0), max_tries=3)
    first = Attempt(utc(2026, 5, 1, 9, 1), "network_error")
    waiting = decide("p", utc(2026, 5, 1, 9, 5), policy, Day(attempts=(first,)))
    assert waiting.action == "wait" and waiting.at == utc(2026, 5, 1, 9, 11)
    retry = decide("p", utc(2026, 5, 1, 9, 11), policy, Day(attempts=(first,)))
    assert retry.action == "collect" and retry.reason == "retry 2 of 3"
    second = Attempt(utc(2026, 5, 1, 9, 12), "blocked")
    assert decide("p", utc(2026, 5, 1, 10, 0), policy, Day(attempts=(first, second))).at == utc(2026, 5, 1, 15, 12)
    third = Attempt(utc(2026, 5, 1, 15, 13), "network_error")
    gave_up = decide("p", utc(2026, 5, 1, 23, 0), policy, Day(attempts=(first, second, third)))
    assert gave_up.action == "gave_up" and gave_up.at == utc(2026, 5, 2, 9)
    # The next day starts afresh.
    assert decide("p", utc(2026, 5, 2, 9, 0), policy, Day()).action == "collect"


def test_busy_is_retried_soon_and_is_not_a_failure() -> None:
    policy = Policy(at=time(9, 0), tz=timezone.utc, jitter=timedelta(0), max_tries=1)
    busy = Attempt(utc(2026, 5, 1, 9, 0), "skipped")
    assert decide("p", utc(2026, 5, 1, 9, 1), policy, Day(attempts=(busy,))).at == utc(2026, 5, 1, 9, 2)
    assert decide("p", utc(2026, 5, 1, 9, 2), policy, Day(attempts=(busy,))).action == "collect"


def test_a_login_failure_is_never_retried_until_someone_signs_in() -> None:
    policy = Policy(at=time(9, 0), tz=timezone.utc, jitter=timedelta(0))
    attempts = (Attempt(utc(2026, 5, 1, 9, 1), "login_required"),)
    for hour in (9, 12, 23):
        decision = decide("p", utc(2026, 5, 1, hour, 30), policy, Day(attempts=attempts), needs_login=True)
        assert decision.action == "needs_login" and decision.at is None
    # Signed in again at 10:00 (the daemon sees the session file change): the day is not lost.
    again = decide("p", utc(2026, 5, 1, 10, 5), policy, Day(attempts=attempts), needs_login=False)
    assert again.action == "collect"


def test_jitter_never_pushes_a_collection_into_the_next_day() -> None:
    late = Policy(at=time(23, 50), tz=BERLIN, jitter=timedelta(minutes=30))
    for n in range(200):
        day = date(2026, 6, 1) + timedelta(days=n % 30)
        due = due_at(f"p{n}", day, late)
        assert due.astimezone(BERLIN).date() == day and due.astimezone(BERLIN).time() <= time(23, 59)
    # So a person scheduling late in the evening still gets one snapshot a day.
    decision = decide("p", datetime(2026, 6, 1, 23, 59, 30, tzinfo=BERLIN), late, Day())
    assert decision.action == "collect"


def test_a_retry_that_would_fall_tomorrow_ends_the_day() -> None:
    policy = Policy(at=time(22, 0), tz=timezone.utc, jitter=timedelta(0))
    blocked = Attempt(utc(2026, 5, 1, 22, 1), "blocked")  # the next try would be at 00:01
    decision = decide("p", utc(2026, 5, 1, 22, 2), policy, Day(attempts=(blocked,)))
    assert decision.action == "gave_up" and "no time left today" in decision.reason
