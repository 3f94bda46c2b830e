"""Plausible things a live SSI page may carry besides its figures, to add to any corpus page.

The property tests used to only take elements away; a hook that matches too widely is caught only
by adding what it may wrongly match. Each kind here follows the reference
(``../shared/reference/ssi-page.md``): the ``.ssi-score__value`` fallback span inside every
``<progress>``, the same class in pillar rows, a "Weekly social selling index" card of past weeks
with its own hidden tables inside the user's section, tooltips that repeat a pillar rounded, a
Sales Navigator upsell saying "Top 1%", a second copy of the rank cards for another period, and a
tip that uses the industry card's own sentence for another industry.
Numbers that are not today's are drawn so that they differ from today's by more than any
display precision: reading one of them as a figure is always detectably wrong.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable

import lxml.html
from lxml.html import HtmlElement

PROGRESS_IDS = ("establish-brand__sub-score-bar", "find-people__sub-score-bar",
                "engage-with-insights__sub-score-bar", "build-relationships__sub-score-bar")
LABELS = ("Establish your professional brand", "Find the right people", "Engage with insights",
          "Build relationships")
_ROW = re.compile(r"^(\s*)(-?\d{1,3}(?:[.,]\d{1,12})?)(\s*\|.*)$", re.S)


def _el(markup: str) -> HtmlElement:
    return lxml.html.fragment_fromstring(markup)


def _classes(el: HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def _find_class(doc: HtmlElement, token: str) -> list[HtmlElement]:
    return [el for el in doc.iter() if isinstance(el.tag, str) and token in _classes(el)]


def _container(doc: HtmlElement, *tokens: str) -> HtmlElement:
    """The first element with one of ``tokens``, else <main>, else <body>."""
    for token in tokens:
        found = _find_class(doc, token)
        if found:
            return found[0]
    for tag in ("main", "body"):
        found = list(doc.iter(tag))
        if found:
            return found[0]
    return doc


def _insert(parent: HtmlElement, child: HtmlElement, rnd: random.Random) -> None:
    parent.insert(rnd.randint(0, len(parent)), child)


def _format(value: float, places: int, comma: bool) -> str:
    text = f"{value:.{places}f}"
    if places:
        text = text.rstrip("0").rstrip(".") or "0"
    return text.replace(".", ",") if comma else text


def _uses_comma(doc: HtmlElement) -> bool:
    return (doc.get("lang") or "en")[:2] in ("pt", "de", "ru", "pl")


def _progress_values(doc: HtmlElement) -> dict[str, float]:
    out = {}
    for bar in doc.iter("progress"):
        try:
            out[bar.get("id") or ""] = float(bar.get("value") or "")
        except ValueError:
            continue
    return out


def _other(rnd: random.Random, today: float | None, low: float, high: float) -> float:
    """A number in [low, high] at least 1.5 away from today's figure (never mistakable for it)."""
    while True:
        value = round(rnd.uniform(low, high), 2)
        if today is None or abs(value - today) > 1.5:
            return value


# -- the kinds of look-alike -----------------------------------------------------------------------
def progress_spans(doc: HtmlElement, rnd: random.Random) -> None:
    """Fallback content in each progress bar, as live pages have it: the pillar to 3 decimals (or
    fewer) in a span with the score's own class, "out of 25" after it."""
    comma = _uses_comma(doc)
    for bar in doc.iter("progress"):
        try:
            value = float(bar.get("value") or "")
        except ValueError:
            continue
        for child in list(bar):
            bar.remove(child)
        span = _el(f"<span class='ssi-score__value{rnd.choice(['', ' t-14', ' block mb-3'])}'>"
                   f"{_format(value, rnd.choice([3, 2, 1, 0]), comma)}</span>")
        bar.text = None
        span.tail = " out of 25"
        bar.append(span)


