"""`ssi demo`'s data: half a year of generated history for the demo profiles (`history`), and
the figures the stand-in serves today, continuing that history without a jump. The stand-in
itself is collector.standin; the command that runs it all is in the command line."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..store import Store
from .history import DEMO_PREFIX, NotADemoProfile, generate

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["DEMO_PREFIX", "NotADemoProfile", "demo_profile", "fill_sign_in_form", "generate", "prepare"]

_IDS = {"brand": "PROFESSIONAL_BRAND", "people": "FIND_RIGHT_PEOPLE", "insights": "INSIGHT_ENGAGEMENT",
        "relationships": "STRONG_RELATIONSHIP"}


def demo_profile(profile: str) -> str:
    """The profile the demo fills: "demo" unless one was asked for."""
    return "demo" if profile == "default" else profile


def _set_demo_goal(store: Store, profile: str, today: date) -> None:
    """A goal as a person might have set it two months ago: eight points up within a year."""
    from datetime import datetime, time, timezone

    from ..days import utc_iso

    set_on = today - timedelta(days=60)
    start = store.latest_day(profile, set_on.isoformat())
    if start is None:
        return
    target = min(100.0, float(round(start["ssi"] + 8)))
    store.set_goal(profile, None, target, (set_on + timedelta(days=365)).isoformat(),
                   utc_iso(datetime.combine(set_on, time(12, 0), tzinfo=timezone.utc)), set_on.isoformat())


def prepare(store: Store, profile: str, today: date) -> tuple[int, dict[str, Any]]:
    """Generate the demo profiles' history once (days already there are left alone), with a goal
    set two months ago (so that `ssi goal` and the digest have one to show), and return
    (days generated, the salesApiSsi body the stand-in serves today: the trend's next step)."""
    from ..standin import DEFAULT_BODY

    try:
        made = generate(store, profile, days=180, end=today - timedelta(days=1), seed=1)
        made += generate(store, f"{profile}-colleague", days=150, end=today, seed=2, group_pillars=True)
    except NotADemoProfile:
        made = 0
    row = store.latest_day(profile)
    if row is None:
        return made, copy.deepcopy(DEFAULT_BODY)
    if made and profile.startswith(DEMO_PREFIX) and not store.goals(profile, retired=True):
        _set_demo_goal(store, profile, today)
    subs = [{"pillar": _IDS[k], "score": round(min(25.0, row[k] + 0.04), 6)} for k in _IDS]
    return made, {
        "activeSeat": False,
        "memberScore": {"overall": round(sum(s["score"] for s in subs), 6), "subScores": subs},
        "groupScore": [
            {"groupType": "INDUSTRY", "rank": row["industry_rank"], "industry": row["industry"],
             "score": {"overall": row["industry_ssi"], "subScores": []}},
            {"groupType": "NETWORK", "rank": row["network_rank"], "score": {"overall": row["network_ssi"],
                                                                              "subScores": []}},
        ],
    }


def fill_sign_in_form(page: Page) -> None:
    """Sign in on the stand-in's form as a person would, "Keep me logged in" ticked. Only ever
    given the stand-in's page: the product never types into LinkedIn's."""
    page.fill("input[name=session_key]", "demo@example.com")
    page.fill("input[name=session_password]", "demo")
    box = page.locator("input[name=rememberMeOptIn]")
    if box.count():
        box.check()
    page.click("button[type=submit]")
