"""Pages that stand in the way of the SSI page: sign-in, authwall, checkpoint, captcha.

The one definition of them, for the parser (a saved page) and for the browser (the live page's
address and elements, watched while it loads; the login window). Judged by URLs and elements,
not by words such as "verify" (the reference warns those give false alarms): form actions,
challenge iframes, and the page's own address where a saved page keeps it (canonical link,
og:url, <base>, the "saved from url" comment browsers write).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from .errors import BlockerKind

if TYPE_CHECKING:
    from .html import HtmlElement

# Where LinkedIn sends a signed-out or challenged visitor, by the start of the path.
BLOCKER_PATHS: tuple[tuple[BlockerKind, str], ...] = (
    ("checkpoint", r"/checkpoint/"),
    ("authwall", r"/authwall\b"),
    ("login", r"/(?:uas/)?login\b"),
    ("login", r"/signup\b"),
)
BLOCKED_PATH = re.compile("|".join(f"^{pattern}" for _, pattern in BLOCKER_PATHS))
_PATHS = tuple((kind, re.compile(f"^{pattern}")) for kind, pattern in BLOCKER_PATHS)

Match = Literal["equals", "contains", "starts"]
# Challenges inside a page, in the order they are looked for: (kind, tag, attribute, match, value).
CHALLENGE_ELEMENTS: tuple[tuple[BlockerKind, str, str, Match, str], ...] = (
    ("captcha", "iframe", "src", "contains", "arkoselabs"),
    ("captcha", "*", "id", "equals", "captcha-internal-iframe"),
    ("captcha", "*", "id", "starts", "captcha-"),
    ("checkpoint", "form", "action", "contains", "/checkpoint/"),
    ("login", "form", "action", "contains", "login-submit"),
    ("login", "input", "name", "equals", "session_password"),
)


def path_blocker(path: str) -> BlockerKind | None:
    """Which kind of blocking page an address's path is, if any."""
    for kind, pattern in _PATHS:
        if pattern.search(path):
            return kind
    return None


def css_selector(tag: str, attribute: str, match: Match, value: str) -> str:
    operator = {"equals": "=", "contains": "*=", "starts": "^="}[match]
    return f'{"" if tag == "*" else tag}[{attribute}{operator}"{value}"]'


def challenge_selectors() -> list[tuple[str, str]]:
    """(kind, CSS selector) for each challenge element, in order: for the browser's watcher."""
    return [(kind, css_selector(tag, attr, match, value)) for kind, tag, attr, match, value in CHALLENGE_ELEMENTS]


def _xpath_of(tag: str, attribute: str, match: Match, value: str) -> str:
    test = {"equals": f"@{attribute}='{value}'", "contains": f"contains(@{attribute}, '{value}')",
            "starts": f"starts-with(@{attribute}, '{value}')"}[match]
    return f"//{tag}[{test}]"


@functools.cache
def _compiled() -> tuple[object, list[tuple[BlockerKind, object]]]:
    from lxml import etree

    urls = etree.XPath(
        "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content | //base/@href"
        " | //form/@action | //comment()[contains(., 'saved from url')]"
    )
    return urls, [(kind, etree.XPath(_xpath_of(tag, attr, match, value)))
                  for kind, tag, attr, match, value in CHALLENGE_ELEMENTS]


_URL_IN_TEXT = re.compile(r"(?:https?://[^\s\"'<>]+|/[^\s\"'<>]*)")


def detect_blocker(doc: HtmlElement) -> tuple[BlockerKind, str] | None:
    """Which kind of blocking page ``doc`` is, and the element that says so; None otherwise.

    A captcha first (it may sit on any page), then the page's own address, then a challenge form.
    """
    url_query, elements = _compiled()
    for kind, query in elements:
        found = query(doc)  # type: ignore[operator]
        if found and kind == "captcha":
            el = found[0]
            return kind, f"<{el.tag}> {el.get('id') or el.get('src')}"
    urls: list[str] = []
    for value in url_query(doc):  # type: ignore[operator]
        text = str(value)
        urls += _URL_IN_TEXT.findall(text) if "saved from url" in text else [text.strip()]
    for kind, pattern in _PATHS:
        for url in urls:
            if pattern.search(urlsplit(url).path):
                return kind, f"address {url[:120]}"
    for kind, query in elements:
        found = query(doc)  # type: ignore[operator]
        if found and kind != "captcha":
            return kind, "a sign-in form" if kind == "login" else f"a {kind} form"
    return None
