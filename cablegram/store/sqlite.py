"""The SQLite store: the system of record for sources, documents, roles and references."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from cablegram.errors import ArchiveError
from cablegram.model import MENTION_KEYS, Document
from cablegram.relate import (
    NUMBER_ROLES,
    REPLY_ROLES,
    TRANSLATION_MAX_CANDIDATES,
    TRANSLATION_MIN_SIMILARITY,
    content_words,
    days_around,
    dice,
    ref_key,
    reply_keys,
)
from cablegram.store import packing
from cablegram.store.reading import (
    REFS,
    ROLES,
    TEXT_COLUMNS,
    Spellings,
    archive_index_rows,
    document_rows_of,
    source_index_rows,
    text_of,
)
from cablegram.store.rows import (
    DocumentRows,
    SourceInfo,
    SourceRows,
    document_rows,
    flatten,
    original_of,
    source_rows,
)

__all__ = ["SCHEMA_VERSION", "SourceInfo", "SourceRows", "Store", "source_rows"]

SCHEMA_VERSION = "3"
ORIGINALS = "originals"  # the folder of original files, next to the database
INSERT_DOCUMENT = (
    "INSERT INTO documents (n, id, source_id, seq, parent_id, start_line, end_line, number,"
    " title, type, date, date_precision, sent, received, fragment, text, text_start,"
    " text_end, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
SUMMARY_KEYS = ("id", "title", "date", "type", "collection", "source")
SPELLINGS_KEPT = 100_000  # spelling codes the writer remembers (then it starts afresh)


def _connect(path: Path) -> sqlite3.Connection:
    """Open a connection with the settings every caller needs."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def _schema() -> str:
    """The schema script (every statement `IF NOT EXISTS`)."""
    return (resources.files("cablegram.store") / "schema.sql").read_text(encoding="utf-8")


def _indexes() -> str:
    """The schema's CREATE INDEX statements, to add those an older archive lacks."""
    return "\n".join(line for line in _schema().splitlines()
                     if line.startswith("CREATE INDEX IF NOT EXISTS"))


