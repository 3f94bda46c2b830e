"""Whatever bytes come in, nothing but the parsers' own ParseError escapes, and what parses is sane."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from hypothesis import given, strategies as st

import parsers
from tests.conftest import CORPUS

PAGES = [CORPUS / name for name in ("page-2026-en-groups.html", "page-2026-pt.html", "page-2022.html",
                                    "page-2021.html", "page-2026-en-embedded.html", "blocked-captcha.html")]
BODIES = [CORPUS / name for name in ("api-bare-free.json", "api-data-wrapped.json", "api-linkedinrawdata.json")]
PAGE_TEXT = [p.read_text("utf-8") for p in PAGES]
BODY_DATA = [json.loads(p.read_text("utf-8")) for p in BODIES]
FULL_PAGE = (CORPUS / "page-2026-en-full.html").read_text("utf-8")


def attempt(raw: bytes | str, parse: Any = parsers.parse) -> parsers.Snapshot | None:
    try:
        snapshot = parse(raw)
    except parsers.ParseError as exc:
        assert exc.field != "internal", str(exc)  # an internal error is a bug in the parser
        assert str(exc)
        return None
    check_sane(snapshot)
    return snapshot


def check_sane(s: parsers.Snapshot) -> None:
    """Whatever a parse returns obeys the contract's ranges and its own arithmetic."""
    pillars = list(s.pillars.as_dict().values())
    assert all(v is not None and math.isfinite(v) and -0.01 <= v <= 25.01 for v in pillars), pillars
    assert -0.01 <= s.ssi <= 100.01
    assert abs(s.ssi - sum(pillars)) <= 0.5 + 1e-6  # at worst a rounded display against 2-dp rows
    for group in (s.industry, s.network):
        assert group.rank is None or (isinstance(group.rank, int) and 1 <= group.rank <= 100)
        assert group.average is None or -0.01 <= group.average <= 100.01
        if group.pillars is not None:
            assert all(v is None or -0.01 <= v <= 25.01 for v in group.pillars.as_dict().values())
    assert s.source in ("api", "page")
    json.dumps(s.to_json(), allow_nan=False)


@given(st.binary(max_size=4000))
def test_random_bytes(raw: bytes) -> None:
    attempt(raw)


@given(st.text(max_size=3000))
def test_random_text(text: str) -> None:
    attempt(text)
    attempt("<html><body>" + text)
    attempt("{" + text)


TOKENS = st.sampled_from(["-3", "1e400", "NaN", "26", "101", "0", "25", "99,99", "1.5.5", "", "abc", "Top",
                          "%", "|", "<", ">", "&", "SSI", "100", "-0", "9" * 40, "\x00", "\ufffd", "0.000001"])
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@st.composite
def mutated_page(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(PAGE_TEXT))
    for _ in range(draw(st.integers(1, 6))):
        how = draw(st.sampled_from(["delete", "insert", "duplicate", "number", "tag"]))
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 400)))
        if how == "delete":
            text = text[:i] + text[j:]
        elif how == "insert":
            text = text[:i] + draw(st.one_of(TOKENS, st.text(max_size=20))) + text[i:]
        elif how == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif how == "number":
            spots = list(NUMBER.finditer(text))
            if spots:
                m = draw(st.sampled_from(spots))
                text = text[: m.start()] + draw(TOKENS) + text[m.end():]
        else:
            tag = draw(st.sampled_from(["progress", "table", "span", "code", "section", "p", "tr", "th"]))
            text = text.replace(tag, draw(st.sampled_from(["div", "b", "progress", "code", "table"])), 1)
    return text


@given(mutated_page())
def test_mutated_pages(page: str) -> None:
    attempt(page)
    attempt(page.encode("utf-8", "surrogatepass"))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | st.text(max_size=10)
    | st.sampled_from(["PROFESSIONAL_BRAND", "INDUSTRY", "NETWORK", "STRONG_RELATIONSHIP"]),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.sampled_from(["data", "memberScore", "overall", "subScores", "pillar", "score",
                                       "groupScore", "groupType", "rank", "industry", "object"]) | st.text(max_size=5),
                      children, max_size=5),
    max_leaves=30,
)


@given(JSON)
def test_random_json(data: Any) -> None:
    attempt(json.dumps(data))
    attempt(json.dumps({"data": data}))


@st.composite
def mutated_body(draw: st.DrawFn) -> Any:
    body = json.loads(json.dumps(draw(st.sampled_from(BODY_DATA))))
    for _ in range(draw(st.integers(1, 4))):
        # Walk to a random node and replace it.
        node: Any = body
        path: list[Any] = []
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = draw(st.sampled_from(list(node.keys()) if isinstance(node, dict) else list(range(len(node)))))
            path.append(key)
            node = node[key]
        replacement = draw(JSON)
        if not path:
            body = replacement
            continue
        parent = body
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = replacement
    return body


@given(mutated_body())
def test_mutated_bodies(body: Any) -> None:
    raw = json.dumps(body)
    attempt(raw)
    attempt(raw, parsers.parse_api)
    attempt(FULL_PAGE.replace("</main>", f"</main><code>{raw}</code>", 1))


def test_pathological_inputs() -> None:
    for raw in [b"[" * 200_000, b"{\"a\":" * 200_000, b"<div>" * 200_000, b"\x00" * 10_000,
                b"\xff\xfe" + b"\x00<" * 999,
                b'{"memberScore": {"overall": 1e999, "subScores": []}}', b'{"memberScore": {"overall": NaN}}',
                b"<progress id='establish-brand__sub-score-bar' value='Infinity' max='25'>"]:
        attempt(raw)
