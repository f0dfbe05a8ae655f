"""Download links in the reading room and the `/export.{format}` route behind them."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from cablegram.archive import Archive
from cablegram.export import FORMATS
from cablegram.web import urls
from cablegram.web.views.export import download_name

# The formats this part of the project writes (TEI and CMIF are tested with their module).
OURS = ("jsonl", "csv", "csv-agents", "chicago-note", "chicago", "bibtex", "ris", "csl-json")



@pytest.fixture(scope="module")
def doc(sample_archive: Archive) -> dict[str, Any]:
    """A dated document with an author."""
    return next(r for r in sample_archive.records() if r["date"] and r["authors"])


def links_of(page: str) -> list[str]:
    """The hrefs of the download block of a page."""
    block = page.split('<section class="downloads">', 1)[1].split("</section>", 1)[0]
    return [str(escape(h)) for h in re.findall(r'href="([^"]+)"', block)]


def test_document_page_offers_that_document_in_each_format(client: TestClient,
                                                           doc: dict[str, Any]) -> None:
    page = client.get(urls.document(doc["id"])).text
    assert "<h2>Download</h2>" in page and "This document as:" in page
    hrefs = links_of(page)
    assert hrefs == [str(escape(urls.export(n, ids=[doc["id"]]))) for n in FORMATS]
    assert f"/export.bibtex?id={doc['id']}" in hrefs


@pytest.mark.parametrize("name", OURS)
def test_each_format_downloads_one_document(client: TestClient, doc: dict[str, Any],
                                            name: str) -> None:
    fmt = FORMATS[name]
    r = client.get(urls.export(name, ids=[doc["id"]]))
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{fmt.media_type}; charset=utf-8"
    assert r.headers["content-disposition"] == \
        f'attachment; filename="cablegram-{doc["id"]}{fmt.extension}"'
    assert r.headers["x-content-type-options"] == "nosniff"
    if name != "csv-agents":
        assert doc["id"] in r.text or doc["title"] in r.text
    if name in ("chicago-note", "chicago", "bibtex", "ris", "csl-json"):
        assert f"http://testserver/documents/{doc['id']}" in r.text


def test_search_page_offers_the_whole_result_set(client: TestClient,
                                                 sample_archive: Archive) -> None:
    page = client.get(urls.search("telegram")).text
    total = sample_archive.search("telegram")["total"]
    assert total > 10  # more than one page: the download holds every page
    assert f"All {total} results as:" in page
    assert str(escape(urls.export("csv", q="telegram"))) in links_of(page)
    r = client.get(urls.export("csv", q="telegram"))
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    assert len(rows) == total
    assert 'filename="cablegram-search-telegram.csv"' in r.headers["content-disposition"]


def test_no_download_block_without_results(client: TestClient) -> None:
    assert "<h2>Download</h2>" not in client.get(urls.search("zzyzxqq")).text
    assert "<h2>Download</h2>" not in client.get(urls.search()).text


def test_home_page_offers_the_whole_archive(client: TestClient, sample_archive: Archive,
                                            tmp_path: Path) -> None:
    page = client.get(urls.home()).text
    count = sample_archive.store.count()
    assert f"The whole archive ({count} documents) as:" in page
    assert "/export.jsonl" in links_of(page)
    r = client.get(urls.export("jsonl"))
    assert r.headers["content-disposition"] == 'attachment; filename="cablegram-archive.jsonl"'
    path = tmp_path / "download.jsonl"
    path.write_bytes(r.content)
    restored = Archive.create(tmp_path / "restored")
    assert restored.ingest_file(path, "x").documents == count
    assert restored.export("jsonl")[1].encode("utf-8") == r.content


def test_unknown_format_is_a_404_page(client: TestClient) -> None:
    r = client.get("/export.docx")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "There is no export format &#39;docx&#39;" in r.text and "bibtex" in r.text
    assert '<a class="brand" href="/">' in r.text  # the house page, not a bare error


def test_unknown_document_and_bad_query(client: TestClient) -> None:
    assert client.get(urls.export("csv", ids=["nope-1"])).status_code == 404
    r = client.get(urls.export("csv", q='"unclosed'))
    assert r.status_code == 400 and "Traceback" not in r.text


def test_hostile_query_is_escaped_in_links_and_file_names(client: TestClient) -> None:
    q = 'volunteers "<script>alert(1)</script>"'
    page = client.get(urls.search(q)).text
    assert "<script>alert(1)</script>" not in page
    r = client.get(urls.export("ris", q=q))
    assert r.status_code == 200
    name = r.headers["content-disposition"].split('filename="', 1)[1][:-1]
    assert re.fullmatch(r"cablegram-[A-Za-z0-9._-]+\.ris", name)


@pytest.mark.parametrize(("args", "name"), [
    ((".csv", None, ["abc-1"]), "cablegram-abc-1.csv"),
    ((".bib", None, ["a-1", "b-2"]), "cablegram-2-documents.bib"),
    ((".ris", '"air cover" -Seoul', None), "cablegram-search-air-cover-Seoul.ris"),
    ((".jsonl", "  ", None), "cablegram-archive.jsonl"),
    ((".txt", '"\r\n;/\\', None), "cablegram-search.txt"),
])
def test_download_names(args: tuple[str, str | None, list[str] | None], name: str) -> None:
    assert download_name(*args) == name


def test_export_urls() -> None:
    assert urls.export("jsonl") == "/export.jsonl"
    assert urls.export("csv", q="a & b") == "/export.csv?q=a%20%26%20b"
    assert urls.export("ris", ids=["x/1", "y"]) == "/export.ris?id=x%2F1&id=y"
    assert [x["name"] for x in urls.exports()] == list(FORMATS)
