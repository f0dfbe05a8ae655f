"""The command line: each command, its output and its exit code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cablegram.pipeline import collect_files
from tests.conftest import SAMPLES, corpus_file, run_cli


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CABLEGRAM_ARCHIVE", str(tmp_path / "arc"))
    monkeypatch.setenv("COLUMNS", "200")
    return lambda *a: run_cli(capsys, monkeypatch, *a)


def test_init_ingest_search_show(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init")[0] == 0
    files = len(list(collect_files([SAMPLES])))
    code, out, _ = cli("ingest", str(SAMPLES))
    assert code == 0
    summary = re.search(rf"\b{files} files, (\d+) documents \(\d+ fragments\), 0 failed", out)
    assert summary
    code, out, _ = cli("ingest", str(SAMPLES))
    assert code == 0 and f"{files} unchanged" in out
    code, out, _ = cli("search", "armistice", "--limit", "2")
    assert code == 0 and "match armistice" in out
    code, out, _ = cli("search", "armistice", "--json")
    hit = json.loads(out)["hits"][0]
    code, out, _ = cli("show", hit["id"])
    assert code == 0 and hit["title"] in out and "Source:" in out.replace("  ", "")
    code, out, _ = cli("show", hit["id"], "--json")
    assert json.loads(out)["id"] == hit["id"]
    code, out, _ = cli("reindex")
    assert code == 0 and f"Reindexed {summary.group(1)} documents" in out


def test_failing_file_in_a_batch(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00broken")
    code, out, err = cli("ingest", str(bad), str(SAMPLES / "compilation"))
    assert code == 1
    assert "bad.txt" in err and "Traceback" not in err
    assert "3 files, 17 documents" in out and "1 failed" in out


def test_user_errors_exit_2_without_traceback(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("search", "anything")
    assert code == 2 and "cablegram init" in err and "Traceback" not in err
    cli("init")
    code, _, err = cli("search", '"unclosed')
    assert code == 2 and "closing" in err
    code, _, err = cli("show", "nope-1")
    assert code == 2 and "No document" in err
    code, _, err = cli("init")
    assert code == 2 and "exists" in err


def test_extract_formats(cli) -> None:  # type: ignore[no-untyped-def]
    path = str(SAMPLES / "compilation" / "bulletin-1951-spring.txt")
    code, out, _ = cli("extract", path)
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(lines) == 5
    keys = {"source", "start_line", "end_line", "fragments", "fragment", "number", "title",
            "type", "date", "date_precision", "date_source", "sent", "received", "authors",
            "recipients", "via", "for", "copies_to", "people", "places", "organizations",
            "refs", "handling", "enclosures", "page", "warnings"}
    assert all(keys <= set(d) for d in lines)
    code, out, _ = cli("extract", path, "--format", "json")
    assert len(json.loads(out)) == 5
    code, out, _ = cli("extract", path, "--format", "table")
    assert code == 0 and "1951-04-02" in out
    code, _, err = cli("extract", path, "--format", "xml")
    assert code != 0 and "jsonl" in err


def test_help_shows_examples(cli) -> None:  # type: ignore[no-untyped-def]
    for command in ("init", "ingest", "extract", "search", "show", "serve", "reindex"):
        code, out, _ = cli(command, "--help")
        assert code == 0 and "Example" in out, command


def test_eval_prints_a_table(cli) -> None:  # type: ignore[no-untyped-def]
    corpus = corpus_file("seeds", "gold.json").parent.parent
    code, out, _ = cli("eval", str(corpus))
    assert code == 0 and "boundary F1" in out and "000_a790091c08e338fb.txt" in out
    code, out, _ = cli("eval", str(corpus), "--json")
    assert json.loads(out)[-1]["gold"] == "all"
    code, _, err = cli("eval", "/nonexistent")
    assert code != 0 and "no such folder" in err


def test_authority_check(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("authority", "check")
    assert code == 0 and "people" in out and "0 problems" in out
    bad = tmp_path / "people.yaml"
    bad.write_text("- id: x\n  name: X\n  offices:\n    - {title: T, from: 1952, to: 1950}\n")
    code, _, err = cli("authority", "check", "--authority", str(bad))
    assert code == 1 and "people.yaml" in err and "1950" in err