def row_spans(doc: HtmlElement, rnd: random.Random) -> None:
    """The number of each "13.12 | Establish your professional brand" row in a .ssi-score__value span."""
    for el in list(doc.iter()):
        if not isinstance(el.tag, str) or len(el) or not el.text or "|" not in el.text:
            continue
        match = _ROW.match(el.text)
        if match is None:
            continue
        span = _el(f"<span class='ssi-score__value{rnd.choice(['', ' t-16 t-bold'])}'>{match.group(2)}</span>")
        span.tail = match.group(3)
        el.text = match.group(1) or None
        el.insert(0, span)


def weekly_card(doc: HtmlElement, rnd: random.Random) -> None:
    """A card of the last 7 weeks inside the user's section: a line chart's hidden data table (a
    row per week, or a row per pillar with a column per week), last week's pillars in donut-like
    rows with "Remaining points", and each week's score in a .ssi-score__value span."""
    bars = _progress_values(doc)
    today = [bars.get(i) for i in PROGRESS_IDS]
    weeks = [f"Week of {day}" for day in ("Oct 14", "Oct 21", "Oct 28", "Nov 4", "Nov 11", "Nov 18", "Nov 25")]
    totals = [_other(rnd, None, 5, 95) for _ in weeks]
    pillars = [_other(rnd, t, 0.5, 24.5) for t in today]
    comma = _uses_comma(doc)

    def n(v: float) -> str:
        return _format(v, 2, comma)

    parts = []
    heading = rnd.choice(["<h3 class='t-16 t-bold'>Weekly social selling index</h3>",
                          "<h2>Weekly Social Selling Index</h2>", ""])
    parts.append(heading)
    parts.append("<div class='highcharts-container'><svg class='highcharts-root'><g class='highcharts-series'>"
                 "<path class='highcharts-graph' d='M 0 0 L 10 10'/></g></svg></div>")
    caption = "<caption>Weekly social selling index</caption>" if heading and rnd.random() < 0.5 else ""
    if rnd.random() < 0.5:
        rows = "".join(f"<tr><th scope='row'>{w}</th><td>{n(t)}</td></tr>" for w, t in zip(weeks, totals, strict=False))
    else:  # a series per pillar, a column per week
        rows = "".join(
            f"<tr><th scope='row'>{label}</th>" + "".join(f"<td>{n(_other(rnd, None, 0.5, 24.5))}</td>" for _ in weeks)
            + "</tr>" for label in LABELS)
    parts.append(f"<table class='highcharts-data-table visually-hidden'>{caption}<tbody>{rows}</tbody></table>")
    if heading:  # last week's pillars, labelled as the donut's are: only a card's heading tells them apart
        rows = "".join(f"<tr><th>{label}</th><td>{n(v)}</td></tr>" for label, v in zip(LABELS, pillars, strict=False))
        rows += f"<tr><th>Remaining points</th><td>{n(100 - sum(pillars))}</td></tr>"
        parts.append(f"<table class='visually-hidden'><tbody>{rows}</tbody></table>")
        items = "".join(f"<li>{n(v)} | {label}</li>" for label, v in zip(LABELS, pillars, strict=False))
        parts.append(f"<ul>{items}</ul>")
    spans = "".join(f"<li><span class='ssi-score__value{rnd.choice(['', ' t-12'])}'>{round(t)}</span> {w}</li>"
                    for w, t in zip(weeks, totals, strict=False))
    parts.append(f"<ul class='ssi-weekly__points'>{spans}</ul>")
    card = _el(f"<div class='ssi-weekly-chart artdeco-card'>{''.join(parts)}</div>")
    _insert(_container(doc, "user-ssi-score", "ssi-report"), card, rnd)


