"""What the store adds to the page of an authority record: the listed documents' titles and
types, and the record's roles in each with the words as written and their line.

The counts of those pages and the choice of documents listed come from the search index
(search/profile.py); only the listed documents (the page's `limit`) are read here.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from cablegram.model import MENTION_KEYS


def _marks(values: list[str]) -> str:
    """SQL placeholders for a list of values."""
    return ",".join("?" * len(values))


def _roles(found: list[tuple[str, str, int | None]]) -> list[dict[str, Any]]:
    """The record's roles in one document (`{"role", "as_written", "line"}`), each role and
    spelling once (on its first line), in the order of MENTION_KEYS."""
    rank = {k: i for i, k in enumerate(MENTION_KEYS)}
    kept = {(role, written): line for role, written, line in reversed(found)}  # first line
    return [{"role": role, "as_written": written, "line": line}
            for (role, written), line in sorted(kept.items(), key=lambda item: (
                rank.get(item[0][0], len(rank)), item[1] or 0))]


def roles_in(conn: sqlite3.Connection, agent_id: str, ids: list[str],
             roles: tuple[str, ...] = MENTION_KEYS) -> dict[str, list[dict[str, Any]]]:
    """The record's roles (of `roles`) in each of these documents, by document id (see
    _roles). Read by document (the roles' primary key), so the cost is that of the page."""
    found: dict[str, list[tuple[str, str, int | None]]] = {i: [] for i in ids}
    for doc_id, role, written, line in conn.execute(
            "SELECT r.document_id, r.role, r.as_written, r.line FROM roles r"
            f" WHERE r.document_id IN ({_marks(ids)}) AND +r.agent_id = ?"
            " ORDER BY r.document_id, r.seq", (*ids, agent_id)):
        if role in roles:
            found[doc_id].append((role, written, line))
    return {doc_id: _roles(rows) for doc_id, rows in found.items()}


def listed(conn: sqlite3.Connection, ids: list[str], agent_id: str | None = None,
           roles: tuple[str, ...] = MENTION_KEYS) -> list[dict[str, Any]]:
    """The documents with these ids, in this order: `{"id", "title", "date", "type"}`, and
    the record's `roles` in each when `agent_id` is given (see roles_in)."""
    if not ids:
        return []
    info = {r["id"]: r for r in conn.execute(
        f"SELECT id, title, date, type FROM documents WHERE id IN ({_marks(ids)})", ids)}
    rows = [{k: info[i][k] for k in ("id", "title", "date", "type")} for i in ids if i in info]
    if agent_id is not None:
        found = roles_in(conn, agent_id, ids, roles)
        for row in rows:
            row["roles"] = found[row["id"]]
    return rows
