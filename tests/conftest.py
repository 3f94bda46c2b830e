from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from collector.browser import launch_options, resolve_browser

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"

# Bounded by default so `make test` stays quick; `HYPOTHESIS_PROFILE=long` for a longer run.
settings.register_profile("default", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if not p.name.endswith(".expected.json"))


def expected_for(path: Path) -> dict[str, Any]:
    return json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], pytestconfig: pytest.Config) -> dict[str, Any]:
    """pytest-playwright's browser comes from the same resolver as the collector's."""
    headless = not pytestconfig.getoption("--headed")
    options = launch_options(resolve_browser(None, headless=headless), headless=headless)
    return {**browser_type_launch_args, **options}
