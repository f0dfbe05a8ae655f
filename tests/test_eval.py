"""`cablegram eval`: the scorer itself, and the figures on the seeds."""

from __future__ import annotations

from cablegram.eval import _boundaries, evaluate, rewrap_book, total
from tests.conftest import corpus_file


def test_boundaries_allow_one_line() -> None:
    assert _boundaries([1, 35, 80], [1, 34, 76]) == {
        "boundary P": 2 / 3, "boundary R": 2 / 3, "boundary F1": 2 / 3}
    assert _boundaries([], [1])["boundary F1"] == 0.0


def test_rewrap_inserts_running_heads_and_maps_lines() -> None:
    text = "\n".join(f"{n}." if n % 10 == 1 else "word " * 40 for n in range(1, 101))
    wrapped, first = rewrap_book(text)
    lines = wrapped.split("\n")
    heads = [x for x in lines if "FOREIGN RELATIONS" in x or x.startswith("CHINA  ")]
    assert len(heads) == len(lines) // 46
    assert max(len(x) for x in lines if x.startswith("word")) <= 75
    for n in range(1, 101, 10):
        assert lines[first[n] - 1] == f"{n}."


def test_seed_figures() -> None:
    corpus = corpus_file("seeds", "gold.json").parent.parent
    scores = [s for s in evaluate(corpus) if s.name.startswith(("000_", "003_"))]
    assert len(scores) == 2
    for s in scores:
        assert s.values["boundary F1"] == 1.0
        assert s.values["date"] == 1.0
        assert s.values["not-in-text output"] == 0
    overall = total(scores)
    assert overall.values["recipient"] == 1.0 and overall.values["refs recall"] == 1.0
    assert overall.values["people P"] == 1.0 and overall.values["people R"] == 1.0


def test_targets_on_every_gold_set() -> None:
    corpus = corpus_file("frus").parent
    scores = evaluate(corpus)
    assert any("re-wrapped" in s.name for s in scores)
    for s in scores:
        v = s.values
        assert v["boundary F1"] is not None and v["boundary F1"] >= 0.97, s.name
        assert v["date"] is None or v["date"] >= 0.97, s.name
        assert v["recipient"] is None or v["recipient"] >= 0.95, s.name
        assert v["not-in-text output"] == 0, s.name
    overall = total(scores).values
    assert overall["author"] is not None and overall["author"] >= 0.95
