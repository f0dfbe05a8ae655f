"""Errors: the right status and a readable message, as a page or as JSON, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.errors import ArchiveNotFoundError
from cablegram.web import urls
from cablegram.web.app import create_app


def test_unknown_document_is_a_404_page(client: TestClient) -> None:
    r = client.get(urls.document("no-such-document"))
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in r.text
    assert "No document with id &#39;no-such-document&#39;" in r.text
    assert 'id="q-header"' in r.text, "the page keeps the search box"
    assert "Traceback" not in r.text


def test_unknown_document_is_a_404_in_json(client: TestClient) -> None:
    r = client.get(urls.document_json("no-such-document"))
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["code"] == "E300"
    assert error["message"].startswith("No document with id 'no-such-document'")


def test_unknown_route_is_a_404_page(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert "There is no page at /no/such/page" in r.text
    assert f'href="{urls.home()}"' in r.text


def test_unknown_json_route_is_a_json_404(client: TestClient) -> None:
    r = client.get("/no/such/page.json")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "E300"


def test_unknown_static_file_is_a_404_page(client: TestClient) -> None:
    r = client.get(urls.static("missing.css"))
    assert r.status_code == 404
    assert "<h1>Not found</h1>" in r.text


def test_a_wrong_method_gets_a_page_not_a_crash(client: TestClient) -> None:
    r = client.post(urls.home())
    assert r.status_code == 405
    assert "Traceback" not in r.text
    j = client.post(urls.search_json("x"))
    assert j.status_code == 405 and j.json()["error"]["code"] == "HTTP405"


def test_hostile_paths_are_escaped_in_error_pages(client: TestClient) -> None:
    r = client.get(urls.document("<script>alert(1)</script>"))
    assert r.status_code == 404
    assert "<script>alert" not in r.text and "&lt;script&gt;" in r.text
    r = client.get("/%3Cscript%3Ealert(1)%3C/script%3E")
    assert r.status_code == 404 and "<script>alert" not in r.text


@pytest.mark.parametrize("url", [urls.search('"unclosed'), urls.search("OR"),
                                 urls.search("a*"), urls.search("x", 0)])
def test_bad_user_input_is_a_400_never_a_500(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400
    assert 'class="notice error"' in r.text and "Traceback" not in r.text


def test_a_bug_is_a_plain_500_page(sample_archive: Archive,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(sample_archive.root)

    def broken(latest: int = 10) -> dict[str, object]:
        """Fail the way a bug would."""
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app.state.archive, "overview", broken)
    client = TestClient(app, raise_server_exceptions=False)
    r = client.get(urls.home())
    assert r.status_code == 500
    assert "could not build this page" in r.text
    assert "secret internals" not in r.text and "Traceback" not in r.text
    j = client.get(urls.home_json())
    assert j.status_code == 500 and "secret internals" not in j.text


def test_no_archive_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveNotFoundError, match="no archive here"):
        create_app(tmp_path)
