"""The originals: the bytes as ingested, served as plain text and never as a web page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from cablegram.archive import Archive
from cablegram.web import urls
from cablegram.web.app import create_app

SAMPLES = Path(__file__).resolve().parent.parent / "samples"



@pytest.fixture(scope="module")
def source(client: TestClient) -> dict[str, str]:
    """The source file of the first hit for `Kaesong`."""
    hit = client.get(urls.search_json("Kaesong")).json()["hits"][0]
    doc = client.get(urls.document_json(hit["id"])).json()["document"]
    return dict(doc["source_file"])


def test_the_original_is_the_sample_file_as_plain_text(client: TestClient,
                                                       source: dict[str, str]) -> None:
    r = client.get(urls.original(source["sha256"]))
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.headers["content-disposition"].startswith("inline")
    assert r.headers["x-content-type-options"] == "nosniff"
    sample = next(SAMPLES.rglob(source["name"]))
    assert r.content == sample.read_bytes()


def test_the_document_page_links_its_original(client: TestClient,
                                              source: dict[str, str]) -> None:
    hit = client.get(urls.search_json("Kaesong")).json()["hits"][0]
    page = client.get(hit["url"]).text
    assert f'href="{urls.original(source["sha256"])}"' in page


def test_upper_case_hash_is_accepted(client: TestClient, source: dict[str, str]) -> None:
    assert client.get(urls.original(source["sha256"].upper())).status_code == 200


@pytest.mark.parametrize("digest", ["0" * 64, "abc", "g" * 64, "0" * 65, "..%2F..%2Fetc"])
def test_unknown_or_malformed_hash_is_a_404(client: TestClient, digest: str) -> None:
    r = client.get(f"/originals/{digest}")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Traceback" not in r.text and "root:" not in r.text


def test_a_hostile_original_is_not_served_as_html(empty_archive: Archive,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"<html><script>alert(1)</script></html>\n")
    empty_archive.ingest_file(path, "hostile")
    client = TestClient(create_app(empty_archive.root))
    hit = client.get(urls.search_json("html OR script OR alert")).json()["hits"][0]
    doc = client.get(urls.document_json(hit["id"])).json()["document"]
    digest = doc["source_file"]["sha256"]
    r = client.get(urls.original(digest))
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.content == path.read_bytes()


def test_a_legacy_encoded_original_is_served_in_its_own_charset(
        empty_archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("5. 3 июля 1950, шифротелеграмма, Штыков — Филиппову\nТекст.\n"
                     .encode("cp1251"))
    empty_archive.ingest_file(path, "x")
    sha = empty_archive.store.document(empty_archive.store.latest(1)[0]["id"])["source_file"]
    r = TestClient(create_app(empty_archive.root)).get(urls.original(sha["sha256"]))
    assert r.headers["content-type"] == "text/plain; charset=windows-1251"
    assert "Штыков" in r.text


def sample_lines(name: str) -> list[str]:
    """The lines of a sample file (UTF-8 text)."""
    return next(SAMPLES.rglob(name)).read_text(encoding="utf-8").split("\n")


def test_the_line_view_shows_exactly_the_lines_asked_for(client: TestClient,
                                                        source: dict[str, str]) -> None:
    lines = sample_lines(source["name"])
    r = client.get(urls.original_lines(source["sha256"], 3, 9))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert f"<h1>Lines 3–9 of {source['name']}</h1>" in page
    for n in range(3, 10):
        assert f'<tr id="L{n}"><td class="ln"><a href="#L{n}">{n}</a></td>' \
               f'<td class="tx">{escape(lines[n - 1])}</td></tr>' in page
    assert page.count("<tr id=") == 7
    assert f'href="{urls.original(source["sha256"])}"' in page
    assert f'href="{escape(urls.original_lines_json(source["sha256"], 3, 9))}"' in page
    data = client.get(urls.original_lines_json(source["sha256"], 3, 9)).json()
    assert [(x["number"], x["text"]) for x in data["lines"]] == \
           [(n, lines[n - 1]) for n in range(3, 10)]
    assert data["total_lines"] == len(lines) and data["source"]["sha256"] == source["sha256"]
    assert data["earlier_url"] == urls.original_lines(source["sha256"], 1, 9)
    assert data["later_url"] == urls.original_lines(source["sha256"], 3, 29)


def test_the_line_view_of_a_pdf_says_where_each_line_sits(client: TestClient) -> None:
    hit = client.get(urls.search_json("collection:pdf")).json()["hits"][0]
    doc = client.get(urls.document_json(hit["id"])).json()["document"]
    sha, start, end = doc["source_file"]["sha256"], doc["start_line"], doc["end_line"]
    data = client.get(urls.original_lines_json(sha, start, end)).json()
    text = doc["text"].split("\n")
    assert [x["text"] for x in data["lines"]][:len(text)] == text
    assert all(x["origin"] and x["origin"].startswith("p. ") for x in data["lines"])
    page = client.get(doc["lines_url"]).text
    assert f'<td class="ln origin">{escape(data["lines"][0]["origin"])}</td>' in page


@pytest.mark.parametrize(("query", "status", "message"), [
    ("", 400, "Say which lines to show"),
    ("?start=4", 400, "Say which lines to show"),
    ("?start=four&end=9", 400, "start must be a line number"),
    ("?start=4&end=-9", 400, "end must be a line number"),
    ("?start=%C2%B2&end=9", 400, "start must be a line number"),
    ("?start=0&end=9", 400, "not a range"),
    ("?start=9&end=4", 400, "not a range"),
    ("?start=1&end=50000", 400, "at most 10,000"),
    ("?start=1&end=9999", 404, "there is no line 9,999"),
])
def test_bad_line_ranges_are_refused_with_a_message(client: TestClient, source: dict[str, str],
                                                    query: str, status: int,
                                                    message: str) -> None:
    base = urls.original(source["sha256"])
    page = client.get(f"{base}/lines{query}")
    assert page.status_code == status and message in page.text
    assert page.headers["content-type"].startswith("text/html") and "Traceback" not in page.text
    data = client.get(f"{base}/lines.json{query}")
    assert data.status_code == status and message in data.json()["error"]["message"]


@pytest.mark.parametrize("digest", ["0" * 64, "abc", "..%2F..%2Fetc"])
def test_the_line_view_of_an_unknown_file_is_a_404(client: TestClient, digest: str) -> None:
    r = client.get(f"/originals/{digest}/lines?start=1&end=2")
    assert r.status_code == 404 and "Traceback" not in r.text
    assert client.get(f"/originals/{digest}/lines.json?start=1&end=2").json()["error"]["message"]


def test_hostile_lines_are_shown_as_text(empty_archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("1. 5 July 1950, letter, Alpha to Beta\n<script>alert(1)</script> & "
                    "<b>x</b>\n", encoding="utf-8")
    empty_archive.ingest_file(path, "hostile")
    sha = empty_archive.store.document(empty_archive.store.latest(1)[0]["id"])["source_file"]
    page = TestClient(create_app(empty_archive.root)).get(
        urls.original_lines(sha["sha256"], 1, 2)).text
    assert "<script" not in page and "<b>x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in page
