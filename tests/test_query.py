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


# fields

def test_fields_become_field_clauses() -> None:
    q = parse('from:stalin -to:"Kim Il Sung" type:cip* Seoul')
    assert q.groups == [[
        Clause("term", "stalin", field="from"),
        Clause("phrase", "Kim Il Sung", negated=True, field="to"),
        Clause("prefix", "cip", field="type"), Clause("term", "Seoul")]]


@pytest.mark.parametrize(
    ("text", "bounds"),
    [("date:1950", (19500000, 19501299)), ("date:1950-07..1950-10", (19500700, 19501099)),
     ("date:..1950-09-15", (None, 19500915)), ("date:1950-07-03..", (19500703, None))],
)
def test_dates_become_inclusive_bounds(text: str, bounds: tuple[int | None, int | None]) -> None:
    (clause,) = parse(text).clauses()
    assert clause.kind == "range" and clause.field == "date" and clause.bounds == bounds


def test_a_colon_inside_a_phrase_is_text() -> None:
    assert parse('"foo:bar at 16:00"').clauses() == [Clause("phrase", "foo:bar at 16:00")]
    assert parse("16:00").clauses() == [Clause("term", "16:00")]


def test_an_unknown_field_is_named_with_the_valid_ones() -> None:
    with pytest.raises(QueryError) as err:
        parse("Seoul foo:bar")
    message = str(err.value)
    assert "'foo:'" in message and "from:" in message and "collection:" in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("date:1950-13", "no month 13"), ("date:July", "YYYY-MM-DD"), ("date:1950-02-30", "no day"),
     ("date:1951..1950", "ends before it starts"), ("date:..", "at least one date"),
     ("from:", "needs a value"), ('to:""', "needs a value"), ("ref:*", "two letters")],
)
def test_malformed_fields_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as err:
        parse(text)
    assert fragment in str(err.value)
