"""Bytes to an lxml tree, and the few tree walks the readers share.

lxml builds the tree of a 300 KB page in about 1 ms; BeautifulSoup, which wraps every node in a
Python object, takes 8-40 ms for the same page (see ``make bench``). The readers only need a
handful of elements, so they use lxml's tree and XPath directly, and borrow BeautifulSoup's
encoding detection (UnicodeDammit: BOMs, <meta charset>, then a sensible guess) for saved pages
that are not UTF-8. Browsers hand us UTF-8, so bs4 (70 ms to import) is only loaded for the rest.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from .errors import ParseError

__all__ = ["HtmlElement", "classes", "decode", "hidden", "invisible_tag", "tree", "visible_text", "within"]

_PARSER = lxml.html.HTMLParser(encoding="utf-8", collect_ids=False)
# Not shown to a reader: hidden tables and data blobs, scripts, SVG, and the fallback content of
# <progress>/<meter>, which browsers draw as a bar instead (the live page puts a score span there).
_SKIP = frozenset({"table", "svg", "script", "style", "code", "template", "noscript", "head", "progress", "meter"})
_BLOCK = frozenset(
    {"p", "div", "li", "ul", "ol", "section", "article", "header", "footer", "main", "br",
     "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "dd", "dt", "caption"}
)


def decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    import logging

    from bs4.dammit import UnicodeDammit

    # A last-resort decode replaces what it cannot read with U+FFFD and logs a warning; a page
    # that bad either still parses or fails with a ParseError that says so, so keep bs4 quiet.
    logging.getLogger("bs4.dammit").setLevel(logging.ERROR)
    text = UnicodeDammit(raw, is_html=True).unicode_markup
    if text is None:
        raise ParseError("the page's bytes are in no text encoding we can read")
    return text


def _utf8(raw: bytes | str) -> bytes:
    """The page as UTF-8 bytes, without a BOM. Bytes that already are UTF-8 (what browsers hand
    us) are passed on as they are: decoding and encoding 300 KB again costs a tenth of a parse."""
    if isinstance(raw, str):
        return raw.lstrip("\ufeff").encode("utf-8", "surrogatepass")
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if data.isascii():
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return decode(raw).encode("utf-8", "surrogatepass")
    return data


def tree(raw: bytes | str) -> HtmlElement:
    data = _utf8(raw)
    if not data or data.isspace():
        raise ParseError("the page is empty")
    try:
        # Always hand lxml UTF-8 bytes: it refuses str input that carries an XML declaration.
        return lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.LxmlError, ValueError) as exc:
        raise ParseError(f"the page is not readable HTML ({exc})") from None


def classes(el: HtmlElement) -> set[str]:
    value = el.get("class")
    return set(value.split()) if value else set()


def within(el: HtmlElement, wanted: frozenset[str]) -> HtmlElement | None:
    """The nearest element (``el`` itself or an ancestor) carrying one of the ``wanted`` classes."""
    node: HtmlElement | None = el
    while node is not None:
        value = node.get("class") if isinstance(node.tag, str) else None
        if value and not wanted.isdisjoint(value.split()):
            return node
        node = node.getparent()
    return None


def hidden(el: HtmlElement) -> bool:
    """Whether ``el`` sits inside something a reader does not see as text (see _SKIP; tables
    aside: the readers that want the donuts' hidden tables ask for them by name), or is itself
    not drawn at all (the hidden attribute: a closed tab panel, say). The donuts' tables are
    hidden by their class, for screen readers; a hidden attribute on a table is left to the
    readers that ask for the table."""
    if el.tag != "table" and el.get("hidden") is not None:
        return True
    node = el.getparent()
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP and tag != "table":
            return True
        if tag != "table" and node.get("hidden") is not None:
            return True
        node = node.getparent()
    return False


def invisible_tag(el: HtmlElement) -> bool:
    """An element whose own text is never shown (a script, a style, SVG, fallback content)."""
    return isinstance(el.tag, str) and el.tag in _SKIP and el.tag != "table"


def visible_text(root: HtmlElement) -> str:
    """The text a reader sees in ``root``, leaving out hidden tables, scripts, SVG and data blobs.

    Iterative on purpose: hostile pages can nest deeper than Python's recursion limit.
    """
    parts: list[str] = [root.text or ""]
    stack: list[tuple[Iterator[HtmlElement], HtmlElement | None]] = [(iter(root), None)]
    while stack:
        children, owner = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if owner is not None:
                if owner.tag in _BLOCK:
                    parts.append(" ")
                parts.append(owner.tail or "")
            continue
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is not None and tag.lower() not in _SKIP:
            if tag in _BLOCK:
                parts.append(" ")
            parts.append(child.text or "")
            stack.append((iter(child), child))
        else:
            parts.append(child.tail or "")
    return " ".join("".join(parts).split())
