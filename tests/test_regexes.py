"""Regexes built from data (cablegram/regexes.py) find exactly what the plain forms find:
a trie of words matches as the longest-first alternation does, one combined pattern as any of
its parts, and the quick word test never hides a line the case-blind patterns would read."""

from __future__ import annotations

import random
import re

import pytest

from cablegram.authority.lookup import default_authority, name_pattern
from cablegram.extract.correspondents import mentioned
from cablegram.extract.patterns import HANDLING, MONTHS
from cablegram.model import SourceText
from cablegram.regexes import any_of, may_hold, trie
from tests.conftest import SAMPLES

EDGE = r"[\w’'-]"


def _alternation(words: set[str]) -> str:
    """The plain form: every word, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    """Every match with its span."""
    return [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]


def _sample_lines() -> list[str]:
    """The lines of every text sample."""
    return [ln for f in sorted(SAMPLES.rglob("*.txt"))
            for ln in f.read_text(encoding="utf-8").split("\n")]


def test_trie_matches_the_longest_first_alternation_on_random_text() -> None:
    rng = random.Random(7)
    words = {"".join(rng.choice("abc") for _ in range(rng.randint(1, 5))) for _ in range(40)}
    plain = re.compile(rf"(?:{_alternation(words)})(?!b)")
    tried = re.compile(rf"(?:{trie(words)})(?!b)")
    for _ in range(300):
        text = "".join(rng.choice("abc ") for _ in range(60))
        assert _found(tried, text) == _found(plain, text)


def test_month_trie_keeps_the_longest_month_first_without_case() -> None:
    month = re.compile(rf"\b(?:{trie(MONTHS)})\.?", re.I)
    assert month.match("September 1950").group(0) == "September"
    assert month.match("SEPT. 3").group(0) == "SEPT."
    assert month.match("sep 3").group(0) == "sep"
    assert month.match("Mayor") is not None and month.match("Tuesday") is None


def test_name_scanner_finds_what_the_plain_alternation_finds() -> None:
    authority = default_authority()
    forms = {f for r in authority.records.values()
             for f in [r.name, r.short, *r.variants, *(str(p["name"]) for p in r.pseudonyms)]
             if len(f) >= 3}
    forms |= {f.upper() for f in forms}
    plain = re.compile(rf"(?<!{EDGE})(?:{_alternation(forms)})(?!{EDGE})")
    fast = name_pattern(forms)
    lines = _sample_lines()
    assert sum(len(_found(plain, ln)) for ln in lines) > 100  # the samples name many people
    for line in lines:
        assert _found(fast, line) == _found(plain, line)
    assert _found(fast, "Kim Il Sung and Kim-Il") == _found(plain, "Kim Il Sung and Kim-Il")


def test_trie_of_no_words_is_the_empty_pattern() -> None:
    assert trie([]) == ""
    assert _found(name_pattern({"Yalu"}), "the Yalu, not Yalus") == [(4, 8, "Yalu")]


@pytest.mark.parametrize("text", ["Only by telegraph.", "TOP SECRET", "by courier", "urgent",
                                  "Only by telegraph today", "Secretly", ""])
def test_any_of_matches_where_one_of_its_patterns_does(text: str) -> None:
    combined = any_of(HANDLING)
    assert (combined.match(text) is not None) == any(p.match(text) for p in HANDLING)


def test_any_of_keeps_each_patterns_own_flags() -> None:
    combined = any_of([re.compile(r"^abc$", re.I), re.compile(r"^xyz$")])
    assert combined.match("ABC") and combined.match("xyz")
    assert combined.match("XYZ") is None


@pytest.mark.parametrize("text", ["Sent 3.VII.1950", "RECEIVED 11:15", "was sent at 2035",
                                  "ſent at noon", "RECEİVED 8.7.50", "recıeved", "Reply soon",
                                  "Presently", ""])
def test_may_hold_never_misses_what_ignorecase_finds(text: str) -> None:
    words = ("sent", "received")
    if re.search(r"sent|received", text, re.I):
        assert may_hold(text, words)
    if text.isascii():
        assert may_hold(text, words) == bool(re.search(r"sent|received", text, re.I))


def test_names_are_found_on_their_lines_never_across_a_line_break() -> None:
    """mentioned() scans a document's lines joined; a title at one line's end and a name at
    the next one's start (`General` / `Staff`) must not make a name of them."""
    src = SourceText("t.txt", "Chief of the General\nStaff Marshal Petrov and Comrade\n"
                     "Kim Chen Yun arrived.", "text/plain", "text")
    found = mentioned(src.lines(), default_authority(), None)
    people = [(m.as_written, m.line, m.id) for m in found["people"]]
    assert ("Petrov", 2, None) in people and ("Chen Yun", 3, "chen-yun") in people
    assert not any(w.startswith(("Staff", "Kim Chen")) for w, _, _ in people)
