"""The date grammar: the forms documents print, and no junk dates."""

from __future__ import annotations

import pytest

from cablegram.extract.dates import find_dates, parse_time, whole_date


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("5 July 1950, ciphered telegram", "1950-07-05", "day"),
        ("September 30, 1950", "1950-09-30", "day"),
        ("13.1.1951", "1951-01-13", "day"),
        ("13.1.51", "1951-01-13", "day"),
        ("Received 8.7.50 11:15", "1950-07-08", "day"),
        ("3.VII.1950", "1950-07-03", "day"),
        ("August 15, 1951—4 p. m.", "1951-08-15", "day"),
        ("20 hours 05 minutes, 13.1.1951", "1951-01-13", "day"),
        ("in July 1950 the front", "1950-07", "month"),
        ("Sept. 3, 1952", "1952-09-03", "day"),
    ],
)
def test_date_forms(text: str, value: str, precision: str) -> None:
    hits = find_dates(text)
    assert [(h.value, h.precision) for h in hits] == [(value, precision)]


def test_day_month_takes_the_documents_year() -> None:
    assert [h.value for h in find_dates("received at 2332 30 September", 1950)] == ["1950-09-30"]
    assert find_dates("received at 2332 30 September") == []


@pytest.mark.parametrize(
    "text",
    ["No. 4.4781", "25-35 Soviet military advisers", "We now", "the 38th parallel",
     "No. 1112-1126", "31.2.1950", "divisions 9 and 12", "Copy Nº 3"],
)
def test_no_false_dates(text: str) -> None:
    assert find_dates(text, 1950) == []


def test_times() -> None:
    assert [parse_time(t) for t in ("2035", "18:40", "4 p. m.", "1:23 p. m.", "12 a. m.")] == [
        "20:35", "18:40", "16:00", "13:23", "00:00"]
    assert parse_time("2575") is None


def test_whole_date_line() -> None:
    hit = whole_date("29 September 1950")
    assert hit is not None and hit.value == "1950-09-29"
    assert whole_date("made an amphibious operation on 16 September 1950") is None
