"""A fixture page loaded in the real (resolved) browser still parses to the same figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

import parsers
from tests.conftest import CORPUS, expected_for


@pytest.mark.parametrize("name", ["page-2026-en-full.html", "page-2026-pt.html"])
def test_browser_serialised_page_parses(page: Page, name: str) -> None:
    page.goto((CORPUS / name).as_uri())
    assert page.locator("#establish-brand__sub-score-bar").count() == 1
    html = page.content()  # the browser's own serialisation, not the file's bytes
    assert html != (CORPUS / name).read_text("utf-8")
    assert parsers.parse(html).to_json() == expected_for(CORPUS / name)["snapshot"]
