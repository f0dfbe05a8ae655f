"""The query language parser: a tree, or a readable error."""

from __future__ import annotations

import pytest

from cablegram.errors import QueryError
from cablegram.search.query import Clause, parse


def test_words_phrases_prefixes_and_exclusions() -> None:
    q = parse('volunteers "air cover" advis* -Kaesong')
    assert q.groups == [[
        Clause("term", "volunteers"), Clause("phrase", "air cover"),
        Clause("prefix", "advis"), Clause("term", "Kaesong", negated=True)]]


def test_or_makes_groups() -> None:
    assert [len(g) for g in parse("Seoul OR Pusan Incheon").groups] == [1, 2]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [('"air cover', "closing"), ("OR Seoul", "each side"), ("Seoul OR", "each side"),
     ("a*", "two letters"), ("x" * 600, "limit")],
)
def test_malformed_queries_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as err:
        parse(text)
    assert fragment in str(err.value)


def test_empty_query_has_no_groups() -> None:
    assert parse("   ").groups == []
