"""Take the 2026 page apart one hook at a time: never a silently wrong number.

Every element of the SSI report is removed in turn (keeping the text around it), and every class
and id it carries is stripped in turn. After each change the parser must either return every
figure right (to the precision the remaining hooks show), or leave a figure null where the change
removed its only source, or fail with a ParseError. A wrong number is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import lxml.html
import pytest

import parsers
from tests.conftest import CORPUS, expected_for

# Each page, and the figures it shows in one place only (removing that place may leave them
# unknown). A free account's page has no per-group tables, so its averages have one precise
# source, the sentence; the donut caption's whole number only confirms.
PAGES = {
    "page-2026-en-groups.html": ("industry.name", "network.rank", "industry.pillars", "network.pillars"),
    "page-2026-en-full.html": ("industry.name", "network.rank", "industry.average", "network.average"),
}

# Display precision of the fallbacks: tables and row texts show pillars to 2 decimals, so a
# pillar may move by 0.005 and a sum of four by 0.02. Anything further off is a wrong number.
TOLERANCE = {"pillar": 0.0051, "total": 0.0201}


def variants(html: str) -> Iterator[tuple[str, str]]:
    doc = lxml.html.document_fromstring(html)
    main = doc.get_element_by_id("ssi-main")
    elements = [el for el in main.iter() if isinstance(el.tag, str)]
    for index, el in enumerate(elements):
        label = f"<{el.tag} class={el.get('class')!r} id={el.get('id')!r}> #{index}"
        if el is not main:
            yield f"remove {label}", _edited(html, index, "remove")
        for attr in ("class", "id"):
            for token in (el.get(attr) or "").split():
                yield f"strip {attr} {token!r} from {label}", _edited(html, index, attr, token)


def _edited(html: str, index: int, how: str, token: str = "") -> str:
    doc = lxml.html.document_fromstring(html)
    el = [e for e in doc.get_element_by_id("ssi-main").iter() if isinstance(e.tag, str)][index]
    if how == "remove":
        el.drop_tree()  # keeps the tail text, as a vanished element would
    else:
        el.set(how, " ".join(t for t in el.get(how, "").split() if t != token))
    return lxml.html.tostring(doc, encoding="unicode")


def flatten(snapshot: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"ssi": snapshot["ssi"]}
    for key, value in snapshot["pillars"].items():
        out[f"pillars.{key}"] = value
    for group in ("industry", "network"):
        for key, value in snapshot[group].items():
            if key == "pillars":
                for pillar in ("brand", "people", "insights", "relationships"):
                    out[f"{group}.pillars.{pillar}"] = value[pillar] if value else None
            else:
                out[f"{group}.{key}"] = value
    return out


def wrong_figures(got: dict[str, Any], want: dict[str, Any], sole_sources: tuple[str, ...],
                  allow_null: bool) -> list[str]:
    problems = []
    for field, expected in want.items():
        value = got[field]
        if value is None:
            if expected is not None and not (allow_null or field.startswith(sole_sources)):
                problems.append(f"{field} became unknown though other hooks show it")
            continue
        if expected is None:
            problems.append(f"{field} = {value!r} where the page shows nothing")
        elif isinstance(expected, str) or field.endswith(".rank"):
            if value != expected:
                problems.append(f"{field} = {value!r}, expected {expected!r}")
        else:
            is_pillar = ".pillars." in field or field.startswith("pillars.")
            tolerance = TOLERANCE["pillar"] if is_pillar else TOLERANCE["total"]
            if abs(value - expected) > tolerance:
                problems.append(f"{field} = {value!r}, expected {expected!r}")
    return problems


@pytest.mark.parametrize("name", sorted(PAGES))
def test_removing_any_single_hook_never_gives_a_wrong_number(name: str) -> None:
    html = (CORPUS / name).read_text("utf-8")
    want = flatten(expected_for(CORPUS / name)["snapshot"])
    outcomes = {"right": 0, "parse error": 0}
    failures = []
    for what, page in variants(html):
        try:
            got = parsers.parse(page).to_json()
        except parsers.ParseError as exc:
            assert exc.field != "internal", f"{what}: {exc}"
            outcomes["parse error"] += 1
            continue
        # A removed container takes several hooks with it: its figures may all become unknown.
        leaf_or_attribute = what.startswith("strip") or ("#" in what and _is_leafish(html, what))
        problems = wrong_figures(flatten(got), want, PAGES[name], allow_null=not leaf_or_attribute)
        if problems:
            failures.append(f"{what}: {'; '.join(problems)}")
        else:
            outcomes["right"] += 1
    assert not failures, "\n".join(failures[:20])
    print(name, outcomes)
    # The page is redundant enough that most single losses change nothing at all.
    assert outcomes["right"] > 3 * outcomes["parse error"], outcomes


def _is_leafish(html: str, what: str) -> bool:
    """An element with at most inline children (a span, a strong): one hook, not a whole block."""
    index = int(what.rsplit("#", 1)[1])
    doc = lxml.html.document_fromstring(html)
    el = [e for e in doc.get_element_by_id("ssi-main").iter() if isinstance(e.tag, str)][index]
    return not any(child.tag in ("div", "section", "p", "ul", "li", "table", "tbody", "tr") for child in el.iter()
                   if child is not el)


def test_unscoped_selector_trap_is_avoided() -> None:
    """The peer donuts carry .ssi-score__value too; without the user's caption they must not be read."""
    html = (CORPUS / "page-2026-en-full.html").read_text("utf-8")
    doc = lxml.html.document_fromstring(html)
    for el in doc.find_class("user-ssi-score__donut-chart-caption"):
        el.drop_tree()
    for el in doc.find_class("user-ssi-score__donut-chart"):
        el.drop_tree()
    snap = parsers.parse(lxml.html.tostring(doc, encoding="unicode"))
    assert snap.ssi == pytest.approx(45.747108)  # the peer donuts show 27 and 30


WITH_BODY = [name for name in sorted(p.name for p in CORPUS.glob("page-2026-*.html"))
             if "captured_with" in expected_for(CORPUS / name)
             and "ssi-main" in (CORPUS / name).read_text("utf-8")]


@pytest.mark.parametrize("name", WITH_BODY)
def test_with_the_api_body_no_single_removal_fails_or_changes_a_figure(name: str) -> None:
    """As `ssi collect` reads a capture: LinkedIn's answer decides, whatever the page lost."""
    import json

    html = (CORPUS / name).read_text("utf-8")
    body = json.dumps(expected_for(CORPUS / name)["captured_with"]).encode()
    want = parsers.parse_api(body)
    checks: dict[str, int] = {}
    for what, page in variants(html):
        reading = parsers.read_capture(body, page.encode("utf-8"))
        assert reading.snapshot == want, what
        checks[reading.page_check] = checks.get(reading.page_check, 0) + 1
    print(name, checks)
    if "snapshot" in expected_for(CORPUS / name):  # a readable page mostly still agrees
        assert checks.get("agrees", 0) > checks.get("disagrees", 0) + checks.get("unreadable", 0), checks
