"""An archive on disk: the store (system of record), the originals and the search index."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import asdict
from itertools import chain
from pathlib import Path
from typing import Any

from cablegram.authority.lookup import Authority, default_authority
from cablegram.errors import (
    ArchiveError,
    ArchiveNotFoundError,
    InputError,
    NotFoundError,
    QueryError,
)
from cablegram.export import Format, exporter
from cablegram.export.jsonl import ORIGINAL_KEY, encode_original, read_export
from cablegram.ingest import IngestResult, Workplace, ingest, keep_original, original_file
from cablegram.search import profile
from cablegram.search.index import SORTS, Result, SearchIndex
from cablegram.search.network import NETWORK_EDGES, network
from cablegram.search.query import parse
from cablegram.search.timeline import timeline
from cablegram.store import agents
from cablegram.store.sqlite import SourceInfo, Store

__all__ = ["Archive", "IngestResult"]

DB_NAME = "cablegram.sqlite"
ORIGINALS = "originals"
INDEX = "index"


class Archive:
    """Open archive: use `Archive.create` or `Archive.open`."""

    def __init__(self, root: Path, authority: Authority | None = None) -> None:
        """Open the archive at `root` (it must exist)."""
        self.root = root
        if not (root / DB_NAME).exists():
            raise ArchiveNotFoundError(
                f"{root}: no archive here. Create one with `cablegram init {root}` or point "
                "--archive (or $CABLEGRAM_ARCHIVE) at an existing one.")
        self.store = Store(root / DB_NAME, root / ORIGINALS)
        self.index = SearchIndex(root / INDEX)
        self._authority: Authority | None = None
        if authority is not None:
            self.authority = authority

    @property
    def authority(self) -> Authority:
        """The authority names are linked through: the shipped one unless another was set,
        loaded when first needed (re-ingesting stored files or reading needs none)."""
        if self._authority is None:
            self.authority = default_authority()
        assert self._authority is not None
        return self._authority

    @authority.setter
    def authority(self, value: Authority) -> None:
        """Link through `value`; the index resolves name fields through the same file."""
        self._authority = value
        self.index.authority = value

    @classmethod
    def create(cls, root: Path) -> Archive:
        """Create an empty archive at `root`; refuse to overwrite one."""
        if (root / DB_NAME).exists():
            raise ArchiveError(f"{root}: an archive exists here already; nothing was changed.")
        if root.exists() and any(root.iterdir()):
            raise ArchiveError(f"{root}: the folder is not empty; choose an empty or new folder.")
        (root / ORIGINALS).mkdir(parents=True, exist_ok=True)
        Store.create(root / DB_NAME).close()
        SearchIndex(root / INDEX)
        return cls(root)

    @classmethod
    def open(cls, root: Path) -> Archive:
        """Open an archive and make its search index agree with the store."""
        archive = cls(root)
        archive.reconcile()
        return archive

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def original_path(self, sha256: str) -> Path:
        """Where the original bytes with this hash are kept."""
        return original_file(self.root / ORIGINALS, sha256)

    def ingest(self, files: Iterable[tuple[Path, str]], jobs: int = 1,
               collection: str | None = None, received: Callable[[Path], None] | None = None
               ) -> Generator[IngestResult, None, None]:
        """Keep, read, split, extract, store and index (file, collection) pairs, `jobs`
        processes reading and extracting (1: this one) and this one writing in batches; yield
        each file's result in input order once stored (see cablegram.ingest). A file is
        stored whole or not at all; the same bytes again are unchanged. `received` is told
        of each file as it reaches the writer (a progress bar). With `jobs` > 1 the workers
        start afresh (forkserver): a script calling this needs the usual
        `if __name__ == "__main__":` guard."""
        if collection:
            files = ((path, collection) for path, _ in files)

        def place() -> Workplace:
            """Where workers work, with the authority (loaded only when a file is new)."""
            return Workplace(self.root / ORIGINALS, self.authority)

        return ingest(files, self.store, self.index, place, jobs, self.import_jsonl, received)

    def ingest_file(self, path: Path, collection: str) -> IngestResult:
        """Keep, read, split, extract, store and index one file (one transaction); raise
        the error that says why when it cannot be."""
        (result,) = self.ingest([(path, collection)])
        if result.error is not None:
            raise result.error
        return result

    def reindex(self) -> int:
        """Rebuild the search index from the store; return the number of documents."""
        return self.index.rebuild(self.store.index_rows())

    def reconcile(self) -> bool:
        """Rebuild the index when it and the store disagree; return whether it did."""
        if self.index.num_docs() == self.store.count():
            return False
        self.reindex()
        return True

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document with everything stored about it."""
        doc = self.store.document(doc_id)
        if doc is None:
            raise NotFoundError(f"No document with id '{doc_id}'. Search for it, or check "
                                "the id shown by `cablegram search`.")
        doc["relations"] = self.store.relations(doc_id, doc["refs"])
        return doc

    def records(self, query: str | None = None) -> Iterator[dict[str, Any]]:
        """Every document record (as `document` gives it), or those matching `query`,
        in archive order: the input of every exporter."""
        ids = self.store.document_ids()
        if query:
            found = set(self.index.matching_ids(parse(query)))
            ids = [i for i in ids if i in found]
        for doc_id in ids:
            yield self.document(doc_id)

    def search(self, text: str, limit: int = 10, offset: int = 0, sort: str = "relevance",
               facets: bool = True) -> dict[str, Any]:
        """Run a user query; return the total, one page of hits with their snippets (by
        relevance or date: see search.index.SORTS), facets and did-you-mean suggestions."""
        if sort not in SORTS:
            raise QueryError(f"'{sort[:40]}' is not a sort order; use relevance, date (oldest "
                             "first) or -date (newest first).")
        query = parse(text)
        info: dict[str, dict[str, Any]] = {}

        def texts(ids: list[str]) -> dict[str, str]:
            """The hits' texts for their snippets, read with their titles and dates."""
            info.update(self.store.summaries(ids, text=True))
            return {i: row["text"] for i, row in info.items()}

        result = self.index.search(query, limit, offset, sort, facets, text,
                                   texts) if query.groups else Result(0, [])
        rows = []
        for h in result.hits:
            meta = info.get(h.id, {})
            rows.append({"id": h.id, "title": meta.get("title"), "date": meta.get("date"),
                         "type": meta.get("type"), "collection": meta.get("collection"),
                         "source": meta.get("source"), "score": round(h.score, 4),
                         "snippet": h.snippet, "highlights": [list(r) for r in h.highlights]})
        return {"query": text, "total": result.total, "limit": limit, "offset": offset,
                "sort": sort, "hits": rows,
                "facets": {k: [v.to_dict() for v in vs] for k, vs in result.facets.items()},
                "suggestions": result.suggestions}

    def timeline(self, text: str = "") -> dict[str, Any]:
        """Documents over time (years and months) for a query; every document when empty."""
        return self.index.cached(("timeline", text), lambda: timeline(self.index, text))

    def network(self, text: str = "", start: str = "", end: str = "",
                limit: int = NETWORK_EDGES) -> dict[str, Any]:
        """The correspondence graph of the documents matching `text` within [start, end]."""
        return self.index.cached(("network", text, start, end, limit),
                                 lambda: network(self.index, text, start, end, limit))

    def overview(self, latest: int = 10) -> dict[str, Any]:
        """Counts, collections and the latest documents, for the home page."""
        return {"counts": self.store.stats(), "collections": self.store.collections(),
                "latest": self.store.latest(latest)}

    # --- Export (`cablegram export`, download links) and ingest of JSONL exports ---

    def export(self, name: str, query: str | None = None, ids: list[str] | None = None,
               base_url: str | None = None) -> tuple[Format, str]:
        """The whole archive, the documents matching `query` or those with `ids`, written in
        export format `name`; citations link to document pages under `base_url` if given."""
        fmt, write = exporter(name)
        records: Iterable[dict[str, Any]] = \
            [self.document(i) for i in dict.fromkeys(ids)] if ids else self.records(query)
        if base_url:
            records = _with_urls(records, base_url)
        if fmt.name == "jsonl":
            records = self._with_originals(records)
        return fmt, write(records, self.authority)

    def _with_originals(self, records: Iterable[dict[str, Any]]
                        ) -> Iterator[dict[str, Any]]:
        """Records whose `source_file` also carries its reader and original bytes (base64)."""
        current: dict[str, tuple[str, str]] = {}
        for record in records:
            src = dict(record["source_file"])
            sha = src["sha256"]
            if sha not in current:
                path, row = self.original_path(sha), self.store.source(sha)
                if row is None or not path.is_file():
                    raise ArchiveError(f"{path}: the original of source {sha} is missing; "
                                       "the archive is damaged. Ingest the file again.")
                current = {sha: (row["reader"], encode_original(path.read_bytes()))}
            src["reader"], src[ORIGINAL_KEY] = current[sha]
            yield {**record, "source_file": src}

    def import_jsonl(self, path: Path) -> IngestResult:
        """Restore the sources of a JSONL export exactly (one transaction for the file);
        sources the archive holds already are left as they are."""
        found = [s for s in read_export(path) if not self.store.has_source(s.meta["sha256"])]
        if not found:
            return IngestResult(path, "unchanged")
        docs = [d for s in found for d in s.documents]
        clash = self.store.existing_ids([d[0] for d in docs])
        if clash:
            raise InputError(f"{path}: document {clash[0]} is in this archive already, from "
                             "another source; nothing was ingested from this file.")
        for s in found:
            keep_original(self.root / ORIGINALS, s.meta["sha256"], s.data)
        self.store.restore_sources([
            (SourceInfo(**{k: v for k, v in s.meta.items() if k != "ingested_at"}),
             s.meta["ingested_at"], s.documents, s.data) for s in found])
        self.index.add(chain.from_iterable(self.store.index_rows(s.meta["sha256"])
                                           for s in found))
        return IngestResult(path, "added", len(docs), sum(1 for d in docs if d[2].fragment),
                            path.stat().st_size)

    # --- People, organisations and places: their record and what the store holds of them ---

    def authority_record(self, record_id: str, kinds: tuple[str, ...]) -> dict[str, Any]:
        """The authority record with this id as a plain dict; NotFoundError unless it is one
        of `kinds` (person, organization, place)."""
        record = self.authority.get(record_id)
        if record is None or record.kind not in kinds:
            what, example = ("place", "place:Pyongyang") if kinds == ("place",) else \
                ("person or organisation", "person:Stalin")
            raise NotFoundError(
                f"No {what} with id '{record_id[:80]}' in the authority file. To find one, "
                f"search the archive for the name (e.g. {example}) and follow a linked name "
                "to its page.")
        return asdict(record)

    def agent(self, agent_id: str, limit: int = 100) -> dict[str, Any]:
        """A person or organisation: the record, documents per year and role, the first
        `limit` documents, correspondents, intermediaries and the letters passed on."""
        record = self.authority_record(agent_id, ("person", "organization"))
        found = self.index.cached(("agent", agent_id, limit),
                                  lambda: profile.agent_profile(self.index, agent_id, limit))
        found["documents"] = agents.listed(self.store.conn, found["documents"], agent_id)
        return {"record": record, **found}

    def place(self, place_id: str, limit: int = 100) -> dict[str, Any]:
        """A place: the record and the documents sent from, sent to and mentioning it."""
        record = self.authority_record(place_id, ("place",))
        found = self.index.cached(("place", place_id, limit), lambda: profile.place_profile(
            self.index, place_id, record["name"], limit))
        for key, part in found.items():
            who = place_id if key == "mentioned" else None  # the words naming it, as written
            part["documents"] = agents.listed(self.store.conn, part["documents"], who,
                                              ("places",))
        return {"record": record, **found}


def _with_urls(records: Iterable[dict[str, Any]], base_url: str) -> Iterator[dict[str, Any]]:
    """Records with the absolute URL of their page in the reading room (`url`)."""
    from cablegram.web import urls

    for record in records:
        yield {**record, "url": base_url.rstrip("/") + urls.document(record["id"])}
