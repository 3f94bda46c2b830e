"""The rendered SSI page: the 2025-26 layout, the 2022-23 layout, and the 2021 embedded body.

Every hook adds a clue to the shared Evidence; nothing here decides which clue wins. Each hook is
scoped as tightly as the reference allows, because the page reuses its classes: the score's own
``.ssi-score__value`` appears in the user's donut caption, in the peer donuts, and as fallback
content inside every pillar's ``<progress>``. So:

- the total is read only from ``.user-ssi-score__donut-chart-caption`` (its span or its text);
- a pillar only from its own ``<progress>`` (by id), its own row ("13.12 | Establish ...") or its
  donut's hidden table (inside the donut chart, one label and one value a row);
- a group's figures only from inside that group's card;
- nothing from a card of past weeks (the "Weekly social selling index" chart), nor from text a
  reader does not see (scripts, SVG, a progress bar's fallback content).
"""

from __future__ import annotations

import re

from lxml import etree

from .api import body_clues, decode_json
from .blockers import detect_blocker
from .errors import NotSsiPage, ParseError
from .evidence import Evidence
from .html import HtmlElement, classes, hidden, invisible_tag, tree, visible_text, within
from .language import (
    INDUSTRY_NAME,
    PAST_WEEKS,
    PILLAR_LABELS,
    RANK_PHRASE,
    REMAINING_LABELS,
    average_token,
    group_of,
    normalise,
)
from .numbers import FLOAT32_SLACK, NUMBERS, Reading, as_int, first_number, percent, read_whole

