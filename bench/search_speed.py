"""Benchmark: search with facets, and document and person pages, on synthetic documents.

Builds (or reuses from a cache under /tmp) an archive of `--size` synthetic documents
(bench/synthetic.py), then times 20 query shapes through `Archive.search` with facets,
snippets and store lookups, each against a baseline measured in the same run: the same query
tree, built once, sent straight to the tantivy searcher for its top 10 with no facets, snippets
or store lookups. Pages are rendered through the FastAPI TestClient (routing, view data,
template, response). Run with `make bench`, or `python bench/search_speed.py --size 5000`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from statistics import median
from typing import Any

from synthetic import DEFAULT_SEED, GENERATOR_VERSION, Generator

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.search import index as search_index
from cablegram.search.query import parse
from cablegram.store.sqlite import SCHEMA_VERSION

DEFAULT_SIZE = 100_000
ROUNDS = 50
WARM_UP = 3
SEARCH_TARGET_MS, PAGE_TARGET_MS = 50.0, 30.0
PER_PAGE = 10
RARE_RANK = 15_000  # an invented word of this rank is in about a hundred documents of 100 000
DOCUMENT_PAGES, PERSON_PAGES, TOP_PEOPLE = 200, 60, 10
BUILD_FILE = "bench-build.json"  # written last: a cache folder without it is rebuilt


@dataclass(frozen=True)
class Shape:
    """One query shape: a label, the query text, the sort order and the page asked for."""

    label: str
    query: str
    sort: str = "relevance"
    page: int = 1


def shapes(rare: str) -> list[Shape]:
    """The 20 query shapes; `rare` is a word found in about a hundred documents."""
    return [
        Shape("common term", "government"),
        Shape("rare term", rare),
        Shape("phrase", '"air cover"'),
        Shape("prefix", "advis*"),
        Shape("misspelt name (fuzzy)", "Roshchim"),
        Shape("OR", "Yalu OR Panmunjom"),
        Shape("exclusion", "artillery -aviation"),
        Shape("from:", "from:stalin"),
        Shape("to:", "to:mao"),
        Shape("via:", "via:roshchin"),
        Shape("person: pseudonym", "person:Filippov"),
        Shape("place:", "place:Pyongyang"),
        Shape("type:", "type:telegram"),
        Shape("date range", "date:1950-07..1950-10"),
        Shape("date year", "date:1952"),
        Shape("collection:", "collection:party-archive"),
        Shape("field + text", "from:stalin volunteers date:1950..1951"),
        Shape("alias name", "Chou En-lai"),
        Shape("sort by date", "armistice", sort="date"),
        Shape("page 5", "troops", page=5),
    ]


# --- the archive: built once per generator version, seed and size, then cached ---


def cache_folder(base: Path, size: int, seed: int) -> Path:
    """Where the archive for these parameters is kept (schema and index versions included)."""
    key = (f"search-g{GENERATOR_VERSION}-s{SCHEMA_VERSION}-i{search_index.INDEX_VERSION}"
           f"-seed{seed}-n{size}")
    return base / key


def build(root: Path, size: int, seed: int) -> dict[str, Any]:
    """Generate, store and index `size` documents at `root`; return counts and timings."""
    if root.exists():
        shutil.rmtree(root)
    archive = Archive.create(root)
    generator = Generator(archive.authority, seed)
    sources = generator.sources(size)
    generate = store = 0.0
    n_sources = n_docs = 0
    while True:
        start = time.perf_counter()
        item = next(sources, None)
        generate += time.perf_counter() - start
        if item is None:
            break
        start = time.perf_counter()
        stored = archive.store.add_source(*item)
        store += time.perf_counter() - start
        n_sources, n_docs = n_sources + 1, n_docs + len(stored)
        if n_sources % 500 == 0:
            print(f"  … {n_docs} documents in {n_sources} sources", file=sys.stderr)
    start = time.perf_counter()
    indexed = archive.reindex()
    index = time.perf_counter() - start
    archive.close()
    info = {"generator": GENERATOR_VERSION, "seed": seed, "size": size, "sources": n_sources,
            "documents": n_docs, "indexed": indexed, "generate_s": round(generate, 1),
            "store_s": round(store, 1), "index_s": round(index, 1),
            "disk_mb": round(folder_bytes(root) / 1e6)}
    (root / BUILD_FILE).write_text(json.dumps(info, indent=1) + "\n")
    return info


def folder_bytes(root: Path) -> int:
    """Bytes of every file under `root`."""
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file())


def prepare(base: Path, size: int, seed: int, rebuild: bool) -> tuple[Path, dict[str, Any]]:
    """The archive folder for these parameters, built unless a complete one is cached."""
    root = cache_folder(base, size, seed)
    marker = root / BUILD_FILE
    if marker.exists() and not rebuild:
        info = json.loads(marker.read_text())
        info["cached"] = True
        return root, info
    for stale in base.glob(f"search-*-seed{seed}-n{size}"):  # other code versions: outdated
        if stale != root and (stale / BUILD_FILE).exists():
            shutil.rmtree(stale)
    print(f"Building {size} synthetic documents in {root} …", file=sys.stderr)
    info = build(root, size, seed)
    info["cached"] = False
    return root, info


# --- timing ---


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile `p` (0–100) of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Milliseconds one call took, and what it returned."""
    start = time.perf_counter()
    out = call()
    return (time.perf_counter() - start) * 1000, out


