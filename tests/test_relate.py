"""Replies found through printed numbers, in both directions, and dangling references;
other translations of one message."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import cablegram.store.sqlite
from cablegram.archive import Archive
from cablegram.relate import (
    _FUNCTION_WORDS,
    TRANSLATION_MIN_SIMILARITY,
    content_words,
    ref_key,
    reply_keys,
    similarity,
)
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


def _words(text: str) -> set[str]:
    """Content words as relate.py defines them, written out plainly: each match folded."""
    return {w for w in (m.group(0).casefold() for m in re.finditer(r"[^\W\d_]{3,}", text))
            if w not in _FUNCTION_WORDS}


def _linked(doc: dict[str, Any], role: str) -> set[str]:
    """The linked ids of a document in one role."""
    return {m["id"] for m in doc[role] if m["id"]}


def test_translations_are_the_definition_on_every_sample(sample_archive: Archive) -> None:
    # Brute force over every pair: day-dated, a day apart at most, a linked author and a
    # linked recipient in common, and Dice on content words at the threshold or above.
    docs = {d["id"]: d for d in sample_archive.records()}
    dated = [d for d in docs.values() if d["date_precision"] == "day" and d["date"]]
    pairs = 0
    for doc in dated:
        day = dt.date.fromisoformat(doc["date"][:10])
        expected = []
        for other in sorted(dated, key=lambda o: (o["date"], o["id"])):
            near = abs((dt.date.fromisoformat(other["date"][:10]) - day).days) <= 1
            if (other["id"] == doc["id"] or not near
                    or not _linked(doc, "authors") & _linked(other, "authors")
                    or not _linked(doc, "recipients") & _linked(other, "recipients")):
                continue
            pairs += 1
            x, y = _words(doc["text"]), _words(other["text"])
            score = 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0
            if score >= TRANSLATION_MIN_SIMILARITY:
                expected.append({"id": other["id"], "title": other["title"],
                                 "date": other["date"], "similarity": round(score, 2)})
        assert sample_archive.store.translations(doc["id"]) == expected, doc["id"]
    assert pairs > 2, "the samples have candidates besides the one translated cable"


def test_content_words_fold_each_match_as_written() -> None:
    text = "İstanbul ISTANBUL Straße STRASSE ﬁnal The THE and 12abc abc_def ΣΊΣΥΦΟΣ σίσυφος aß"
    assert content_words(text) == _words(text)
    assert {"istanbul", "strasse", "final", "abc", "def", "σίσυφοσ"} <= content_words(text)
    assert not {"the", "ass", "aß"} & content_words(text)


def _busy_day(folder: Path) -> list[Path]:
    """Three records of one message from the same sender to the same recipient: one on
    the day before, two on the day, each in its own file."""
    body = ("Zhou Enlai received me and said that the Political Bureau agrees to send troops"
            " into Korea; the army lacks artillery, air cover and trucks.\nROSHCHIN\n")
    folder.mkdir()
    out = []
    for name, day in (("a", "4 October"), ("b", "5 October"), ("c", "5 October")):
        path = folder / f"record-{name}.txt"
        path.write_text(f"1. {day} 1950, ciphered telegram, Roshchin to Filippov [Stalin]\n"
                        f"Copy {name}.\n{body}")
        out.append(path)
    return out


def test_only_the_nearest_candidates_are_compared(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive.create(tmp_path / "arc")
    files = _busy_day(tmp_path / "in")
    ids = {}
    for path in files:
        assert archive.ingest_file(path, "busy").status == "added"
        ids[path.stem[-1]] = next(r["id"] for r in archive.records()
                                  if r["source_file"]["name"] == path.name)
    full = [t["id"] for t in archive.store.translations(ids["b"])]
    assert full == [ids["a"], ids["c"]]  # all alike: both others are the same message
    compared: list[int] = []
    real_dice = cablegram.store.sqlite.dice

    def counted(x: set[str], y: set[str]) -> float:
        compared.append(1)
        return real_dice(x, y)

    monkeypatch.setattr(cablegram.store.sqlite, "TRANSLATION_MAX_CANDIDATES", 1)
    monkeypatch.setattr(cablegram.store.sqlite, "dice", counted)
    # one comparison, with the same day's record before the day before's
    assert [t["id"] for t in archive.store.translations(ids["b"])] == [ids["c"]]
    assert len(compared) == 1
