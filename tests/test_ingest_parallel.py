"""Parallel, batched ingest: the same archive whatever the number of jobs, failures isolated,
re-ingest free, interrupted batches rolled back whole, files found one folder at a time."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import cablegram.ingest
from cablegram.archive import Archive
from cablegram.errors import ArchiveError
from cablegram.pipeline import collect_files
from cablegram.readers import is_supported
from cablegram.store.sqlite import Store
from tests.conftest import SAMPLES, run_cli

QUERIES = ("armistice", '"air cover"', "from:stalin", "Kaesong OR Panmunjom", "date:1950")


def snapshot(archive: Archive) -> dict[str, Any]:
    """Everything an archive holds and serves (ingest times aside): sources in order, every
    document page's data with its relations, the index count and what queries find."""
    sources = [{k: v for k, v in dict(r).items() if k != "ingested_at"}
               for r in archive.store.conn.execute("SELECT * FROM sources ORDER BY id")]
    docs = {i: archive.document(i) for i in archive.store.document_ids()}
    text = re.sub(r'"ingested_at": "[^"]*"', '"ingested_at": null',
                  json.dumps(docs, sort_keys=True))
    found = {q: [h["id"] for h in archive.search(q, limit=100)["hits"]] for q in QUERIES}
    return {"sources": sources, "documents": text, "ids": list(docs),
            "indexed": archive.index.num_docs(), "found": found}


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    return lambda *a: run_cli(capsys, monkeypatch, *a)


