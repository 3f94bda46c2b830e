"""Remove session secrets from anything we keep: raw pages, artifacts, messages.

Two nets: the exact values of the session's cookies (whatever their names), and the shapes
LinkedIn's secrets take (``li_at=...``, ``JSESSIONID``, ``ajax:<digits>`` CSRF tokens, csrf meta
tags), for values we were never told about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[redacted]"
_PATTERNS = [
    re.compile(r"(li_at\s*[=:]\s*\"?)[^;\s\"'&<]+", re.I),
    re.compile(r"(JSESSIONID\s*[=:]\s*\"?)[^;\s\"'&<]+", re.I),
    re.compile(r"()ajax:\d{6,}"),
    re.compile(r"(csrf[-_]?token[\"']?\s*[=:]\s*[\"']?)[^\"'&;\s<]+", re.I),
    re.compile(r"(<meta[^>]+name=[\"']csrf[^>]+content=[\"'])[^\"']+", re.I),
]
_SCRIPT = re.compile(r"(<script\b[^>]*>).*?(</script\s*>)", re.I | re.S)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    # Longest first, so a value that contains another is removed whole.
    for value in sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True):
        text = text.replace(value, MASK)
        stripped = value.strip('"')
        if stripped != value and len(stripped) >= 6:
            text = text.replace(stripped, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


def strip_scripts(html: str) -> str:
    """Script bodies carry configuration and tokens and are never needed to read the figures."""
    return _SCRIPT.sub(r"\1\2", html)


def clean_page(html: str, secrets: Iterable[str] = ()) -> str:
    """A page as we keep it (raw pages, artifacts): no scripts, no session secrets."""
    return redact(strip_scripts(html), secrets)
