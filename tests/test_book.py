"""Printed books in the FRUS style: the real FRUS text, the same text re-wrapped with running
heads, and a small book written here."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from cablegram.authority.lookup import Authority, Record, default_authority
from cablegram.book import build_book, is_running_head, looks_like_book
from cablegram.link import resolve
from cablegram.model import Document, SourceText
from cablegram.pipeline import extract_source
from tests.conftest import corpus_file

FRUS = "frus1951v07p2-d171-d199"
HEAD_EVERY = 46  # a running head after this many lines, as on a printed page


def _extract(text: str) -> list[Document]:
    src = SourceText("book.txt", text, "text/plain", "text")
    return extract_source(src, default_authority())


def rewrap(text: str) -> tuple[str, dict[int, int]]:
    """Wrap each paragraph at 60-75 columns and insert running heads (`1802  FOREIGN RELATIONS,
    1951, VOLUME VII` / `CHINA  1803`, pages rising) every HEAD_EVERY lines; return the text and
    the variant line of each original line's first piece."""
    out: list[str] = []
    where: dict[int, int] = {}
    page = 1802
    for i, para in enumerate(text.split("\n")):
        where[i + 1] = len(out) + 1
        pieces = textwrap.wrap(para, 60 + (i * 7) % 16) if para.strip() else [""]
        for piece in pieces:
            out.append(piece)
            if len(out) % HEAD_EVERY == HEAD_EVERY - 1:
                out.append(f"{page}  FOREIGN RELATIONS, 1951, VOLUME VII" if page % 2 == 0
                           else f"CHINA  {page}")
                page += 1
    return "\n".join(out), where


@pytest.fixture(scope="module")
def frus() -> tuple[str, list[dict[str, Any]]]:
    text = corpus_file("frus", f"{FRUS}.txt").read_text("utf-8")
    lines = corpus_file("frus", f"{FRUS}.gold.jsonl").read_text("utf-8").splitlines()
    return text, [json.loads(ln) for ln in lines if ln.strip()]


def _start_line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _authors_ok(gold: dict[str, Any], doc: Document) -> bool:
    """The head's `from` name in an author's words; else the signature among the authors."""
    authors = doc.mentions["authors"]
    if gold["editorial_note"]:
        return not authors
    froms = [p["text"] for p in gold["persNames"] if p["type"] == "from"]
    if froms:
        return all(any(f in m.as_written for m in authors) for f in froms)
    if gold["signature"] is None:
        return bool(authors)
    signed = gold["signature"].strip("[]")
    rec = resolve(default_authority(), signed, doc.date)
    return any(signed in m.as_written or (rec and m.id == rec.id) for m in authors)


def _check_against_gold(gold: list[dict[str, Any]], docs: list[Document],
                        starts: list[int]) -> None:
    assert [d.number for d in docs] == [g["n"] for g in gold]
    assert [d.start_line for d in docs] == starts
    for g, doc in zip(gold, docs, strict=True):
        assert doc.date == (g["date"][:10] if g["date"] else None), g["n"]
        if g["date"]:
            assert doc.date_source == "dateline"
        if g["editorial_note"]:
            assert doc.type == "editorial note"
        elif (g["source_note"] or "").endswith(": Telegram"):
            assert doc.type == "telegram", g["n"]
        assert " ".join(doc.handling) == " ".join(g["classification"]), g["n"]
        assert _authors_ok(g, doc), (g["n"], [m.as_written for m in doc.mentions["authors"]])


def test_every_frus_document_is_read(frus: tuple[str, list[dict[str, Any]]]) -> None:
    text, gold = frus
    docs = _extract(text)
    _check_against_gold(gold, docs, [_start_line(text, g["txt_start"]) for g in gold])
    ends = [_start_line(text, g["txt_end"]) for g in gold]
    assert [d.end_line for d in docs] == ends
    assert all(d.fragments == [(d.start_line, d.end_line)] for d in docs)


def test_frus_telegram_apparatus(frus: tuple[str, list[dict[str, Any]]]) -> None:
    text, gold = frus
    first = _extract(text)[0]
    assert first.sent == gold[0]["date"][:16]
    assert first.received is not None and first.received.startswith(gold[0]["date"][:10])
    file_ref = gold[0]["source_note"].split(":")[0]
    assert [(r.value, r.role) for r in first.refs][0] == (file_ref, "file number")
    assert [r.role for r in first.refs][1] == "telegram number"


def test_rewrapped_frus_with_running_heads(frus: tuple[str, list[dict[str, Any]]]) -> None:
    text, gold = frus
    variant, where = rewrap(text)
    lines = variant.split("\n")
    assert sum(is_running_head(ln) for ln in lines) > 15
    docs = _extract(variant)
    starts = [where[_start_line(text, g["txt_start"])] for g in gold]
    _check_against_gold(gold, docs, starts)
    for doc in docs:
        assert lines[doc.start_line - 1] == f"{doc.number}."
        assert "FOREIGN RELATIONS" not in doc.text and "CHINA  18" not in doc.text
        for lo, hi in doc.fragments:
            assert not any(is_running_head(ln) for ln in lines[lo - 1:hi])
        assert doc.text.split("\n")[-1] == lines[doc.end_line - 1]
    assert sum(len(d.fragments) > 1 for d in docs) > 10


