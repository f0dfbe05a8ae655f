"""JSONL export: lossless; ingest of an export rebuilds the archive byte for byte."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from cablegram.archive import Archive
from cablegram.errors import InputError
from tests.conftest import SAMPLES, build_archive, corpus_file

# A source written for these tests: CRLF line ends, a Unicode line separator, quotes,
# commas, braces, markup, spreadsheet formulas and LaTeX specials.
HOSTILE = (
    'October 5, 1950\r\n'
    'Telegram No. 77, Shtykov to Vyshinsky, on "Quotes", Commas, {Braces} and '
    '<script>alert(1)</script>\r\n'
    'TELEGRAM Nº 77\r\n'
    'from PYONGYANG sent at 1630 5 October 1950\r\n'
    'to Cde. VYSHINSKY\r\n'
    'A line with =SUM(A1:A9), a tab\there, a brace } and a backslash \\ and 50% & #1 $5 ~ ^ _x.\r\n'
    'Line separator\u2028inside and <b>bold</b> "quoted, with comma".\r\n'
    'SHTYKOV\r\n'
    'Nº 208\r\n'
).encode("utf-8")


def hostile_file(folder: Path) -> Path:
    """Write the hostile source into `folder/hostile/` and return its path."""
    path = folder / "hostile" / "hostile-telegram.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(HOSTILE)
    return path


def table_rows(archive: Archive) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the store's tables, in a stable order (row ids of sources left out)."""
    conn = sqlite3.connect(archive.root / "cablegram.sqlite")
    out = {
        "sources": conn.execute("SELECT sha256, name, path, media_type, size, reader,"
                                " collection, ingested_at FROM sources ORDER BY id").fetchall(),
        "documents": conn.execute("SELECT id, seq, parent_id, start_line, end_line, number,"
                                  " title, type, date, date_precision, sent, received,"
                                  " fragment, text, data FROM documents ORDER BY id").fetchall(),
        "roles": conn.execute("SELECT * FROM roles ORDER BY 1, 2, 3, 4, 6").fetchall(),
        "refs": conn.execute("SELECT * FROM refs ORDER BY 1, 2, 3").fetchall(),
    }
    conn.close()
    return out


def round_trip(source: Archive, tmp_path: Path) -> tuple[str, Archive, str]:
    """Export `source`, ingest the export into a new archive, export that again."""
    _, first = source.export("jsonl")
    path = tmp_path / "export.jsonl"
    path.write_text(first, encoding="utf-8", newline="")
    target = Archive.create(tmp_path / "restored")
    result = target.ingest_file(path, "ignored")
    assert result.status == "added"
    assert result.documents == source.store.count()
    _, second = target.export("jsonl")
    return first, target, second


def test_samples_round_trip_byte_for_byte(sample_archive: Archive, tmp_path: Path) -> None:
    first, restored, second = round_trip(sample_archive, tmp_path)
    assert second == first
    assert table_rows(restored) == table_rows(sample_archive)
    assert restored.index.num_docs() == sample_archive.store.count()
    for query in ("volunteers", '"air cover"', "Stalin"):
        ids = {h["id"] for h in sample_archive.search(query, limit=50)["hits"]}
        assert ids and {h["id"] for h in restored.search(query, limit=50)["hits"]} == ids
    some = sample_archive.document(sample_archive.store.document_ids()[3])
    assert restored.document(some["id"]) == some  # relations are derived the same way


def test_one_line_per_source_with_the_original_bytes(sample_archive: Archive) -> None:
    _, body = sample_archive.export("jsonl")
    lines = body.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == sample_archive.store.stats()["sources"]
    spring = (SAMPLES / "compilation" / "bulletin-1951-spring.txt").read_bytes()
    objs = [json.loads(line) for line in lines[:-1]]
    line = next(o for o in objs if o["source"]["name"] == "bulletin-1951-spring.txt")
    assert line["format"] == "cablegram-archive" and line["version"] == 1
    assert base64.b64decode(line["original"]) == spring
    assert set(line["source"]) == {"sha256", "name", "path", "media_type", "size", "reader",
                                   "collection", "ingested_at"}
    doc = line["documents"][0]
    assert doc["id"] == line["source"]["sha256"][:12] + "-1"
    for key in ("title", "date", "authors", "refs", "text", "start_line", "parent_id"):
        assert key in doc
    assert "relations" not in doc and "source_file" not in doc


def test_hostile_text_round_trips(tmp_path: Path) -> None:
    source = build_archive(tmp_path / "hostile-archive", [hostile_file(tmp_path)])
    first, restored, second = round_trip(source, tmp_path)
    assert second == first
    assert len(first.split("\n")) == 2  # the line separator stays inside its JSON string
    assert "\u2028" in first and "<script>" in first
    sha = table_rows(source)["sources"][0][0]
    assert restored.original_path(str(sha)).read_bytes() == HOSTILE
    assert table_rows(restored) == table_rows(source)


def test_seed_corpus_round_trips(tmp_path: Path) -> None:
    files = [corpus_file("seeds", "000_a790091c08e338fb.txt"),
             corpus_file("seeds", "003_605de661ff9593b6.txt"),
             corpus_file("frus", "frus1951v07p2-d171-d199.txt")]
    source = build_archive(tmp_path / "seeds", files)
    first, restored, second = round_trip(source, tmp_path)
    assert second == first
    assert table_rows(restored) == table_rows(source)


