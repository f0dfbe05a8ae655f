"""Ingest, store and search: idempotence, failure isolation, transactions, the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablegram.archive import Archive
from cablegram.errors import ArchiveError, ArchiveNotFoundError, NotFoundError, UnreadableFileError
from cablegram.store.sqlite import Store
from tests.conftest import SAMPLES

SPRING = SAMPLES / "compilation" / "bulletin-1951-spring.txt"


def test_ingest_keeps_the_original_bytes(empty_archive: Archive) -> None:
    result = empty_archive.ingest_file(SPRING, "compilation")
    assert result.status == "added" and result.documents == 5
    doc = empty_archive.document(f"{_sha(empty_archive)[:12]}-1")
    assert empty_archive.original_path(doc["source_file"]["sha256"]).read_bytes() == \
        SPRING.read_bytes()
    assert doc["source_file"]["name"] == SPRING.name
    assert doc["number"] == "52" and doc["start_line"] == 1


def _sha(archive: Archive) -> str:
    return str(archive.store.conn.execute("SELECT sha256 FROM sources").fetchone()[0])


def test_same_bytes_twice_change_nothing(empty_archive: Archive, tmp_path: Path) -> None:
    empty_archive.ingest_file(SPRING, "compilation")
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(SPRING.read_bytes())
    assert empty_archive.ingest_file(copy, "other").status == "unchanged"
    assert empty_archive.store.stats() == {"sources": 1, "documents": 5, "fragments": 0}
    assert empty_archive.index.num_docs() == 5


def test_undecodable_file_is_refused_by_name(empty_archive: Archive, tmp_path: Path) -> None:
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(UnreadableFileError, match="scan.txt: .*binary"):
        empty_archive.ingest_file(bad, "x")
    assert empty_archive.store.stats()["sources"] == 0


def test_a_failure_mid_file_stores_nothing_of_it(
        empty_archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    original = Store._spelling

    def failing(self: Store, *args: str | None) -> int:
        calls["n"] += 1
        if calls["n"] == 3:  # its document rows written, not all their names
            raise KeyboardInterrupt  # as if the user pressed Ctrl+C mid-file
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_spelling", failing)
    with pytest.raises(KeyboardInterrupt):
        empty_archive.ingest_file(SPRING, "compilation")
    assert empty_archive.store.stats() == {"sources": 0, "documents": 0, "fragments": 0}
    monkeypatch.setattr(Store, "_spelling", original)
    assert empty_archive.ingest_file(SPRING, "compilation").status == "added"


def test_search_ranks_and_highlights(sample_archive: Archive) -> None:
    result = sample_archive.search("armistice")
    assert result["total"] >= 2
    top = result["hits"][0]
    assert top["title"] and top["id"]
    marked = [top["snippet"][s:e].lower() for s, e in top["highlights"]]
    assert marked and all(m.startswith("armistice") for m in marked)


def test_search_phrase_prefix_exclusion_and_or(sample_archive: Archive) -> None:
    def total(q: str) -> int:
        return int(sample_archive.search(q, limit=50)["total"])

    assert 0 < total('"air cover"') <= total("air cover")
    assert total("armist*") >= total("armistice")
    assert total("volunteers -Kaesong") < total("volunteers")
    assert total("Kaesong OR Panmunjom") >= max(total("Kaesong"), total("Panmunjom"))
    assert total("zzzzqqq") == 0


def test_names_find_pseudonyms(sample_archive: Archive) -> None:
    hits = sample_archive.search("Joseph Stalin", limit=100)["hits"]
    assert any("Filippov [Stalin]" in (h["title"] or "") for h in hits)


def test_reindex_and_reconcile(sample_archive: Archive, tmp_path: Path) -> None:
    n = sample_archive.store.count()
    assert sample_archive.reindex() == n
    assert sample_archive.reconcile() is False


def test_reconcile_rebuilds_a_lost_index(empty_archive: Archive) -> None:
    empty_archive.ingest_file(SPRING, "compilation")
    empty_archive.index.rebuild([])
    reopened = Archive.open(empty_archive.root)
    assert reopened.index.num_docs() == 5


def test_archive_errors(tmp_path: Path, empty_archive: Archive) -> None:
    with pytest.raises(ArchiveNotFoundError, match="cablegram init"):
        Archive.open(tmp_path / "nowhere")
    with pytest.raises(ArchiveError, match="exists here already"):
        Archive.create(empty_archive.root)
    with pytest.raises(NotFoundError):
        empty_archive.document("nope-1")


def test_words_hyphenated_across_lines_are_found(sample_archive: Archive) -> None:
    hits = sample_archive.search("prisoners", limit=50)["hits"]
    texts = [sample_archive.document(h["id"])["text"] for h in hits]
    assert any("pris-\noners" in t for t in texts)