def tooltips(doc: HtmlElement, rnd: random.Random) -> None:
    """Highcharts tooltips repeating each pillar, rounded to 1 decimal or to a whole number."""
    bars = _progress_values(doc)
    donut = _container(doc, "user-ssi-score__donut-chart", "user-ssi-score", "ssi-report")
    for bar_id, label in zip(PROGRESS_IDS, LABELS, strict=False):
        if bar_id not in bars:
            continue
        shown = _format(bars[bar_id], rnd.choice([1, 0]), _uses_comma(doc))
        markup = rnd.choice([
            f"<div class='highcharts-tooltip' role='tooltip'><span>{label}</span>: <b>{shown}</b></div>",
            f"<div class='highcharts-tooltip'><span class='highcharts-label'>{shown} | {label}</span></div>",
            f"<svg class='highcharts-tooltip'><text><tspan>{shown} | {label}</tspan></text></svg>",
        ])
        _insert(donut, _el(markup), rnd)


def upsell(doc: HtmlElement, rnd: random.Random) -> None:
    """A Sales Navigator upsell saying "Top 1%", in the footer, a group's card or the rank cards."""
    markup = rnd.choice([
        "<div class='ssi-upsell artdeco-card'><h3>Sell like the best</h3>"
        "<p>Join the Top 1% of sellers with Sales Navigator.</p>"
        "<a href='/sales/upsell' class='artdeco-button'>Try Sales Navigator</a></div>",
        "<aside class='upsell-card'><p class='t-14'>Top <span class='t-40'>1</span>% of social sellers use "
        "Sales Navigator</p></aside>",
        "<p class='upsell t-12'>Sales Navigator users rank in the top 1% of their industry 3x more often.</p>",
    ])
    parent = _container(doc, *rnd.choice([("ssi-upsell",), ("group-ssi-score",), ("ssi-ranks", "ssi-report"),
                                          ("user-ssi-score",)]))
    _insert(parent, _el(markup), rnd)


def industry_sentence(doc: HtmlElement, rnd: random.Random) -> None:
    """A sentence in the industry card's own words about another industry, outside that card."""
    other = rnd.choice(["Staffing and Recruiting", "Retail", "Banking"])
    markup = (f"<aside class='ssi-tip'><p>Did you know? Sales professionals in the {other} industry have an "
              f"average SSI of {_other(rnd, None, 5, 95):.2f}.</p></aside>")
    _insert(_container(doc, *rnd.choice([("ssi-upsell",), ("user-ssi-score", "ssi-report"), ("ssi-ranks",)])),
            _el(markup), rnd)


def rank_copy(doc: HtmlElement, rnd: random.Random) -> None:
    """A second copy of the rank cards, for another period, with other numbers."""
    cards = _find_class(doc, "ssi-rank")
    if not cards:
        return
    section = _el(f"<section class='ssi-ranks ssi-ranks--previous'><h2>{rnd.choice(['Last month', 'Previous period'])}"
                  "</h2></section>")
    for card in cards:
        clone = copy.deepcopy(card)
        for el in clone.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("text", "tail"):
                text = getattr(el, attr)
                if text and re.search(r"\d", text):
                    setattr(el, attr, re.sub(r"\d{1,3}", lambda m: str((int(m.group(0)) + rnd.randint(5, 40)) % 99 + 1),
                                             text))
        section.append(clone)
    parent = cards[0].getparent()
    if parent is not None:
        _insert(parent.getparent() if parent.getparent() is not None else parent, section, rnd)


KINDS: dict[str, Callable[[HtmlElement, random.Random], None]] = {
    "progress_spans": progress_spans,
    "row_spans": row_spans,
    "weekly_card": weekly_card,
    "tooltips": tooltips,
    "upsell": upsell,
    "rank_copy": rank_copy,
    "industry_sentence": industry_sentence,
}


def with_lookalikes(html: str, kinds: list[str], seed: int) -> str:
    """``html`` with each of ``kinds`` added, in that order, placed and numbered by ``seed``."""
    doc = lxml.html.document_fromstring(html)
    rnd = random.Random(seed)
    for kind in kinds:
        KINDS[kind](doc, rnd)
    return lxml.html.tostring(doc, encoding="unicode")
