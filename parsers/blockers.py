"""Pages that stand in the way of the SSI page: sign-in, authwall, checkpoint, captcha.

Judged by URLs and elements, not by words such as "verify" (the reference warns those give
false alarms): form actions, challenge iframes, and the page's own address where a saved page
keeps it (canonical link, og:url, <base>, the "saved from url" comment browsers write).
"""

from __future__ import annotations

import re

from lxml import etree

from .errors import BlockerKind
from .html import HtmlElement

_URLS = etree.XPath(
    "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content | //base/@href"
    " | //form/@action | //comment()[contains(., 'saved from url')]"
)
_CAPTCHA = etree.XPath(
    "//iframe[contains(@src, 'arkoselabs')] | //*[@id='captcha-internal-iframe']"
    " | //*[starts-with(@id, 'captcha-')]"
)
_LOGIN_FORM = etree.XPath(
    "//form[contains(@action, 'login-submit')] | //input[@name='session_password']"
)

_URL_KINDS: tuple[tuple[BlockerKind, re.Pattern[str]], ...] = (
    ("checkpoint", re.compile(r"/checkpoint/")),
    ("authwall", re.compile(r"/authwall\b")),
    ("login", re.compile(r"/(?:uas/)?login\b")),
)


def detect_blocker(doc: HtmlElement) -> tuple[BlockerKind, str] | None:
    """Which kind of blocking page ``doc`` is, and the element that says so; None otherwise."""
    captcha = _CAPTCHA(doc)
    if captcha:
        el = captcha[0]
        return "captcha", f"<{el.tag}> {el.get('id') or el.get('src')}"
    urls = [str(url) for url in _URLS(doc)]
    for kind, pattern in _URL_KINDS:
        for url in urls:
            if pattern.search(url):
                return kind, f"address {url.strip()[:120]}"
    login = _LOGIN_FORM(doc)
    if login:
        return "login", "a sign-in form"
    return None
