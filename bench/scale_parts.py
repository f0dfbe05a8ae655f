"""The measures of bench/scale.py: memory of a process tree, the ingest floor, disk use, search
against the raw index, pages, and stored documents against `cablegram extract`."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import search_speed as ss
import tantivy

from cablegram.archive import Archive
from cablegram.errors import NotFoundError
from cablegram.pipeline import read_bytes
from cablegram.search.facets import aggregations
from cablegram.search.index import ANALYZER, SNIPPET_CHARS, WRITER_HEAP, _analyzer
from cablegram.search.query import parse

PAGE_TARGET_MS = 50.0
DOCUMENT_PAGES, PERSON_RENDERS, NETWORK_RENDERS = 100, 20, 8
POLL_S = 0.2
ARCHIVE_ONLY = ("id", "parent_id", "source_file", "relations")  # keys a stored document adds


# --- memory: every process of a tree, polled ---


def _kib(status: str, key: str) -> int:
    """A `VmHWM:`-style figure of /proc/PID/status, in KiB (0 when absent)."""
    for line in status.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


@dataclass
class Peak:
    """Peak resident memory of a process tree: the main process, each other process (the
    pool's workers and its fork server), and the tree at once, in MB."""

    main_mb: float
    others_mb: list[float]
    together_mb: float

    @property
    def largest_mb(self) -> float:
        """The largest of any one process."""
        return max([self.main_mb, *self.others_mb])

    def describe(self) -> str:
        """`210 MB / 180 MB / 520 MB`, and the number of processes seen."""
        worker = max(self.others_mb, default=0.0)
        return (f"{self.main_mb:,.0f} MB / {worker:,.0f} MB / {self.together_mb:,.0f} MB "
                f"({1 + len(self.others_mb)} processes)")


class RssWatch:
    """Poll /proc for the descendants of a process: each one's high-water mark (VmHWM) and
    the sum of their resident sizes, until `stop`."""

    def __init__(self, pid: int) -> None:
        """Start polling the tree under `pid`."""
        self.pid = pid
        self.hwm: dict[int, int] = {}
        self.together = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        """The process and its descendants now alive."""
        parents: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                parents.setdefault(ppid, []).append(int(entry.name))
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += parents.get(pid, [])
        return out

    def _poll(self) -> None:
        """Sample the tree every POLL_S seconds."""
        while not self._done.is_set():
            now = 0
            for pid in self._tree():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                self.hwm[pid] = max(self.hwm.get(pid, 0), _kib(status, "VmHWM"))
                now += _kib(status, "VmRSS")
            self.together = max(self.together, now)
            self._done.wait(POLL_S)

    def stop(self) -> Peak:
        """Stop polling; the peaks seen."""
        self._done.set()
        self._thread.join()
        main = self.hwm.pop(self.pid, 0)
        return Peak(main / 1024, sorted((v / 1024 for v in self.hwm.values()), reverse=True),
                    self.together / 1024)


# --- the ingest's floor, and disk use ---


def floor_index(files: list[Path], folder: Path) -> tuple[float, int]:
    """Read, hash and index the raw text of every file (one index document per file, the
    same analyser, one writer with the archive's heap and one thread), no extraction and no
    store; return the wall seconds and the bytes read. The index is deleted afterwards."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_text_field("text", stored=True, tokenizer_name=ANALYZER)
    index = tantivy.Index(b.build(), path=str(folder))
    index.register_tokenizer(ANALYZER, _analyzer())
    start = time.perf_counter()
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    size = 0
    for path in files:
        data, sha = read_bytes(path)
        writer.add_document(tantivy.Document(id=sha, text=data.decode("utf-8", "replace")))
        size += len(data)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - start
    shutil.rmtree(folder, ignore_errors=True)
    return seconds, size


def disk_usage(archive: Path) -> dict[str, int]:
    """Bytes of the archive's files: the SQLite database (with its WAL), the search index,
    the originals and in all."""
    def size(paths: list[Path]) -> int:
        """Bytes of these files."""
        return sum(p.stat().st_size for p in paths if p.is_file())

    every = list(archive.rglob("*"))
    out = {"sqlite": size([p for p in every if p.name.startswith("cablegram.sqlite")]),
           "index": size([p for p in every if "index" in p.relative_to(archive).parts[:1]]),
           "originals": size([p for p in every
                              if "originals" in p.relative_to(archive).parts[:1]])}
    out["total"] = size(every)
    return out


# --- search: ours against the same query sent straight to the index ---


@dataclass
class ShapeTimes:
    """Milliseconds of one shape: ours without facets (`plain`) and with (`full`), the raw
    index call for the top 10 and count (`bare`), the same with the hits' ids and tantivy's
    snippets of their texts (`page`: what a page of hits needs from the index, see
    `raw_page`), and the bare call with the same aggregations (`aggs`)."""

    shape: ss.Shape
    hits: int = 0
    plain: list[float] = field(default_factory=list)
    full: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    page: list[float] = field(default_factory=list)
    aggs: list[float] = field(default_factory=list)


def raw_page(archive: Archive, shape: ss.Shape) -> Callable[[], Any]:
    """The bare index call, then what tantivy itself offers for a page of hits: each hit's
    stored id and a snippet of its text (tantivy's SnippetGenerator, with our length). The
    texts are read from the store once, beforehand: an index that stored them would hand
    them over from memory, so reading them counts against our path, not this one."""
    bare = ss.baseline(archive, shape)
    searcher, builder = archive.index.builder()
    q = builder.build(parse(shape.query))
    texts = archive.store.texts([str(searcher.doc(a).get_first("id")) for _, a in bare().hits])

    def page() -> list[str]:
        """Top 10 and count, ids and snippets."""
        found = bare()
        gen = tantivy.SnippetGenerator.create(searcher, q, archive.index.schema, "text")
        gen.set_max_num_chars(SNIPPET_CHARS)
        ids = [str(searcher.doc(a).get_first("id")) for _, a in found.hits]
        return [gen.snippet_from_doc(tantivy.Document(text=texts.get(i, ""))).fragment()
                for i in ids]
    return page


def _calls(archive: Archive, shape: ss.Shape) -> dict[str, Callable[[], Any]]:
    """The five calls timed for a shape."""
    offset = (shape.page - 1) * ss.PER_PAGE

    def ours(facets: bool) -> Callable[[], Any]:
        """The search as the reading room and the API run it."""
        return lambda: archive.search(shape.query, limit=ss.PER_PAGE, offset=offset,
                                      sort=shape.sort, facets=facets)

    bare = ss.baseline(archive, shape)
    searcher, builder = archive.index.builder()
    q, request = builder.build(parse(shape.query)), aggregations()
    return {"plain": ours(False), "full": ours(True), "bare": bare,
            "page": raw_page(archive, shape),
            "aggs": lambda: (bare(), searcher.aggregate(q, request))}


def measure_search(archive: Archive, shape: ss.Shape, rounds: int) -> ShapeTimes:
    """Time `rounds` runs of the five calls of one shape, interleaved, after a warm-up."""
    calls = _calls(archive, shape)
    for _ in range(ss.WARM_UP):
        for call in calls.values():
            call()
    out = ShapeTimes(shape, int(calls["plain"]()["total"]))
    for _ in range(rounds):
        for name, call in calls.items():
            getattr(out, name).append(ss.timed(call)[0])
    return out


# --- pages through the TestClient ---


@dataclass
class Pages:
    """Render times by page, and how the pages were chosen."""

    times: dict[str, list[float]]
    note: str


def _people(archive: Archive) -> list[tuple[str, int]]:
    """People linked in any role, with their documents, busiest first (index aggregation)."""
    _, result = archive.index.aggregate(parse(""), {"p": {"terms": {
        "field": "f_people", "size": 100_000, "min_doc_count": 1}}})
    out = []
    for b in result.get("p", {}).get("buckets", []):
        record = archive.authority.get(str(b["key"]))
        if record is not None and record.kind == "person":
            out.append((str(b["key"]), int(b["doc_count"])))
    return out


def _cold(client: Any, archive: Archive, paths: list[str]) -> list[float]:
    """Milliseconds to render each page with the archive's aggregations counted afresh
    (its result cache emptied before each render), as on the first view after a commit."""
    for path in dict.fromkeys(paths):  # warm up (templates, SQLite pages) once each
        client.get(path)
    out = []
    for path in paths:
        archive.index.results.clear()
        took, response = ss.timed(partial(client.get, path))
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
        out.append(took)
    return out


def measure_pages(root: Path, archive: Archive, seed: int) -> Pages:
    """Document pages drawn at random, the busiest and the median person's page, and the
    network page (whole archive, a date range, a query), each rendered through the client."""
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from cablegram.web import urls
    from cablegram.web.app import create_app

    rng = random.Random(seed)
    ids = archive.store.document_ids()
    documents = rng.sample(ids, min(DOCUMENT_PAGES, len(ids)))
    people = _people(archive)
    busiest, middle = people[0], people[len(people) // 2]
    networks = [urls.network(), urls.network("", "1950", "1953"), urls.network("armistice")]
    times: dict[str, list[float]] = {}
    app = create_app(root)
    pages = {"person, busiest": [urls.person(busiest[0])] * PERSON_RENDERS,
             "person, median": [urls.person(middle[0])] * PERSON_RENDERS,
             "network": networks * NETWORK_RENDERS}
    with TestClient(app) as client:
        times["document"] = ss.measure_pages(client, [urls.document(i) for i in documents])
        for name, paths in pages.items():  # counted afresh: the first view after a commit
            times[f"{name}, first view"] = _cold(client, app.state.archive, paths)
        for name, paths in pages.items():  # again before the next commit (search/cache.py)
            times[f"{name}, again"] = ss.measure_pages(client, paths)
    note = (f"{len(documents)} document pages drawn at random; person pages of the busiest "
            f"({busiest[0]}, {busiest[1]:,} documents) and the median of {len(people)} linked "
            f"people ({middle[0]}, {middle[1]:,}), {PERSON_RENDERS} renders each; network "
            f"pages (whole archive, 1950–1953, `armistice`), {NETWORK_RENDERS} renders each; "
            "each first with the aggregations counted afresh (the first view after a commit), "
            "then again (kept until the next commit)")
    return Pages(times, note)


# --- stored documents against `cablegram extract` ---


def _contract(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document without the keys the archive adds, enclosures likewise."""
    out = {k: v for k, v in doc.items() if k not in ARCHIVE_ONLY}
    out["enclosures"] = [_contract(e) for e in doc.get("enclosures", [])]
    return out


def stored(archive: Archive, sha256: str) -> list[dict[str, Any]]:
    """The top-level documents stored from the file with this hash, in reading order."""
    out: list[dict[str, Any]] = []
    seq = 1
    while True:
        try:
            doc = archive.document(f"{sha256[:12]}-{seq}")
        except NotFoundError:
            return out
        if doc["parent_id"] is None:
            out.append(_contract(doc))
        seq += 1


def _difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    """The first contract field where two documents differ."""
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            return f"{key}: stored {str(a.get(key))[:60]!r}, extracted {str(b.get(key))[:60]!r}"
    return ""


def compare_sample(archive: Archive, files: list[Path], command: Path
                   ) -> tuple[int, int, int, list[str]]:
    """Run `cablegram extract` on the files (one command) and compare each file's documents
    with those the archive stored; return files, documents, identical ones and differences."""
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        raise SystemExit("compare_sample: two sampled files share a name")
    run = subprocess.run([str(command), "extract", "--format", "jsonl", *map(str, files)],
                         capture_output=True, text=True, check=True)
    extracted: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    for line in run.stdout.splitlines():
        doc = json.loads(line)
        extracted[doc["source"]].append(doc)
    documents = same = 0
    diffs = []
    for path in files:
        ours, theirs = stored(archive, read_bytes(path)[1]), extracted[path.name]
        documents += max(len(ours), len(theirs))
        for a, b in zip(ours, theirs, strict=False):
            if a == b:
                same += 1
            else:
                diffs.append(f"{path.name}: {_difference(a, b)}")
        if len(ours) != len(theirs):
            diffs.append(f"{path.name}: {len(ours)} stored, {len(theirs)} extracted")
    return len(files), documents, same, diffs
