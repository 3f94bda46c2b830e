"""`ssi goal`: how far each standing goal is, and when the recent pace gets there.

A goal is for the SSI (0 to 100) or one pillar (0 to 25), optionally by a date. Its report gives the
progress since it was set, the projection (collector.trends.projection), what it takes a week
from now when there is a date and, for an SSI goal, each pillar's recent pace and its share of
what is needed: shared by the room each pillar still has to 25, since a pillar near 25 cannot
give much more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from parsers import PILLAR_KEYS, PILLAR_NAMES

from ..store import Store
from .projection import WEEKS, Projection, fit, project


PROJECT_DAYS = 60  # how far past the last reading a chart draws a projection


def figure_name(pillar: str | None) -> str:
    return "SSI" if pillar is None else PILLAR_NAMES[pillar]


@dataclass
class PillarPace:
    key: str
    name: str
    score: float | None
    per_week: float | None  # the recent pace (Theil-Sen over the fit's weeks)
    needed_per_week: float | None  # its share of what the goal needs, with a date


@dataclass
class GoalReport:
    id: int
    pillar: str | None
    target: float
    by: date | None
    set_on: date
    start: float | None  # the figure when the goal was set
    projection: Projection
    pillars: list[PillarPace] = field(default_factory=list)  # for an SSI goal

    @property
    def name(self) -> str:
        return figure_name(self.pillar)

    @property
    def current(self) -> float:
        return self.projection.current

    @property
    def progress(self) -> float | None:
        """The share of the way from the figure when the goal was set to the target (0..1)."""
        if self.start is None or math.isnan(self.current):
            return None
        if self.current >= self.target:
            return 1.0
        if self.target <= self.start:
            return None
        return max(0.0, (self.current - self.start) / (self.target - self.start))

    def title(self) -> str:
        scale = 100 if self.pillar is None else 25
        by = f" by {self.by}" if self.by else ""
        return f"{self.name} {self.target:g}/{scale}{by}"

    def lines(self) -> list[str]:
        """The report in sentences, for the terminal, the digest and a notification alike."""
        p = self.projection
        if math.isnan(self.current):
            return [f"{self.title()}: no readings yet."]
        progress = f", {self.progress:.0%} of the way since {self.set_on}" if self.progress is not None else ""
        out = [f"{self.title()}: now {self.current:.2f}{progress}.", p.verdict[0].upper() + p.verdict[1:] + "."]
        if p.by is not None and not p.reached:
            if p.needed_per_week is None or math.isinf(p.needed_per_week):
                out.append(f"The date {p.by} has passed.")
            else:
                track = "on track" if p.on_track else "not on track at this pace"
                out.append(f"Reaching it by {p.by} takes {p.needed_per_week:+.2f} a week from now ({track}).")
        if self.pillars and not p.reached:
            paces = ", ".join(f"{q.key} {q.per_week:+.2f}" if q.per_week is not None
                              else f"{q.key} —" for q in self.pillars)
            out.append(f"Recent pace a week, by pillar: {paces}.")
            if any(q.needed_per_week is not None for q in self.pillars):
                shares = ", ".join(f"{q.key} {q.needed_per_week:+.2f}" for q in self.pillars
                                   if q.needed_per_week is not None)
                out.append(f"Shared by each pillar's room to 25, that is a week: {shares}.")
        return out

    def drawn(self, last: date) -> dict[str, list[tuple[date, float]]]:
        """What a chart draws of this goal after its last reading ``last``: the target as a line
        from the day it was set, and the projection from the fitted level on the last reading,
        each to the goal's date or the projected day, at most PROJECT_DAYS on, so that history
        keeps the width of the picture (the chart and the dashboard alike)."""
        p = self.projection
        end = min(d for d in (p.eta, self.by, last + timedelta(days=PROJECT_DAYS)) if d is not None)
        found = {"goal": [(min(self.set_on, last), self.target), (max(end, last), self.target)]}
        if p.trend is not None and not p.reached and p.eta is not None:
            trend = p.trend
            found["projection"] = [(trend.day, trend.level),
                                   (end, trend.level + trend.per_week * (end - trend.day).days / 7)]
        return found

    def to_json(self) -> dict[str, Any]:
        p = self.projection
        trend = p.trend
        return {
            "id": self.id, "figure": "ssi" if self.pillar is None else self.pillar, "name": self.name,
            "target": self.target, "by": self.by.isoformat() if self.by else None, "set_on": self.set_on.isoformat(),
            "start": self.start, "current": None if math.isnan(self.current) else self.current,
            "progress": self.progress, "reached": p.reached,
            "projection": {
                "eta": _iso(p.eta), "earliest": _iso(p.earliest), "latest": _iso(p.latest),
                "per_week": trend.per_week if trend else None, "per_week_low": trend.low if trend else None,
                "per_week_high": trend.high if trend else None, "weeks": trend.weeks if trend else 0,
                "needed_per_week": None if p.needed_per_week is None or math.isinf(p.needed_per_week)
                else p.needed_per_week,
                "on_track": p.on_track, "verdict": p.verdict,
            },
            "pillars": [{"pillar": q.key, "score": q.score, "per_week": q.per_week,
                         "needed_per_week": q.needed_per_week} for q in self.pillars],
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _readings(store: Store, profile: str, column: str, as_of: date) -> list[tuple[date, float]]:
    first = (as_of - timedelta(weeks=WEEKS)).isoformat()
    found = store.readings(profile, column, first, as_of.isoformat())
    return [(date.fromisoformat(day), value) for day, value in found]


def _start(store: Store, profile: str, column: str, set_on: str) -> float | None:
    before = store.readings(profile, column, None, set_on)
    if before:
        return before[-1][1]
    after = store.readings(profile, column, set_on, None)
    return after[0][1] if after else None


def report(store: Store, profile: str, goal: dict[str, Any], as_of: date, today: date | None = None) -> GoalReport:
    """The report of one goal row, with the readings up to ``as_of`` (a digest's week end)."""
    column = goal["pillar"] or "ssi"
    by = date.fromisoformat(goal["by_day"]) if goal["by_day"] else None
    projection = project(_readings(store, profile, column, as_of), goal["target"], by=by, today=today or as_of)
    found = GoalReport(goal["id"], goal["pillar"], goal["target"], by, date.fromisoformat(goal["set_on"]),
                       _start(store, profile, column, goal["set_on"]), projection)
    if goal["pillar"] is None:
        found.pillars = _pillar_paces(store, profile, as_of, projection)
    return found


def _pillar_paces(store: Store, profile: str, as_of: date, projection: Projection) -> list[PillarPace]:
    latest = store.latest_day(profile, as_of.isoformat(), with_pillars=True)
    scores = {key: (latest[key] if latest else None) for key in PILLAR_KEYS}
    rooms = {key: max(0.0, 25 - score) for key, score in scores.items() if score is not None}
    needed = projection.needed_per_week
    shares: dict[str, float] = {}
    if needed is not None and not math.isinf(needed) and sum(rooms.values()) > 0:
        shares = {key: needed * room / sum(rooms.values()) for key, room in rooms.items()}
    paces = []
    for key in PILLAR_KEYS:
        trend = fit(_readings(store, profile, key, as_of))
        paces.append(PillarPace(key, PILLAR_NAMES[key], scores[key], trend.per_week if trend else None,
                                shares.get(key)))
    return paces


def goal_reports(store: Store, profile: str, as_of: date, today: date | None = None) -> list[GoalReport]:
    """Every standing goal of ``profile``, the SSI's first."""
    return [report(store, profile, goal, as_of, today) for goal in store.goals(profile)]