# A small book of our own: two documents, page furniture inside the first and between the
# second's number and its head.
BOOK = """\
12.
The Ambassador in Korea (Muccio) to the Secretary of State
795.00/6–2550: Telegram
Seoul, June 25, 1950—10 a. m. [Received June 24—9:26 p. m.]
secret niact

925. Forces from the north crossed the
parallel at several points early this morning.
1803  FOREIGN RELATIONS, 1950, VOLUME VII
Further details will follow.
Muccio

KOREA  1804
13.
1805
The Acting Secretary of State to the Embassy in Korea
795.00/6–2550: Telegram
Washington, June 26, 1950—noon.
confidential

7. Your 925 received and read with care.
Webb
"""


def _authority() -> Authority:
    secretary = {"title": "Secretary of State", "from": "1949-01", "to": "1953-01"}
    return Authority([
        Record("muccio", "John J. Muccio", "person", "Muccio", variants=["Muccio"]),
        Record("acheson", "Dean Acheson", "person", "Acheson", offices=[secretary]),
        Record("seoul", "Seoul", "place", "Seoul"),
    ])


def test_small_book_exact_fields() -> None:
    lines = SourceText("b.txt", BOOK, "text/plain", "text").lines()
    assert looks_like_book(lines)
    first, second = (d.to_contract() for d in build_book("b.txt", lines, _authority()))
    assert (first["number"], first["start_line"], first["end_line"]) == ("12", 1, 11)
    assert first["fragments"] == [[1, 8], [10, 11]]
    assert (first["type"], first["date"], first["date_precision"], first["date_source"]) == (
        "telegram", "1950-06-25", "day", "dateline")
    assert (first["sent"], first["received"]) == ("1950-06-25T10:00", "1950-06-24T21:26")
    assert first["handling"] == ["secret", "niact"]
    assert first["refs"] == [
        {"value": "795.00/6–2550", "role": "file number", "line": 3},
        {"value": "925", "role": "telegram number", "line": 7}]
    assert first["authors"] == [{"as_written": "The Ambassador in Korea (Muccio)",
                                 "id": "muccio", "name": "John J. Muccio", "line": 2,
                                 "candidates": []}]
    assert first["recipients"] == [{"as_written": "the Secretary of State", "id": "acheson",
                                    "name": "Dean Acheson", "line": 2,
                                    "candidates": []}]
    assert [m["id"] for m in first["places"]] == ["seoul"]
    assert first["title"] == "Telegram 925, Muccio to Acheson"
    assert "1803" not in first["text"] and first["text"].endswith("follow.\nMuccio")
    assert (second["number"], second["start_line"], second["end_line"]) == ("13", 14, 22)
    assert second["fragments"] == [[14, 14], [16, 22]]
    assert (second["date"], second["sent"], second["handling"]) == (
        "1950-06-26", "1950-06-26T12:00", ["confidential"])
    # the Acting Secretary is not the Secretary: no link; the signature names him
    assert [(m["as_written"], m["id"]) for m in second["authors"]] == [
        ("The Acting Secretary of State", None), ("Webb", None)]
    assert second["recipients"][0]["as_written"] == "the Embassy in Korea"
    assert second["text"].startswith("13.\nThe Acting Secretary")


def test_a_wrapped_number_that_looks_like_a_start_does_not_swallow_the_rest() -> None:
    first, second = BOOK.split("KOREA  1804\n")
    # a body line wrapped so that `1005.` stands alone before a head-like line and a dateline
    trap = ("12.", "12.\nThe reply is expected by telegram no.\n1005.\nThe Ambassador "
                   "will answer it.\nWashington, June 25, 1950—noon.\n")
    text = first.replace(*trap, 1) + "KOREA  1804\n" + second
    text += "\n" + second.replace("13.", "14.", 1).replace("1805\n", "")
    lines = SourceText("b.txt", text, "text/plain", "text").lines()
    numbers = [d.number for d in build_book("b.txt", lines, _authority())]
    assert numbers == ["12", "13", "14"]


@pytest.mark.parametrize("text", [
    "1802  FOREIGN RELATIONS, 1951, VOLUME VII", "CHINA  1803", "1804", "KOREA 12"])
def test_running_heads(text: str) -> None:
    assert is_running_head(text)


@pytest.mark.parametrize("text", [
    "171.", "McConaughy", "Sent Dept 121; rptd info Delhi 114.", "650. ConGen contacts", ""])
def test_not_running_heads(text: str) -> None:
    assert not is_running_head(text)


def test_a_compilation_is_no_book() -> None:
    text = "18. 5 July 1950, ciphered telegram, Filippov to Zhou Enlai\nText.\n19.\nmore\n"
    assert not looks_like_book(SourceText("c.txt", text, "text/plain", "text").lines())
