"""A source's documents as the rows the store writes (built by the ingest workers), and the
row the search index takes for each document (built here, or read back by the store)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, NamedTuple

from cablegram.model import MENTION_KEYS, Document
from cablegram.relate import ref_key
from cablegram.store import packing


@dataclass
class SourceInfo:
    """What is known of an ingested file before its documents are stored."""

    sha256: str
    name: str
    path: str
    media_type: str
    size: int
    reader: str
    collection: str


class DocumentRows(NamedTuple):
    """One document as the rows the store writes (plain tuples: cheap to send between
    processes): its `documents` row without the source id and row number, its roles
    (role, as written, agent id, name, line) and refs (value, role, line, key) in stored
    order, and, when built for an ingest, its search index row (see `index_row`; the
    ingest workers turn it into the index fields, `search.index.index_fields`)."""

    document: tuple[Any, ...]
    roles: list[tuple[Any, ...]]
    refs: list[tuple[Any, ...]]
    search: dict[str, Any] | None = None


@dataclass
class SourceRows:
    """A source ready to store: what is known of the file and its documents' rows, numbered
    in reading order (built by an ingest worker, written by the one writer)."""

    info: SourceInfo
    documents: list[DocumentRows]
    fragments: int


class Original(NamedTuple):
    """A source's original bytes, and where each of its lines starts (a text file's)."""

    data: bytes
    starts: list[int]


def original_of(src: SourceInfo, data: bytes | None) -> Original | None:
    """The original whose lines document texts may be read from (text files only)."""
    if data is None or src.reader != packing.TEXT_READER:
        return None
    return Original(data, packing.line_starts(data))


def index_row(doc_id: str, row: dict[str, Any] | sqlite3.Row, collection: str, text: str,
              contract: dict[str, Any], roles: list[tuple[Any, ...]], ref_keys: list[str]
              ) -> dict[str, Any]:
    """The search index's row of a document: from its columns `row` (title, date, type,
    fragment), collection, text, contract, roles (role, as written, agent id, name, ...)
    and reference keys."""
    page, sent = (v if isinstance(v, dict) else {}
                  for v in (contract.get("page"), contract.get("transmission")))
    language = contract.get("language")
    return {"id": doc_id, "title": row["title"], "text": text, "date": row["date"],
            "type": row["type"], "fragment": row["fragment"], "collection": collection,
            "language": page.get("language") if language is None else language,
            "sent_from": sent.get("from_place"), "sent_to": sent.get("to_place"),
            "names": " | ".join(f"{r[3] or ''} {r[1]}" for r in roles),
            "roles": [(r[0], r[2], r[3], r[1]) for r in roles], "ref_keys": ref_keys}


def document_rows(doc_id: str, seq: int, parent: str | None, doc: Document,
                  src: SourceInfo, stored: dict[str, Any] | None = None,
                  original: Original | None = None) -> DocumentRows:
    """The rows of one document of `src`, and its index row; `stored` replaces the contract
    kept (imports: no index row then); the text is left in `original` when it reads back
    the same from there (see cablegram/store/packing.py)."""
    ingest = stored is None
    if stored is None:
        stored = doc.to_contract()
        stored.pop("text")
        stored["enclosures"] = []
    span = packing.text_span(original.data, original.starts, doc.text,
                             stored.get("fragments")) if original else None
    row = (doc_id, seq, parent, doc.start_line, doc.end_line, doc.number, doc.title or "",
           doc.type, doc.date, doc.date_precision, doc.sent, doc.received, int(doc.fragment),
           None if span else packing.compress_text(doc.text), *(span or (None, None)))
    roles = [(role, m.as_written, m.id, m.name, m.line)
             for role in MENTION_KEYS for m in doc.mentions.get(role, [])]
    refs = [(r.value, r.role, r.line, ref_key(r.value)) for r in doc.refs]
    data = packing.pack(stored, row, roles, refs, src.name)
    index = index_row(doc_id, {"title": row[6], "date": doc.date, "type": doc.type,
                               "fragment": row[12]}, src.collection, doc.text, stored, roles,
                      [r[3] for r in refs]) if ingest else None
    return DocumentRows((*row, data), roles, refs, index)


def flatten(docs: list[Document], prefix: str, parent: str | None = None,
            out: list[tuple[str, int, str | None, Document]] | None = None
            ) -> list[tuple[str, int, str | None, Document]]:
    """Number documents in reading order, each enclosure right after its cable."""
    out = [] if out is None else out
    for doc in docs:
        seq = len(out) + 1
        doc_id = f"{prefix}-{seq}"
        out.append((doc_id, seq, parent, doc))
        flatten(doc.enclosures, prefix, doc_id, out)
    return out


def source_rows(src: SourceInfo, docs: list[Document], data: bytes | None = None
                ) -> SourceRows:
    """A source's documents (enclosures right after their cable) as rows to store; given
    the file's bytes `data`, texts are read from there when they can be."""
    flat = flatten(docs, src.sha256[:12])
    original = original_of(src, data)
    return SourceRows(src, [document_rows(*item, src, original=original) for item in flat],
                      sum(1 for *_, d in flat if d.fragment))
