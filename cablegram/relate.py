"""Relate: links between documents that follow from their printed numbers and their texts.

A reference such as `To your No. 1112-1126` is a reply to the documents numbered so; two
records with the same parties, nearly the same date and much the same words are other
translations of one message. Links are found when a document is read, so they are never
stale after an ingest.
"""

from __future__ import annotations

import datetime as dt
import re

NUMBER_ROLES = ("telegram number", "cable number", "outgoing number")
REPLY_ROLES = ("in reply to",)
MAX_RANGE = 200  # `No. 1112-1126` is expanded; a wider "range" is more likely a misreading
_PREFIX = re.compile(r"^(?:N[oº°]\.?|Nos?\.?)\s*", re.I)
_RANGE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")


def ref_key(value: str) -> str:
    """The comparable form of a printed number: `No. 439/sh.` → `439/sh`."""
    return _PREFIX.sub("", value.strip()).rstrip(".").lower().replace(" ", "")


def reply_keys(value: str) -> list[str]:
    """The numbers a reply reference points to, a range expanded: `No. 1112-1114` → 3 keys."""
    key = ref_key(value)
    m = _RANGE.match(key)
    if m and 0 <= int(m.group(2)) - int(m.group(1)) <= MAX_RANGE:
        return [str(n) for n in range(int(m.group(1)), int(m.group(2)) + 1)]
    return [key]


# Two records of one message ("other translation of"): same author and recipient, dates at
# most a day apart, and texts that share at least this share of their words (Dice, on words
# of three letters or more, function words aside). Translations of one cable score about
# 0.5–0.9; different messages between the same people on the same day about 0.2–0.3.
TRANSLATION_MIN_SIMILARITY = 0.45
TRANSLATION_MAX_DAYS = 1
# Most candidates whose words are compared (those of the same day first, then the days
# around it): a busy sender and recipient can exchange hundreds of records a day in a large
# archive, and reading every one would make the document page slow.
TRANSLATION_MAX_CANDIDATES = 50
_WORD = re.compile(r"[^\W\d_]{3,}")
_FUNCTION_WORDS = frozenset({
    "the", "and", "that", "this", "with", "from", "for", "was", "were", "are", "has", "have",
    "had", "not", "but", "his", "her", "its", "their", "our", "your", "you", "they", "them",
    "who", "which", "what", "when", "will", "would", "shall", "should", "can", "could", "may",
    "might", "been", "into", "about", "also", "than", "then", "there", "these", "those", "such",
    "very", "all", "any", "some", "one", "two",
})


def content_words(text: str) -> set[str]:
    """The distinct words of a text that carry content, in lower case (each written form
    folded once: a text repeats most of its words)."""
    return {w.casefold() for w in set(_WORD.findall(text))} - _FUNCTION_WORDS


def dice(x: set[str], y: set[str]) -> float:
    """How much two sets of words share (Dice coefficient, 0 to 1; 0 if either is empty)."""
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def similarity(a: str, b: str) -> float:
    """How much two texts share of their content words (Dice coefficient, 0 to 1)."""
    return dice(content_words(a), content_words(b))


def days_around(date: str, days: int = TRANSLATION_MAX_DAYS) -> tuple[str, str]:
    """The ISO dates `days` before and after a day-precision date."""
    day = dt.date.fromisoformat(date[:10])
    delta = dt.timedelta(days=days)
    return (day - delta).isoformat(), (day + delta).isoformat()
