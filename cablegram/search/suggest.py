"""Did you mean: for words the archive does not hold, the nearest words it does hold."""

from __future__ import annotations

import re

import tantivy

from cablegram.search.build import SPELL_FIELD, fuzzy_edits

CANDIDATES = 5000  # most frequent words sharing the first letters, compared one by one
PREFIX_CHARS = 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b (adjacent swaps count one), or limit + 1 beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return previous[-1]


def nearest_word(searcher: tantivy.Searcher, word: str) -> str | None:
    """The archive's word nearest to `word` (fewest edits, then most documents), or None."""
    edits = fuzzy_edits(word)
    if not edits:
        return None
    terms = searcher.terms_with_prefix(SPELL_FIELD, word[:PREFIX_CHARS], limit=CANDIDATES)
    best: tuple[int, int, str] | None = None
    for term, count in terms:
        distance = edit_distance(word, term, edits)
        if distance <= edits and (best is None or (distance, -count) < best[:2]):
            best = (distance, -count, term)
    return best[2] if best else None


def styled_like(word: str, model: str) -> str:
    """`word` in the case of `model`: Roshchin for Roschin, PYONGYANG for PYONGYAN."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    return word.capitalize() if model[:1].isupper() else word


def replace_word(query: str, old: str, new: str) -> str:
    """The query text with the word `old` (as a whole word) replaced by `new`."""
    return re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", lambda _: new, query, count=1)
