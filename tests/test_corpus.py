"""Every fixture in the corpus parses to the snapshot (or the error) written beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

import parsers
from tests.conftest import CORPUS, corpus_files, expected_for

FILES = corpus_files()


def test_corpus_is_large_enough_and_documented() -> None:
    assert len(FILES) >= 15
    for path in FILES:
        expected = expected_for(path)
        assert expected["shape"], path
        assert ("snapshot" in expected) != ("error" in expected), path
        if path.suffix == ".html":
            assert path.read_text("utf-8").startswith("<!-- fixture: "), path


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture(path: Path) -> None:
    expected = expected_for(path)
    raw = path.read_bytes()
    if "snapshot" in expected:
        assert parsers.parse(raw).to_json() == expected["snapshot"]
        return
    with pytest.raises(parsers.ParseError) as caught:
        parsers.parse(raw)
    want = expected["error"]
    if "kind" in want:
        assert isinstance(caught.value, parsers.NotSsiPage)
        assert caught.value.kind == want["kind"]
        assert want["kind"] in str(caught.value) or "sign-in" in str(caught.value)
    else:
        assert not isinstance(caught.value, parsers.NotSsiPage)
        assert caught.value.field == want["field"]


def test_json_is_detected_by_content_not_by_name(tmp_path: Path) -> None:
    body = (CORPUS / "api-bare-free.json").read_bytes()
    page = (CORPUS / "page-2026-en-groups.html").read_bytes()
    assert parsers.parse(b"\xef\xbb\xbf  \n" + body).source == "api"  # BOM and blank lines first
    assert parsers.parse(page).to_json() == expected_for(CORPUS / "page-2026-en-groups.html")["snapshot"]


def test_capture_cross_checks_api_against_page() -> None:
    body = (CORPUS / "api-bare-free.json").read_bytes()
    page = (CORPUS / "page-2026-en-full.html").read_bytes()
    reading = parsers.read_capture(body, page)
    assert reading.page_check == "agrees" and not reading.disagreements
    assert reading.snapshot.source == "api"
    assert reading.snapshot.ssi == 45.747108  # the API's exact overall, not the page's sum
    assert reading.snapshot == parsers.parse_api(body)
    # Another account's page: LinkedIn's answer still decides; every figure that differs is named.
    other = (CORPUS / "page-2026-en-groups.html").read_bytes()
    crossed = parsers.read_capture(body, other)
    assert crossed.snapshot == parsers.parse_api(body)
    assert crossed.page_check == "disagrees"
    fields = {d.field for d in crossed.disagreements}
    assert {"ssi", "pillars.brand", "pillars.people", "industry.rank", "network.average"} <= fields
    brand = next(d for d in crossed.disagreements if d.hook == "progress bar #establish-brand__sub-score-bar")
    assert (brand.page, brand.api) == (21.5, 16.842651)
    assert "pillars.brand" in (crossed.summary() or "")


def test_capture_with_an_unusable_body_falls_back_to_the_strict_page() -> None:
    page = (CORPUS / "page-2026-en-full.html").read_bytes()
    reading = parsers.read_capture(b'{"memberScore": {"overall": 58.9, "subSc', page)
    assert reading.page_check == "page_only" and reading.api_error and "not valid JSON" in reading.api_error
    assert reading.snapshot.to_json() == expected_for(CORPUS / "page-2026-en-full.html")["snapshot"]
    with pytest.raises(parsers.ParseError):
        parsers.read_capture(b"[]", (CORPUS / "page-2026-total-disagrees.html").read_bytes())


def test_page_in_latin1_with_meta_charset() -> None:
    page = (CORPUS / "page-2026-pt.html").read_text("utf-8")
    raw = page.replace("<meta charset='utf-8'>", "<meta charset='iso-8859-1'>").encode("iso-8859-1")
    assert parsers.parse(raw).to_json() == expected_for(CORPUS / "page-2026-pt.html")["snapshot"]


def test_unknown_values_are_null_never_zero() -> None:
    snap = parsers.parse((CORPUS / "api-no-groups.json").read_bytes())
    assert snap.industry.rank is None and snap.industry.average is None
    assert snap.to_json()["network"] == {"rank": None, "average": None, "pillars": None}