class Store:
    """Read and write the archive's database."""

    def __init__(self, path: Path, originals: Path | None = None) -> None:
        """Open an existing database; texts are read from the original files in `originals`
        (by default the folder of that name next to it)."""
        if not path.exists():
            raise ArchiveError(f"{path}: no database here. Run `cablegram init` first.")
        self.path = path
        self.originals = originals or path.parent / ORIGINALS
        self.conn = _connect(path)
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None or row["value"] != SCHEMA_VERSION:
            raise ArchiveError(f"{path}: archive schema {row and row['value']} is not "
                               f"{SCHEMA_VERSION}; create a new archive with `cablegram init "
                               "NEWDIR` and ingest the files again (originals are in "
                               "originals/).")
        self.conn.executescript(_indexes())  # indexes added since the archive was made
        self.codes = self._role_codes()
        self._spellings: dict[tuple[str, str | None, str | None], int] = {}

    def _role_codes(self) -> dict[str, int]:
        """The code of each role in `document_roles` (roles new to the archive added)."""
        codes = {r["role"]: r["code"] for r in self.conn.execute("SELECT * FROM role_names")}
        for role in (r for r in MENTION_KEYS if r not in codes):
            cur = self.conn.execute("INSERT INTO role_names (role) VALUES (?)", (role,))
            codes[role] = cur.lastrowid or 0
        return codes

    @classmethod
    def create(cls, path: Path) -> Store:
        """Create an empty database (page size set before the first table)."""
        conn = _connect(path)
        conn.execute("PRAGMA page_size=16384")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_schema())
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        conn.close()
        return cls(path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def has_source(self, sha256: str) -> bool:
        """Whether these bytes were ingested already."""
        q = "SELECT 1 FROM sources WHERE sha256=?"
        return self.conn.execute(q, (sha256,)).fetchone() is not None

    def add_source(self, src: SourceInfo, docs: list[Document], data: bytes | None = None
                   ) -> list[tuple[str, Document]]:
        """Store a source and its documents in one transaction (texts read from its bytes
        `data`, kept in the originals, when they can be); return (id, doc) for each."""
        rows = source_rows(src, docs, data)
        with self.transaction():
            self.insert_source(rows)
        return [(doc_id, doc) for doc_id, _, _, doc in flatten(docs, src.sha256[:12])]

    def begin(self) -> None:
        """Start a write transaction (taking the database's write lock now)."""
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        """Commit the transaction in progress."""
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        """Undo the transaction in progress, if any."""
        self._spellings.clear()  # codes given out in it are gone
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction: committed when the block ends, rolled back when it raises."""
        self.begin()
        try:
            yield
        except BaseException:
            self.rollback()
            raise
        self.commit()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Within a transaction: the block's writes are undone alone when it raises."""
        self.conn.execute("SAVEPOINT source")
        try:
            yield
        except BaseException:
            self._spellings.clear()
            self.conn.execute("ROLLBACK TO source")
            self.conn.execute("RELEASE source")
            raise
        self.conn.execute("RELEASE source")

    def insert_source(self, rows: SourceRows, ingested_at: str | None = None) -> int:
        """Insert a source and its documents (inside a transaction); return the source id."""
        src = rows.info
        cur = self.conn.execute(
            "INSERT INTO sources (sha256, name, path, media_type, size, reader, collection,"
            " ingested_at) VALUES (?,?,?,?,?,?,?,?)",
            (src.sha256, src.name, src.path, src.media_type, src.size, src.reader,
             src.collection, ingested_at or datetime.now(UTC).isoformat(timespec="seconds")))
        source_id = cur.lastrowid or 0
        self._insert_documents(source_id, rows.documents)
        return source_id

    def _spelling(self, written: str, agent: str | None, name: str | None) -> int:
        """The code of a spelling (as written, linked agent and name), added if new."""
        key = (written, agent, name)
        code = self._spellings.get(key)
        if code is None:
            row = self.conn.execute("SELECT code FROM spellings WHERE as_written = ? AND"
                                    " agent_id IS ? AND name IS ?", key).fetchone()
            code = row[0] if row else self.conn.execute(
                "INSERT INTO spellings (as_written, agent_id, name) VALUES (?, ?, ?)",
                key).lastrowid or 0
            if len(self._spellings) >= SPELLINGS_KEPT:
                self._spellings.clear()
            self._spellings[key] = code
        return code

    def _insert_documents(self, source_id: int, docs: list[DocumentRows]) -> None:
        """Insert a source's document rows, numbered after the last one, with their roles
        (each spelling kept once, in `spellings`) and references: one statement per table."""
        last = self.conn.execute("SELECT max(n) FROM documents").fetchone()[0] or 0
        numbered = list(enumerate(docs, start=last + 1))
        self.conn.executemany(INSERT_DOCUMENT, [
            (n, rows.document[0], source_id, *rows.document[1:]) for n, rows in numbered])
        self.conn.executemany("INSERT INTO document_roles VALUES (?,?,?,?,?)", [
            (n, i, self.codes[role], self._spelling(written, agent, name), line)
            for n, rows in numbered
            for i, (role, written, agent, name, line) in enumerate(rows.roles)])
        self.conn.executemany("INSERT INTO document_refs VALUES (?,?,?,?,?,?)", [
            (n, i, *ref) for n, rows in numbered for i, ref in enumerate(rows.refs)])

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """Return one document as its contract plus `id`, `parent_id` and `source_file`."""
        row = self.conn.execute(
            "SELECT d.*, s.sha256, s.name AS s_name, s.path AS s_path, s.collection,"
            " s.media_type, s.size, s.ingested_at FROM documents d JOIN sources s"
            " ON s.id = d.source_id WHERE d.id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        roles = document_rows_of(self.conn, ROLES, row["n"])
        refs = document_rows_of(self.conn, REFS, row["n"])
        out: dict[str, Any] = {"id": row["id"], "parent_id": row["parent_id"]}
        out.update(packing.unpack(row["data"], row, roles, refs, row["s_name"]))
        out["text"] = text_of(self.originals, row)
        out["enclosures"] = [self.document(r["id"]) for r in self.conn.execute(
            "SELECT id FROM documents WHERE parent_id=? ORDER BY seq", (doc_id,))]
        out["source_file"] = {
            "name": row["s_name"], "path": row["s_path"], "sha256": row["sha256"],
            "collection": row["collection"], "media_type": row["media_type"],
            "size": row["size"], "ingested_at": row["ingested_at"]}
        return out

    def texts(self, ids: list[str]) -> dict[str, str]:
        """The texts of these documents, by id (those the archive holds)."""
        out: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            out.update((r["id"], text_of(self.originals, r)) for r in self.conn.execute(
                f"SELECT d.id, {TEXT_COLUMNS} FROM documents d JOIN sources s ON s.id ="
                f" d.source_id WHERE d.id IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def source(self, sha256: str) -> dict[str, Any] | None:
        """The ingested file with this hash (name, path, media type, size, collection)."""
        row = self.conn.execute("SELECT * FROM sources WHERE sha256 = ?", (sha256,)).fetchone()
        return dict(row) if row else None

    def relations(self, doc_id: str, refs: list[dict[str, Any]]) -> dict[str, Any]:
        """Documents this one replies to (by its `in reply to` refs), those replying to it,
        and its reply references that match no document in the archive."""
        replies_to, dangling = [], []
        for ref in (r for r in refs if r["role"] in REPLY_ROLES):
            found = self._with_numbers(reply_keys(ref["value"]), NUMBER_ROLES, doc_id)
            replies_to += [{**f, "ref": ref["value"]} for f in found]
            if not found:
                dangling.append(ref["value"])
        own = [ref_key(r["value"]) for r in refs if r["role"] in NUMBER_ROLES]
        replied_by = self._replies_to(own, doc_id)
        return {"replies_to": replies_to, "replied_by": replied_by, "dangling": dangling,
                "translations": self.translations(doc_id)}

    def _parties(self, doc_id: str) -> tuple[set[str], set[str]]:
        """The linked authors and recipients of a document."""
        rows = self.conn.execute(
            "SELECT role, agent_id FROM roles WHERE document_id = ? AND agent_id IS NOT NULL"
            " AND role IN ('authors', 'recipients')", (doc_id,)).fetchall()
        return ({r["agent_id"] for r in rows if r["role"] == "authors"},
                {r["agent_id"] for r in rows if r["role"] == "recipients"})

    def _same_parties(self, doc_id: str, date: str, authors: set[str], recipients: set[str]
                      ) -> list[sqlite3.Row]:
        """Id, title and date of the other day-dated documents a day apart at most with one
        of these linked authors and one of these linked recipients, by date and id."""
        lo, hi = days_around(date)
        return self.conn.execute(  # the dates first: a few a day
            "SELECT DISTINCT d.id, d.title, d.date FROM documents d INDEXED BY documents_date"
            " CROSS JOIN document_roles r ON r.document = d.n JOIN spellings w"
            " ON w.code = r.spelling WHERE d.date BETWEEN ? AND ? AND d.id != ?"
            " AND d.date_precision = 'day' AND r.role = ?"
            f" AND w.agent_id IN ({','.join('?' * len(authors))}) AND EXISTS (SELECT 1 FROM"
            " document_roles t JOIN spellings v ON v.code = t.spelling WHERE t.document = d.n"
            f" AND t.role = ? AND v.agent_id IN ({','.join('?' * len(recipients))}))"
            " ORDER BY d.date, d.id",
            (lo, hi + "\uffff", doc_id, self.codes["authors"], *sorted(authors),
             self.codes["recipients"], *sorted(recipients))).fetchall()

    def translations(self, doc_id: str) -> list[dict[str, Any]]:
        """Other records of the same message: same author and recipient, a day apart at most,
        much the same words (see relate.TRANSLATION_MIN_SIMILARITY; at most
        relate.TRANSLATION_MAX_CANDIDATES of them compared, the same day's first)."""
        row = self.conn.execute("SELECT date, date_precision FROM documents WHERE id = ?",
                                (doc_id,)).fetchone()
        if row is None or row["date_precision"] != "day" or not row["date"]:
            return []
        authors, recipients = self._parties(doc_id)
        if not authors or not recipients:
            return []
        kept = self._same_parties(doc_id, row["date"], authors, recipients)
        if not kept:
            return []
        if len(kept) > TRANSLATION_MAX_CANDIDATES:  # the same day first, then by date, id
            nearest = sorted(kept, key=lambda r: (r["date"][:10] != row["date"][:10],
                                                  r["date"], r["id"]))
            chosen = {r["id"] for r in nearest[:TRANSLATION_MAX_CANDIDATES]}
            kept = [r for r in kept if r["id"] in chosen]
        texts = self.texts([doc_id, *(r["id"] for r in kept)])
        own = content_words(texts[doc_id])  # read once, compared with each candidate's
        out = []
        for other in kept:
            score = dice(own, content_words(texts[other["id"]]))
            if score >= TRANSLATION_MIN_SIMILARITY:
                out.append({"id": other["id"], "title": other["title"], "date": other["date"],
                            "similarity": round(score, 2)})
        return out

    def _with_numbers(self, keys: list[str], roles: tuple[str, ...], exclude: str
                      ) -> list[dict[str, Any]]:
        """Documents carrying one of these numbers in one of these roles."""
        if not keys:
            return []
        q = (f"SELECT DISTINCT d.id, d.title, d.date FROM document_refs r JOIN documents d"
             f" ON d.n = r.document WHERE r.key IN ({','.join('?' * len(keys))})"
             f" AND r.role IN ({','.join('?' * len(roles))}) AND d.id != ? ORDER BY d.date")
        return [dict(r) for r in self.conn.execute(q, (*keys, *roles, exclude))]

    def _replies_to(self, keys: list[str], exclude: str) -> list[dict[str, Any]]:
        """Documents whose reply references name one of these numbers (ranges included)."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(  # exact numbers by index; ranges (`1112-1126`) checked here
            "SELECT DISTINCT d.id, d.title, d.date, r.value FROM document_refs r JOIN"
            " documents d ON d.n = r.document WHERE r.role = 'in reply to' AND d.id != ?"
            f" AND r.key IN ({marks}) UNION SELECT d.id, d.title, d.date, r.value FROM"
            " document_refs r INDEXED BY refs_range JOIN documents d ON d.n = r.document"
            " WHERE r.role = 'in reply to' AND d.id != ? AND r.key LIKE '%-%'",
            (exclude, *keys, exclude))
        return [{"id": r["id"], "title": r["title"], "date": r["date"], "ref": r["value"]}
                for r in rows if set(reply_keys(r["value"])) & set(keys)]

    def document_ids(self) -> list[str]:
        """Every document id in archive order (by source, then position; enclosures after)."""
        rows = self.conn.execute("SELECT d.id FROM documents d JOIN sources s"
                                 " ON s.id = d.source_id ORDER BY s.id, d.seq")
        return [r["id"] for r in rows]

    def count(self) -> int:
        """Number of documents (enclosures included)."""
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def stats(self) -> dict[str, int]:
        """Counts of sources, documents and fragments."""
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM sources) AS sources,"
            " (SELECT count(*) FROM documents) AS documents,"
            " (SELECT count(*) FROM documents WHERE fragment = 1) AS fragments").fetchone()
        return {k: int(row[k]) for k in ("sources", "documents", "fragments")}

    def collections(self) -> list[dict[str, Any]]:
        """Each collection with its number of sources and documents."""
        rows = self.conn.execute(
            "SELECT s.collection AS name, count(*) AS sources, sum((SELECT count(*) FROM"
            " documents d WHERE d.source_id = s.id)) AS documents FROM sources s"
            " GROUP BY s.collection ORDER BY s.collection")
        return [dict(r) for r in rows]

    def latest(self, limit: int) -> list[dict[str, Any]]:
        """The most recently ingested documents, newest first."""
        rows = self.conn.execute(
            "SELECT d.id, d.title, d.date, d.type, s.collection FROM (SELECT id, collection"
            " FROM sources ORDER BY id DESC LIMIT ?) s JOIN documents d ON d.source_id = s.id"
            " ORDER BY s.id DESC, d.seq LIMIT ?", (limit, limit))
        return [dict(r) for r in rows]

    def summaries(self, ids: list[str], text: bool = False) -> dict[str, dict[str, Any]]:
        """Title, date, type, collection and source name of the given documents, by id, and
        their `text` when asked (a search's hits: one query for both)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT d.id, d.title, d.date, d.type, s.collection, s.name AS source"
            f"{', ' + TEXT_COLUMNS if text else ''} FROM documents d JOIN sources s"
            f" ON s.id = d.source_id WHERE d.id IN ({marks})", ids)
        if not text:
            return {r["id"]: dict(r) for r in rows}
        return {r["id"]: {**{k: r[k] for k in SUMMARY_KEYS}, "text": text_of(self.originals, r)}
                for r in rows}

    def index_rows(self, sha256: str | None = None) -> Iterator[dict[str, Any]]:
        """Documents (all, or one source's) with the fields the search index needs, in
        archive order (see rows.index_row)."""
        spellings = Spellings(self.conn, self.codes)
        if sha256 is None:
            yield from archive_index_rows(self.conn, self.originals, spellings)
            return
        for src in self.conn.execute("SELECT id, sha256, name, collection FROM sources"
                                     " WHERE sha256 = ?", (sha256,)):
            yield from source_index_rows(self.conn, self.originals, src, spellings)

    # --- OAI-PMH: documents with their datestamp (the source's ingest time, UTC) ---

    def _datestamped_where(self, start: str | None, end: str | None,
                           collection: str | None) -> tuple[str, list[Any]]:
        """WHERE clause for `datestamped` (bounds are `YYYY-MM-DDThh:mm:ss`, inclusive)."""
        terms, args = ["1=1"], []
        for bound, op in ((start, ">="), (end, "<=")):
            if bound is not None:
                terms.append(f"substr(s.ingested_at, 1, 19) {op} ?")
                args.append(bound)
        if collection is not None:
            terms.append("s.collection = ?")
            args.append(collection)
        return " AND ".join(terms), args

    def datestamped(self, start: str | None = None, end: str | None = None,
                    collection: str | None = None, after: tuple[int, int] | None = None,
                    limit: int = 100) -> list[dict[str, Any]]:
        """Documents ingested within [start, end] (and in `collection`), in archive order
        after the (source id, seq) key `after`: id, source_id, seq, ingested_at, collection."""
        where, args = self._datestamped_where(start, end, collection)
        if after is not None:
            where += " AND (s.id > ? OR (s.id = ? AND d.seq > ?))"
            args += [after[0], after[0], after[1]]
        rows = self.conn.execute(
            "SELECT d.id, d.source_id, d.seq, s.ingested_at, s.collection FROM documents d"
            f" JOIN sources s ON s.id = d.source_id WHERE {where} ORDER BY s.id, d.seq LIMIT ?",
            (*args, limit))
        return [dict(r) for r in rows]

    def count_datestamped(self, start: str | None = None, end: str | None = None,
                          collection: str | None = None) -> int:
        """How many documents `datestamped` lists in all for these bounds."""
        where, args = self._datestamped_where(start, end, collection)
        return int(self.conn.execute(
            "SELECT count(*) FROM documents d JOIN sources s ON s.id = d.source_id"
            f" WHERE {where}", args).fetchone()[0])

    def earliest_ingested_at(self) -> str | None:
        """The ingest time of the oldest source (None for an empty archive)."""
        row = self.conn.execute("SELECT min(ingested_at) FROM sources").fetchone()
        return row[0] if row else None

    # --- Import of a JSONL export: sources restored exactly as they were stored ---

    def restore_sources(self, sources: list[tuple[SourceInfo, str, list[tuple[
            str, str | None, Document, dict[str, Any]]], bytes]]) -> None:
        """Store exported sources with their ingest times, document ids, stored contracts
        (each `(id, parent_id, document, contract)`) and original bytes (kept in the
        originals already), all in one transaction."""
        with self.transaction():
            for src, ingested_at, docs, data in sources:
                original = original_of(src, data)
                rows = [document_rows(doc_id, seq, parent, doc, src, contract, original)
                        for seq, (doc_id, parent, doc, contract) in enumerate(docs, start=1)]
                self.insert_source(SourceRows(src, rows, 0), ingested_at)

    def existing_ids(self, ids: list[str]) -> list[str]:
        """Those of `ids` that are documents of this archive already."""
        found: list[str] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self.conn.execute(f"SELECT id FROM documents WHERE id IN "
                                     f"({','.join('?' * len(chunk))})", chunk)
            found += [r["id"] for r in rows]
        return found
