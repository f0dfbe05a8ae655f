"""Parallel, batched ingest: worker processes read, split, extract and link files; one
writer stores them in batches and keeps the search index in step with the store.

Files are found one folder at a time (`collect_files`) and screened here first: read and
hashed, so that bytes the store holds already are reported unchanged before any extraction
(a re-ingest starts no worker). New files go to a pool of `jobs` processes (none when `jobs`
is 1) as paths in small chunks, a bounded window of them ahead of the writer, so nothing
holds the whole collection. A worker keeps the original under its hash and sends back the
file's rows for the store (plain tuples, cheap to unpickle) with each document's row for the
search index, or the error saying what failed.

The writer (this process) stores a batch of files in one SQLite transaction, stages their
documents on the one index writer kept open for the whole ingest, then commits the store and
the index, Ctrl+C held for that pair of commits. Should the database refuse a file, the batch
is written again with each file in a savepoint, so that file alone is dropped; anything else
raised mid-batch, Ctrl+C included, rolls the batch back in both. Were the process killed
between the two commits, the index would lag the store by one batch and `Archive.open` would
rebuild it (`Archive.reconcile` compares their counts).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from cablegram.authority.lookup import Authority
from cablegram.errors import CablegramError, InputError
from cablegram.export.jsonl import EXTENSION as EXPORT_EXTENSION
from cablegram.pipeline import extract_source, read_bytes
from cablegram.readers import read_source
from cablegram.search.index import SearchIndex, index_fields
from cablegram.store.packing import original_path
from cablegram.store.sqlite import SourceInfo, SourceRows, Store, source_rows

POOL_BYTES = 2 << 20  # inputs smaller than this are extracted here: a pool costs more
CHUNK = 8  # most files sent to a worker in one task,
CHUNK_BYTES = 256 << 10  # or this many bytes of them (a large file goes alone)
IN_FLIGHT = 32  # most tasks per worker dispatched ahead of the writer (work for
WINDOW_BYTES = 64 << 20  # the workers while it writes a batch), or this many bytes of files
MAX_WAITING = 1024  # entries (tasks, files screened out) held in order for the writer
BATCH_DOCUMENTS = 2000  # a batch is committed once it holds this many documents,
BATCH_BYTES = 64 << 20  # or this many bytes of original files, or at the end
WORKER_GC_THRESHOLDS = (20_000, 20, 100)  # a worker's collector (see `_start_worker`)


@dataclass
class IngestResult:
    """What ingesting one file did: added, unchanged (these bytes were stored already) or
    failed (with the error that says why; nothing of the file was stored)."""

    path: Path
    status: str  # added | unchanged | failed
    documents: int = 0
    fragments: int = 0
    size: int = 0  # bytes of the original file
    error: CablegramError | None = None


@dataclass
class Prepared:
    """One file as a worker leaves it for the writer."""

    path: Path
    status: str  # new | unchanged | failed | export (a JSONL export: the writer imports it)
    sha256: str = ""
    rows: SourceRows | None = None
    size: int = 0
    error: CablegramError | None = None


@dataclass
class Workplace:
    """What a worker needs: where the originals are kept, and the authority."""

    originals: Path
    authority: Authority


def default_jobs() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def original_file(originals: Path, sha256: str) -> Path:
    """Where the original bytes with this hash are kept."""
    return original_path(originals, sha256)


def keep_original(originals: Path, sha256: str, data: bytes) -> None:
    """Write the original bytes under their hash (atomically; never rewritten)."""
    target = original_file(originals, sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{sha256}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def screen(path: Path, known: Callable[[str], bool]
           ) -> tuple[Prepared | None, tuple[bytes, str] | None]:
    """Read and hash a file before any extraction: a JSONL export, bytes the store holds
    (`known`) or a file that cannot be read come back as they are for the writer; else its
    bytes and hash, to be extracted."""
    if path.suffix.lower() == EXPORT_EXTENSION:
        return Prepared(path, "export"), None
    try:
        data, sha256 = read_bytes(path)
    except CablegramError as exc:
        return Prepared(path, "failed", error=exc), None
    if known(sha256):
        return Prepared(path, "unchanged", sha256, size=len(data)), None
    return None, (data, sha256)


def prepare(path: Path, collection: str, place: Workplace,
            read: tuple[bytes, str] | None = None) -> Prepared:
    """Read (unless `read` gives the bytes and hash), split, extract and link a file, keep
    its original and return its rows with each document's search index fields; a file that
    cannot be read comes back failed."""
    try:
        data, sha256 = read or read_bytes(path)
        source = read_source(path.name, data)
        docs = extract_source(source, place.authority)
        info = SourceInfo(sha256, path.name, str(path), source.media_type, len(data),
                          source.reader, collection)
        rows = source_rows(info, docs, data)
        rows.documents = [d._replace(search=index_fields(d.search)) if d.search else d
                          for d in rows.documents]
        keep_original(place.originals, sha256, data)
    except CablegramError as exc:
        return Prepared(path, "failed", error=exc)
    return Prepared(path, "new", sha256, rows, len(data))


# --- Workers: a process pool started on first need, fed a bounded window of chunks ---

_WORKPLACE: list[Workplace] = []  # in a worker process: where it works


def _start_worker(place: Workplace) -> None:
    """Pool initializer: leave Ctrl+C to the writer; remember the workplace. The authority's
    objects, alive for the whole ingest, are moved out of the garbage collector's sight
    and it runs less often: a file's objects are freed by their counts, and the default
    thresholds spent a tenth of the worker's time on collections that found little."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKPLACE.append(place)
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


