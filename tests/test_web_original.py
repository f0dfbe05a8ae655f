"""The originals: the bytes as ingested, served as plain text and never as a web page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.web import urls
from cablegram.web.app import create_app

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def client(sample_archive: Archive) -> TestClient:
    """A reading room over the sample archive."""
    return TestClient(create_app(sample_archive.root))


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
