"""Evaluation: score the pipeline against gold readings (seeds/gold.json, frus/*.gold.jsonl)."""

from __future__ import annotations

import json
import random
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cablegram.authority.lookup import Authority, default_authority
from cablegram.model import SourceText
from cablegram.pipeline import extract_source
from cablegram.readers import read_source
from cablegram.readers.text import read_text

GOLD_SET = "gold.jsonl"  # a collection's gold: one line per file, seeds' shape plus "file"
HEAD_EVERY = 46  # a running head every ~46 lines, as on a printed page
METRICS = ("boundary P", "boundary R", "boundary F1", "date", "author", "recipient", "via",
           "refs recall", "people P", "people R", "not-in-text output")


@dataclass
class Tally:
    """Counts of right answers over attempts, per metric."""

    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)

    def add(self, metric: str, ok: bool, n: int = 1) -> None:
        """Record `n` attempts at a metric, all right or all wrong."""
        self.total[metric] = self.total.get(metric, 0) + n
        self.right[metric] = self.right.get(metric, 0) + (n if ok else 0)

    def rate(self, metric: str) -> float | None:
        """Share right, or None when nothing was attempted."""
        total = self.total.get(metric, 0)
        return self.right.get(metric, 0) / total if total else None


@dataclass
class Score:
    """The scores of one gold set."""

    name: str
    documents: int
    values: dict[str, float | int | None]


def _boundaries(found: list[int], gold: list[int]) -> dict[str, float | None]:
    """Precision, recall and F1 of document starts (±1 line)."""
    matched = sum(1 for g in gold if any(abs(f - g) <= 1 for f in found))
    precise = sum(1 for f in found if any(abs(f - g) <= 1 for g in gold))
    p = precise / len(found) if found else None
    r = matched / len(gold) if gold else None
    f1 = 2 * p * r / (p + r) if p and r else 0.0
    return {"boundary P": p, "boundary R": r, "boundary F1": f1}


def _match(docs: list[dict[str, Any]], start: int) -> dict[str, Any] | None:
    """The found document starting within one line of `start`."""
    return next((d for d in docs if abs(d["start_line"] - start) <= 1), None)


def _names(doc: dict[str, Any], key: str) -> set[str]:
    """Linked names (or words as written when unlinked) in one role."""
    return {m["name"] or m["as_written"] for m in doc.get(key, [])}


