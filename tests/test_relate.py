"""Replies found through printed numbers, in both directions, and dangling references;
other translations of one message."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.relate import TRANSLATION_MIN_SIMILARITY, ref_key, reply_keys, similarity
from cablegram.web import urls
from cablegram.web.app import create_app


def test_keys() -> None:
    assert ref_key("No. 439/sh.") == ref_key("Nº 439/sh") == "439/sh"
    assert reply_keys("No. 1112-1114") == ["1112", "1113", "1114"]
    assert reply_keys("No. 2214") == ["2214"]
    assert reply_keys("No. 1-99999") == ["1-99999"]


def _by_number(archive: Archive, number: str) -> dict:  # type: ignore[type-arg]
    hits = archive.search(number, limit=50)["hits"]
    for h in hits:
        doc = archive.document(h["id"])
        if doc["number"] == number:
            return doc
    raise AssertionError(f"no document numbered {number}")


def test_reply_links_both_ways(sample_archive: Archive) -> None:
    reply = _by_number(sample_archive, "35")  # "To your No. 2214."
    answered = _by_number(sample_archive, "33")  # "Ciphered telegram No. 2214"
    assert [r["id"] for r in reply["relations"]["replies_to"]] == [answered["id"]]
    assert reply["id"] in [r["id"] for r in answered["relations"]["replied_by"]]
    assert reply["relations"]["dangling"] == []


def test_a_reply_to_a_number_not_in_the_archive_dangles(
        empty_archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_text("7. 2 May 1951, ciphered telegram, Filippov (Stalin) to Roshchin\n"
                    "To your No. 999.\nWe agree.\n", "utf-8")
    empty_archive.ingest_file(path, "test")
    doc = empty_archive.document(empty_archive.store.latest(1)[0]["id"])
    assert doc["relations"] == {"replies_to": [], "replied_by": [], "dangling": ["No. 999"],
                                "translations": []}


def test_reply_links_on_the_page_and_in_the_cli(sample_archive: Archive) -> None:
    from fastapi.testclient import TestClient

    from cablegram.web.app import create_app

    reply, answered = _by_number(sample_archive, "35"), _by_number(sample_archive, "33")
    page = TestClient(create_app(sample_archive.root)).get(f"/documents/{reply['id']}").text
    assert "Replies to:" in page and f"/documents/{answered['id']}" in page
    page = TestClient(create_app(sample_archive.root)).get(f"/documents/{answered['id']}").text
    assert "Answered by:" in page and f"/documents/{reply['id']}" in page


def test_two_translations_of_one_cable_are_linked_both_ways(sample_archive: Archive) -> None:
    by_source = {r["source_file"]["name"]: r for r in sample_archive.records()}
    a = by_source["translation-a-1950-10-05.txt"]
    b = by_source["translation-b-1950-10-05.txt"]
    assert [t["id"] for t in a["relations"]["translations"]] == [b["id"]]
    assert [t["id"] for t in b["relations"]["translations"]] == [a["id"]]
    # same parties two days earlier, another subject: not a translation
    for r in sample_archive.records():
        if r["id"] not in (a["id"], b["id"]):
            assert a["id"] not in {t["id"] for t in r["relations"]["translations"]}


def test_similarity_separates_translations_from_other_messages() -> None:
    one = "The Political Bureau agreed to send troops; air cover for the Yalu crossings asked."
    other = "The Political Bureau consented to dispatch troops and asked for air cover at the Yalu."
    unrelated = "Grain deliveries to the northern provinces were delayed by the floods in August."
    assert similarity(one, other) >= TRANSLATION_MIN_SIMILARITY > similarity(one, unrelated)
    assert similarity("", one) == 0.0


def test_translation_shown_on_the_page(sample_archive: Archive) -> None:
    a = next(r for r in sample_archive.records()
             if r["source_file"]["name"] == "translation-a-1950-10-05.txt")
    page = TestClient(create_app(sample_archive.root)).get(urls.document(a["id"])).text
    other = a["relations"]["translations"][0]
    assert "Other translation:" in page and urls.document(other["id"]) in page
