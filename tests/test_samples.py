"""Our own sample documents (samples/): what the demo shows must be read right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cablegram.pipeline import extract_file
from tests.conftest import SAMPLES


def _docs(*parts: str) -> list[dict[str, Any]]:
    return [d.to_contract() for d in extract_file(SAMPLES.joinpath(*parts))]


def test_interleaved_compilation_headers_and_dates() -> None:
    docs = _docs("compilation", "bulletin-1950-summer.txt")
    numbered = {d["number"]: d for d in docs if d["number"]}
    assert sorted(numbered, key=int) == [str(n) for n in range(31, 41)]
    assert numbered["31"]["date"] == "1950-08-06"
    assert numbered["40"]["date"] == "1950-09-27"
    assert numbered["32"]["via"][0]["id"] == "shtykov"
    assert docs[0]["fragment"] and docs[0]["start_line"] == 1 and docs[0]["end_line"] == 25
    assert docs[0]["date"] is None  # the tail of a telegram whose date was lost
    # no. 34's header is cut by a column (`conver-` … `sation, Roshchin with Zhou Enlai`): the
    # two parts make one header; the text between is kept apart, as a flagged fragment
    assert numbered["34"]["fragments"][:2] == [[98, 98], [118, 118]]
    assert numbered["34"]["type"] == "memorandum of conversation"
    assert any(d["fragment"] and d["start_line"] == 99 and d["end_line"] == 117 for d in docs)


def test_clean_compilation() -> None:
    docs = _docs("compilation", "bulletin-1951-spring.txt")
    assert [(d["number"], d["date"]) for d in docs if d["number"]] == [
        ("52", "1951-04-02"), ("53", "1951-04-03"), ("54", "1951-04-14"),
        ("55", "1951-04-27"), ("56", "1951-05-31")]


def test_reply_reference_is_read() -> None:
    docs = _docs("compilation", "bulletin-1950-summer.txt")
    refs = {(r["value"], r["role"]) for d in docs for r in d["refs"]}
    assert ("No. 2214", "in reply to") in refs
    assert ("No. 2214", "telegram number") in refs


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "archive-pages").glob("*.txt")))
def test_archive_pages(name: str) -> None:
    (doc,) = _docs("archive-pages", name)
    page = doc["page"]
    assert page["title"] and page["date"] and page["summary"] and page["record_id"]
    assert page["source"].startswith("Sample ") and "fond" in page["source"]
    assert doc["date"] and doc["type"]
    assert page["summary"] not in doc["text"]
    assert "Record ID" not in doc["text"]


def test_cable_enclosing_a_letter_sample() -> None:
    (cable,) = _docs("archive-pages", "cable-enclosing-letter.txt")
    assert cable["type"] == "cable" and cable["authors"][0]["id"] == "shtykov"
    (letter,) = cable["enclosures"]
    assert letter["type"] == "letter" and letter["date"] == "1950-10-02"
    assert letter["recipients"][0]["id"] == "stalin"


def test_contradicting_year_is_flagged() -> None:
    (doc,) = _docs("archive-pages", "telegram-roshchin-1950-10-03.txt")
    assert any("1940" in w for w in doc["warnings"])


def test_header_stops_before_the_body(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    path.write_text("12. 5 July 1950, letter, Alpha to Beta\n<script>x</script> volunteers\n"
                    "13. 6 July 1950, telegram, Gamma to Delta\nThe body says so.\n", "utf-8")
    docs = [d.to_contract() for d in extract_file(path)]
    assert [d["recipients"][0]["as_written"] for d in docs] == ["Beta", "Delta"]
    assert [d["title"] for d in docs] == ["Letter, Alpha to Beta", "Telegram, Gamma to Delta"]
