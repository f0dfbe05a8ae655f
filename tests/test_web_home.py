"""The home page and its JSON twin, the stylesheet and the headers every page carries."""

from __future__ import annotations

from fastapi.testclient import TestClient
from markupsafe import escape

from cablegram.archive import Archive
from cablegram.pipeline import collect_files
from cablegram.web import urls
from tests.conftest import SAMPLES


def test_home_json_counts_agree_with_the_archive(client: TestClient,
                                                  sample_archive: Archive) -> None:
    r = client.get(urls.home_json())
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert data["counts"] == sample_archive.overview()["counts"]
    assert data["counts"]["documents"] >= 24  # samples/README.md lists 24 documents
    files = list(collect_files([SAMPLES]))
    assert data["counts"]["sources"] == len(files)
    names = {c["name"]: c for c in data["collections"]}
    assert set(names) == {collection for _, collection in files}
    assert names["archive-pages"]["sources"] == 7
    assert names["compilation"]["sources"] == 2
    assert data["latest"], "the latest documents are listed"
    for doc in data["latest"]:
        assert doc["url"] == urls.document(doc["id"])


def test_home_html_shows_counts_collections_and_latest(client: TestClient) -> None:
    data = client.get(urls.home_json()).json()
    r = client.get(urls.home())
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<title>Reading room · Cablegram</title>" in page
    assert f"<strong>{data['counts']['documents']}</strong> documents" in page
    assert f"<strong>{data['counts']['sources']}</strong> source files" in page
    assert f"<strong>{data['counts']['fragments']}</strong>" in page
    assert "<td>archive-pages</td>" in page and "<td>compilation</td>" in page
    for doc in data["latest"]:
        assert f'href="{doc["url"]}"' in page
        if doc["title"]:
            assert str(escape(doc["title"])) in page
        assert (doc["date"] or "not stated") in page
    assert 'action="/search"' in page and 'name="q"' in page
    assert f'href="{urls.home_json()}"' in page, "the page links its JSON twin"
    assert "Traceback" not in page


def test_every_page_has_header_search_box_and_no_external_resources(client: TestClient) -> None:
    for url in (urls.home(), urls.search("volunteers"), urls.search()):
        page = client.get(url).text
        assert f'<a class="brand" href="{urls.home()}">Cablegram</a>' in page
        assert 'id="q-header"' in page
        assert f'href="{urls.static("style.css")}"' in page
        assert "<script" not in page
        assert "https://" not in page and "http://" not in page


def test_stylesheet_is_served_and_self_contained(client: TestClient) -> None:
    r = client.get(urls.static("style.css"))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/css")
    css = r.text
    assert "serif" in css and "monospace" in css
    assert "@media (max-width" in css, "a layout for phones"
    assert "@import" not in css and "url(" not in css and "http" not in css


def test_security_headers(client: TestClient) -> None:
    r = client.get(urls.home())
    assert r.headers["x-content-type-options"] == "nosniff"
    policy = r.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy  # our files only