@pytest.fixture()
def pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send even a small input to the worker processes (it is extracted here otherwise)."""
    monkeypatch.setattr(cablegram.ingest, "POOL_BYTES", 0)


def _not_here(*args: object) -> None:
    raise AssertionError("this work belongs to the worker processes")


def _ingest(cli, root: Path, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    if not root.exists():
        assert cli("init", str(root))[0] == 0
    return cli("ingest", "--archive", str(root), *args)  # type: ignore[no-any-return]


def test_two_jobs_and_one_job_build_the_same_archive(
        cli, tmp_path: Path, sample_archive: Archive, pool: None,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = len(list(collect_files([SAMPLES])))
    for jobs in ("1", "2"):
        if jobs == "2":  # the workers extract, in processes of their own
            monkeypatch.setattr(cablegram.ingest, "prepare", _not_here)
        code, out, _ = _ingest(cli, tmp_path / jobs, "--jobs", jobs, str(SAMPLES))
        assert code == 0
        assert re.search(rf"^{files} files, \d+ documents \(\d+ fragments\), 0 failed$", out,
                         re.M)
        assert re.search(rf"^\d+ documents in [\d.]+ s: [\d,]+ documents/s, [\d.]+ MB/s "
                         rf"\({jobs} jobs?\)$", out, re.M)
    one, two = (snapshot(Archive.open(tmp_path / j)) for j in ("1", "2"))
    assert one == two
    alone = snapshot(sample_archive)  # files ingested one by one, a commit each
    for shot in (one, alone):  # equal scores may come in another order from other segments
        shot["found"] = {q: sorted(ids) for q, ids in shot["found"].items()}
    assert one == alone
    assert one["indexed"] == len(one["ids"]) > 30
    assert any(one["found"].values())
    data = json.loads(one["documents"])
    assert any(d["relations"]["replies_to"] for d in data.values())
    assert any(d["relations"]["translations"] for d in data.values())


def test_a_bad_file_is_named_and_the_others_are_stored(
        cli, tmp_path: Path, pool: None) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES / "archive-pages", folder / "pages")
    broken = b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256))
    (folder / "pages" / "m-broken.txt").write_bytes(broken)
    code, out, err = _ingest(cli, tmp_path / "arc", "--jobs", "2", str(folder))
    assert code == 1
    assert "m-broken.txt" in err and "binary" in err and "Traceback" not in err
    good = len(list((SAMPLES / "archive-pages").iterdir()))
    assert f"{good + 1} files, " in out and "1 failed" in out
    archive = Archive.open(tmp_path / "arc")
    names = [r["name"] for r in archive.store.conn.execute("SELECT name FROM sources")]
    assert len(names) == good and "m-broken.txt" not in names
    assert archive.index.num_docs() == archive.store.count()


def test_reingest_changes_nothing_and_extracts_nothing(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "arc"
    assert _ingest(cli, root, "--jobs", "2", str(SAMPLES))[0] == 0
    before = snapshot(Archive.open(root))
    stamps = list(Archive.open(root).store.conn.execute("SELECT ingested_at FROM sources"))
    originals = sorted(p.name for p in (root / "originals").rglob("*") if p.is_file())

    def no_extraction(*args: object) -> None:
        raise AssertionError("a stored file was extracted again")

    monkeypatch.setattr(cablegram.ingest, "extract_source", no_extraction)
    files = len(list(collect_files([SAMPLES])))
    for jobs in ("1", "2"):
        code, out, err = _ingest(cli, root, "--jobs", jobs, str(SAMPLES))
        assert code == 0 and f"{files} files, 0 documents (0 fragments), 0 failed, " \
            f"{files} unchanged" in out
        assert err.count("unchanged: ") == files
        assert re.search(rf"^{files} files checked in [\d.]+ s; nothing new to store$", out, re.M)
    archive = Archive.open(root)
    assert snapshot(archive) == before
    assert list(archive.store.conn.execute("SELECT ingested_at FROM sources")) == stamps
    assert sorted(p.name for p in (root / "originals").rglob("*") if p.is_file()) == originals


def test_same_bytes_twice_in_one_run(empty_archive: Archive, tmp_path: Path, pool: None
                                     ) -> None:
    spring = SAMPLES / "compilation" / "bulletin-1951-spring.txt"
    twin = tmp_path / "twin.txt"
    twin.write_bytes(spring.read_bytes())
    other = SAMPLES / "archive-pages" / "cable-enclosing-letter.txt"
    results = list(empty_archive.ingest([(spring, "a"), (twin, "b"), (other, "a")], jobs=2))
    assert [r.status for r in results] == ["added", "unchanged", "added"]
    assert [r.path for r in results] == [spring, twin, other]
    assert empty_archive.store.stats()["sources"] == 2
    assert empty_archive.index.num_docs() == empty_archive.store.count() == 7


def _counts(archive: Archive) -> dict[str, int]:
    return {r["name"]: r["n"] for r in archive.store.conn.execute(
        "SELECT s.name, count(d.id) AS n FROM sources s LEFT JOIN documents d"
        " ON d.source_id = s.id GROUP BY s.id")}


def test_an_interrupted_batch_leaves_no_half_written_source(
        empty_archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = list(collect_files([SAMPLES]))
    full = build_reference(tmp_path / "ref", files)
    monkeypatch.setattr(cablegram.ingest, "BATCH_DOCUMENTS", 6)  # several batches
    calls = {"n": 0}
    original = Store._insert_documents

    def failing(self: Store, *args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == len(files) // 2:  # mid-batch, mid-file (its source row written, not its
            raise KeyboardInterrupt  # documents): as if Ctrl+C were pressed
        original(self, *args)

    monkeypatch.setattr(Store, "_insert_documents", failing)
    reported = []
    with pytest.raises(KeyboardInterrupt):
        for result in empty_archive.ingest(files, jobs=1):
            reported.append(result.path.name)
    stored = _counts(empty_archive)
    assert 0 < len(stored) < len(files)
    assert all(stored[name] == full[name] for name in stored)  # each source whole
    assert set(stored) == {n for n in reported if n in full}  # the reported ones, no more
    assert empty_archive.index.num_docs() == empty_archive.store.count()
    assert Archive.open(empty_archive.root).reconcile() is False
    monkeypatch.setattr(Store, "_insert_documents", original)
    assert all(r.status != "failed" for r in empty_archive.ingest(files, jobs=2))
    assert _counts(empty_archive) == full
    assert empty_archive.index.num_docs() == empty_archive.store.count()


def build_reference(root: Path, files: list[tuple[Path, str]]) -> dict[str, int]:
    """Documents per source name of an archive of `files`, ingested without interruption."""
    archive = Archive.create(root)
    for result in archive.ingest(files):
        assert result.status == "added"
    return _counts(archive)


def test_ctrl_c_in_the_cli_exits_130_and_says_what_was_kept(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cli("init", str(tmp_path / "arc"))

    def interrupted(self: Store, *args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "_insert_documents", interrupted)
    code, _, err = _ingest(cli, tmp_path / "arc", "--jobs", "1", str(SAMPLES / "compilation"))
    assert code == 130 and "rolled back" in err and "Traceback" not in err
    archive = Archive.open(tmp_path / "arc")
    assert archive.store.stats()["sources"] == 0 and archive.index.num_docs() == 0


def test_a_file_the_database_refuses_is_dropped_alone(
        empty_archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    files = list(collect_files([SAMPLES / "compilation", SAMPLES / "archive-pages"]))
    refused = files[1][0]
    original = Store._insert_documents

    def clashing(self: Store, source_id: int, rows: Any) -> None:
        name = self.conn.execute("SELECT name FROM sources WHERE id=?", (source_id,)).fetchone()
        if name[0] == refused.name:
            raise sqlite3.IntegrityError("UNIQUE constraint failed: documents.id")
        original(self, source_id, rows)

    monkeypatch.setattr(Store, "_insert_documents", clashing)
    results = list(empty_archive.ingest(files, jobs=1))
    assert [r.status for r in results].count("failed") == 1
    failed = next(r for r in results if r.status == "failed")
    assert failed.path == refused and "UNIQUE" in str(failed.error)
    assert refused.name not in _counts(empty_archive)
    assert len(_counts(empty_archive)) == len(files) - 1
    assert empty_archive.index.num_docs() == empty_archive.store.count()


def test_an_export_among_files_is_restored_between_batches(
        sample_archive: Archive, tmp_path: Path, pool: None) -> None:
    export = tmp_path / "archive.jsonl"
    export.write_text(sample_archive.export("jsonl", ids=[
        sample_archive.store.document_ids()[0]])[1], encoding="utf-8")
    target = Archive.create(tmp_path / "arc")
    other = SAMPLES / "translations" / "translation-a-1950-10-05.txt"
    spring = SAMPLES / "compilation" / "bulletin-1951-spring.txt"
    results = list(target.ingest([(spring, "c"), (export, "x"), (other, "t")], jobs=2))
    assert [r.status for r in results] == ["added", "added", "added"]
    assert target.index.num_docs() == target.store.count()
    assert sample_archive.store.document_ids()[0] in target.store.document_ids()


def test_a_small_input_starts_no_worker_process(
        empty_archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cablegram.ingest.multiprocessing, "get_context", _not_here)
    files = list(collect_files([SAMPLES]))
    assert all(r.status == "added" for r in empty_archive.ingest(files, jobs=2))
    assert empty_archive.index.num_docs() == empty_archive.store.count() > 30


def test_a_second_writer_is_refused_with_a_message(empty_archive: Archive) -> None:
    other = Archive(empty_archive.root)
    with other.index.writing(), pytest.raises(ArchiveError, match="another process"):
        empty_archive.ingest_file(SAMPLES / "compilation" / "bulletin-1951-spring.txt", "c")
    assert empty_archive.store.stats()["sources"] == 0


def test_files_are_found_in_sorted_order_one_folder_at_a_time(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    for rel in ("b/x.txt", "a/z/1.txt", "a/y.html", "a-b.txt", "a/notes.md", "c.xml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    os.symlink(root / "a", root / "link-to-a")  # a link to a folder is not followed
    expected = sorted(p for p in root.rglob("*") if p.is_file() and is_supported(p))
    found = list(collect_files([root]))
    assert [f for f, _ in found] == expected
    assert [c for _, c in found] == ["a", "a", "tree", "b", "tree"]
    assert [f for f, _ in collect_files([SAMPLES])] == sorted(
        p for p in SAMPLES.rglob("*") if p.is_file() and is_supported(p))