@dataclass
class Row:
    """The timings of one shape: full search and baseline, in milliseconds."""

    shape: Shape
    total: int
    facets: int
    full: list[float]
    base: list[float]


def baseline(archive: Archive, shape: Shape) -> Callable[[], Any]:
    """The same query tree, built once, sent straight to the searcher: top 10, no facets,
    snippets or store lookups."""
    searcher, builder = archive.index.builder()
    q = builder.build(parse(shape.query))
    offset = (shape.page - 1) * PER_PAGE
    order = search_index.SORTS[shape.sort]
    if order is None:
        return lambda: searcher.search(q, limit=PER_PAGE, offset=offset, count=True)
    return lambda: searcher.search(q, limit=PER_PAGE, offset=offset, count=True,
                                   order_by_field="day", order=order)


def measure_shape(archive: Archive, shape: Shape, rounds: int) -> Row:
    """Time `rounds` searches of one shape, each followed by its baseline."""
    offset = (shape.page - 1) * PER_PAGE

    def full() -> Any:
        """The search as the reading room and the API run it."""
        return archive.search(shape.query, limit=PER_PAGE, offset=offset, sort=shape.sort,
                              facets=True)

    base = baseline(archive, shape)
    for _ in range(WARM_UP):
        result = full()
        base()
    row = Row(shape, int(result["total"]), sum(len(v) for v in result["facets"].values()),
              [], [])
    for _ in range(rounds):
        row.full.append(timed(full)[0])
        row.base.append(timed(base)[0])
    return row


def measure_pages(client: Any, paths: list[str]) -> list[float]:
    """Milliseconds to render each page (after a warm-up); every page must answer 200."""
    for path in paths[:WARM_UP]:
        client.get(path)
    out = []
    for path in paths:
        took, response = timed(partial(client.get, path))
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
        out.append(took)
    return out


def page_samples(archive: Archive, seed: int) -> tuple[list[str], list[str]]:
    """Document ids drawn at random, and people: the busiest, then others drawn at random."""
    rng = random.Random(seed)
    ids = archive.store.document_ids()
    documents = rng.sample(ids, min(DOCUMENT_PAGES, len(ids)))
    rows = archive.store.conn.execute(
        "SELECT agent_id, count(DISTINCT document_id) AS n FROM roles WHERE agent_id IS NOT"
        " NULL GROUP BY agent_id ORDER BY n DESC, agent_id").fetchall()
    people = [r["agent_id"] for r in rows
              if (rec := archive.authority.get(r["agent_id"])) and rec.kind == "person"]
    rest = people[TOP_PEOPLE:]
    chosen = people[:TOP_PEOPLE] + rng.sample(rest, min(PERSON_PAGES - TOP_PEOPLE, len(rest)))
    return documents, chosen


def measure_web(root: Path, archive: Archive, seed: int) -> dict[str, list[float] | None]:
    """Document and person page renders through the TestClient (None: no such page yet)."""
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from cablegram.web import urls
    from cablegram.web.app import create_app

    app = create_app(root)
    documents, people = page_samples(archive, seed)
    out: dict[str, list[float] | None] = {}
    with TestClient(app) as client:
        out["document page"] = measure_pages(client, [urls.document(i) for i in documents])
        out["document page (.json)"] = measure_pages(
            client, [urls.document_json(i) for i in documents])
        # The busiest person exists: a 404 means the reading room has no person pages yet.
        person = client.get(urls.person(people[0])).status_code != 404
        out["person page"] = measure_pages(client, [urls.person(i) for i in people]) \
            if person else None
        out["person page (.json)"] = measure_pages(
            client, [urls.agent_json("person", i) for i in people]) if person else None
        out["search page (HTML)"] = measure_pages(
            client, [urls.search(s.query, s.page, s.sort) for s in shapes(rare_word(archive))] * 3)
    return out


def rare_word(archive: Archive) -> str:
    """The invented word of rank RARE_RANK in the generator's vocabulary."""
    return Generator(archive.authority).vocabulary[RARE_RANK]


# --- report ---


