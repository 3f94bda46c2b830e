"""The page's own words, per language, for the few hooks that are text.

Only wording seen in public captures is listed (English, Portuguese pillar labels; the rank and
caption phrases of German, Russian and Polish). Where a language's wording is not known, the
parser falls back to language-free hooks (element ids, numbers next to "SSI" or "%") and leaves a
figure null rather than guess.
"""

from __future__ import annotations

import re
import unicodedata

from .model import PILLAR_KEYS


def normalise(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a label."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


_LABELS: dict[str, tuple[str, ...]] = {
    "brand": ("Establish your professional brand", "Estabelecer sua marca profissional"),
    "people": ("Find the right people", "Localizar as pessoas certas"),
    "insights": ("Engage with insights", "Interagir oferecendo insights"),
    "relationships": ("Build relationships", "Criar relacionamentos"),
}
PILLAR_LABELS: dict[str, str] = {
    normalise(label): key for key in PILLAR_KEYS for label in _LABELS[key]
}
REMAINING_LABELS: frozenset[str] = frozenset({normalise("Remaining points")})

# Words that say which peer group a card, heading or sentence is about.
INDUSTRY_WORDS = re.compile(r"\b(industry|industries|setor|ind[uú]stria|branche|отрасл\w*|branż\w*)\b", re.I)
NETWORK_WORDS = re.compile(r"\b(networks?|rede|netzwerk\w*|сет[ьи]\w*|sie[cć]\w*)\b", re.I)

# "You rank in the top 75%", "Primeiros 75%", "верхние 4 %": the rank is the number before %.
RANK_PHRASE = re.compile(r"\b(?:top|primeiros|верхние)\s+(\d{1,3})\s?%", re.I)

_SSI = re.compile(r"\bSSI\b")
_NUMBER_NOT_PERCENT = re.compile(r"(?<![\w.,])(-?\d{1,6}(?:[.,]\d{1,12})?)(?![\d.,]*\s?%)(?![\w])")


def average_token(sentence: str) -> str | None:
    """The average in "... have an average SSI of 30.99." / "... SSI médio de 20,97" /
    "Средний SSI ...: 27,41.": the last number after "SSI" that is not a percentage (a rank or
    a weekly change). The last, because an industry's name, which may hold digits, comes first
    in every wording seen."""
    match = _SSI.search(sentence)
    if match is None:
        return None
    numbers = _NUMBER_NOT_PERCENT.findall(sentence, match.end())
    return numbers[-1] if numbers else None

# The industry's name appears only in the English sentence known from captures.
INDUSTRY_NAME = re.compile(
    r"Sales professionals in the (.+?) industry have an average SSI", re.I
)


def group_of(text: str) -> str | None:
    """'industry' or 'network' when the text names exactly one of them."""
    industry = bool(INDUSTRY_WORDS.search(text))
    network = bool(NETWORK_WORDS.search(text))
    if industry == network:
        return None
    return "industry" if industry else "network"
