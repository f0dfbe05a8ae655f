"""Every page of the reading room has a `.json` twin: it answers 200 JSON, the page links to
it, and the page shows the key values of its twin (so the two cannot drift apart)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from cablegram.archive import Archive
from cablegram.web import urls


def e(value: object) -> str:
    """A value as the templates print it (escaped)."""
    return str(escape(str(value)))



@pytest.fixture(scope="module")
def doc_ids(sample_archive: Archive) -> list[str]:
    """Every document id of the sample archive."""
    return sample_archive.store.document_ids()


def pair(client: TestClient, page_url: str, json_url: str) -> tuple[str, Any]:
    """The HTML page and its JSON twin, both checked for status and type; the page must
    announce its twin."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.text[:300])
    assert page.headers["content-type"].startswith("text/html")
    twin = client.get(json_url)
    assert twin.status_code == 200, (json_url, twin.text[:300])
    assert twin.headers["content-type"].startswith("application/json")
    assert f'<link rel="alternate" type="application/json" href="{e(json_url)}">' in page.text
    assert f'href="{e(json_url)}">This page as JSON</a>' in page.text
    assert "Traceback" not in page.text
    return page.text, twin.json()


def test_home(client: TestClient) -> None:
    page, data = pair(client, urls.home(), urls.home_json())
    assert data["latest"] and data["counts"]["documents"] > 0
    assert f"<strong>{data['counts']['documents']}</strong>" in page
    assert f"<strong>{data['counts']['sources']}</strong>" in page
    for doc in data["latest"]:
        assert f'<a href="{e(doc["url"])}">{e(doc["title"])}</a>' in page
    for collection in data["collections"]:
        assert f"<td>{e(collection['name'])}</td>" in page


@pytest.mark.parametrize(("q", "sort"), [("Yalu", "relevance"), ("from:stalin", "-date"),
                                         ("Stalin OR Mao", "date")])
def test_search(client: TestClient, q: str, sort: str) -> None:
    page, data = pair(client, urls.search(q, 1, sort), urls.search_json(q, 1, sort))
    assert data["total"] > 0 and data["hits"] and data["sort"] == sort
    assert f"of {data['total']}" in page
    for hit in data["hits"]:
        assert f'href="{e(hit["url"])}"' in page
        assert e(hit["title"]) in page
        if hit["date"]:
            assert hit["date"] in page
    for facet in data["facets"]:
        assert e(facet["heading"]) in page
        for value in facet["values"]:
            assert f'href="{e(value["url"])}"' in page


def test_document(client: TestClient, doc_ids: list[str]) -> None:
    for doc_id in doc_ids[::4]:
        page, data = pair(client, urls.document(doc_id), urls.document_json(doc_id))
        doc = data["document"]
        assert doc["id"] == doc_id and doc_id in page
        assert e(doc["title"]) in page
        if doc["date"]:
            assert doc["date"] in page
        assert e(doc["source_file"]["name"]) in page
        assert f'href="{e(doc["original_url"])}"' in page
        if doc.get("lines_url"):
            assert f'href="{e(doc["lines_url"])}"' in page
        marks = data.get("marks", {})
        for i, line in enumerate((doc["text"] or "").split("\n")):
            number = doc["start_line"] + i
            assert f'id="L{number}"' in page
            if str(number) not in marks:
                assert e(line) in page
        for mark in (m for line_marks in marks.values() for m in line_marks):
            if mark.get("url"):
                assert f'href="{e(mark["url"])}"' in page
        for citation in data.get("citations", []):
            assert e(citation["label"]) in page


def test_original_lines(client: TestClient, sample_archive: Archive, doc_ids: list[str]) -> None:
    doc = sample_archive.document(doc_ids[0])
    sha, start, end = doc["source_file"]["sha256"], doc["start_line"], doc["end_line"]
    page, data = pair(client, urls.original_lines(sha, start, end),
                      urls.original_lines_json(sha, start, end))
    assert (data["start"], data["end"]) == (start, end)
    assert [line["number"] for line in data["lines"]] == list(range(start, end + 1))
    assert e(data["source"]["name"]) in page
    for line in data["lines"]:
        assert e(line["text"]) in page
        assert f"L{line['number']}" in page


@pytest.mark.parametrize("q", ["", "Yalu", "from:stalin"])
def test_timeline(client: TestClient, q: str) -> None:
    page, data = pair(client, urls.timeline(q), urls.timeline_json(q))
    assert data["total"] > 0 and data["years"]
    assert f"{data['total']} document" in page
    for row in data["years"]:
        assert f'<th scope="row">{row["year"]}</th>' in page
        if row["search_url"]:
            assert f'href="{e(row["search_url"])}"' in page
    for row in data["months"]:
        assert f'<th scope="row">{e(row["label"])}</th>' in page


@pytest.mark.parametrize(("q", "start", "end"), [("", "", ""), ("Korea", "1950", "1950-12")])
def test_network(client: TestClient, q: str, start: str, end: str) -> None:
    page, data = pair(client, urls.network(q, start, end), urls.network_json(q, start, end))
    assert data["nodes"] and data["edges"]
    for node in data["nodes"]:
        assert f'<a href="{e(node["url"])}">{e(node["name"])}</a>' in page
    for edge in data["edges"]:
        assert f'href="{e(edge["search_url"])}"' in page


@pytest.mark.parametrize(("kind", "record_id"), [("person", "stalin"), ("person", "roshchin"),
                                                 ("organization", "soviet-mfa")])
def test_person_and_organisation(client: TestClient, kind: str, record_id: str) -> None:
    page, data = pair(client, urls.agent(kind, record_id), urls.agent_json(kind, record_id))
    record = data["record"]
    assert record["id"] == record_id and data["total"] > 0 and data["documents"]
    assert f"<h1>{e(record['name'])}</h1>" in page
    assert f"{data['total']} document" in page
    for pseudonym in record.get("pseudonyms") or []:
        assert e(pseudonym["name"]) in page
    for doc in data["documents"]:
        assert f'<a href="{e(doc["url"])}">{e(doc["title"])}</a>' in page
    for row in data["correspondents"] + data["via"]:
        assert e(row["name"]) in page


@pytest.mark.parametrize("record_id", ["pyongyang", "moscow", "beijing"])
def test_place(client: TestClient, record_id: str) -> None:
    page, data = pair(client, urls.place(record_id), urls.agent_json("place", record_id))
    assert data["record"]["id"] == record_id
    assert e(data["record"]["name"]) in page
    assert sum(data[k]["total"] for k in ("sent_from", "sent_to", "mentioned")) > 0
    for key in ("sent_from", "sent_to", "mentioned"):
        assert f"({data[key]['total']})" in page
        for doc in data[key]["documents"]:
            assert f'<a href="{e(doc["url"])}">{e(doc["title"])}</a>' in page