def _flat(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents and their enclosures, in reading order."""
    out = []
    for d in docs:
        out += [d, *_flat(d["enclosures"])]
    return out


def _score_roles(t: Tally, gold: dict[str, Any], doc: dict[str, Any]) -> None:
    """Authors, recipients and via: right when the linked names are exactly the gold's."""
    for key, metric in (("authors", "author"), ("recipients", "recipient"), ("via", "via")):
        stated = {g["name"] for g in gold.get(key, []) if g.get("in_text") is not False}
        unstated = {g["name"] for g in gold.get(key, []) if g.get("in_text") is False}
        if stated:
            t.add(metric, stated == _names(doc, key) - unstated)
        wrong = len(unstated & _names(doc, key))
        if wrong:
            t.add("not-in-text output", False, wrong)


def _score_seed_doc(t: Tally, gold: dict[str, Any], doc: dict[str, Any],
                    known: set[str]) -> None:
    """Score one matched seed document (`known`: every person the gold file names)."""
    if gold["date"]["in_text"] is True:
        t.add("date", doc["date"] == gold["date"]["value"])
    elif doc["date"] is not None:
        t.add("not-in-text output", False)
    if gold.get("type", {}).get("in_text") is False and doc["type"] is not None:
        t.add("not-in-text output", False)
    _score_roles(t, gold, doc)
    found = {(r["value"].replace("Nº", "No."), r["role"]) for r in doc["refs"]}
    for ref in gold.get("refs", []):
        t.add("refs recall", (ref["value"].replace("Nº", "No."), ref["role"]) in found)
    people = {p["name"] for p in gold.get("people_mentioned", [])}
    ours = {m["name"] for m in doc["people"] if m["id"]}
    for name in people:
        t.add("people R", any(_same_person(name, o) for o in ours))
    copies = " ".join(gold.get("copies", {}).get("to", []))
    for m in doc["people"]:
        if m["id"]:
            t.add("people P", any(_same_person(g, m["name"]) for g in known)
                  or m["as_written"].split()[0].title() in copies)


def _same_person(gold_name: str, name: str) -> bool:
    """Whether a gold name and a linked name agree (`Vasiliev` ~ `Nikolai Vasiliev`)."""
    return gold_name == name or name.endswith(" " + gold_name) or gold_name.endswith(" " + name)


def _tally_file(src: SourceText, gold: dict[str, Any], authority: Authority,
                people: Iterable[str], t: Tally) -> tuple[list[int], list[int]]:
    """Score one file's documents into `t`; return the found and the gold start lines."""
    docs = _flat([d.to_contract() for d in extract_source(src, authority)])
    starts = [g["lines"][0] for g in gold["documents"]]
    known = set(people)
    for g in gold["documents"]:
        known |= {p["name"] for p in g.get("people_mentioned", [])}
        known |= {p["name"] for k in ("authors", "recipients", "via", "for") for p in g.get(k, [])}
    for g in gold["documents"]:
        doc = _match(docs, g["lines"][0])
        if doc is not None:
            _score_seed_doc(t, g, doc, known)
    return [d["start_line"] for d in docs], starts


def score_seed_file(path: Path, gold: dict[str, Any], authority: Authority,
                    people: Iterable[str] = ()) -> Score:
    """Score one seed file against its part of gold.json (`people`: the gold's people list)."""
    t = Tally()
    found, starts = _tally_file(_read(path), gold, authority, people, t)
    return _score(path.name, found, starts, t)


def score_gold_set(gold_file: Path, authority: Authority, name: str | None = None) -> Score:
    """Score a collection against its gold.jsonl, file by file (never all in memory): each
    line is one file's gold in the seeds' shape plus `file`, its path from the gold's folder.
    Boundaries are counted over all the files, then rated."""
    t = Tally()
    files = documents = 0
    with gold_file.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            part = json.loads(line)
            path = gold_file.parent / part["file"]
            found, starts = _tally_file(read_source(path.name, path.read_bytes()), part,
                                        authority, (), t)
            _count_boundaries(t, found, starts)
            files, documents = files + 1, documents + len(starts)
    return _score(f"{name or gold_file.parent.name} ({files} files)", [], [], t, documents)


def _count_boundaries(t: Tally, found: list[int], gold: list[int]) -> None:
    """Add one file's document starts to `t`: found ones near a gold one (P), gold ones
    found (R), within one line."""
    precise = sum(1 for f in found if any(abs(f - g) <= 1 for g in gold))
    matched = sum(1 for g in gold if any(abs(f - g) <= 1 for f in found))
    t.add("boundary P", True, precise)
    t.add("boundary P", False, len(found) - precise)
    t.add("boundary R", True, matched)
    t.add("boundary R", False, len(gold) - matched)


def _score(name: str, found: list[int], starts: list[int], t: Tally,
           documents: int | None = None) -> Score:
    """Combine boundary figures (of `found` against `starts`, or counted in `t`) with the
    tallies."""
    values: dict[str, float | int | None] = dict(_boundaries(found, starts))
    if "boundary P" in t.total:
        p, r = t.rate("boundary P"), t.rate("boundary R")
        values = {"boundary P": p, "boundary R": r,
                  "boundary F1": 2 * p * r / (p + r) if p and r else 0.0}
    for metric in METRICS[3:-1]:
        values[metric] = t.rate(metric)
    values["not-in-text output"] = t.total.get("not-in-text output", 0)
    return Score(name, len(starts) if documents is None else documents, values)


def _read(path: Path) -> SourceText:
    """Read a corpus text file."""
    return read_text(path.name, path.read_bytes())


def _line_of(text: str, offset: int) -> int:
    """1-based line of a character offset."""
    return text.count("\n", 0, offset) + 1


def score_book(name: str, src: SourceText, gold: list[dict[str, Any]], starts: list[int],
               authority: Authority) -> Score:
    """Score a FRUS-style book (text or TEI) against its gold (starts: gold start line of
    each document in the text as read)."""
    docs = [d.to_contract() for d in extract_source(src, authority)]
    t = Tally()
    for g, start in zip(gold, starts, strict=True):
        doc = _match(docs, start)
        if doc is None:
            continue
        if g["date"]:
            t.add("date", doc["date"] == g["date"][:10])
        senders = [p["text"] for p in g["persNames"] if p["type"] == "from"]
        if senders:
            t.add("author", any(s in m["as_written"] for s in senders for m in doc["authors"]))
        receivers = [p["text"] for p in g["from_to_glosses"] if p["type"] == "to"]
        if receivers:
            t.add("recipient", any(r in m["as_written"] for r in receivers
                                   for m in doc["recipients"]))
        if g["source_note"]:
            file_no = g["source_note"].split(":")[0].strip()
            t.add("refs recall", any(r["value"] == file_no for r in doc["refs"]))
    return _score(name, [d["start_line"] for d in docs], starts, t)


def rewrap_book(text: str, seed: int = 1951) -> tuple[str, dict[int, int]]:
    """Re-wrap a book at 60–75 columns with running heads every ~46 lines.

    Returns the new text and a map from each original line to its first new line.
    """
    rng = random.Random(seed)
    out: list[str] = []
    first: dict[int, int] = {}
    page = 1802
    for number, line in enumerate(text.split("\n"), start=1):
        first[number] = len(out) + 1
        parts = textwrap.wrap(line, width=rng.randint(60, 75)) if len(line) > 75 else [line]
        for part in parts or [""]:
            if len(out) % HEAD_EVERY == HEAD_EVERY - 1:
                out.append(f"{page}  FOREIGN RELATIONS, 1951, VOLUME VII" if page % 2 == 0
                           else f"CHINA  {page}")
                page += 1
            out.append(part)
    return "\n".join(out), first


def evaluate(corpus: Path, authority: Authority | None = None) -> list[Score]:
    """Score every gold set found under `corpus`: seeds/gold.json, frus/*.gold.jsonl, and
    each collection's gold.jsonl (as bench/corpus.py writes them) anywhere below it."""
    authority = authority or default_authority()
    scores: list[Score] = []
    gold_path = corpus / "seeds" / "gold.json"
    if gold_path.exists():
        gold = json.loads(gold_path.read_text("utf-8"))
        for name, part in gold.items():
            seed = corpus / "seeds" / name
            if isinstance(part, dict) and "documents" in part and seed.exists():
                scores.append(score_seed_file(corpus / "seeds" / name, part, authority,
                                              gold.get("people", {})))
    for gold_file in sorted((corpus / "frus").glob("*.gold.jsonl")):
        scores += _frus_scores(gold_file, authority)
    for gold_file in sorted(corpus.rglob(GOLD_SET)):
        name = gold_file.parent.relative_to(corpus).as_posix()
        scores.append(score_gold_set(gold_file, authority, name if name != "." else None))
    return scores


def _frus_scores(gold_file: Path, authority: Authority) -> list[Score]:
    """Score a FRUS text as given and re-wrapped with running heads."""
    txt = gold_file.with_name(gold_file.name.replace(".gold.jsonl", ".txt"))
    if not txt.exists():
        return []
    gold = [json.loads(x) for x in gold_file.read_text("utf-8").splitlines() if x.strip()]
    text = txt.read_text("utf-8")
    starts = [_line_of(text, g["txt_start"]) for g in gold]
    wrapped, moved = rewrap_book(text)
    scores = [score_book(txt.name, read_text(txt.name, text.encode()), gold, starts, authority),
              score_book(txt.name + " (re-wrapped, running heads)",
                         read_text(txt.name, wrapped.encode()), gold,
                         [moved[s] for s in starts], authority)]
    xml = txt.with_suffix(".xml")
    if xml.exists():  # the TEI edition renders the same lines as the book text
        scores.append(score_book(xml.name + " (TEI)", read_source(xml.name, xml.read_bytes()),
                                 gold, starts, authority))
    return scores


def total(scores: Iterable[Score]) -> Score:
    """Document-weighted mean of each rate over the gold sets (sum for counts)."""
    scores = list(scores)
    values: dict[str, float | int | None] = {}
    for metric in METRICS:
        pairs = [(s.values[metric], s.documents) for s in scores if s.values[metric] is not None]
        if metric == "not-in-text output":
            values[metric] = sum(int(v or 0) for v, _ in pairs)
        elif pairs:
            values[metric] = sum(float(v or 0) * n for v, n in pairs) / sum(n for _, n in pairs)
        else:
            values[metric] = None
    return Score("all", sum(s.documents for s in scores), values)
