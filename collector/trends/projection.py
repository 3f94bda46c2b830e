"""When a goal is reached at the recent pace: a robust fit and the range it is uncertain within.

Pure arithmetic on (day, value) readings, so every case (rising, flat, falling, noisy, gaps) is
tested on synthetic series.

The fit, and why:
- Readings are taken **week by week**: the last eight weeks, counted back from the latest
  reading, each week the median of its days. The SSI moves with a weekday rhythm and day-to-day
  noise, and days next to each other are not independent evidence; weekly medians are, nearly,
  and a missing day or week simply leaves a week out.
- The slope is **Theil-Sen's**: the median of the slopes between every pair of weeks. One odd
  week (a burst of posting, a bad reading) cannot tip it, as it would a least-squares line.
- The range is **Sen's 90% interval** for that slope (from Kendall's rank statistic), so three
  weeks of readings give a wide range and eight steady weeks a narrow one. The lines at either
  end of it turn about the middle of the readings, not the latest one, so the range of dates
  widens the further out the goal lies, as the uncertainty does.
- A trend whose range reaches zero or below cannot be told from flat: "not at this pace", as
  for a falling one. So is a date more than five years out.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WEEKS = 8  # how far back the fit looks
MIN_WEEKS = 3  # weeks with readings needed for a trend at all
HORIZON = timedelta(days=5 * 365)  # beyond this a date is no forecast
_Z90 = 1.6449  # the normal quantile for a two-sided 90% interval


@dataclass(frozen=True)
class Trend:
    """The recent pace of one figure."""

    per_week: float  # Theil-Sen slope, points a week
    low: float  # Sen's 90% interval for it
    high: float
    level: float  # the fitted value on `day`
    day: date  # the latest reading's day
    weeks: int  # weeks with readings in the fit
    middle: float  # days before `day` of the readings' middle, about which the range turns

    @property
    def rising(self) -> bool:
        """Rising beyond doubt: the whole range is above zero."""
        return self.low > 0

    def days_to(self, target: float, per_week: float) -> float | None:
        """Days after `day` until the line of slope ``per_week`` (through the readings' middle)
        reaches ``target``; None if it never does."""
        if per_week <= 0:
            return None
        middle_level = self.level - self.per_week * self.middle / 7
        return max(0.0, (target - middle_level) / per_week * 7 - self.middle)


def fit(readings: Sequence[tuple[date, float]], *, weeks: int = WEEKS) -> Trend | None:
    """The trend of the last ``weeks`` weeks of ``readings``; None with fewer than MIN_WEEKS."""
    if not readings:
        return None
    last = max(day for day, _ in readings)
    bins: dict[int, list[tuple[int, float]]] = {}
    for day, value in readings:
        offset = (day - last).days  # 0 on the latest day, negative before
        week = -((-offset) // 7)  # 0 for the latest 7 days, -1 for the 7 before...
        if week > -weeks:
            bins.setdefault(week, []).append((offset, value))
    points = sorted((statistics.fmean(o for o, _ in days), statistics.median(v for _, v in days))
                    for days in bins.values())
    if len(points) < MIN_WEEKS:
        return None
    slopes = sorted((y2 - y1) / (x2 - x1) for i, (x1, y1) in enumerate(points) for x2, y2 in points[i + 1:])
    slope = statistics.median(slopes)
    low, high = _sen_interval(slopes, len(points))
    level = statistics.median(y - slope * x for x, y in points)  # at offset 0: the latest day
    middle = -statistics.fmean(x for x, _ in points)
    return Trend(per_week=slope * 7, low=low * 7, high=high * 7, level=level, day=last, weeks=len(points),
                 middle=middle)


def _sen_interval(slopes: list[float], n: int) -> tuple[float, float]:
    """Sen's (1968) distribution-free interval for the median slope, from the sorted pair slopes."""
    count = len(slopes)
    spread = _Z90 * math.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    lower = max(0, math.floor((count - spread) / 2))  # 0-based ranks
    upper = min(count - 1, math.ceil((count + spread) / 2))
    return slopes[lower], slopes[upper]


@dataclass(frozen=True)
class Projection:
    target: float
    current: float  # the latest reading
    trend: Trend | None
    reached: bool
    eta: date | None  # None: not at this pace (or not enough history)
    earliest: date | None  # at the fast end of the range
    latest: date | None  # at the slow end; None when the slow end does not get there
    by: date | None
    needed_per_week: float | None  # with a date: what it takes from now
    verdict: str

    def short(self) -> str:
        """The verdict in a few words, for a dashboard cell or a notification line."""
        if self.reached:
            return "reached"
        if self.eta is None:
            return "not enough history yet" if self.trend is None else "not at this pace"
        return f"around {self.eta} ({self.earliest} to {self.latest or 'not at all'})"

    @property
    def on_track(self) -> bool | None:
        """With a date: whether the pace gets there by then."""
        if self.by is None:
            return None
        return self.reached or (self.eta is not None and self.eta <= self.by)


def _when(trend: Trend, target: float, per_week: float) -> date | None:
    days = trend.days_to(target, per_week)
    if days is None or days > HORIZON.days:
        return None
    return trend.day + timedelta(days=math.ceil(days))


def project(readings: Sequence[tuple[date, float]], target: float, *, by: date | None = None,
            today: date | None = None, weeks: int = WEEKS) -> Projection:
    """Whether, and around when, ``target`` is reached at the pace of the last ``weeks`` weeks."""
    if not readings:
        return Projection(target, math.nan, None, False, None, None, None, by, None, "no readings yet")
    last_day, current = max(readings)
    today = today or last_day
    needed = None
    if by is not None and current < target:
        weeks_left = (by - today).days / 7
        needed = (target - current) / weeks_left if weeks_left > 0 else math.inf
    trend = fit(readings, weeks=weeks)
    if current >= target:
        return Projection(target, current, trend, True, last_day, last_day, last_day, by, needed,
                          f"{target:g} reached: {current:.2f} on {last_day}")
    if trend is None:
        return Projection(target, current, None, False, None, None, None, by, needed,
                          f"not enough history for a projection yet (readings in {MIN_WEEKS} of the last "
                          f"{weeks} weeks are needed)")
    pace = f"{trend.per_week:+.2f} a week (between {trend.low:+.2f} and {trend.high:+.2f})"
    eta = _when(trend, target, trend.per_week)
    if not trend.rising or eta is None:
        kind = "falling" if trend.high < 0 else "flat" if not trend.rising else "too slow"
        return Projection(target, current, trend, False, None, None, None, by, needed,
                          f"not at this pace: over the last {trend.weeks} weeks the trend is {kind}, {pace}")
    earliest = _when(trend, target, trend.high)
    latest = _when(trend, target, trend.low)
    later = f"{latest}" if latest is not None else "not at all at the slow end"
    return Projection(target, current, trend, False, eta, earliest, latest, by, needed,
                      f"at this pace {target:g} is reached around {eta} (between {earliest} and {later}); "
                      f"the trend is {pace}")
