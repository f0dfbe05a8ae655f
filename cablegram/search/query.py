"""Our query language, parsed into a tree. User text never reaches an index's own parser.

Syntax: words (all must match), "exact phrases", prefix*, -excluded, OR between groups, and
fields: `from:stalin`, `to:"Kim Il Sung"`, `date:1950-07..1950-10`, `-type:letter` (FIELDS).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field

from cablegram.errors import QueryError

MAX_QUERY_LENGTH = 500
# Query field → what it searches (the index field names live in search/index.py).
FIELDS = {
    "from": "authors",
    "to": "recipients",
    "via": "via",
    "person": "any role or mention of a person",
    "place": "places",
    "type": "document type",
    "ref": "printed numbers",
    "date": "document date",
    "collection": "collection",
    "language": "language of the document (as recorded, e.g. en, ru)",
    "fragment": "yes for fragments, no for whole documents",
}
_TOKEN = re.compile(
    r'\s*(?P<neg>-)?(?:(?P<field>[A-Za-z_]+):(?=\S))?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))')
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_FORM = "YYYY, YYYY-MM or YYYY-MM-DD, or a range such as 1950-07..1950-10 or ..1950-09-15"


@dataclass(frozen=True)
class Clause:
    """One searched unit: a term, a phrase, a prefix or a date range; negated when excluded.

    `field` is None for the text of the documents, else a key of FIELDS. A date range keeps
    its inclusive bounds as YYYYMMDD numbers (00 for a missing month or day) in `bounds`.
    """

    kind: str  # term | phrase | prefix | range
    text: str
    negated: bool = False
    field: str | None = None
    bounds: tuple[int | None, int | None] | None = None


@dataclass
class Query:
    """Groups joined by OR; within a group every clause must hold (or must not, if negated)."""

    groups: list[list[Clause]] = field(default_factory=list)

    def clauses(self) -> list[Clause]:
        """All clauses, in order."""
        return [c for g in self.groups for c in g]


def _date_number(text: str, upper: bool) -> int:
    """A date bound as YYYYMMDD; a partial upper bound stretches to its period's last day."""
    m = _DATE.match(text)
    if not m:
        raise QueryError(f"date:{text}: a date is written {DATE_FORM}.")
    year, month, day = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if m.group(2) and not 1 <= month <= 12:
        raise QueryError(f"date:{text}: there is no month {month:02d}; write {DATE_FORM}.")
    if m.group(3) and not 1 <= day <= monthrange(year, month)[1]:
        raise QueryError(f"date:{text}: there is no day {day:02d} in that month.")
    if upper:
        month = month or 12
        day = day or 99  # above any day, so a month-precision date (day 00) is inside too
    return year * 10000 + month * 100 + day


def date_bounds(value: str) -> tuple[int | None, int | None]:
    """Parse `1950`, `1950-07..1950-10`, `..1950-09-15` or `1950-07..` into inclusive bounds."""
    low, sep, high = value.partition("..")
    if not sep:
        high = low
    if not low and not high:
        raise QueryError(f"date:{value}: give at least one date; write {DATE_FORM}.")
    lo = _date_number(low, upper=False) if low else None
    hi = _date_number(high, upper=True) if high else None
    if lo is not None and hi is not None and lo > hi:
        raise QueryError(f"date:{value}: the range ends before it starts; put the earlier "
                         "date first.")
    return lo, hi


def _field_clause(name: str, neg: bool, phrase: str | None, word: str | None) -> Clause:
    """Make a clause from `field:value`; raise QueryError for an unknown field or value."""
    key = name.lower()
    if key not in FIELDS:
        raise QueryError(f"'{name}:' is not a search field; use one of "
                         f"{', '.join(f + ':' for f in FIELDS)} (or put the text in quotes).")
    value = (phrase if phrase is not None else word or "").strip()
    if not value:
        raise QueryError(f"'{name}:' needs a value, e.g. `{key}:\"...\"`.")
    if key == "date":
        return Clause("range", value, neg, key, date_bounds(value))
    clause = _clause(neg, phrase, word)
    assert clause is not None
    return Clause(clause.kind, clause.text, neg, key)


def _clause(neg: bool, phrase: str | None, word: str | None) -> Clause | None:
    """Make a clause from one token, or None for a token with nothing searchable in it."""
    if phrase is not None:
        return Clause("phrase", phrase.strip(), neg) if phrase.strip() else None
    assert word is not None
    if word.endswith("*"):
        stem = word.rstrip("*")
        if len(stem) < 2:
            raise QueryError(f"'{word}': a prefix needs at least two letters before '*'.")
        return Clause("prefix", stem, neg)
    return Clause("term", word, neg)


def parse(text: str) -> Query:
    """Parse a user query; raise QueryError with a readable message when it is malformed."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is {len(text)} characters long; the limit is "
                         f"{MAX_QUERY_LENGTH}.")
    if text.count('"') % 2:
        raise QueryError('The query has an opening " without a closing one; close the phrase.')
    text = text.replace("\x00", " ")
    query = Query([[]])
    for m in _TOKEN.finditer(text):
        if m.group("word") == "OR" and not m.group("neg") and not m.group("field"):
            if not query.groups[-1]:
                raise QueryError("OR needs a search term on each side, e.g. `Seoul OR Pusan`.")
            query.groups.append([])
            continue
        neg, phrase, word = bool(m.group("neg")), m.group("phrase"), m.group("word")
        if word and word.endswith(":") and word[:-1].lower() in FIELDS:
            raise QueryError(f"'{word}' needs a value right after the colon, e.g. "
                             f"`{word[:-1].lower()}:\"...\"`.")
        clause = (_field_clause(m.group("field"), neg, phrase, word) if m.group("field")
                  else _clause(neg, phrase, word))
        if clause is not None:
            query.groups[-1].append(clause)
    if len(query.groups) > 1 and not query.groups[-1]:
        raise QueryError("OR needs a search term on each side, e.g. `Seoul OR Pusan`.")
    for group in query.groups:
        if group and all(c.negated for c in group) and len(query.groups) > 1:
            raise QueryError("Each side of OR needs a term that is not excluded with '-'.")
    query.groups = [g for g in query.groups if g]
    return query


def tokens(text: str) -> list[str]:
    """The query's tokens as written (`type:"ciphered telegram"` is one), for editing it."""
    return [m.group(0).strip() for m in _TOKEN.finditer(text)]


def with_clause(text: str, clause: str) -> str:
    """The query text narrowed by `clause` on every side of OR (`a OR b` + `type:x` →
    `a type:x OR b type:x`), since a clause appended at the end would bind to the last."""
    cuts = [m.span("word") for m in _TOKEN.finditer(text)
            if m.group("word") == "OR" and not m.group("neg") and not m.group("field")]
    if not text.strip():
        return clause
    pieces, start = [], 0
    for begin, end in cuts:
        pieces.append(text[start:begin].strip())
        start = end
    pieces.append(text[start:].strip())
    return " OR ".join(f"{p} {clause}".strip() for p in pieces)
