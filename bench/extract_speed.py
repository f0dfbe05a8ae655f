"""Benchmark: documents per second through `extract`, against a read-only floor.

The floor is reading and hashing the same bytes with no splitting or extraction, run in the same
process, so the ratio does not depend on the machine. Three measures:

- the samples (`samples/`, every reader), median of ROUNDS runs;
- compilations of 20, 200 and 2 000 documents in one file, made from the sample compilations
  with each copy's ordinary words replaced (seeded), so no two copies share lines: the time
  per document must not grow with the file;
- with `--corpus DIR`, each collection of a corpus written by `bench/corpus.py`.

The pipeline keeps small caches (folded names, dates of a line, resolved names); they are
emptied before every run, so a repeated run costs what new files do. Times are CPU seconds of
this process (steadier than wall time when the machine is busy). Run with `make bench`.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from cablegram.authority.lookup import default_authority
from cablegram.model import SourceText
from cablegram.pipeline import clear_caches, collect_files, extract_source, load
from cablegram.readers import read_source

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ROUNDS = 20
SIZES = (20, 200, 2000)
SEED = 1950
# Words a copy keeps: those the extractors read (types, months, transmission and address words).
KEEP = frozenset((
    "ciphered", "telegram", "cable", "letter", "memorandum", "conversation", "report",
    "directive", "decision", "resolution", "note", "message", "instruction", "statement",
    "speech", "draft", "handwritten", "minutes", "record", "editorial", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
    "received", "sent", "registered", "arrived", "copies", "transmit", "communicate",
    "personally", "immediately", "urgently", "following", "telegraph", "secret", "confidential",
    "urgent", "priority", "immediate", "present", "participants", "dear", "faithfully",
    "sincerely", "respectfully", "yours", "comrade", "marshal", "general", "minister",
    "ambassador"
))
SYLLABLES = ("ka", "lo", "mir", "sen", "tu", "vra", "pe", "dor", "zi", "nal", "bek", "ros")
_WORD = re.compile(r"(?<![\w’'-])[a-z]{5,}(?![\w’'-])")
_HEADER = re.compile(r"(?m)^(?=\d{1,4}\. \d)")


def _cpu(run: Callable[[], int]) -> tuple[float, int]:
    """CPU seconds of one run (caches emptied first) and what it returned."""
    clear_caches()
    start = time.process_time()
    n = run()
    return time.process_time() - start, n


def _median(values: list[float]) -> float:
    """The median of a list of numbers."""
    return sorted(values)[len(values) // 2]


def _hash_all(blobs: list[bytes]) -> int:
    """Hash every blob (the floor's work); return how many."""
    for blob in blobs:
        hashlib.sha256(blob).hexdigest()
    return len(blobs)


def _row(label: str, docs: int, run: float, floor: float, size: int) -> str:
    """One line of the table."""
    return (f"| {label} | {docs} | {docs / run:,.0f} | {size / run / 1e6:.2f} | "
            f"{run / floor:,.0f}× |")


def measure_samples() -> str:
    """Documents/s on the samples and the ratio to reading and hashing them."""
    files = [f for f, _ in collect_files([SAMPLES])]
    authority = default_authority()

    def extract() -> int:
        """Read and extract every sample; the documents found."""
        return sum(len(extract_source(load(f).source, authority)) for f in files)

    def floor() -> int:
        """Read and hash every sample."""
        return _hash_all([f.read_bytes() for f in files])

    extract()  # warm up: authority index, regex compilation, lazy imports
    floors = [_cpu(floor)[0] for _ in range(ROUNDS)]
    runs = [_cpu(extract) for _ in range(ROUNDS)]
    size = sum(f.stat().st_size for f in files)
    docs = runs[0][1]
    label = f"samples ({len(files)} files)"
    return _row(label, docs, _median([r[0] for r in runs]), _median(floors), size)


def _mutate(text: str, copy: int) -> str:
    """A copy of a document with its ordinary words replaced (the same words the same way)."""
    if copy == 0:
        return text
    rng, table = random.Random(SEED + copy), {}

    def swap(m: re.Match[str]) -> str:
        """The replacement of one word."""
        word = m.group(0)
        if word not in KEEP and word not in table:
            table[word] = "".join(rng.choice(SYLLABLES) for _ in range(max(2, len(word) // 3)))
        return table.get(word, word)

    out, before = [], ""
    for line in text.split("\n"):
        if before.endswith("-"):  # a word cut at the line end: its rest stays as it is
            head, _, rest = line.partition(" ")
            line = head + (" " + _WORD.sub(swap, rest) if rest else "")
        else:
            line = _WORD.sub(swap, line)
        out.append(line)
        before = line
    return "\n".join(out)


def compilation(size: int) -> str:
    """A compilation of `size` numbered documents made from the sample compilations."""
    docs = []
    for f in sorted((SAMPLES / "compilation").glob("*.txt")):
        docs += [d for d in _HEADER.split(f.read_text(encoding="utf-8")) if d.strip()]
    return "".join(_mutate(docs[i % len(docs)], i // len(docs)).rstrip("\n") + "\n"
                   for i in range(size))


def measure_scaling() -> list[str]:
    """Documents/s for compilations of growing length, each with its floor."""
    authority = default_authority()
    rows = []
    for size in SIZES:
        data = compilation(size).encode("utf-8")
        rounds = max(1, 2000 // size)

        def extract(data: bytes = data) -> int:
            """Read and extract the compilation; the documents found."""
            src: SourceText = read_source("compilation.txt", data)
            return len(extract_source(src, authority))

        runs = [_cpu(extract) for _ in range(min(rounds, 5))]
        floor = _median([_cpu(lambda d=data: _hash_all([d] * 100))[0] / 100
                         for _ in range(5)])
        run = _median([r[0] for r in runs])
        rows.append(_row(f"compilation, {size:,} documents", runs[0][1], run, floor, len(data)))
    return rows


def measure_corpus(corpus: Path) -> list[str]:
    """Documents/s for each collection of a corpus written by bench/corpus.py."""
    authority = default_authority()
    rows = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        files = [f for f, _ in collect_files([folder])]
        floor, _ = _cpu(lambda fs=files: _hash_all([f.read_bytes() for f in fs]))
        run, docs = _cpu(lambda fs=files: sum(
            len(extract_source(load(f).source, authority)) for f in fs))
        size = sum(f.stat().st_size for f in files)
        rows.append(_row(f"{folder.name} ({len(files)} files)", docs, run, floor, size))
    return rows


def main() -> None:
    """Print a markdown table: documents/s, MB/s and the ratio to the read+hash floor."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="a folder written by bench/corpus.py")
    args = parser.parse_args()
    print("| input | documents | documents/s | MB/s | time / read+hash floor |")
    print("|---|---:|---:|---:|---:|")
    print(measure_samples(), flush=True)
    for row in measure_scaling():
        print(row, flush=True)
    for row in measure_corpus(args.corpus) if args.corpus else []:
        print(row, flush=True)


if __name__ == "__main__":
    main()
