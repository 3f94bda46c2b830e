"""Plausible SSI history for demo profiles, so that charts have something to show.

A slow trend per pillar, weekday/weekend rhythm, day-to-day noise, the odd burst (a week of
posting lifts "insights", and is noted on its first day as a person would with `ssi note`),
peer averages that drift, and ranks that follow your score against your peers in steps.
Every row is stored with ``source = 'generated'``, only for profiles whose name starts with
"demo", and never on a day that already has a snapshot, so generated history can neither be
taken for a reading nor land in a real profile.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from parsers import Group, Pillars, Snapshot

from ..days import utc_iso
from ..store import Store

DEMO_PREFIX = "demo"


class NotADemoProfile(ValueError):
    pass


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def generate(store: Store, profile: str, *, days: int, end: date, seed: int = 1,
             group_pillars: bool = False, industry: str = "IT Services and IT Consulting") -> int:
    """Write ``days`` generated daily snapshots ending on ``end``; returns how many were written.

    Days that already have a snapshot of ``profile`` are left alone (and skipped).
    """
    if not profile.startswith(DEMO_PREFIX):
        raise NotADemoProfile(f"generated history only goes into demo profiles (named {DEMO_PREFIX}...), "
                              f"not {profile!r}")
    rnd = random.Random(f"{profile}|{seed}")
    start = end - timedelta(days=days - 1)
    level = {"brand": rnd.uniform(9, 14), "people": rnd.uniform(5, 10), "insights": rnd.uniform(3, 8),
             "relationships": rnd.uniform(8, 13)}
    drift = {key: rnd.uniform(0.004, 0.03) for key in level}
    industry_avg, network_avg = rnd.uniform(26, 31), rnd.uniform(30, 35)
    peer_split = {"brand": 0.3, "people": 0.24, "insights": 0.18, "relationships": 0.28}
    burst_until: date | None = None
    taken = store.snapshot_days(profile, start.isoformat(), end.isoformat())
    written = 0
    industry_rank = network_rank = None
    with store.transaction():
        for offset in range(days):
            day = start + timedelta(days=offset)
            weekend = day.weekday() >= 5
            if burst_until is None and rnd.random() < 0.015:
                burst_until = day + timedelta(days=rnd.randint(5, 12))  # a week of posting
                if day.isoformat() not in taken:  # what a person would have noted that day
                    store.add_note(profile, day.isoformat(), "demo: started posting every day "
                                   f"(until {burst_until:%d %b})", "insights", utc_iso(
                                       datetime.combine(day, time(18, 0), tzinfo=timezone.utc)))
            for key in level:
                # Growth slows as a pillar nears its 25 points, as it does for people.
                step = drift[key] * (0.3 if weekend else 1.2) * (1 - level[key] / 25) + rnd.gauss(0, 0.06)
                if burst_until and day <= burst_until and key in ("insights", "brand"):
                    step += rnd.uniform(0.05, 0.25)
                level[key] = _clamp(level[key] + step, 0.0, 25.0)
            if burst_until and day > burst_until:
                burst_until = None
            industry_avg = _clamp(industry_avg + rnd.gauss(0.002, 0.02), 15, 60)
            network_avg = _clamp(network_avg + rnd.gauss(0.002, 0.02), 15, 60)
            pillars = {key: round(value, 6) for key, value in level.items()}
            ssi = round(sum(pillars.values()), 6)
            # Ranks move in steps, not daily: LinkedIn recomputes them now and then.
            if industry_rank is None or rnd.random() < 0.12:
                industry_rank = int(_clamp(round(50 - (ssi - industry_avg) * 1.6 + rnd.gauss(0, 3)), 1, 100))
                network_rank = int(_clamp(round(55 - (ssi - network_avg) * 1.4 + rnd.gauss(0, 3)), 1, 100))
            if day.isoformat() in taken:
                continue

            def peers(average: float) -> Pillars | None:
                if not group_pillars:
                    return None
                return Pillars(*(round(average * peer_split[k], 2) for k in ("brand", "people", "insights",
                                                                              "relationships")))

            snapshot = Snapshot(
                ssi=ssi, pillars=Pillars(**pillars),
                industry=Group(rank=industry_rank, average=round(industry_avg, 2), pillars=peers(industry_avg),
                               name=industry),
                network=Group(rank=network_rank, average=round(network_avg, 2), pillars=peers(network_avg)),
                source="generated",
            )
            moment = datetime.combine(day, time(9, rnd.randint(0, 29)), tzinfo=timezone.utc)
            store.save_snapshot(profile, snapshot, utc_iso(moment), day.isoformat(),
                                raw_id=None, api_raw_id=None, run_id=None)
            written += 1
    return written
