"""`ssi advice`: which pillar to work on, and how.

For the latest snapshot: each pillar's room to 25, its gap to the industry's and the network's
averages where LinkedIn shows them, and its change over four weeks. The pillar with the most to
gain is the one with the most room, plus how far it trails your peers, plus how much it fell:
room is what you can still earn, a gap to peers is what people like you already earn, and a
fall is ground being lost right now.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from parsers import PILLAR_NAMES

from ..store import Store

# In our own words, built on each pillar's usual levers.
ACTIONS = {
    "brand": [
        "Finish your profile: a headline that says whom you help and how, a clear photo, an About "
        "section written for buyers, and results in your recent roles.",
        "Publish something of your own every week: a short post on a problem your customers have, "
        "or an article with a lesson from a recent deal.",
        "Ask two customers or colleagues you worked closely with for a recommendation.",
        "List the skills buyers look for, and ask colleagues to endorse the ones they have seen you use.",
    ],
    "people": [
        "Save a search for your ideal buyers (role, industry, region) and work through its new "
        "results twice a week.",
        "Look at who viewed your profile and reach out to the ones who fit your market.",
        "Ask for warm introductions through mutual connections instead of sending cold requests.",
        "Follow your target accounts so that you see when people there change jobs or post.",
    ],
    "insights": [
        "Share one timely, relevant piece a few times a week (a report, a news item, a number) with "
        "a line of your own on what it means for your buyers.",
        "Comment thoughtfully on posts by prospects and customers: add an idea or a question, not just praise.",
        "Take part in one or two groups or conversations where your buyers are active.",
        "Answer comments on your own posts within a day, so that conversations keep going.",
    ],
    "relationships": [
        "Send personalised connection requests to decision makers (director level and above) at your "
        "target accounts, saying why you want to connect.",
        "Keep in touch each week with a handful of existing connections: congratulate, comment, or send "
        "a short message with something useful.",
        "Accept relevant invitations promptly, and follow up with a short note.",
        "Connect the same week with the customers and colleagues you meet.",
    ],
}


@dataclass
class PillarAdvice:
    key: str
    name: str
    score: float
    room: float  # to 25
    industry_gap: float | None  # you minus the industry average (negative: behind)
    network_gap: float | None
    trend_4w: float | None  # change over four weeks
    to_gain: float


@dataclass
class Advice:
    profile: str
    day: str
    ssi: float
    source: str
    pillars: list[PillarAdvice]
    focus: PillarAdvice
    why: str
    actions: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile, "day": self.day, "ssi": self.ssi, "source": self.source,
            "pillars": [asdict(p) for p in self.pillars],
            "focus": {"key": self.focus.key, "name": self.focus.name, "why": self.why, "actions": self.actions},
        }

    def short(self) -> str:
        return (f"Focus next: {self.focus.name} ({self.focus.score:.2f}/25, {self.focus.room:.1f} to gain). "
                f"{self.actions[0]}")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def advise(store: Store, profile: str, on_or_before: str | None = None) -> Advice | None:
    """The advice for the latest day (on or before a day, for a digest's week) that shows the four
    pillars (an imported day may hold a total alone)."""
    latest = store.latest_day(profile, on_or_before, with_pillars=True)
    if latest is None:
        return None
    four_weeks_ago = (date.fromisoformat(latest["day"]) - timedelta(days=28)).isoformat()
    before = store.latest_day(profile, on_or_before=four_weeks_ago, with_pillars=True)
    pillars = []
    for key, name in PILLAR_NAMES.items():
        score = latest[key]
        industry, network = latest[f"industry_{key}"], latest[f"network_{key}"]
        trend = score - before[key] if before is not None else None
        behind = max(0.0, industry - score) if industry is not None else 0.0
        behind += max(0.0, network - score) if network is not None else 0.0
        to_gain = (25 - score) + behind + max(0.0, -(trend or 0.0))
        pillars.append(PillarAdvice(
            key, name, round(score, 2), round(25 - score, 2),
            _round(score - industry if industry is not None else None),
            _round(score - network if network is not None else None), _round(trend), round(to_gain, 2)))
    focus = max(pillars, key=lambda p: p.to_gain)
    reasons = [f"{focus.room:.1f} of its 25 points are still to earn"]
    if focus.industry_gap is not None and focus.industry_gap < 0:
        reasons.append(f"you are {-focus.industry_gap:.1f} below your industry's average")
    if focus.network_gap is not None and focus.network_gap < 0:
        reasons.append(f"{-focus.network_gap:.1f} below your network's")
    if focus.trend_4w is not None and focus.trend_4w < 0:
        reasons.append(f"it fell {-focus.trend_4w:.1f} in four weeks")
    why = "; ".join(reasons) + "."
    return Advice(profile, latest["day"], round(latest["ssi"], 2), latest["source"], pillars, focus,
                  why[0].upper() + why[1:], ACTIONS[focus.key])
