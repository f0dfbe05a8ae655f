"""Building regular expressions from data: word lists as tries, pattern lists as one regex."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Characters re.IGNORECASE takes for an ASCII letter that lower() does not turn into it:
# İ and ı for i, ſ for s.
_ODD_CASES = re.compile("[\u0130\u0131\u017f]")
_SCOPED_FLAGS = ((re.I, "i"), (re.M, "m"), (re.S, "s"), (re.X, "x"))


def any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
    """One regex that matches (or finds) text where any of the patterns does, each with its
    own flags: one call instead of one per pattern."""
    alts = []
    for p in patterns:
        flags = "".join(c for f, c in _SCOPED_FLAGS if p.flags & f)
        alts.append(f"(?{flags}:{p.pattern})" if flags else f"(?:{p.pattern})")
    return re.compile("|".join(alts))


_Trie = dict[str, "_Trie"]


def trie(words: Iterable[str]) -> str:
    """The words as one regex alternation, factored into a trie: it matches what
    `|`.join(words, longest first) matches, trying the same words in the same order where
    they fit, but with far fewer steps when there are many words."""
    root: _Trie = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        """The alternation for the words from this node on."""
        alts = []
        for ch in sorted(k for k in node if k):
            literal, child = re.escape(ch), node[ch]
            while len(child) == 1 and "" not in child:  # a chain of single letters
                (nxt, child), = child.items()
                literal += re.escape(nxt)
            alts.append(literal + emit(child))
        if "" in node:
            alts.append("")  # the form may end here: tried after every longer one
        if len(alts) <= 1:  # one way on, or none (no words at all: the empty pattern)
            return alts[0] if alts else ""
        return "(?:" + "|".join(alts) + ")"

    return emit(root)


def may_hold(text: str, words: tuple[str, ...]) -> bool:
    """Whether a text may hold one of these lower-case ASCII words in any case, wherever a
    re.IGNORECASE search would find it: a quick test before patterns that need one."""
    low = text.lower()
    for word in words:
        if word in low:
            return True
    return not text.isascii() and _ODD_CASES.search(text) is not None
