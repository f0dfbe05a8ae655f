"""The document page and its JSON twin: everything extracted, the text with source lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from cablegram.archive import Archive
from cablegram.model import MENTION_KEYS
from cablegram.web import urls
from cablegram.web.app import create_app
from cablegram.web.display import line_ranges, numbered_lines, same_name, station, timestamp
from cablegram.web.views import environment

Doc = dict[str, Any]


def e(text: str) -> str:
    """Text as the templates escape it."""
    return str(escape(text))


@pytest.fixture(scope="module")
def client(sample_archive: Archive) -> TestClient:
    """A reading room over the sample archive."""
    return TestClient(create_app(sample_archive.root))


@pytest.fixture(scope="module")
def documents(sample_archive: Archive) -> list[Doc]:
    """Every document of the sample archive, as stored."""
    listed = sample_archive.overview(latest=100_000)["latest"]
    return [sample_archive.document(d["id"]) for d in listed]


def first(documents: list[Doc], test: Callable[[Doc], Any]) -> Doc:
    """The first document that passes `test` (the samples are made to have one)."""
    found = [d for d in documents if test(d)]
    assert found, "the samples should hold such a document"
    return found[0]


def test_the_page_of_a_search_hit(client: TestClient, sample_archive: Archive) -> None:
    hit = client.get(urls.search_json("volunteers")).json()["hits"][0]
    doc = sample_archive.document(hit["id"])
    r = client.get(hit["url"])
    assert r.status_code == 200
    page = r.text
    assert e(doc["title"]) in page
    assert doc["date"] in page
    assert doc["source_file"]["name"] in page
    assert doc["source_file"]["sha256"] in page
    start, end = doc["start_line"], doc["end_line"]
    assert f'<tr id="L{start}"><td class="ln"><a href="#L{start}">{start}</a></td>' in page
    assert f'id="L{end}"' in page and f'id="L{end + 1}"' not in page
    assert f"lines {start}–{end}" in page
    assert f'href="{urls.original(doc["source_file"]["sha256"])}"' in page
    assert f'href="{urls.document_json(doc["id"])}"' in page
    assert "Traceback" not in page


def test_the_json_twin_is_the_stored_document_with_urls(client: TestClient,
                                                        documents: list[Doc]) -> None:
    for doc in documents[:5]:
        data = client.get(urls.document_json(doc["id"])).json()["document"]
        for rel in (r for group in data["relations"].values() for r in group):
            if isinstance(rel, dict):
                assert rel.pop("url") == urls.document(rel["id"])
        for key, value in doc.items():
            if key != "enclosures":
                assert data[key] == value, key
        assert data["url"] == urls.document(doc["id"])
        assert data["original_url"] == urls.original(doc["source_file"]["sha256"])


def test_text_lines_carry_their_source_line_numbers(client: TestClient,
                                                    documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["start_line"] > 20)
    page = client.get(urls.document(doc["id"])).text
    for i, line in enumerate(doc["text"].split("\n")):
        n = doc["start_line"] + i
        assert f'<tr id="L{n}"><td class="ln"><a href="#L{n}">{n}</a></td>' \
               f'<td class="tx">{e(line)}</td></tr>' in page


def test_correspondents_and_mentions_with_their_lines(client: TestClient,
                                                      documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["authors"] and d["recipients"] and d["copies_to"])
    page = client.get(urls.document(doc["id"])).text
    assert "<h2>Correspondents</h2>" in page
    for key in MENTION_KEYS:
        for m in doc[key]:
            assert e(m["as_written"]) in page
            if m["line"]:
                assert f'href="#L{m["line"]}">line {m["line"]}</a>' in page
            if m["id"]:
                assert f'href="{e(urls.name_search(m["name"] or m["id"]))}"' in page


def test_references_handling_and_transmission(client: TestClient, documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["refs"] and d["handling"] and d["sent"])
    page = client.get(urls.document(doc["id"])).text
    for ref in doc["refs"]:
        assert e(ref["value"]) in page and e(ref["role"]) in page
    for mark in doc["handling"]:
        assert f"<li>{e(mark)}</li>" in page
    sent = station((doc.get("transmission") or {}).get("sent")) or timestamp(doc["sent"])
    assert f"<dt>Sent</dt><dd>{e(sent)}</dd>" in page


def test_warnings_are_flagged(client: TestClient, documents: list[Doc]) -> None:
    doc = first(documents, lambda d: any("1940" in w for w in d["warnings"]))
    page = client.get(urls.document(doc["id"])).text
    assert 'class="notice warning"' in page
    for warning in doc["warnings"]:
        assert e(warning) in page
    assert "1940" in page  # the misprinted year in telegram-roshchin-1950-10-03.txt
    quiet = first(documents, lambda d: not d["warnings"])
    assert 'class="notice warning"' not in client.get(urls.document(quiet["id"])).text


def test_archive_page_metadata(client: TestClient, documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["page"] and d["page"].get("record_id"))
    page = client.get(urls.document(doc["id"])).text
    assert "<h2>Archive page</h2>" in page
    assert f"<dt>Record ID</dt><dd>{e(doc['page']['record_id'])}</dd>" in page
    for value in doc["page"].values():
        if value:
            assert e(value) in page


def test_enclosures_link_both_ways(client: TestClient, documents: list[Doc]) -> None:
    cable = first(documents, lambda d: d["enclosures"] and d["page"])
    letter = cable["enclosures"][0]
    page = client.get(urls.document(cable["id"])).text
    assert "Encloses:" in page and f'href="{urls.document(letter["id"])}"' in page
    enclosed = client.get(urls.document(letter["id"])).text
    assert "Enclosed in:" in enclosed and f'href="{urls.document(cable["id"])}"' in enclosed
    data = client.get(urls.document_json(letter["id"])).json()["document"]
    assert data["parent"] == {"id": cable["id"], "title": cable["title"],
                              "url": urls.document(cable["id"])}


def test_fragments_are_flagged(client: TestClient, documents: list[Doc]) -> None:
    frag = first(documents, lambda d: d["fragment"])
    page = client.get(urls.document(frag["id"])).text
    assert "<strong>Fragment.</strong>" in page
    whole = first(documents, lambda d: not d["fragment"])
    assert "<strong>Fragment.</strong>" not in client.get(urls.document(whole["id"])).text


def test_empty_sections_are_left_out_and_unknowns_said() -> None:
    doc = {"id": "x-1", "parent_id": None, "parent": None, "source": "x.txt", "start_line": 3,
           "end_line": 4, "fragments": [[3, 4]], "fragment": False, "number": None,
           "title": None, "type": None, "date": None, "date_precision": None,
           "date_source": None, "sent": None, "received": None, "refs": [], "handling": [],
           "enclosures": [], "page": None, "warnings": [], "text": "one\ntwo",
           "source_file": {"name": "x.txt", "sha256": "ab" * 32, "collection": "c"},
           "url": "/documents/x-1", "original_url": None, **{k: [] for k in MENTION_KEYS}}
    page = environment().get_template("document.html").render(document=doc, json_url=None)
    assert page.count('<span class="absent">not stated</span>') == 2
    assert "Untitled document" in page
    for heading in ("Correspondents", "References", "Mentioned", "Archive page",
                    "Related documents"):
        assert f"<h2>{heading}</h2>" not in page
    for label in ("Handling", "Number", "Sent", "Received", "Format", "Ingested"):
        assert f"<dt>{label}</dt>" not in page
    assert "View the original file" not in page
    assert '<td class="tx">two</td>' in page and 'id="L4"' in page


def test_numbered_lines() -> None:
    assert numbered_lines("a\nb", 7) == [(7, "a"), (8, "b")]
    # a document interrupted by another keeps the true numbers of its parts
    assert numbered_lines("a\nb\nc", 10, [[10, 11], [20, 20]]) == [(10, "a"), (11, "b"),
                                                                 (20, "c")]
    # fragments that do not add up to the text fall back to start_line + i
    assert numbered_lines("a\nb\nc", 10, [[10, 11]]) == [(10, "a"), (11, "b"), (12, "c")]


def test_small_display_helpers() -> None:
    assert line_ranges([[1, 2], [3, 25]]) == "lines 1–2, 3–25"
    assert line_ranges([[5, 5]]) == "line 5"
    assert timestamp("1950-10-03T03:10") == "1950-10-03 03:10"
    assert timestamp("21:15") == "21:15"
    assert same_name("Cde. Molotov", "molotov") and not same_name("FILIPPOV", "Joseph Stalin")


@pytest.fixture()
def hostile_client(empty_archive: Archive, tmp_path: Path) -> TestClient:
    """A reading room over an archive whose one source is full of markup."""
    path = tmp_path / "hostile.txt"
    path.write_text("12. 5 July 1950, letter, Alpha to Beta\n"
                    "<script>alert(1)</script> volunteers &amp; <b>bold</b>\n"
                    "13. 6 July 1950, letter, <img src=x onerror=alert(2)> to Beta\n"
                    "The volunteers <script>alert(3)</script> arrived.\n", encoding="utf-8")
    empty_archive.ingest_file(path, "hostile")
    return TestClient(create_app(empty_archive.root))


def test_hostile_text_is_shown_as_text(hostile_client: TestClient) -> None:
    data = hostile_client.get(urls.search_json("volunteers")).json()
    assert data["total"] == 2
    assert any("<script>alert" in h["snippet"] for h in data["hits"]), "JSON keeps raw text"
    search = hostile_client.get(urls.search("volunteers")).text
    assert "&lt;script&gt;" in search and "<mark>volunteers</mark>" in search
    pages = [search] + [hostile_client.get(h["url"]).text for h in data["hits"]]
    for page in pages:
        assert "<script" not in page and "<img" not in page and "<b>bold" not in page
        assert "&lt;script&gt;" in page
    assert "&amp;amp; &lt;b&gt;bold&lt;/b&gt;" in "".join(pages[1:])
    home = hostile_client.get(urls.home()).text
    assert "<script" not in home and "<td>hostile</td>" in home
