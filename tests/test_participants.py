"""Who took part in a conversation, and a header cut by a column that resumes later."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.model import Document, SourceText
from cablegram.pipeline import extract_source
from tests.conftest import SAMPLES, corpus_file, run_cli

AUTH = default_authority()


def _read(path_text: str, name: str = "t.txt") -> list[Document]:
    """Run the extract stage on a text."""
    return extract_source(SourceText(name, path_text, "text/plain", "text"), AUTH)


def test_present_list_and_record_title_give_participants() -> None:
    path = SAMPLES / "archive-pages" / "memcon-stalin-zhou-1952-08-20.txt"
    doc = _read(path.read_text(encoding="utf-8"), path.name)[0]
    ids = [m.id for m in doc.mentions["participants"]]
    assert ids[:2] == ["stalin", "zhou-enlai"]
    assert {"molotov", "chen-yun", "shi-zhe"} <= set(ids)
    assert "mao" not in ids  # named in the talk, not present


def test_frus_participants_block_with_indented_lines() -> None:
    path = corpus_file("frus", "frus1951v07p2-d171-d199.txt")
    docs = _read(path.read_text(encoding="utf-8"), path.name)
    memo = next(d for d in docs if any(m.id == "merchant" for m in d.mentions["participants"]))
    written = [m.as_written for m in memo.mentions["participants"]]
    assert memo.type == "memorandum of conversation"
    assert "Yu Ta-wei" in written and "Tan" in written  # unknown to the authority: kept
    assert all(not m.mentions["participants"] for m in docs if m.type == "telegram")


CUT = """\
33. 18 August 1950, ciphered telegram, Roshchin to Filippov [Stalin]
Zhou Enlai says the divisions are ready but they cannot
34. 20 August 1950, memorandum of conver-
move before the bridges are repaired.
ROSHCHIN
sation, Roshchin with Zhou Enlai
Zhou Enlai received me at the ministry and spoke about the bridges.
ROSHCHIN
"""


def test_a_cut_header_resumes_after_the_text_between() -> None:
    first, second = _read(CUT)
    assert second.number == "34" and second.type == "memorandum of conversation"
    assert second.fragments == [(3, 3), (6, 6), (7, 8)]  # header in two parts, then body
    assert {m.id for m in second.mentions["participants"]} == {"roshchin", "zhou-enlai"}
    # the text between the two parts of the header belongs to the telegram before it
    assert first.fragments[-1] == (4, 5) and "bridges are repaired" in first.text
    assert "bridges are repaired" not in second.text


def test_show_numbers_the_lines_of_a_header_in_two_parts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cut.txt"
    path.write_text(CUT, encoding="utf-8")
    archive = Archive.create(tmp_path / "arc")
    archive.ingest_file(path, "x")
    doc_id = next(r["id"] for r in archive.records() if r["number"] == "34")
    code, out, _ = run_cli(capsys, monkeypatch, "show", "--archive", str(tmp_path / "arc"), doc_id)
    assert code == 0
    assert "    6  sation, Roshchin with Zhou Enlai" in out
    assert "    4  sation" not in out
