"""`ssi demo`: the whole pipeline against the bundled stand-in, no LinkedIn account needed."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import data_dir

if TYPE_CHECKING:
    from .cli import Settings


def run_demo(settings: Settings) -> None:
    from rich.console import Console

    from fixtures.site import StandIn

    from .cli import Settings, print_history, print_result, run_collect

    db = settings.db or data_dir() / "demo.db"
    profile = "demo" if settings.profile == "default" else settings.profile
    console = Console()
    with StandIn(mode="ok") as site:
        console.print(f"Stand-in for linkedin.com running at {site.url}", style="dim", highlight=False)
        demo = Settings(db=db, profile=profile, base_url=site.url, browser_path=settings.browser_path)
        store = demo.store("demo.db")
        # A signed-in session as `shot-scraper auth` would save it, imported with --auth.
        fd, name = tempfile.mkstemp(prefix="ssi-demo-state-", suffix=".json")
        state = Path(name)
        try:
            with os.fdopen(fd, "w") as handle:  # mkstemp made it 0600
                json.dump(site.storage_state(), handle)
            result = run_collect(demo, store, trigger="demo", force=True, headed=False, timeout=45, auth=state)
        finally:
            state.unlink(missing_ok=True)
    print_result(result, store, profile)
    console.print()
    print_history(store.history(profile, "0000-01-01"), profile, 3650)
    console.print()
    console.print(f"Demo database: [bold]{db}[/bold]", highlight=False)
    console.print("Try next:", highlight=False)
    for command in (f"ssi --db {db} --profile {profile} history --json",
                    f"ssi --db {db} --profile {profile} reparse",
                    "ssi login    # then: ssi collect, for your own LinkedIn account"):
        console.print(f"  .venv/bin/{command}", highlight=False, soft_wrap=True)
