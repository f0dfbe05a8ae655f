"""Benchmark: documents per second through `extract` on the samples, against a read-only floor.

The floor is reading and hashing the same files with no splitting or extraction, run in the same
process, so the ratio does not depend on the machine. Run with `make bench`.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from cablegram.authority.lookup import default_authority
from cablegram.extract import extract_source
from cablegram.pipeline import collect_files, load

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ROUNDS = 20


def _floor(files: list[Path]) -> float:
    """Seconds to read and hash every file once."""
    start = time.perf_counter()
    for f in files:
        hashlib.sha256(f.read_bytes()).hexdigest()
    return time.perf_counter() - start


def _extract(files: list[Path]) -> tuple[float, int]:
    """Seconds to read and extract every file once, and the documents found."""
    authority = default_authority()
    start = time.perf_counter()
    n = sum(len(extract_source(load(f).source, authority)) for f in files)
    return time.perf_counter() - start, n


def main() -> None:
    """Print documents/s and the ratio to the floor (median of ROUNDS runs)."""
    files = [f for f, _ in collect_files([SAMPLES])]
    _extract(files)  # warm up: authority index, regex compilation
    floors = sorted(_floor(files) for _ in range(ROUNDS))
    runs = sorted(_extract(files)[0] for _ in range(ROUNDS))
    docs = _extract(files)[1]
    floor, run = floors[ROUNDS // 2], runs[ROUNDS // 2]
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'files / documents':<34}{len(files):>6} / {docs:<4}")
    print(f"{'extract, documents/s (median)':<34}{docs / run:>12.0f}")
    print(f"{'extract time / read+hash floor':<34}{run / floor:>11.1f}x")


if __name__ == "__main__":
    main()
