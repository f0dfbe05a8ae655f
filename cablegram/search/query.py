"""Our query language, parsed into a tree. User text never reaches an index's own parser.

Syntax: words (all must match), "exact phrases", prefix*, -excluded, and OR between groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cablegram.errors import QueryError

MAX_QUERY_LENGTH = 500
_TOKEN = re.compile(r'\s*(?P<neg>-)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class Clause:
    """One searched unit: a term, a phrase or a prefix; negated when excluded."""

    kind: str  # term | phrase | prefix
    text: str
    negated: bool = False


@dataclass
class Query:
    """Groups joined by OR; within a group every clause must hold (or must not, if negated)."""

    groups: list[list[Clause]] = field(default_factory=list)

    def clauses(self) -> list[Clause]:
        """All clauses, in order."""
        return [c for g in self.groups for c in g]


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
    query = Query([[]])
    for m in _TOKEN.finditer(text):
        if m.group("word") == "OR" and not m.group("neg"):
            if not query.groups[-1]:
                raise QueryError("OR needs a search term on each side, e.g. `Seoul OR Pusan`.")
            query.groups.append([])
            continue
        clause = _clause(bool(m.group("neg")), m.group("phrase"), m.group("word"))
        if clause is not None:
            query.groups[-1].append(clause)
    if len(query.groups) > 1 and not query.groups[-1]:
        raise QueryError("OR needs a search term on each side, e.g. `Seoul OR Pusan`.")
    for group in query.groups:
        if group and all(c.negated for c in group) and len(query.groups) > 1:
            raise QueryError("Each side of OR needs a term that is not excluded with '-'.")
    query.groups = [g for g in query.groups if g]
    return query
