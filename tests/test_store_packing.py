"""How documents are kept: each value once (columns, roles, refs, the original's lines), and
every document read back exactly as it was extracted or imported."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from cablegram.archive import Archive
from cablegram.errors import ArchiveError
from cablegram.normalize import dehyphenate
from cablegram.pipeline import extract_source
from cablegram.readers import read_source
from cablegram.search.query import parse
from cablegram.store import packing
from cablegram.store.rows import SourceInfo, flatten, source_rows
from tests.conftest import SAMPLES, build_archive

# sha256 of packing.DICTIONARY: stored rows depend on those bytes (see its comment).
DICTIONARY_SHA256 = "dcd06bae9702d528e885c7f6912f046b910f14800f62a6a05345248310644887"


def _extracted(archive: Archive, src: dict[str, Any]
               ) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each document of a stored source as extraction gives it again: id, contract (without
    enclosures) and the row the search index takes."""
    sha = str(src["sha256"])
    data = archive.original_path(sha).read_bytes()
    docs = extract_source(read_source(str(src["name"]), data), archive.authority)
    info = SourceInfo(**{k: src[k] for k in ("sha256", "name", "path", "media_type", "size",
                                             "reader", "collection")})
    rows = source_rows(info, docs, data)
    out = []
    for (doc_id, *_, doc), row in zip(flatten(docs, sha[:12]), rows.documents, strict=True):
        contract = doc.to_contract()
        contract.pop("enclosures")
        out.append((doc_id, contract, row.search or {}))
    return out


def test_every_document_reads_back_as_extracted(sample_archive: Archive) -> None:
    store = sample_archive.store
    sources = [dict(r) for r in store.conn.execute("SELECT * FROM sources ORDER BY id")]
    checked = 0
    for src in sources:
        indexed = {r["id"]: r for r in store.index_rows(str(src["sha256"]))}
        for doc_id, contract, search in _extracted(sample_archive, src):
            got = store.document(doc_id)
            assert got is not None
            for key in ("id", "parent_id", "source_file", "enclosures"):
                got.pop(key)
            assert json.dumps(got) == json.dumps(contract), doc_id  # same keys, same order
            assert json.dumps(indexed[doc_id], default=list) == json.dumps(search, default=list)
            checked += 1
    assert checked == store.count() > 30


def test_text_files_keep_their_text_only_in_the_original(sample_archive: Archive) -> None:
    rows = sample_archive.store.conn.execute(
        "SELECT s.reader, d.text IS NULL AS in_original, d.id, d.text_start, d.text_end,"
        " s.sha256 FROM documents d JOIN sources s ON s.id = d.source_id").fetchall()
    by_reader = {r["reader"]: {x["in_original"] for x in rows if x["reader"] == r["reader"]}
                 for r in rows}
    assert by_reader == {"text": {1}, "html": {0}, "pdf": {0}, "tei": {0}}
    first = next(r for r in rows if r["reader"] == "text")
    raw = sample_archive.original_path(first["sha256"]).read_bytes()
    text = sample_archive.document(first["id"])["text"]
    assert raw[first["text_start"]:first["text_end"]].decode("utf-8").startswith(text[:40])


def test_line_breaks_and_byte_order_mark_read_back(empty_archive: Archive,
                                                   tmp_path: Path) -> None:
    spring = (SAMPLES / "compilation" / "bulletin-1951-spring.txt").read_text("utf-8")
    odd = tmp_path / "odd-breaks.txt"
    lines = spring.split("\n")
    breaks = ("\r\n", "\r", "\n")  # Windows, old Mac and Unix line breaks in turn
    body = "".join(line + breaks[i % 3] for i, line in enumerate(lines[:-1])) + lines[-1]
    odd.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    empty_archive.ingest_file(odd, "odd")
    src = dict(empty_archive.store.conn.execute("SELECT * FROM sources").fetchone())
    stored = empty_archive.store.conn.execute(
        "SELECT count(*), sum(text IS NULL) FROM documents").fetchone()
    assert stored[0] == stored[1] == 5
    for doc_id, contract, _ in _extracted(empty_archive, src):
        assert empty_archive.document(doc_id)["text"] == contract["text"]
        assert "\r" not in contract["text"] and "\ufeff" not in contract["text"]


def _edited_export(archive: Archive) -> str:
    """The archive's JSONL export with one document changed by hand: a mention's line as
    text, a reference's line as a float, no title, and another document without `notes`."""
    _, body = archive.export("jsonl")
    lines = [json.loads(line) for line in body.splitlines()]
    docs = [d for line in lines for d in line["documents"]]
    edited = next(d for d in docs if d["authors"] and d["refs"])
    edited["authors"][0]["line"] = "7"
    edited["refs"][0]["line"] = 3.0
    edited["title"] = None
    del next(d for d in docs if d is not edited)["notes"]
    return "".join(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for obj in lines)


def test_a_hand_edited_export_comes_back_as_it_was(sample_archive: Archive,
                                                   tmp_path: Path) -> None:
    edited = _edited_export(sample_archive)
    path = tmp_path / "edited.jsonl"
    path.write_text(edited, encoding="utf-8")
    target = Archive.create(tmp_path / "restored")
    assert target.ingest_file(path, "ignored").status == "added"
    _, again = target.export("jsonl")
    assert again == edited
    assert again != sample_archive.export("jsonl")[1]


def test_a_missing_original_is_reported_not_guessed(tmp_path: Path) -> None:
    archive = build_archive(tmp_path / "archive",
                            [SAMPLES / "compilation" / "bulletin-1951-spring.txt"])
    doc_id = archive.store.document_ids()[0]
    sha = archive.document(doc_id)["source_file"]["sha256"]
    archive.original_path(sha).unlink()
    with pytest.raises(ArchiveError, match="archive is damaged"):
        archive.document(doc_id)


def test_the_index_stores_ids_and_dates_and_snippets_come_from_the_store(
        sample_archive: Archive) -> None:
    searcher, builder = sample_archive.index.builder()
    found = searcher.search(builder.build(parse("volunteers")), 5).hits
    stored = [searcher.doc(address).to_dict() for _, address in found]
    assert len(stored) == 5 and all(set(d) <= {"id", "date"} for d in stored)
    hits = sample_archive.search("volunteers", limit=5)["hits"]
    assert len(hits) == 5
    for hit in hits:
        start, end = hit["highlights"][0]
        assert hit["snippet"][start:end].lower().startswith("volunteer")
        assert hit["snippet"] in dehyphenate(sample_archive.document(hit["id"])["text"])


def test_the_data_dictionary_is_the_one_stored_rows_were_packed_with() -> None:
    digest = hashlib.sha256(packing.DICTIONARY).hexdigest()
    assert digest == DICTIONARY_SHA256, (
        "packing.DICTIONARY changed: archives packed with the old bytes cannot be read; "
        "bump SCHEMA_VERSION in cablegram/store/sqlite.py and record the new hash here")
