"""bench/corpus.py: the synthetic collections and their gold, on a collection of ~200."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cablegram.eval import evaluate
from cablegram.pipeline import extract_file
from cablegram.readers import read_source

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402  (bench/ is not a package; its modules import each other)

SUFFIXES = {"bulletins": ".txt", "foreign-relations": ".txt", "tei-volumes": ".xml",
            "archive-pages": ".txt", "archive-html": ".html", "printed-pdf": ".pdf"}


def _files(root: Path) -> dict[str, bytes]:
    """Every file under `root` but the manifest (which holds timings), by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def _gold(root: Path) -> list[tuple[Path, dict]]:
    """(file, its gold) for every line of every gold.jsonl."""
    return [(g.parent / part["file"], part) for g in sorted(root.rglob("gold.jsonl"))
            for part in map(json.loads, g.read_text("utf-8").splitlines())]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collection of about 200 documents, seed 1, made in one process."""
    out = tmp_path_factory.mktemp("corpus") / "seed1"
    corpus.generate(200, 1, out, jobs=1, quiet=True)
    return out


def test_same_seed_same_bytes_other_seed_other_bytes(made: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    corpus.generate(200, 1, again, jobs=2, quiet=True)
    corpus.generate(200, 2, other, jobs=1, quiet=True)
    first = _files(made)
    assert first == _files(again)
    assert first.keys() and first != _files(other)
    differ = [k for k in first if _files(other).get(k) != first[k]]
    assert len(differ) > len(first) // 2


def test_every_format_and_the_manifest(made: Path) -> None:
    for collection, suffix in SUFFIXES.items():
        files = [p for p in (made / collection).rglob(f"*{suffix}")]
        assert files, collection
        assert (made / collection / "gold.jsonl").stat().st_size > 0
    assert list((made / "printed-pdf").glob("*.pdf"))[0].read_bytes().startswith(b"%PDF")
    manifest = json.loads((made / "manifest.json").read_text("utf-8"))
    assert 195 <= manifest["documents"] <= 230
    assert manifest["documents"] == sum(len(g["documents"]) for _, g in _gold(made))
    assert set(manifest["collections"]) == set(SUFFIXES)


def test_gold_lines_lie_inside_the_files(made: Path) -> None:
    for path, gold in _gold(made):
        lines = read_source(path.name, path.read_bytes()).text.split("\n")
        starts = [d["lines"][0] for d in gold["documents"]]
        assert starts == sorted(starts) or gold["format"] == "page", path
        for d in gold["documents"]:
            first, last = d["lines"]
            assert 1 <= first <= last <= len(lines), (path, d["lines"])
            assert lines[first - 1].strip(), (path, first)
            for ref in d["refs"]:
                value = ref["value"].split("/")[0]
                assert first <= ref["line"] <= last and value in lines[ref["line"] - 1]


def test_gold_names_authority_people_and_keeps_invented_ones_apart(made: Path) -> None:
    from cablegram.authority.lookup import default_authority

    names = {r.name for r in default_authority().records.values()}
    mentioned = [p["name"] for _, g in _gold(made) for d in g["documents"]
                 for p in d["people_mentioned"]]
    assert mentioned and set(mentioned) <= names
    unlinked = {a["name"] for _, g in _gold(made) for d in g["documents"]
                for a in d["authors"] + d.get("recipients", []) if a["name"] not in names}
    assert unlinked  # invented correspondents: the authority cannot link them


def test_extract_finds_the_gold_document_starts(made: Path) -> None:
    seen = set()
    for path, gold in _gold(made):
        found = [d.start_line for d in extract_file(path)]
        found += [e.start_line for d in extract_file(path) for e in d.enclosures]
        for d in gold["documents"]:
            assert any(abs(f - d["lines"][0]) <= 1 for f in found), (path, d["lines"])
        seen.add(gold["format"])
    assert seen == {"compilation", "book", "tei", "page", "html", "pdf"}


def test_eval_scores_the_collections(made: Path) -> None:
    scores = {s.name.split(" ")[0]: s for s in evaluate(made)}
    assert set(scores) == set(SUFFIXES)
    for name, s in scores.items():
        assert s.values["boundary F1"] == 1.0, name
        assert s.values["date"] is not None and s.values["date"] >= 0.97, name
        assert s.values["not-in-text output"] == 0, name
    assert sum(s.documents for s in scores.values()) == json.loads(
        (made / "manifest.json").read_text("utf-8"))["documents"]
