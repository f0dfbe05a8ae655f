"""The timeline page and its JSON twin: counts by year and month that agree with search."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.search.query import parse
from cablegram.web import urls
from cablegram.web.views import environment
from cablegram.web.views.timeline import narrow, timeline_data
from tests.conftest import e, get_json

QUERIES = ["from:stalin", "Yalu", "type:telegram", "Stalin OR Acheson", "-Stalin"]





def total_of(client: TestClient, q: str) -> int:
    """How many documents the search page finds for `q`."""
    return int(get_json(client, urls.search_json(q))["total"])


# narrow: a pure function

def test_narrow_adds_the_clause_to_every_side_of_or() -> None:
    assert narrow("", "date:1950") == "date:1950"
    assert narrow("Yalu", "date:1950") == "Yalu date:1950"
    assert narrow("Seoul OR Pusan", "date:1950-07") == "Seoul date:1950-07 OR Pusan date:1950-07"
    assert narrow("a", "from:x to:y", "via:x to:y") == "a from:x to:y OR a via:x to:y"
    assert narrow("a OR b", "c", "d") == "a c OR b c OR a d OR b d"
    assert narrow("a", "") == "a"
    query = parse(narrow('to:"Kim Il Sung" OR "air OR cover" -Mao', "date:1951"))
    assert len(query.groups) == 2
    for group in query.groups:
        assert [c.text for c in group if c.field == "date"] == ["1951"]
    assert [c.text for c in query.groups[1] if c.kind == "phrase"] == ["air OR cover"]


# timeline_data: a pure function of Archive.timeline's result

def fake(years: dict[int, int], months: dict[str, int], undated: int = 0,
         q: str = "") -> dict[str, Any]:
    """A result shaped as Archive.timeline returns it."""
    return {"query": q, "total": sum(years.values()) + undated, "undated": undated,
            "years": [{"year": y, "count": c} for y, c in sorted(years.items())],
            "months": [{"month": m, "count": c} for m, c in sorted(months.items())]}


def test_years_without_documents_are_empty_bars_without_links() -> None:
    data = timeline_data(fake({1945: 4, 1948: 2, 1953: 1}, {"1945-05": 4}, undated=3, q="x"))
    assert data["view"] == "years" and data["months"] == []
    assert [r["year"] for r in data["years"]] == list(range(1945, 1954))
    assert [r["count"] for r in data["years"]] == [4, 0, 0, 2, 0, 0, 0, 0, 1]
    empty = data["years"][1]
    assert empty["search_url"] is None and empty["months_url"] is None and not empty["percent"]
    assert data["years"][0]["percent"] == 100.0 and data["years"][3]["percent"] == 50.0
    assert data["years"][3]["search_url"] == urls.search("x date:1948")
    assert data["years"][3]["months_url"] == urls.timeline("x date:1948")
    assert (data["dated"], data["undated"], data["total"]) == (7, 3, 10)


def test_a_short_span_is_shown_by_month_with_empty_months_filled() -> None:
    data = timeline_data(fake({1950: 5, 1951: 1}, {"1950-11": 3, "1951-02": 1}))
    assert data["view"] == "months"
    assert [m["month"] for m in data["months"]] == ["1950-11", "1950-12", "1951-01", "1951-02"]
    assert [m["label"] for m in data["months"]][:2] == ["November 1950", "December 1950"]
    assert [m["count"] for m in data["months"]] == [3, 0, 0, 1]
    assert data["months"][1]["search_url"] is None
    assert data["months"][3]["search_url"] == urls.search("date:1951-02")
    assert data["year_only"] == 2  # 6 dated documents, 4 of them to the month


def test_a_tiny_bar_stays_visible() -> None:
    data = timeline_data(fake({1950: 1000, 1951: 1}, {}))
    assert data["years"][1]["percent"] >= 1.0


def test_an_empty_archive_has_no_bars(sample_archive: Archive) -> None:
    data = timeline_data(fake({}, {}))
    assert data["years"] == [] and data["months"] == [] and data["total"] == 0
    page = environment().get_template("timeline.html").render(**data, json_url=None)
    assert "The archive holds no documents yet." in page
    assert '<table class="bars">' not in page


# The pages, on the sample archive

@pytest.mark.parametrize("q", QUERIES)
def test_counts_add_up_to_what_the_search_finds(client: TestClient, q: str) -> None:
    data = get_json(client, urls.timeline_json(q))
    total = total_of(client, q)
    assert total > 0
    assert data["total"] == total
    assert sum(r["count"] for r in data["years"]) + data["undated"] == total
    assert data["dated"] + data["undated"] == total


@pytest.mark.parametrize("q", ["Acheson OR Kennan", "Stalin OR Acheson"])
def test_each_year_bar_links_to_a_search_with_that_many_documents(client: TestClient,
                                                                  q: str) -> None:
    data = get_json(client, urls.timeline_json(q))
    assert len([r for r in data["years"] if r["count"]]) >= 2
    for row in data["years"]:
        wanted = narrow(q, f"date:{row['year']}")
        if row["count"]:
            assert row["search_url"] == urls.search(wanted)
            assert total_of(client, wanted) == row["count"]
        else:
            assert row["search_url"] is None and total_of(client, wanted) == 0


def test_the_whole_archive_is_the_empty_query(client: TestClient,
                                              sample_archive: Archive) -> None:
    data = get_json(client, urls.timeline_json())
    assert data["total"] == sample_archive.store.count()
    assert sum(r["count"] for r in data["years"]) + data["undated"] == data["total"]
    for row in data["years"]:
        if row["count"]:
            assert total_of(client, f"date:{row['year']}") == row["count"]
            assert row["months_url"] == urls.timeline(f"date:{row['year']}")
    page = client.get(urls.timeline()).text
    for row in data["years"]:
        assert f'<a href="{e(row["months_url"])}">by month' in page
    assert data["undated"] >= 1  # the samples have fragments without a date
    assert data["view"] == "years"  # the samples span 1949 to 1953


def test_a_year_is_shown_by_month_and_each_month_matches_search(client: TestClient) -> None:
    q = "date:1950"
    data = get_json(client, urls.timeline_json(q))
    assert data["view"] == "months" and [r["year"] for r in data["years"]] == [1950]
    months = [m for m in data["months"] if m["count"]]
    assert len(months) >= 3 and all(m["month"].startswith("1950-") for m in data["months"])
    assert sum(m["count"] for m in data["months"]) + data["year_only"] == data["years"][0]["count"]
    for row in months:
        wanted = narrow(q, f"date:{row['month']}")
        assert row["search_url"] == urls.search(wanted)
        assert total_of(client, wanted) == row["count"]
    page = client.get(urls.timeline(q)).text
    assert "Documents by month" in page
    for row in data["months"]:
        assert f'<th scope="row">{e(row["label"])}</th>' in page
        if row["search_url"]:
            assert f'<a href="{e(row["search_url"])}">' in page


def test_the_page_shows_the_twins_data(client: TestClient, sample_archive: Archive) -> None:
    q = "from:stalin"
    r = client.get(urls.timeline(q))
    assert r.status_code == 200
    page, data = r.text, get_json(client, urls.timeline_json(q))
    assert data == timeline_data(sample_archive.timeline(q))
    assert data["view"] == "months"  # Stalin's telegrams span 1950 and 1951
    assert f'<link rel="alternate" type="application/json" href="{e(urls.timeline_json(q))}">' \
        in page
    assert f'value="{e(q)}"' in page and f'action="{urls.timeline()}"' in page
    assert f"{data['total']} document" in page and f"{data['dated']} dated" in page
    for row in data["years"]:
        assert f'<th scope="row">{row["year"]}</th>' in page
        if row["count"]:
            assert f'<a href="{e(row["search_url"])}">' in page
            assert row["months_url"] is None  # the months are shown: a year and a half
            assert f'<rect width="{row["percent"]}" height="10">' in page
    assert f'href="{e(data["search_url"])}"' in page and f'href="{e(data["network_url"])}"' in page
    assert "<script" not in page


def test_undated_documents_are_counted_apart(client: TestClient) -> None:
    data = get_json(client, urls.timeline_json())
    page = client.get(urls.timeline()).text
    assert f"Without a date: {data['undated']} document" in page
    assert f"{data['undated']} without a date" in page


def test_a_query_without_hits_says_so(client: TestClient) -> None:
    q = "nosuchwordanywhere"
    data = get_json(client, urls.timeline_json(q))
    assert (data["total"], data["years"], data["months"]) == (0, [], [])
    page = client.get(urls.timeline(q)).text
    assert f"No documents match <q>{q}</q>" in page and '<table class="bars">' not in page


@pytest.mark.parametrize("q", ['"unbalanced', "date:1950-13", "nosuchfield:x", "a OR"])
def test_a_malformed_query_is_400_with_its_message(client: TestClient, q: str) -> None:
    r = client.get(urls.timeline(q))
    assert r.status_code == 400
    assert "This timeline could not be drawn." in r.text and "Error E400" in r.text
    assert f'value="{e(q)}"' in r.text
    assert "Traceback" not in r.text and '<table class="bars">' not in r.text
    body = get_json(client, urls.timeline_json(q), 400)
    assert body["error"]["code"] == "E400" and body["error"]["message"]
    assert e(body["error"]["message"]) in r.text


def test_hostile_query_text_is_escaped(client: TestClient) -> None:
    q = '<script>alert("x")</script> Stalin'
    r = client.get(urls.timeline(q))
    assert r.status_code == 200
    assert "<script>alert" not in r.text
    assert e(q) in r.text


def test_every_page_links_to_the_timeline_and_the_network(client: TestClient) -> None:
    page = client.get(urls.home()).text
    assert f'<a href="{urls.timeline()}">Timeline</a>' in page
    assert f'<a href="{urls.network()}">Network</a>' in page
