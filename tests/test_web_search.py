"""The search page, its JSON twin, paging, malformed queries and snippet highlighting."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from cablegram.web import urls
from cablegram.web.display import highlight

# highlight: a pure function

def test_highlight_escapes_first_then_marks() -> None:
    text = "<b>Volunteers</b> & more"
    assert highlight(text, [[3, 13]]) == (
        "&lt;b&gt;<mark>Volunteers</mark>&lt;/b&gt; &amp; more")


def test_highlight_without_ranges_only_escapes() -> None:
    assert highlight("a < b", []) == "a &lt; b"
    assert highlight("", [[0, 3]]) == ""


def test_highlight_merges_sorts_and_clips_ranges() -> None:
    assert highlight("abcdef", [[4, 9], [0, 2], [1, 3]]) == "<mark>abc</mark>d<mark>ef</mark>"
    assert highlight("abc", [[2, 2], [3, 1], [-5, 1]]) == "<mark>a</mark>bc"


def test_highlight_marks_the_range_even_when_it_holds_markup() -> None:
    assert highlight("x<script>y", [[1, 9]]) == "x<mark>&lt;script&gt;</mark>y"


# the pages

def test_search_finds_volunteers_and_marks_them(client: TestClient) -> None:
    data = client.get(urls.search_json("volunteers")).json()
    assert data["total"] >= 4 and data["hits"]
    r = client.get(urls.search("volunteers"))
    assert r.status_code == 200
    page = r.text
    assert "<mark>volunteers</mark>" in page.lower()
    assert f"Results 1–{len(data['hits'])} of {data['total']}" in page
    assert 'value="volunteers"' in page, "the query stays in the search box"
    for hit in data["hits"]:
        assert f'href="{hit["url"]}"' in page
        assert str(escape(hit["title"] or "Untitled document")) in page
        assert hit["source"] in page
    assert "Traceback" not in page


def test_search_json_keeps_snippet_and_highlights_and_adds_url(client: TestClient) -> None:
    data = client.get(urls.search_json("volunteers")).json()
    assert data["query"] == "volunteers" and data["page"] == 1
    assert data["error"] is None
    for hit in data["hits"]:
        assert hit["url"] == urls.document(hit["id"])
        assert {"title", "date", "type", "collection", "snippet", "highlights"} <= set(hit)
        words = {hit["snippet"][a:b].lower() for a, b in hit["highlights"]}
        assert words and all(w.startswith("volunteer") for w in words)


def test_paging(client: TestClient) -> None:
    one = client.get(urls.search_json("the")).json()
    two = client.get(urls.search_json("the", 2)).json()
    total = one["total"]
    assert total > 10, "the samples have more than ten documents with 'the'"
    assert one["next_page"] == 2 and one["previous_page"] is None
    assert two["previous_page"] == 1 and two["page"] == 2
    assert not {h["id"] for h in one["hits"]} & {h["id"] for h in two["hits"]}
    assert len(one["hits"]) == 10

    first = client.get(urls.search("the")).text
    assert f"Results 1–10 of {total}" in first
    assert f'href="{escape(urls.search("the", 2))}"' in first
    second = client.get(urls.search("the", 2)).text
    assert f"Results 11–{10 + len(two['hits'])} of {total}" in second
    assert f'href="{urls.search("the")}"' in second, "a link back to page 1"
    assert '<ol class="hits" start="11">' in second
    assert first != second


def test_a_page_past_the_end_says_so(client: TestClient) -> None:
    r = client.get(urls.search("volunteers", 50))
    assert r.status_code == 200
    assert "past the end" in r.text
    assert client.get(urls.search_json("volunteers", 50)).json()["hits"] == []


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "1e3", "99999999999999999999999"])
def test_a_bad_page_number_is_a_400_with_a_message(client: TestClient, page: str) -> None:
    r = client.get("/search", params={"q": "volunteers", "page": page})
    assert r.status_code == 400
    assert "page number must be a whole number" in r.text
    assert "Traceback" not in r.text
    j = client.get("/search.json", params={"q": "volunteers", "page": page})
    assert j.status_code == 400
    assert j.json()["error"]["code"] == "E400"


def test_a_malformed_query_is_a_400_with_a_readable_message(client: TestClient) -> None:
    r = client.get(urls.search('"air cover'))
    assert r.status_code == 400
    assert "without a closing one" in r.text
    assert 'value="&#34;air cover"' in r.text, "the query stays in the box to be fixed"
    assert "<mark>" not in r.text
    j = client.get(urls.search_json('"air cover'))
    assert j.status_code == 400
    error = j.json()["error"]
    assert error["code"] == "E400"
    assert "without a closing one" in error["message"]


def test_a_query_that_is_too_long_is_a_400(client: TestClient) -> None:
    assert client.get(urls.search("word " * 200)).status_code == 400
    assert client.get(urls.search_json("word " * 200)).status_code == 400


def test_no_hits_and_empty_query_are_friendly(client: TestClient) -> None:
    r = client.get(urls.search("zzyzxqq"))
    assert r.status_code == 200
    assert "No documents match" in r.text
    empty = client.get(urls.search())
    assert empty.status_code == 200
    assert "Type one or more words" in empty.text
    assert client.get(urls.search_json("")).json()["total"] == 0