def test_ingesting_an_export_twice_changes_nothing(sample_archive: Archive,
                                                   tmp_path: Path) -> None:
    _, restored, _ = round_trip(sample_archive, tmp_path)
    before = table_rows(restored)
    assert restored.ingest_file(tmp_path / "export.jsonl", "x").status == "unchanged"
    assert table_rows(restored) == before


def test_a_query_exports_only_its_documents(sample_archive: Archive, tmp_path: Path) -> None:
    _, body = sample_archive.export("jsonl", query='"air cover"')
    wanted = {h["id"] for h in sample_archive.search('"air cover"', limit=50)["hits"]}
    found = {d["id"] for line in body.splitlines() for d in json.loads(line)["documents"]}
    assert found == wanted
    path = tmp_path / "part.jsonl"
    path.write_text(body, encoding="utf-8")
    target = Archive.create(tmp_path / "part")
    target.ingest_file(path, "x")
    assert set(target.store.document_ids()) == wanted


def test_an_enclosure_without_its_cable_loses_only_the_link(sample_archive: Archive,
                                                            tmp_path: Path) -> None:
    enclosure = next(i for i in sample_archive.store.document_ids()
                     if sample_archive.document(i)["parent_id"])
    _, body = sample_archive.export("jsonl", ids=[enclosure])
    path = tmp_path / "one.jsonl"
    path.write_text(body, encoding="utf-8")
    target = Archive.create(tmp_path / "one")
    target.ingest_file(path, "x")
    restored = target.document(enclosure)
    assert restored["parent_id"] is None
    assert restored["text"] == sample_archive.document(enclosure)["text"]


def _export_lines(sample_archive: Archive) -> list[str]:
    """The sample export, one string per line."""
    return sample_archive.export("jsonl")[1].splitlines()


@pytest.mark.parametrize(("damage", "message"), [
    (lambda lines: ['{"name": "not ours"}'], r"line 1: not a Cablegram export"),
    (lambda lines: ["[1, 2, 3]"], r"line 1: not a Cablegram export"),
    (lambda lines: [lines[0], lines[1][:200]], r"line 2: not valid JSON"),
    (lambda lines: [lines[0], lines[1].replace('"version":1', '"version":9')],
     r"line 2: export version 9"),
    (lambda lines: [lines[0], lines[0]], r"line 2: document id \S+ is also on line 1"),
    (lambda lines: [lines[0], lines[1].replace('"original":"', '"original":"QUJD')],
     r"line 2: the original bytes do not match"),
    (lambda lines: [lines[0], lines[1].replace('"original":"', '"original":"*')],
     r"line 2: 'original' is not valid base64"),
    (lambda lines: [lines[0], lines[1].replace('"as_written":', '"written":', 1)],
     r"line 2: document \S+ is not a stored document"),
    (lambda lines: [lines[0], lines[1].replace('"size":', '"size":"x","_":', 1)],
     r"line 2: source.size is missing or not a number"),
])
def test_a_damaged_or_foreign_file_is_refused_whole(sample_archive: Archive, tmp_path: Path,
                                                    damage: Callable[[list[str]], list[str]],
                                                    message: str) -> None:
    lines = damage(_export_lines(sample_archive))
    path = tmp_path / "damaged.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = Archive.create(tmp_path / "target")
    with pytest.raises(InputError, match=r"damaged\.jsonl, " + message) as info:
        target.ingest_file(path, "x")
    assert "Nothing was ingested" in str(info.value)
    assert target.store.stats() == {"sources": 0, "documents": 0, "fragments": 0}
    assert target.index.num_docs() == 0
    assert not [f for f in (target.root / "originals").rglob("*") if f.is_file()]


def test_a_clash_with_documents_already_stored_writes_nothing(
        sample_archive: Archive, tmp_path: Path) -> None:
    lines = _export_lines(sample_archive)
    obj = json.loads(lines[0])
    target = Archive.create(tmp_path / "target")
    target.ingest_file(SAMPLES / "compilation" / "bulletin-1951-spring.txt", "compilation")
    spring = target.store.document_ids()[0]
    obj["documents"][0]["id"] = spring  # another source's document id
    path = tmp_path / "clash.jsonl"
    path.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"clash.jsonl: document {spring} is in this archive"):
        target.ingest_file(path, "x")
    assert target.store.stats()["sources"] == 1


def test_cli_export_then_ingest(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch,
                                sample_archive: Archive) -> None:
    from tests.conftest import run_cli

    out = tmp_path / "all.jsonl"
    code, _, err = run_cli(capsys, monkeypatch, "export", "--archive", str(sample_archive.root),
                       "--format", "jsonl", "--out", str(out))
    assert code == 0 and f"Wrote {out} (jsonl" in err
    assert run_cli(capsys, monkeypatch, "init", str(tmp_path / "new"))[0] == 0
    code, stdout, _ = run_cli(capsys, monkeypatch, "ingest", "--archive", str(tmp_path / "new"),
                          str(out))
    assert code == 0 and f"1 files, {sample_archive.store.count()} documents" in stdout
    code, again, _ = run_cli(capsys, monkeypatch, "export", "--archive", str(tmp_path / "new"),
                         "--format", "jsonl")
    assert code == 0 and again == out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"rows": 1}\n', encoding="utf-8")
    code, _, err = run_cli(capsys, monkeypatch, "ingest", "--archive", str(tmp_path / "new"),
                       str(bad))
    assert code == 1 and "bad.jsonl, line 1: not a Cablegram export" in err
    assert "Traceback" not in err
