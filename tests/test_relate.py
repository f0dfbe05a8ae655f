"""Replies found through printed numbers, in both directions, and dangling references."""

from __future__ import annotations

from pathlib import Path

from cablegram.archive import Archive
from cablegram.relate import ref_key, reply_keys


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
    assert doc["relations"] == {"replies_to": [], "replied_by": [], "dangling": ["No. 999"]}


def test_reply_links_on_the_page_and_in_the_cli(sample_archive: Archive) -> None:
    from fastapi.testclient import TestClient

    from cablegram.web.app import create_app

    reply, answered = _by_number(sample_archive, "35"), _by_number(sample_archive, "33")
    page = TestClient(create_app(sample_archive.root)).get(f"/documents/{reply['id']}").text
    assert "Replies to:" in page and f"/documents/{answered['id']}" in page
    page = TestClient(create_app(sample_archive.root)).get(f"/documents/{answered['id']}").text
    assert "Answered by:" in page and f"/documents/{reply['id']}" in page