def load() -> str:
    """The load averages (1, 5, 15 min): other work on the machine skews the figures."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> list[str]:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor() or "unknown CPU") if Path("/proc/cpuinfo").exists() else ""
    mem = next((int(line.split()[1]) / 2**20 for line in
                Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
               0.0) if Path("/proc/meminfo").exists() else 0.0
    return [f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} "
            f"{platform.release()}",
            f"Python {platform.python_version()}, tantivy {metadata.version('tantivy')}, "
            f"SQLite {sqlite3.sqlite_version}"]


def ms(value: float) -> str:
    """Milliseconds for the table."""
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def search_table(rows: list[Row]) -> list[str]:
    """The markdown table of the query shapes, and the overall line."""
    out = ["| shape | query | hits | facet values | p50 ms | p95 ms | baseline p50 ms "
           "| baseline p95 ms | p50 ratio |",
           "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
    for r in rows:
        q = r.shape.query + (f" (sort {r.shape.sort})" if r.shape.sort != "relevance" else "") \
            + (f" (page {r.shape.page})" if r.shape.page != 1 else "")
        out.append(f"| {r.shape.label} | `{q}` | {r.total} | {r.facets} | "
                   f"{ms(median(r.full))} | {ms(percentile(r.full, 95))} | "
                   f"{ms(median(r.base))} | {ms(percentile(r.base, 95))} | "
                   f"{median(r.full) / max(median(r.base), 1e-3):.0f}× |")
    full = [t for r in rows for t in r.full]
    base = [t for r in rows for t in r.base]
    out.append(f"| **all 20 shapes** | | | | **{ms(median(full))}** | "
               f"**{ms(percentile(full, 95))}** | {ms(median(base))} | "
               f"{ms(percentile(base, 95))} | {median(full) / max(median(base), 1e-3):.0f}× |")
    return out


def page_table(pages: dict[str, list[float] | None]) -> list[str]:
    """The markdown table of page renders."""
    out = ["| page | renders | p50 ms | p95 ms | max ms |", "|---|--:|--:|--:|--:|"]
    for name, values in pages.items():
        if values is None:
            out.append(f"| {name} | not measured: no such route yet | | | |")
            continue
        out.append(f"| {name} | {len(values)} | {ms(median(values))} | "
                   f"{ms(percentile(values, 95))} | {ms(max(values))} |")
    return out


def verdict(rows: list[Row], pages: dict[str, list[float] | None]) -> list[str]:
    """Each target, met or missed."""
    search95 = percentile([t for r in rows for t in r.full], 95)
    worst = max(rows, key=lambda r: percentile(r.full, 95))
    met = "met" if search95 <= SEARCH_TARGET_MS else "MISSED"
    out = [f"search with facets, p95 of all shapes: {ms(search95)} ms "
           f"(target ≤ {SEARCH_TARGET_MS:.0f}): {met}; slowest shape {worst.shape.label}, "
           f"p95 {ms(percentile(worst.full, 95))} ms"]
    for name in ("document page", "person page"):
        values = pages.get(name)
        if values:
            p95 = percentile(values, 95)
            out.append(f"{name} p95: {ms(p95)} ms (target ≤ {PAGE_TARGET_MS:.0f}): "
                       f"{'met' if p95 <= PAGE_TARGET_MS else 'MISSED'}")
    return out


def arguments() -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=int, default=DEFAULT_SIZE, help="documents (default 100000)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    p.add_argument("--rounds", type=int, default=ROUNDS, help="timed runs of each shape")
    p.add_argument("--rebuild", action="store_true", help="build the archive even if cached")
    p.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cablegram-bench",
                   help="folder of cached archives (default /tmp/cablegram-bench)")
    return p.parse_args()


def main() -> None:
    """Build or reuse the archive, time searches and pages, print markdown tables."""
    args = arguments()
    root, info = prepare(args.cache, args.size, args.seed, args.rebuild)
    default_authority()
    archive = Archive.open(root)
    started = load()
    print("## Machine\n\n" + "\n".join(f"- {line}" for line in machine()))
    how = "reused from cache (built earlier in" if info["cached"] else "built now in"
    print(f"- archive: {info['documents']} documents in {info['sources']} sources, "
          f"{info['disk_mb']} MB on disk, {how} {info['generate_s']} s generating + "
          f"{info['store_s']} s storing + {info['index_s']} s indexing"
          f"{')' if info['cached'] else ''}; {root}")
    rows = [measure_shape(archive, s, args.rounds) for s in shapes(rare_word(archive))]
    print(f"\n## Search with facets ({args.rounds} runs a shape after {WARM_UP} warm-up)\n")
    print("\n".join(search_table(rows)))
    pages = measure_web(root, archive, args.seed)
    print("\n## Pages (FastAPI TestClient: routing, view data, template, response)\n")
    print("\n".join(page_table(pages)))
    print("\n## Targets\n\n" + "\n".join(f"- {line}" for line in verdict(rows, pages)))
    print(f"- load average at the start {started}, at the end {load()} ({os.cpu_count()} cores)")
    archive.close()


if __name__ == "__main__":
    main()
