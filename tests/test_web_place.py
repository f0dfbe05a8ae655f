"""The page of a place and its JSON twin: names, and the documents sent from it, sent to it
and mentioning it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.web import urls
from cablegram.web.app import create_app
from cablegram.web.views.place import place_data
from tests.conftest import e, section

Doc = dict[str, Any]





def ends(doc: Doc) -> tuple[str | None, str | None]:
    """The places a document's transmission was sent from and received at."""
    tr = doc.get("transmission") or {}
    return tr.get("from_place"), tr.get("to_place")


def test_documents_sent_from_to_and_mentioning_pyongyang(client: TestClient,
                                                         documents: list[Doc]) -> None:
    sent_from = [d for d in documents if ends(d)[0] == "Pyongyang"]
    sent_to = [d for d in documents if ends(d)[1] == "Pyongyang"]
    mentioning = [d for d in documents if any(m["id"] == "pyongyang" for m in d["places"])]
    assert sent_from and sent_to and len(mentioning) > len(sent_from)
    r = client.get(urls.place("pyongyang"))
    assert r.status_code == 200
    assert "<h1>Pyongyang</h1>" in r.text and "Asia/Pyongyang" in r.text
    for section_id, expected in (("sent-from", sent_from), ("sent-to", sent_to),
                                 ("mentioned", mentioning)):
        html = section(r.text, section_id)
        assert f'<span class="count">({len(expected)})</span>' in html
        for doc in expected:
            assert f'<a href="{urls.document(doc["id"])}">{e(doc["title"])}</a>' in html
    other = next(d for d in documents if ends(d)[0] == "Beijing")
    assert urls.document(other["id"]) not in section(r.text, "sent-from")


def test_the_page_says_how_sent_from_was_read(client: TestClient) -> None:
    page = client.get(urls.place("pyongyang")).text
    assert "sent line or dateline" in section(page, "sent-from")
    assert "receipt or address line" in section(page, "sent-to")
    data = client.get(urls.agent_json("place", "pyongyang")).json()
    assert "dateline" in data["sent_from"]["how"]


def test_a_seat_of_office_counts_as_sent_to(client: TestClient, documents: list[Doc]) -> None:
    to_washington = [d for d in documents if ends(d)[1] == "Washington"]
    assert to_washington, "the samples hold a telegram to the Secretary of State"
    data = client.get(urls.agent_json("place", "washington")).json()
    assert {d["id"] for d in data["sent_to"]["documents"]} == {d["id"] for d in to_washington}


def test_mentions_keep_the_words_as_written_and_link_the_search(client: TestClient) -> None:
    data = client.get(urls.agent_json("place", "pyongyang")).json()
    written = {r["as_written"] for d in data["mentioned"]["documents"] for r in d["roles"]}
    assert {"Pyongyang", "PYONGYANG"} <= written
    search = data["mentioned"]["search"]
    assert search == {"query": "place:pyongyang",
                      "url": urls.search("place:pyongyang", sort="date")}
    found = client.get(urls.search_json("place:pyongyang")).json()["total"]
    assert found == data["mentioned"]["total"]
    page = client.get(urls.place("pyongyang")).text
    assert f'href="{e(search["url"])}"' in page and "as “PYONGYANG”" in page


def test_short_lists_are_cut_in_date_then_id_order(sample_archive: Archive,
                                                   documents: list[Doc]) -> None:
    def oldest_first(docs: list[Doc]) -> list[str]:
        """Ids oldest first, undated last, then by id."""
        return [d["id"] for d in sorted(docs, key=lambda d: (d["date"] is None,
                                                             d["date"] or "", d["id"]))]

    expected = {
        "sent_from": oldest_first([d for d in documents if ends(d)[0] == "Pyongyang"]),
        "sent_to": oldest_first([d for d in documents if ends(d)[1] == "Pyongyang"]),
        "mentioned": oldest_first([d for d in documents
                                   if any(m["id"] == "pyongyang" for m in d["places"])]),
    }
    dates = [d["date"] for d in documents if d["id"] in expected["mentioned"]]
    assert len(set(dates)) < len(dates), "the samples mention Pyongyang twice on one day"
    for limit in range(1, len(expected["mentioned"]) + 1):
        found = sample_archive.place("pyongyang", limit)
        for key, ids in expected.items():
            assert found[key]["total"] == len(ids)
            assert [d["id"] for d in found[key]["documents"]] == ids[:limit], (key, limit)


def test_names_and_wikidata(client: TestClient) -> None:
    data = client.get(urls.agent_json("place", "incheon")).json()["record"]
    assert data["kind"] == "place" and data["name"] == "Incheon"
    assert "Inchon" in data["variants"] and "Chemulpo" in data["variants"]
    page = client.get(urls.place("incheon")).text
    assert "<li>Chemulpo</li>" in page
    moscow = client.get(urls.place("moscow")).text
    assert 'href="https://www.wikidata.org/wiki/Q649"' in moscow


def test_json_twin_equals_the_page_data(client: TestClient, sample_archive: Archive) -> None:
    for place_id in ("pyongyang", "moscow", "washington", "incheon"):
        assert client.get(urls.agent_json("place", place_id)).json() == \
            place_data(sample_archive, place_id)
        page = client.get(urls.place(place_id)).text
        assert f'href="{urls.agent_json("place", place_id)}"' in page


def test_unknown_places_are_404_in_both_forms(client: TestClient) -> None:
    r = client.get(urls.place("atlantis"))
    assert r.status_code == 404 and "atlantis" in r.text and "search" in r.text
    r = client.get(urls.agent_json("place", "atlantis"))
    assert r.status_code == 404
    assert "'atlantis'" in r.json()["error"]["message"]
    assert "place:Pyongyang" in r.json()["error"]["message"]
    r = client.get(urls.place("stalin"), follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == urls.person("stalin")


@pytest.fixture()
def hostile_client(empty_archive: Archive, tmp_path: Path) -> TestClient:
    """A reading room over an archive whose one document, sent from Pyongyang, has markup
    in its title."""
    path = tmp_path / "hostile.txt"
    path.write_text(
        "12. 5 July 1950, ciphered telegram No. 7<b>7</b>, Filippov to Shtykov "
        "<script>alert(1)</script>\n"
        "PYONGYANG. The volunteers arrived.\n"
        "Sent 5.7.50 23:00 Pyongyang\n", encoding="utf-8")
    empty_archive.ingest_file(path, "hostile")
    return TestClient(create_app(empty_archive.root))


def test_hostile_titles_are_shown_as_text(hostile_client: TestClient) -> None:
    data = hostile_client.get(urls.agent_json("place", "pyongyang")).json()
    assert data["sent_from"]["total"] == 1
    title = data["sent_from"]["documents"][0]["title"]
    assert "<b>7</b>" in title, "JSON keeps the raw text"
    page = hostile_client.get(urls.place("pyongyang")).text
    assert "<b>7" not in page and "<script" not in page
    assert e(title) in section(page, "sent-from")
