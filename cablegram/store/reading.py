"""Reading documents back from the store's rows: texts, roles and refs by document number,
and the search index's rows of one source or of the whole archive (each original read once)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cablegram.store import packing
from cablegram.store.rows import index_row

# The columns `text_of` reads a document's text from (documents d JOIN sources s).
TEXT_COLUMNS = "d.text, d.text_start, d.text_end, d.data, d.start_line, d.end_line, s.sha256"
# A document's roles as the contract has them: role, as written, agent id, name, line.
ROLES = ("SELECT r.document, k.role, w.as_written, w.agent_id, w.name, r.line"
         " FROM document_roles r JOIN role_names k ON k.code = r.role"
         " JOIN spellings w ON w.code = r.spelling")
REFS = "SELECT f.document, f.value, f.role, f.line, f.key FROM document_refs f"
# The same rows with role and spelling as their codes (see `Spellings`).
CODED_ROLES = "SELECT r.document, r.role, r.spelling, r.line FROM document_roles r"
# The columns of `documents` the contract is rebuilt from, and the text.
DOCUMENT_COLUMNS = ("n, id, start_line, end_line, number, title, type, date, date_precision,"
                    " sent, received, fragment, text, text_start, text_end, data")


def text_of(originals: Path, row: sqlite3.Row) -> str:
    """A document's text, from a row of TEXT_COLUMNS: stored, or read from its original."""
    if row["text"] is not None:
        return packing.decompress_text(row["text"])
    raw = packing.read_span(originals, row["sha256"], row["text_start"], row["text_end"])
    return packing.span_text(raw, packing.fragments(row["data"], row["start_line"],
                                                    row["end_line"]))


def rows_of(conn: sqlite3.Connection, select: str, low: int, high: int
            ) -> dict[int, list[tuple[Any, ...]]]:
    """Rows of ROLES or REFS for the documents numbered `low` to `high`, by number, in
    stored order (without the number)."""
    alias = "r" if "document_roles r" in select else "f"
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in cur.execute(f"{select} WHERE {alias}.document BETWEEN ? AND ?"
                           f" ORDER BY {alias}.document, {alias}.seq", (low, high)):
        out.setdefault(row[0], []).append(row[1:])
    return out


def document_rows_of(conn: sqlite3.Connection, select: str, n: int) -> list[tuple[Any, ...]]:
    """Rows of ROLES or REFS of the document numbered `n`, in stored order (without it)."""
    alias = "r" if "document_roles r" in select else "f"
    cur = conn.cursor()
    cur.row_factory = None
    return [row[1:] for row in cur.execute(
        f"{select} WHERE {alias}.document = ? ORDER BY {alias}.seq", (n,))]


class Spellings:
    """Role names and spellings (as written, agent id, name) by code, read from the store as
    they are first needed and then kept: a reindex reads each of them many times."""

    def __init__(self, conn: sqlite3.Connection, roles: dict[str, int]) -> None:
        """Nothing read yet; `roles` gives each role's code."""
        self.conn = conn
        self.roles = {code: role for role, code in roles.items()}
        self.known: dict[int, tuple[str, str | None, str | None]] = {}

    def rows(self, coded: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Rows of CODED_ROLES (without the document) as ROLES gives them."""
        missing = list({s for _, s, _ in coded if s not in self.known})
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            self.known.update((r[0], (r[1], r[2], r[3])) for r in self.conn.execute(
                "SELECT code, as_written, agent_id, name FROM spellings WHERE code IN"
                f" ({','.join('?' * len(chunk))})", chunk))
        return [(self.roles[role], *self.known[spelling], line)
                for role, spelling, line in coded]


def _index_row(d: sqlite3.Row, src: sqlite3.Row, original: bytes, roles: list[tuple[Any, ...]],
               refs: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The index row of document `d` of source `src` (name, collection), its text read from
    `original` (the start of the source's file) when not stored."""
    kept = packing.kept(d["data"])  # the contract's language, page, transmission, runs
    text = packing.decompress_text(d["text"]) if d["text"] is not None else \
        packing.span_text(original[d["text_start"]:d["text_end"]],
                          kept.get("fragments", [[d["start_line"], d["end_line"]]]))
    return index_row(d["id"], d, src["collection"], text, kept, roles, [r[3] for r in refs])


def source_index_rows(conn: sqlite3.Connection, originals: Path, src: sqlite3.Row,
                      spellings: Spellings) -> Iterator[dict[str, Any]]:
    """The index rows (rows.index_row) of one source's documents, in order."""
    docs = conn.execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE source_id = ?"
                        " ORDER BY seq", (src["id"],)).fetchall()
    if not docs:
        return
    low, high = min(d["n"] for d in docs), max(d["n"] for d in docs)
    roles, refs = rows_of(conn, CODED_ROLES, low, high), rows_of(conn, REFS, low, high)
    original = b""
    if any(d["text"] is None for d in docs):
        end = max(d["text_end"] for d in docs if d["text"] is None)
        original = packing.read_span(originals, src["sha256"], 0, end)
    for d in docs:
        yield _index_row(d, src, original, spellings.rows(roles.get(d["n"], [])),
                         refs.get(d["n"], []))


def _by_document(conn: sqlite3.Connection, select: str) -> Iterator[tuple[int, list[Any]]]:
    """Every row of ROLES, CODED_ROLES or REFS, grouped by document number, in order."""
    alias = "r" if "document_roles r" in select else "f"
    cur = conn.cursor()
    cur.row_factory = None
    group: list[tuple[Any, ...]] = []
    current = 0  # document numbers start at 1
    for row in cur.execute(f"{select} ORDER BY {alias}.document, {alias}.seq"):
        if row[0] != current and group:
            yield current, group
            group = []
        current = row[0]
        group.append(row[1:])
    if group:
        yield current, group


def archive_index_rows(conn: sqlite3.Connection, originals: Path, spellings: Spellings
                       ) -> Iterator[dict[str, Any]]:
    """The index rows of every document, in document order: documents, roles and refs each
    read in one pass (no query per document), each original once."""
    roles, refs = _by_document(conn, CODED_ROLES), _by_document(conn, REFS)
    next_role, next_ref = next(roles, None), next(refs, None)
    sha, original = None, b""
    for d in conn.execute(f"SELECT {', '.join('d.' + c for c in DOCUMENT_COLUMNS.split(', '))},"
                          " s.sha256, s.collection FROM documents d JOIN sources s"
                          " ON s.id = d.source_id ORDER BY d.n"):
        mine: list[tuple[Any, ...]] = []
        numbers: list[tuple[Any, ...]] = []
        if next_role is not None and next_role[0] == d["n"]:
            mine, next_role = spellings.rows(next_role[1]), next(roles, None)
        if next_ref is not None and next_ref[0] == d["n"]:
            numbers, next_ref = next_ref[1], next(refs, None)
        if d["text"] is None and d["sha256"] != sha:
            sha, original = d["sha256"], packing.read_original(originals, d["sha256"])
        yield _index_row(d, d, original, mine, numbers)
