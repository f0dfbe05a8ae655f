"""The real seed documents of ../shared/corpus/seeds against their expected reading (gold.json)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cablegram.pipeline import extract_file
from tests.conftest import corpus_file

COMPILATION = "000_a790091c08e338fb.txt"
PAGE = "003_605de661ff9593b6.txt"


def _gold(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(corpus_file("seeds", "gold.json").read_text("utf-8"))
    return data[name]


def _extract(name: str) -> list[dict[str, Any]]:
    return [d.to_contract() for d in extract_file(corpus_file("seeds", name))]


@pytest.fixture(scope="module")
def compilation() -> list[dict[str, Any]]:
    return _extract(COMPILATION)


@pytest.fixture(scope="module")
def page() -> dict[str, Any]:
    docs = _extract(PAGE)
    assert len(docs) == 1
    return docs[0]


def test_every_document_start_is_found(compilation: list[dict[str, Any]]) -> None:
    gold = _gold(COMPILATION)["documents"]
    assert [(d["start_line"], d["end_line"]) for d in compilation] == [
        tuple(g["lines"]) for g in gold]


def test_numbered_documents_have_their_number_date_and_type(
        compilation: list[dict[str, Any]]) -> None:
    for gold, doc in zip(_gold(COMPILATION)["documents"], compilation, strict=True):
        if gold["header"] and gold["header"]["number"]:
            assert doc["number"] == gold["header"]["number"]
            assert doc["date"] == gold["date"]["value"]
            assert doc["date_source"] == "header"
            assert doc["type"] == gold["type"]["value"]
            assert doc["fragment"] is False


def test_facts_not_in_the_text_are_not_output(compilation: list[dict[str, Any]]) -> None:
    for gold, doc in zip(_gold(COMPILATION)["documents"], compilation, strict=True):
        if gold["date"]["in_text"] is False:
            assert doc["date"] is None, gold["id"]
        if gold["type"]["in_text"] is False:
            assert doc["type"] is None, gold["id"]
        for key in ("authors", "recipients"):
            unstated = {g["name"] for g in gold.get(key, []) if g["in_text"] is False}
            assert not unstated & {m["name"] for m in doc[key]}, (gold["id"], key)


def test_headerless_runs_are_fragments(compilation: list[dict[str, Any]]) -> None:
    flags = [d["fragment"] for d in compilation]
    assert flags == [g["header"] is None or g["header"]["number"] is None
                     for g in _gold(COMPILATION)["documents"]]


def test_correspondents_refs_and_copies(compilation: list[dict[str, Any]]) -> None:
    b, f = compilation[1], compilation[5]
    assert b["title"] == ("Ciphered Telegram No. 3172, Filippov [Stalin] to Zhou Enlai "
                          "(via Roshchin)")
    assert [m["id"] for m in b["authors"]] == ["stalin"]
    assert [m["id"] for m in b["via"]] == ["roshchin"]
    assert {(r["value"], r["role"], r["line"]) for r in b["refs"]} == {
        ("No. 3172", "telegram number", 38), ("No. 1112-1126", "in reply to", 40),
        ("No. 373/sh", "outgoing number", 55)}
    assert [m["as_written"] for m in b["copies_to"]] == ["Stalin (2)", "Molotov"]
    assert [m["id"] for m in f["recipients"]] == ["roshchin"]
    assert [m["id"] for m in f["for"]] == ["mao"]
    assert f["handling"] == ["Only by telegraph"]


def test_people_mentioned_are_linked(compilation: list[dict[str, Any]]) -> None:
    gold = _gold(COMPILATION)["documents"][0]
    linked = {m["as_written"]: m["id"] for m in compilation[0]["people"]}
    for person in gold["people_mentioned"]:
        assert person["as_written"] in linked
    assert linked["Kan Gen"] == "kang-kon"


def test_archive_page_metadata_stays_out_of_the_text(page: dict[str, Any]) -> None:
    gold = _gold(PAGE)["page"]
    assert page["page"]["title"] == gold["title"]
    assert page["page"]["date"] == gold["date"]
    assert page["page"]["credit"] == gold["credit"]
    assert page["page"]["summary"].startswith("Telegram from Kim Il Sung")
    assert page["page"]["rights"].startswith("The History and Public Policy Program")
    assert [page["start_line"], page["end_line"]] == gold["document_lines"]
    assert "Leon Levy" not in page["text"] and "Associated Places" not in page["text"]


def test_cable_and_enclosed_letter(page: dict[str, Any]) -> None:
    gold = {g["id"]: g for g in _gold(PAGE)["documents"]}
    assert page["type"] == "cable" and page["date"] == gold["S1"]["date"]["value"]
    assert [m["id"] for m in page["authors"]] == ["shtykov"]
    assert {m["id"] for m in page["recipients"]} == {"gromyko", "stalin"}
    assert page["sent"] == gold["S1"]["transmission"]["sent"]
    assert page["received"] == gold["S1"]["transmission"]["received"]
    assert {"by wire", "extremely urgent"} <= set(page["handling"])
    assert [m["name"] for m in page["copies_to"]].count("Joseph Stalin") == 2
    assert {r["role"] for r in page["refs"]} == {r["role"] for r in gold["S1"]["refs"]}
    assert any("1940" in w for w in page["warnings"])
    (letter,) = page["enclosures"]
    assert [letter["start_line"], letter["end_line"]] == gold["S2"]["lines"]
    assert letter["date"] == "1950-09-29" and letter["type"] == "letter"
    assert {"kim-il-sung", "pak-heon-yeong"} <= {m["id"] for m in letter["authors"]}
    assert [m["id"] for m in letter["recipients"]] == ["stalin"]


def test_column_breaks_make_fragments(compilation: list[dict[str, Any]]) -> None:
    gold = _gold(COMPILATION)["documents"]
    assert [d["fragments"] for d in compilation] == [g["fragments"] for g in gold]
