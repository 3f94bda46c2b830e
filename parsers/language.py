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

# The group card's rank sentence: "You rank in the top 75%" (English), and the documented rank
# words of other languages ("Primeiros 75%", "верхние 4 %"). In English a bare "top N%" is not
# enough: an upsell card may say "Join the Top 1% of sellers".
RANK_PHRASE = re.compile(r"\b(?:rank in the top|primeiros|верхние)\s+(\d{1,3})\s?%", re.I)

# Headings of a card of past weeks ("Weekly social selling index", the 2019-20 line chart of the
# last 7 weeks): its numbers are never today's figures.
PAST_WEEKS = re.compile(r"\bweekly\b|\b(?:last|past|previous)\s+\d+\s+weeks\b", re.I)

_SSI = re.compile(r"\bSSI\b")
_NUMBER_NOT_PERCENT = re.compile(r"(?<![\w.,])(-?\d{1,6}(?:[.,]\d{1,12})?)(?![\d.,]*\s?%)(?![\w])")


_ENDS_SENTENCE = re.compile(r"\s*[.!…]?\s*$")


def average_token(sentence: str) -> str | None:
    """The average in "... have an average SSI of 30.99." / "... SSI médio de 20,97" /
    "Средний SSI ...: 27,41.": the number that ends the sentence, after "SSI", and is not a
    percentage (a rank or a weekly change). Every wording seen ends with the average; a sentence
    that goes on after its last number ("raise your SSI by 10 points") is not an average."""
    match = _SSI.search(sentence)
    if match is None:
        return None
    numbers = list(_NUMBER_NOT_PERCENT.finditer(sentence, match.end()))
    if not numbers or not _ENDS_SENTENCE.fullmatch(sentence, numbers[-1].end()):
        return None
    return numbers[-1].group(1)

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