def _prepare_chunk(chunk: list[tuple[Path, str]]) -> list[Prepared]:
    """A worker's task: prepare each file of a chunk."""
    return [prepare(path, coll, _WORKPLACE[0]) for path, coll in chunk]


Task = list[Prepared] | AsyncResult[list[Prepared]]
Chunk = list[tuple[Path, str, tuple[bytes, str] | None]]


class _Workers:
    """Extraction by `jobs` worker processes (started when the first file needs one), or
    in this process when `jobs` is 1."""

    def __init__(self, workplace: Callable[[], Workplace], jobs: int) -> None:
        """No process is started (nor the workplace made) until a file needs it."""
        self.workplace, self.jobs = workplace, jobs
        self.place: Workplace | None = None
        self.pool: Any = None
        self.sent = 0

    @property
    def local(self) -> bool:
        """Whether files are extracted in this process."""
        return self.jobs <= 1

    def chunk_size(self) -> int:
        """Files per task: single files first (a small input still spreads over every
        worker), then doubling up to CHUNK (fewer messages for a large input)."""
        return 1 if self.local else min(CHUNK, 2 ** (self.sent // self.jobs))

    def submit(self, chunk: Chunk) -> Task:
        """Prepare a chunk here (done on return) or send it to a worker."""
        place = self.place = self.place or self.workplace()
        if self.local:
            return [prepare(path, coll, place, read) for path, coll, read in chunk]
        if self.pool is None:
            context = multiprocessing.get_context("forkserver" if "forkserver" in
                                                  multiprocessing.get_all_start_methods()
                                                  else "spawn")
            self.pool = context.Pool(self.jobs, _start_worker, (place,))
        self.sent += 1
        return self.pool.apply_async(_prepare_chunk, ([(p, c) for p, c, _ in chunk],))

    def close(self) -> None:
        """Stop the worker processes (at once: unfinished tasks are dropped)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


def _size(path: Path) -> int:
    """The size of a file on disk (0 when it cannot be read: it fails later, named)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _Window:
    """Files on their way to the writer, in input order: prepared ones and worker tasks
    (with the bytes of the files they hold)."""

    def __init__(self, tasks: int) -> None:
        """At most `tasks` worker tasks and WINDOW_BYTES of their files out at once."""
        self.items: deque[tuple[Task, int]] = deque()
        self.tasks = self.bytes = 0
        self.limit = tasks

    def put(self, item: Task, size: int = 0) -> None:
        """Queue prepared files, or a worker task on `size` bytes of files."""
        self.items.append((item, size))
        if not isinstance(item, list):
            self.tasks += 1
            self.bytes += size

    def full(self) -> bool:
        """Whether the writer must wait for the first task before more are sent."""
        return (self.tasks >= self.limit or self.bytes >= WINDOW_BYTES
                or len(self.items) >= MAX_WAITING)

    def take(self, final: bool = False) -> Iterator[Prepared]:
        """Prepared files from the front, as far as they are ready; wait for the front task
        when the window is full (or, when `final`, for everything)."""
        while self.items:
            head, size = self.items[0]
            if not isinstance(head, list):
                if not (final or head.ready() or self.full()):
                    return
                head = head.get()
                self.tasks -= 1
                self.bytes -= size
            self.items.popleft()
            yield from head


def prepared(files: Iterable[tuple[Path, str]], place: Callable[[], Workplace], jobs: int,
             known: Callable[[str], bool]) -> Generator[Prepared, None, None]:
    """Every file screened (read and hashed, see `screen`) here and, when new, prepared in
    this process (`jobs` 1, or an input under POOL_BYTES) or by `jobs` worker processes, a
    bounded window of tasks ahead of the writer (see `_Window`); in input order."""
    files = iter(files)
    head: list[tuple[Path, str]] = []
    ahead = 0
    for item in files:  # look ahead (by size on disk) until the input is worth a pool
        head.append(item)
        ahead += _size(item[0])
        if ahead >= POOL_BYTES and len(head) > 1:
            break
    workers = _Workers(place, jobs if ahead >= POOL_BYTES and len(head) > 1 else 1)
    window = _Window(workers.jobs * IN_FLIGHT)
    chunk: Chunk = []
    size = 0
    try:
        for path, coll in chain(head, files):
            early, read = screen(path, known)
            if read is not None:
                chunk.append((path, coll, read if workers.local else None))
                size += len(read[0])
            if chunk and (early is not None or len(chunk) >= workers.chunk_size()
                          or size >= CHUNK_BYTES):
                window.put(workers.submit(chunk), size)
                chunk, size = [], 0
            if early is not None:
                window.put([early])
            yield from window.take()
        if chunk:
            window.put(workers.submit(chunk), size)
        yield from window.take(final=True)
    finally:
        workers.close()


# --- The writer: batches of files, one transaction and one index commit each ---


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl+C until the block ends (raised then), so that commits are not split."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


class Batch:
    """Prepared files waiting to be written together."""

    def __init__(self, store: Store, index: SearchIndex) -> None:
        """An empty batch for this store and index (the index writer must be open)."""
        self.store, self.index = store, index
        self.items: list[Prepared] = []
        self.documents = self.bytes = 0

    def add(self, item: Prepared) -> bool:
        """Add a prepared file; return whether the batch is full."""
        self.items.append(item)
        self.documents += len(item.rows.documents) if item.rows else 0
        self.bytes += item.size
        return self.documents >= BATCH_DOCUMENTS or self.bytes >= BATCH_BYTES

    def write(self) -> list[IngestResult]:
        """Store and index the batch's files, commit both, empty the batch; return what
        happened to each file. Files are written straight; should the database refuse one
        (an id clash), the batch is rolled back and written again with each file in a
        savepoint, dropping that file alone. Anything else raised rolls the whole batch back
        and propagates."""
        if any(item.rows for item in self.items):
            try:
                results = self._written(careful=False)
            except _Refused:
                results = self._written(careful=True)
            with _ctrl_c_held():
                self.store.commit()
                self.index.commit()
        else:
            results = [self._result(item, set(), False) for item in self.items]
        self.items, self.documents, self.bytes = [], 0, 0
        return results

    def _written(self, careful: bool) -> list[IngestResult]:
        """Write every file of the batch in one transaction, left open for the commit."""
        self.store.begin()
        try:
            seen: set[str] = set()
            return [self._result(item, seen, careful) for item in self.items]
        except BaseException:
            self.store.rollback()
            self.index.rollback()
            raise

    def _result(self, item: Prepared, seen: set[str], careful: bool) -> IngestResult:
        """Write one file of the batch (inside its transaction; in a savepoint when
        `careful`) and say what happened."""
        if item.rows is None or item.sha256 in seen or self.store.has_source(item.sha256):
            status = "failed" if item.status == "failed" else "unchanged"
            return IngestResult(item.path, status, size=item.size, error=item.error)
        try:
            if careful:
                with self.store.savepoint():
                    self.store.insert_source(item.rows)
            else:
                self.store.insert_source(item.rows)
        except (sqlite3.IntegrityError, CablegramError) as exc:
            if not careful:
                raise _Refused from exc
            error = InputError(f"{item.path}: cannot be stored ({exc}); nothing of it was "
                               "stored.")
            return IngestResult(item.path, "failed", size=item.size, error=error)
        seen.add(item.sha256)
        self.index.stage(d.search for d in item.rows.documents if d.search is not None)
        return IngestResult(item.path, "added", len(item.rows.documents), item.rows.fragments,
                            item.size)


class _Refused(Exception):
    """The database refused a file of a batch written straight (see `Batch.write`)."""


def ingest(files: Iterable[tuple[Path, str]], store: Store, index: SearchIndex,
           place: Callable[[], Workplace], jobs: int,
           import_export: Callable[[Path], IngestResult],
           received: Callable[[Path], None] | None = None
           ) -> Generator[IngestResult, None, None]:
    """Ingest (file, collection) pairs; yield each file's result, in input order, once its
    batch is committed (`received` is told of each file as it reaches the writer, before).
    JSONL exports are handed to `import_export` between batches."""
    stream = prepared(files, place, jobs, store.has_source)
    try:
        with index.writing():
            batch = Batch(store, index)
            for item in stream:
                if received:
                    received(item.path)
                if item.status == "export":
                    yield from batch.write()
                    yield _imported(item.path, import_export)
                elif batch.add(item):
                    yield from batch.write()
            yield from batch.write()
    finally:
        stream.close()  # stops the workers at once when the ingest ends early


def _imported(path: Path, import_export: Callable[[Path], IngestResult]) -> IngestResult:
    """Import a JSONL export (its own transaction); a refused one comes back failed."""
    try:
        return import_export(path)
    except CablegramError as exc:
        return IngestResult(path, "failed", error=exc)
