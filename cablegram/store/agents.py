"""What the store holds about one authority record: its documents by year and role, its
correspondents and intermediaries, and the documents sent from, to or mentioning a place.

Every query starts from the `roles_agent` index (agent id, role): a record's documents are
read in one indexed pass and counted by year and role in Python, its counterparts with one
GROUP BY self-join of `roles`; only the listed documents (the caller's `limit`) are fetched.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from cablegram.model import MENTION_KEYS

# Pairs of roles that make a counterpart: (name, roles of the record, roles of the other).
Pairs = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
CORRESPONDENCE: Pairs = (
    ("sent", ("authors",), ("recipients", "for")),      # they wrote to the other
    ("received", ("recipients", "for"), ("authors",)),  # the other wrote to them
)
INTERMEDIARIES: Pairs = (
    ("sent", ("authors",), ("via",)),                   # their letters went via the other
    ("received", ("recipients", "for"), ("via",)),      # letters to them went via the other
)
PASSED_ON: Pairs = (
    ("from", ("via",), ("authors",)),                   # they passed on the other's letters
    ("to", ("via",), ("recipients", "for")),            # ... to the other
)
# The counterpart tables of a person's page, all counted in one pass.
RELATIONS: dict[str, Pairs] = {
    "correspondents": CORRESPONDENCE, "via": INTERMEDIARIES, "passed_on": PASSED_ON}
# Where the extract stage records the two ends of a transmission (record names, see
# extract/transmission.py): the sending station (sent line or dateline) and the receiving one
# (receipt line, address line, or the fixed seat of the recipient's office).
TRANSMISSION_ENDS = {
    "from": "json_extract(d.data, '$.transmission.from_place')",
    "to": "json_extract(d.data, '$.transmission.to_place')",
}
_ORDER = "d.date IS NULL, d.date, d.id"  # oldest first, undated last


def _marks(values: tuple[str, ...] | list[str]) -> str:
    """SQL placeholders for a list of values."""
    return ",".join("?" * len(values))


# A record's appearance in one document: its date, and its (role, as written, line) there.
Appearance = tuple[str | None, list[tuple[str, str, int | None]]]


def appearances(conn: sqlite3.Connection, agent_id: str, roles: tuple[str, ...] = ()
                ) -> dict[str, Appearance]:
    """Every document in which the record has one of `roles` (any role when empty), by id,
    with its date and the record's roles in it. One indexed pass; the callers count and
    sort in Python, and only build the rows they show."""
    where, args = "r.agent_id = ?", [agent_id]
    if roles:
        where += f" AND r.role IN ({_marks(roles)})"
        args += roles
    docs: dict[str, Appearance] = {}
    for doc_id, role, written, line, date in conn.execute(
            "SELECT r.document_id, r.role, r.as_written, r.line, d.date FROM roles r"
            f" JOIN documents d ON d.id = r.document_id WHERE {where}", args):
        docs.setdefault(doc_id, (date, []))[1].append((role, written, line))
    return docs


def tally(docs: dict[str, Appearance]) -> tuple[list[dict[str, Any]], dict[str | None, int]]:
    """Documents per year (None when undated) and role (`{"year", "role", "count"}`, by year,
    undated last), and documents per year in any role."""
    per: dict[tuple[str | None, str], int] = {}
    totals: dict[str | None, int] = {}
    for date, found in docs.values():
        year = date[:4] if date else None
        totals[year] = totals.get(year, 0) + 1
        for role in {r[0] for r in found}:
            per[(year, role)] = per.get((year, role), 0) + 1
    rows = [{"year": y, "role": r, "count": n} for (y, r), n in per.items()]
    rows.sort(key=lambda row: (row["year"] is None, row["year"] or "", row["role"]))
    return rows, totals


def _roles(found: list[tuple[str, str, int | None]]) -> list[dict[str, Any]]:
    """The record's roles in one document (`{"role", "as_written", "line"}`), each role and
    spelling once, in the order of MENTION_KEYS."""
    rank = {k: i for i, k in enumerate(MENTION_KEYS)}
    kept = {(role, written): line for role, written, line in reversed(found)}  # first line
    return [{"role": role, "as_written": written, "line": line}
            for (role, written), line in sorted(kept.items(), key=lambda item: (
                rank.get(item[0][0], len(rank)), item[1] or 0))]


def first_documents(conn: sqlite3.Connection, docs: dict[str, Appearance],
                    limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """A page of the documents, oldest first (undated last), with title and type:
    `{"id", "title", "date", "type", "roles"}`."""
    ids = sorted(docs, key=lambda i: (docs[i][0] is None, docs[i][0] or "", i))
    page = ids[offset:offset + limit]
    info = {r["id"]: r for r in conn.execute(
        f"SELECT id, title, type FROM documents WHERE id IN ({_marks(page)})", page)}
    return [{"id": i, "title": info[i]["title"], "date": docs[i][0], "type": info[i]["type"],
             "roles": _roles(docs[i][1])} for i in page if i in info]


def documents(conn: sqlite3.Connection, agent_id: str, roles: tuple[str, ...] = (),
              limit: int = 100, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """The documents in which the record has one of `roles` (any role when empty): their
    number, and a page of them oldest first (see first_documents)."""
    docs = appearances(conn, agent_id, roles)
    return len(docs), first_documents(conn, docs, limit, offset)


def _roles_sql(roles: tuple[str, ...]) -> str:
    """Role names (our constants, never user text) as an SQL list of literals."""
    assert all(r.isidentifier() for r in roles), roles
    return ",".join(f"'{r}'" for r in roles)


def _pair_test(own: tuple[str, ...], other: tuple[str, ...]) -> str:
    """SQL that holds when the record has one of `own` roles and the other one of `other`."""
    return f"(s.role IN ({_roles_sql(own)}) AND o.role IN ({_roles_sql(other)}))"


def counterparts(conn: sqlite3.Connection, agent_id: str,
                 tables: dict[str, Pairs] = RELATIONS, limit: int = 20
                 ) -> dict[str, list[dict[str, Any]]]:
    """The linked records that share documents with this one in the pairs of roles of each
    table (see RELATIONS), counted in one self-join of `roles`; per table the `limit`
    strongest: `{"id", "name", <pair name>: documents, ..., "total": documents}`."""
    columns, tests = [], []
    for table, pairs in tables.items():
        table_tests = [_pair_test(own, other) for _, own, other in pairs]
        for (name, _, _), test in zip(pairs, table_tests, strict=True):
            columns.append(f'count(DISTINCT CASE WHEN {test} THEN o.document_id END)'
                           f' AS "{table}.{name}"')
        columns.append(f'count(DISTINCT CASE WHEN {" OR ".join(table_tests)}'
                       f' THEN o.document_id END) AS "{table}.total"')
        tests += table_tests
    own_roles = tuple(sorted({r for pairs in tables.values() for _, own, _ in pairs for r in own}))
    rows = conn.execute(
        f"SELECT o.agent_id AS id, max(o.name) AS name, {', '.join(columns)} FROM roles s"
        " JOIN roles o ON o.document_id = s.document_id"
        f" WHERE s.agent_id = ? AND s.role IN ({_roles_sql(own_roles)})"
        f" AND ({' OR '.join(tests)}) AND o.agent_id IS NOT NULL AND o.agent_id != s.agent_id"
        " GROUP BY o.agent_id", (agent_id,)).fetchall()
    out: dict[str, list[dict[str, Any]]] = {}
    for table, pairs in tables.items():
        found = [{"id": r["id"], "name": r["name"],
                  **{name: r[f"{table}.{name}"] for name, _, _ in pairs},
                  "total": r[f"{table}.total"]} for r in rows if r[f"{table}.total"]]
        found.sort(key=lambda c: (-c["total"], c["name"] or "", c["id"]))
        out[table] = found[:limit]
    return out


def transmitted(conn: sqlite3.Connection, place_name: str, end: str, limit: int = 100
                ) -> tuple[int, list[dict[str, Any]]]:
    """Documents whose transmission was sent from (`end="from"`) or received at (`"to"`)
    the place with this preferred name: their number and the first `limit`, oldest first."""
    expression = TRANSMISSION_ENDS[end]
    rows = conn.execute(
        "SELECT d.id, d.title, d.date, d.type, count(*) OVER () AS total FROM documents d"
        f" WHERE {expression} = ? ORDER BY {_ORDER} LIMIT ?", (place_name, limit)).fetchall()
    total = int(rows[0]["total"]) if rows else 0
    return total, [{k: r[k] for k in ("id", "title", "date", "type")} for r in rows]


def profile(conn: sqlite3.Connection, agent_id: str, limit: int = 100,
            top: int = 20) -> dict[str, Any]:
    """Everything the person or organisation page shows from the store: documents per year
    and role, the first `limit` documents, and the `top` correspondents, intermediaries and
    those whose letters the record passed on."""
    docs = appearances(conn, agent_id)
    role_years, year_totals = tally(docs)
    return {"total": len(docs), "role_years": role_years, "year_totals": year_totals,
            "documents": first_documents(conn, docs, limit),
            **counterparts(conn, agent_id, RELATIONS, top)}


def place_profile(conn: sqlite3.Connection, place_id: str, place_name: str,
                  limit: int = 100) -> dict[str, Any]:
    """The documents sent from, sent to and mentioning a place (the `places` role), each as
    `{"total", "documents"}` with the first `limit`, oldest first."""
    out: dict[str, Any] = {}
    for key, end in (("sent_from", "from"), ("sent_to", "to")):
        total, docs = transmitted(conn, place_name, end, limit)
        out[key] = {"total": total, "documents": docs}
    total, docs = documents(conn, place_id, ("places",), limit)
    out["mentioned"] = {"total": total, "documents": docs}
    return out