# One pass over the tree picks every element any reader looks at (a few dozen on a real page).
_CANDIDATES = etree.XPath(
    "//progress | //table | //code | //h1 | //h2 | //h3 | //h4 | //h5 | //h6 | //caption"
    " | //*[contains(@class, 'ssi-')] | //*[contains(@class, 't-40')]"
)
# Text nodes of the body only: a real page's <head> holds a few hundred KB of script and style
# text, and scanning it costs more than the rest of the parse.
_TEXTS = etree.XPath("//body//text()[contains(., '|') or contains(., 'have an average SSI')]")
_HEADINGS = etree.XPath(".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

PROGRESS_IDS = {
    "establish-brand__sub-score-bar": "brand",
    "find-people__sub-score-bar": "people",
    "engage-with-insights__sub-score-bar": "insights",
    "build-relationships__sub-score-bar": "relationships",
}
USER_CARD = frozenset({"user-ssi-score"})
USER_DONUT = frozenset({"user-ssi-score__donut-chart"})
USER_CAPTION = frozenset({"user-ssi-score__donut-chart-caption"})
GROUP = frozenset({"group-ssi-score", "group-ssi-score__donut-chart"})
GROUP_DONUT = frozenset({"group-ssi-score__donut-chart"})
RANK_SCORE = frozenset({"ssi-rank__category-score"})
# The classes of the figures' own places: a heading sitting loose in a container that holds one
# of them does not make that container a card of past weeks.
_KNOWN_PLACES = ("user-ssi-score__donut-chart", "group-ssi-score", "ssi-rank")
_ROW = re.compile(r"^\s*(-?\d{1,3}(?:[.,]\d{1,12})?)\s*\|\s*(.+?)\s*$")


class _Index:
    """The candidate elements of one page, by tag and by class, and the cards of past weeks."""

    def __init__(self, doc: HtmlElement) -> None:
        self.doc = doc
        self.progress: list[HtmlElement] = []
        self.tables: list[HtmlElement] = []
        self.codes: list[HtmlElement] = []
        self.by_class: dict[str, list[HtmlElement]] = {}
        past_titles: list[HtmlElement] = []
        for el in _CANDIDATES(doc):
            tag = el.tag
            if tag == "progress":
                self.progress.append(el)
            elif tag == "table":
                self.tables.append(el)
            elif tag == "code":
                self.codes.append(el)
            elif (tag in _HEADING_TAGS or tag == "caption") and "eek" in el.text_content() \
                    and PAST_WEEKS.search(visible_text(el)):
                past_titles.append(el)
            for token in classes(el):
                self.by_class.setdefault(token, []).append(el)
        self.pipe_texts: list[etree._ElementUnicodeResult] = []
        self.average_texts: list[etree._ElementUnicodeResult] = []
        for text in _TEXTS(doc):
            (self.pipe_texts if "|" in text else self.average_texts).append(text)
            if "|" in text and "have an average SSI" in text:
                self.average_texts.append(text)
        self.past: set[HtmlElement] = set()
        for title in past_titles:
            card = title.getparent()
            if card is None:
                continue
            if title.tag == "caption" or not self._holds_known_place(card):
                self.past.add(card)

    def _holds_known_place(self, card: HtmlElement) -> bool:
        for place in _KNOWN_PLACES:
            if any(el is card or _is_ancestor(card, el) for el in self.cls(place)):
                return True
        return any(_is_ancestor(card, bar) for bar in self.progress if bar.get("id") in PROGRESS_IDS)

    def cls(self, token: str) -> list[HtmlElement]:
        return self.by_class.get(token, [])

    def in_past(self, el: HtmlElement) -> bool:
        """Whether ``el`` is (inside) a card of past weeks."""
        if not self.past:
            return False
        node: HtmlElement | None = el
        while node is not None:
            if node in self.past:
                return True
            node = node.getparent()
        return False

    def usable(self, el: HtmlElement) -> bool:
        """Not in a card of past weeks, and not hidden from a reader (fallback content, SVG, a
        closed tab panel...)."""
        return not self.in_past(el) and not hidden(el)


def _is_ancestor(ancestor: HtmlElement, el: HtmlElement) -> bool:
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _add(ev: Evidence, field: str, reading: Reading | None, hook: str, *, exact: bool = False,
         rounded: bool = False) -> None:
    """Add a reading. ``exact``: written by script at full precision (an attribute), whatever its
    digits. ``rounded``: a whole-number display that may only confirm the figure."""
    if reading is None:
        return
    if exact:
        ev.add(field, reading.value, FLOAT32_SLACK, hook)
    elif rounded:
        ev.add(field, reading.value, max(reading.tolerance, 0.5), hook, confirms_only=True)
    else:
        ev.add(field, reading.value, reading.tolerance, hook)


def _remainder(reading: Reading) -> Reading:
    """What a donut's "Remaining points" row says about the donut's total."""
    decimals = 0 if reading.tolerance >= 0.5 else len(f"{reading.tolerance * 2:.12f}".rstrip("0")) - 2
    return Reading(round(100 - reading.value, decimals), reading.tolerance)


def _embedded_bodies(ix: _Index, ev: Evidence) -> bool:
    """The API body the page carries in a <code> element (the 2021 layout, and data blobs).

    Only a bare body counts (an object with memberScore at its top, as the reference shows it,
    starting {"activeSeat"): other data blobs may mention memberScore deep inside."""
    found = False
    for code in ix.codes:
        text = "".join(code.itertext()).strip()
        if not text.startswith("{") or '"memberScore"' not in text or ix.in_past(code):  # <code> is hidden by design
            continue
        hook = "the page's embedded API body"
        try:
            data = decode_json(text, hook)
        except ParseError as exc:
            ev.reject("ssi", hook, exc.message)
            continue
        if not isinstance(data, dict) or "memberScore" not in data:
            continue
        try:
            body_clues(data, ev, hook)
        except ParseError as exc:
            ev.reject(exc.field or "ssi", hook, exc.message)
            continue
        found = True
    return found


def _progress_bars(ix: _Index, ev: Evidence) -> None:
    for bar in ix.progress:
        bar_id = bar.get("id") or ""
        key = PROGRESS_IDS.get(bar_id)
        if key is None or not ix.usable(bar):
            continue
        hook = f"progress bar #{bar_id}"
        top = bar.get("max")
        top_reading = read_whole(top) if top is not None else None
        if top is not None and (top_reading is None or top_reading.value != 25):
            ev.reject(f"pillars.{key}", hook, f"{hook} has max={top!r}, not 25")
            continue
        _add(ev, f"pillars.{key}", read_whole(bar.get("value")), hook, exact=True)


def _group_containers(ix: _Index) -> list[tuple[str, HtmlElement]]:
    """The peer-group blocks and which group each is about (from its heading, else its words)."""
    containers = [el for el in ix.cls("group-ssi-score") if ix.usable(el)]
    for donut in ix.cls("group-ssi-score__donut-chart"):
        if within(donut, frozenset({"group-ssi-score"})) is None and ix.usable(donut):
            parent = donut.getparent()
            if parent is not None and parent not in containers:
                containers.append(parent)
    found = []
    for container in containers:
        headings = " ".join(visible_text(h) for h in _HEADINGS(container))
        group = group_of(headings) if headings else None
        if group is None:
            group = group_of(visible_text(container))
        if group is not None:
            found.append((group, container))
    return found


def _donut_table(table: HtmlElement, prefix: str, total_field: str, ev: Evidence, what: str) -> None:
    """A donut's hidden accessibility table: one row per pillar, plus the remaining points. A row
    of more than one value belongs to some other chart (a series over weeks), not to a donut."""
    for row in table.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")]
        if len(cells) != 2:
            continue
        label = normalise(visible_text(cells[0]))
        reading = first_number(visible_text(cells[1]))
        if reading is None:
            continue
        if label in PILLAR_LABELS:
            _add(ev, f"{prefix}pillars.{PILLAR_LABELS[label]}", reading, f"the {what} table's {label!r} row")
        elif label in REMAINING_LABELS:
            # "Remaining points: 67" (a whole number) is 100 minus a rounded total: it confirms.
            _add(ev, total_field, _remainder(reading), f"the {what} table's remaining points",
                 rounded=reading.tolerance >= 0.5)


def _user_donut(ix: _Index, ev: Evidence) -> None:
    for el in ix.cls("ssi-score__value"):
        # Only the caption's span is the total: the same class marks the peer donuts' numbers and
        # every pillar's <progress> fallback (13.118 out of 25).
        if (within(el, USER_CAPTION) is not None and within(el, GROUP) is None and ix.usable(el)):
            _add(ev, "ssi", first_number(visible_text(el)), "the score donut's caption", rounded=True)
    for el in ix.cls("user-ssi-score__donut-chart-caption"):
        # "20 out of 100" / "20 de 100": the score is the first of two numbers. A lone number is
        # the 100 the score was measured against, left behind when the score's element is gone.
        numbers = NUMBERS.findall(visible_text(el))
        if len(numbers) >= 2 and within(el, GROUP) is None and ix.usable(el):
            _add(ev, "ssi", read_whole(numbers[0]), "the score donut's caption text", rounded=True)
    for table in ix.tables:
        if within(table, USER_DONUT) is not None and within(table, GROUP) is None and ix.usable(table):
            _donut_table(table, "", "ssi", ev, "score donut")


def _pillar_rows(ix: _Index, ev: Evidence) -> None:
    """Rows that read "13.12 | Establish your professional brand"."""
    for text in ix.pipe_texts:
        node = text.getparent()
        if node is None:
            continue
        if text.is_tail:
            node = node.getparent()
        if node is None or not isinstance(node.tag, str) or invisible_tag(node) or not ix.usable(node):
            continue
        for candidate in (node, node.getparent()):
            if candidate is None or within(candidate, GROUP) is not None:
                break
            match = _ROW.match(visible_text(candidate))
            if match:
                key = PILLAR_LABELS.get(normalise(match.group(2)))
                if key is not None:
                    _add(ev, f"pillars.{key}", read_whole(match.group(1)), f"the row {match.group(0).strip()!r}")
                break


def _rank_cards(ix: _Index, ev: Evidence) -> None:
    cards = [card for card in ix.cls("ssi-rank") if ix.usable(card)]
    for score in ix.cls("ssi-rank__category-score"):
        if within(score, frozenset({"ssi-rank"})) is None and score.getparent() is not None and ix.usable(score):
            cards.append(score.getparent())
    for card in cards:
        names = [el for el in card.iter() if "ssi-rank__category-name" in classes(el)]
        group = group_of(visible_text(names[0]) if names else visible_text(card))
        if group is None:
            continue
        field = f"{group}.rank"
        if "ssi-report__container" in classes(card):  # 2022-23: the percentage is the 2nd span
            spans = list(card.iter("span"))
            if len(spans) >= 2:
                text = visible_text(spans[1])
                value = percent(text)
                reading = first_number(text) if value is None else Reading(value, 0)
                if reading is not None:
                    ev.add(field, reading.value, 0, f"the {group} rank block")
            continue
        for el in card.iter("span"):
            # "Top <span class="t-40">75</span>%": the number of the card's own score line.
            if "t-40" in classes(el) and within(el, RANK_SCORE) is not None:
                rank = as_int(read_whole(el.text_content()))
                if rank is not None:
                    ev.add(field, rank, 0, f"the {group} rank card")
        for el in card.iter():
            if "ssi-rank__category-score" in classes(el):
                rank_pct = percent(visible_text(el))
                if rank_pct is not None:
                    ev.add(field, rank_pct, 0, f"the {group} rank card's text")


_BLOCKS = ("p", "div", "li", "section", "ul", "ol", "table", "article")


def _sentences(ix: _Index, container: HtmlElement) -> list[str]:
    """The text of each innermost block (a p, li or div holding no other block) of a container."""
    found = []
    for el in container.iter("p", "div", "li"):
        if not any(child is not el for child in el.iter(*_BLOCKS)) and ix.usable(el):
            found.append(visible_text(el))
    return found


def _groups(ix: _Index, ev: Evidence) -> None:
    for group, container in _group_containers(ix):
        for sentence in _sentences(ix, container):
            token = average_token(sentence)
            if token is not None:
                _add(ev, f"{group}.average", read_whole(token), f"the {group} average sentence")
            match = RANK_PHRASE.search(sentence)
            if match:
                ev.add(f"{group}.rank", int(match.group(1)), 0, f"the {group} 'top N%' sentence")
        for el in container.iter():
            if "ssi-score__value" in classes(el) and within(el, GROUP_DONUT) is not None and ix.usable(el):
                _add(ev, f"{group}.average", first_number(visible_text(el)), f"the {group} donut's caption",
                     rounded=True)
        for table in container.iter("table"):
            if within(table, GROUP_DONUT) is not None and ix.usable(table):
                _donut_table(table, f"{group}.", f"{group}.average", ev, f"{group} donut")


def _industry_name(ix: _Index, ev: Evidence) -> None:
    """"Sales professionals in the {Industry} industry have an average SSI of N.", wherever the
    page says it (the group card in 2026; the 2022 layout's sections too). Outside the industry's
    card its average counts as a clue too: a sentence that names another industry ("Did you know?
    Sales professionals in the Staffing industry have an average SSI of 58") then contradicts the
    page's own average instead of lending the snapshot its name."""
    blocks: list[HtmlElement] = []
    for text in ix.average_texts:
        node = text.getparent()
        while node is not None and node.tag not in ("p", "div", "li", "section"):
            node = node.getparent()
        if node is not None and not any(node is seen for seen in blocks) and ix.usable(node):
            blocks.append(node)
    for block in blocks:
        sentence = visible_text(block)
        match = INDUSTRY_NAME.search(sentence)
        if match:
            ev.add_text("industry.name", match.group(1), "the industry sentence")
            token = average_token(sentence)
            if token is not None and within(block, GROUP) is None:
                _add(ev, "industry.average", read_whole(token), "the industry sentence's average")


def _seven_spans(ix: _Index, ev: Evidence) -> None:
    """The 2022-23 layout: seven spans, [0] total, [1..4] pillars, [5] industry, [6] network."""
    spans = [el for el in ix.cls("ssi-score__value")
             if {"block", "mb-3"} <= classes(el) and ix.usable(el)
             and within(el, USER_CARD | GROUP) is None]  # the 2026 cards' spans are read above
    if not spans:
        return
    if len(spans) != 7:
        ev.reject("ssi", "the 2022 layout's score values",
                  f"the 2022 layout has 7 score values, this page has {len(spans)}")
        return
    fields = ("ssi", "pillars.brand", "pillars.people", "pillars.insights", "pillars.relationships",
              "industry.average", "network.average")
    for number, (field, span) in enumerate(zip(fields, spans, strict=False), start=1):
        _add(ev, field, first_number(visible_text(span)), f"score value {number} of 7 (2022 layout)")


def page_clues(raw: bytes | str, ev: Evidence) -> bool:
    """Add every figure the page shows to ``ev``; True when it carried an API body.

    Raises NotSsiPage for sign-in and challenge pages, ParseError when nothing is found.
    """
    doc = tree(raw)
    ix = _Index(doc)
    carried_body = _embedded_bodies(ix, ev)
    _progress_bars(ix, ev)
    _user_donut(ix, ev)
    _pillar_rows(ix, ev)
    _rank_cards(ix, ev)
    _groups(ix, ev)
    _industry_name(ix, ev)
    _seven_spans(ix, ev)
    if not ev:
        blocker = detect_blocker(doc)
        if blocker is not None:
            raise NotSsiPage(*blocker)
        raise ParseError(
            "no SSI figures on this page: not the SSI page, or saved before its scores rendered"
        )
    return carried_body
