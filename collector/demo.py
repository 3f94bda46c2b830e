"""`ssi demo`: the whole pipeline against the bundled stand-in, no LinkedIn account needed."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .paths import data_dir

if TYPE_CHECKING:
    from .cli import Settings


def _history_and_today(settings: Settings, profile: str, console: Any) -> dict[str, Any]:
    """Half a year of generated history for the demo profiles (once), and today's figures for the
    stand-in to serve: the next step of the same trend, so the charts run on without a jump."""
    from fixtures.site import DEFAULT_BODY

    from .demo_history import NotADemoProfile, generate

    store = settings.store("demo.db")
    yesterday = date.today() - timedelta(days=1)
    try:
        made = generate(store, profile, days=180, end=yesterday, seed=1)
        made += generate(store, f"{profile}-colleague", days=150, end=date.today(), seed=2, group_pillars=True)
    except NotADemoProfile:
        made = 0
    if made:
        console.print(f"Generated {made} days of demo history (marked source='generated').", style="dim")
    last = list(store.db.query("SELECT * FROM daily WHERE profile = ? ORDER BY day DESC LIMIT 1", [profile]))
    store.close()
    if not last:
        return copy.deepcopy(DEFAULT_BODY)
    row = last[0]
    ids = {"brand": "PROFESSIONAL_BRAND", "people": "FIND_RIGHT_PEOPLE", "insights": "INSIGHT_ENGAGEMENT",
           "relationships": "STRONG_RELATIONSHIP"}
    subs = [{"pillar": ids[k], "score": round(min(25.0, row[k] + 0.04), 6)} for k in ids]
    return {
        "activeSeat": False,
        "memberScore": {"overall": round(sum(s["score"] for s in subs), 6), "subScores": subs},
        "groupScore": [
            {"groupType": "INDUSTRY", "rank": row["industry_rank"], "industry": row["industry"],
             "score": {"overall": row["industry_ssi"], "subScores": []}},
            {"groupType": "NETWORK", "rank": row["network_rank"], "score": {"overall": row["network_ssi"],
                                                                              "subScores": []}},
        ],
    }


def run_demo(settings: Settings) -> None:
    from rich.console import Console

    from fixtures.site import StandIn

    from .cli import Settings, early_browser, make_request, print_history, print_result, run_collect

    db = settings.db or data_dir() / "demo.db"
    profile = "demo" if settings.profile == "default" else settings.profile
    console = Console()
    body = _history_and_today(Settings(db=db, profile=profile, base_url="", browser_path=None), profile, console)
    with StandIn(mode="ok", body=body) as site:
        console.print(f"Stand-in for linkedin.com running at {site.url}", style="dim", highlight=False)
        demo = Settings(db=db, profile=profile, base_url=site.url, browser_path=settings.browser_path)
        # A signed-in session as `shot-scraper auth` would save it, imported with --auth.
        fd, name = tempfile.mkstemp(prefix="ssi-demo-state-", suffix=".json")
        state = Path(name)
        try:
            with os.fdopen(fd, "w") as handle:  # mkstemp made it 0600
                json.dump(site.storage_state(), handle)
            request = make_request(demo, trigger="demo", force=True, headed=False, timeout=45, auth=state)
            with early_browser(demo, request, "demo.db") as session:
                result, store = run_collect(demo, request, session, "demo.db")
        finally:
            state.unlink(missing_ok=True)
    print_result(result, store, profile)
    console.print()
    print_history(store.history(profile, (date.today() - timedelta(days=13)).isoformat()), profile, 14)
    console.print()
    console.print(f"Demo database: [bold]{db}[/bold]", highlight=False)
    console.print("Try next:", highlight=False)
    for command in (f"ssi --db {db} --profile {profile} browse --open   # the dashboard",
                    f"ssi --db {db} --profile {profile} advice",
                    f"ssi --db {db} --profile {profile} chart --out ssi.png",
                    f"ssi --db {db} --profile {profile} history --days 90",
                    "ssi login    # then: ssi collect, for your own LinkedIn account"):
        console.print(f"  .venv/bin/{command}", highlight=False, soft_wrap=True)
