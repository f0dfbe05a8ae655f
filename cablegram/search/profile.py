"""What the search index tells about one authority record, for its page: the documents of a
person or organisation per year and role, their counterparts (correspondents, intermediaries,
letters passed on) and the first documents oldest first; the documents sent from, sent to and
mentioning a place.

Everything is counted by index aggregations over the record's documents, on the fast fields
`year`, `f_roles` and `f_links` (search/index.py): a page costs about the same at any archive
size, and grows only with the record's own documents. The store is read only for the listed
documents' titles and the record's roles in them (store/agents.py).
"""

from __future__ import annotations

import re
from typing import Any

import tantivy

from cablegram.authority.lookup import Authority
from cablegram.model import MENTION_KEYS
from cablegram.search.index import RELATIONS, SearchIndex

UNDATED = 0  # the year bucket of documents without a date
YEARS = 1000  # year buckets kept: every year there is
YEAR_BUCKETS = {"terms": {"field": "year", "size": YEARS, "missing": UNDATED}}
# Counterpart terms kept: above any record's (at most three per table and other record it
# shares documents with), below the index's limit of 65 000 buckets in one aggregation.
LINK_BUCKETS = 60_000
# The roles of RELATIONS: a record has counterparts only in documents where it has one.
LINKED = tuple(dict.fromkeys(role for pairs in RELATIONS.values() for sides in pairs.values()
                             for roles in sides for role in roles))
# A page of documents: (id, day number or None, date as stored).
Listed = list[tuple[str, int | None, str]]


def role_terms(agent_id: str, roles: tuple[str, ...] = MENTION_KEYS) -> list[str]:
    """The `f_roles` terms of a record in these roles."""
    return [f"{agent_id}\t{role}" for role in roles]


def starting_with(prefix: str, authority: Authority) -> str:
    """The index regex of the terms starting with `prefix` whose rest is made of ids of the
    authority, tabs and our ASCII names. The index compiles it for every segment, and an ASCII
    class compiles several times faster than `.*`: it is used unless some id (they should be
    slugs, see authority/check.py) is not ASCII."""
    rest = r"[\x00-\x7f]*" if all(i.isascii() for i in authority.records) else ".*"
    return re.escape(prefix) + rest


def _year(key: Any) -> str | None:
    """A year bucket's key as the page gives it: `1950`, or None when undated."""
    return None if int(key) == UNDATED else f"{int(key):04d}"


def _buckets(result: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The buckets of one aggregation of a result."""
    return list(result.get(name, {}).get("buckets", []))


def _per_year(result: dict[str, Any]) -> dict[str | None, int]:
    """Documents per year (None: undated) from a result's `years` aggregation."""
    return {_year(y["key"]): int(y["doc_count"]) for y in _buckets(result, "years")}


def timeline(searcher: tantivy.Searcher, schema: tantivy.Schema, agent_id: str
             ) -> list[dict[str, Any]]:
    """Documents per year (None when undated) and role: `{"year", "role", "count"}`, by year,
    undated last. One small aggregation per role (each reads only that role's documents,
    which is faster than counting the roles of every document)."""
    rows = []
    for role, term in zip(MENTION_KEYS, role_terms(agent_id), strict=True):
        query = tantivy.Query.term_query(schema, "f_roles", term)
        per_year = _per_year(searcher.aggregate(query, {"years": YEAR_BUCKETS}))
        rows += [{"year": year, "role": role, "count": n} for year, n in per_year.items()]
    rows.sort(key=lambda row: (row["year"] is None, row["year"] or "", row["role"]))
    return rows


def counterparts(result: dict[str, Any], authority: Authority, top: int
                 ) -> dict[str, list[dict[str, Any]]]:
    """Per table of RELATIONS, the `top` records sharing most documents with this one there:
    `{"id", "name", <pair>: documents, ..., "total": documents}`, by total, then name."""
    found: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in RELATIONS}
    for bucket in _buckets(result, "links"):
        _, table, other, pairs = str(bucket["key"]).split("\t")
        if other not in found[table]:
            record = authority.get(other)
            found[table][other] = {"id": other, "name": record.name if record else other,
                                   **dict.fromkeys(RELATIONS[table], 0), "total": 0}
        row, count = found[table][other], int(bucket["doc_count"])
        for pair in pairs.split("+"):
            row[pair] += count
        row["total"] += count
    out = {}
    for table, rows in found.items():
        ranked = sorted(rows.values(), key=lambda c: (-c["total"], c["name"], c["id"]))
        out[table] = ranked[:top]
    return out


def _page(searcher: tantivy.Searcher, found: list[tuple[Any, Any]]) -> Listed:
    """Hits given as (day, address) as (id, day, date as stored)."""
    out = []
    for day, address in found:
        doc = searcher.doc(address)
        out.append((str(doc.get_first("id")), day, str(doc.get_first("date") or "")))
    return out


def _same_day(schema: tantivy.Schema, day: int | None) -> tuple[tantivy.Occur, tantivy.Query]:
    """The clause keeping the documents whose date starts on `day` (None: the undated)."""
    if day is None:
        return tantivy.Occur.MustNot, tantivy.Query.exists_query("day")
    return tantivy.Occur.Must, tantivy.Query.range_query(schema, "day",
                                                         tantivy.FieldType.Integer, day, day)


def first_documents(searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query,
                    limit: int) -> tuple[int, list[str]]:
    """The number of documents matching `query` and the ids of the first `limit`, oldest
    first: by the first day of their date, then the date as stored, then id; undated last.
    The index sorts by day only: when the document after the cut starts on the same day as
    the last one listed, every document of that day is read and ordered here, so the cut
    falls where a sort by date and id puts it."""
    found = searcher.search(query, limit=limit + 1, count=True, order_by_field="day",
                            order=tantivy.Order.Asc)
    total = int(getattr(found, "count", 0) or 0)
    listed = _page(searcher, found.hits[:limit])
    if limit and len(found.hits) > limit and found.hits[limit][0] == listed[-1][1]:
        day = listed[-1][1]
        tie = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), _same_day(schema, day)])
        ties = int(getattr(searcher.search(tie, limit=1, count=True), "count", 0) or 0)
        seen = {doc_id for doc_id, _, _ in listed}
        group = [(day, address) for _, address in searcher.search(tie, ties).hits]
        listed += [hit for hit in _page(searcher, group) if hit[0] not in seen]
    listed.sort(key=lambda hit: (hit[1] is None, hit[1] or 0, hit[2], hit[0]))
    return total, [doc_id for doc_id, _, _ in listed[:limit]]


def agent_profile(index: SearchIndex, agent_id: str, limit: int = 100, top: int = 20
                  ) -> dict[str, Any]:
    """A person or organisation: the number of documents in which they have any role, per
    year and role and per year, the ids of the first `limit` (see first_documents), and the
    `top` correspondents, intermediaries and those whose letters they passed on."""
    searcher = index.searcher()
    query = tantivy.Query.term_set_query(index.schema, "f_roles", role_terms(agent_id))
    total, ids = first_documents(searcher, index.schema, query, limit)
    years = searcher.aggregate(query, {"years": YEAR_BUCKETS})
    links = searcher.aggregate(  # counterparts share documents where the record corresponds
        tantivy.Query.term_set_query(index.schema, "f_roles", role_terms(agent_id, LINKED)),
        {"links": {"terms": {"field": "f_links", "size": LINK_BUCKETS,
                             "include": starting_with(agent_id + "\t", index.authority)}}})
    return {"total": total, "role_years": timeline(searcher, index.schema, agent_id),
            "year_totals": _per_year(years), "documents": ids,
            **counterparts(links, index.authority, top)}


def place_profile(index: SearchIndex, place_id: str, place_name: str, limit: int = 100
                  ) -> dict[str, dict[str, Any]]:
    """The documents sent from and sent to a place (its preferred name at either end of the
    transmission) and those naming it (the `places` role), each as `{"total", "documents"}`
    with the ids of the first `limit`, oldest first."""
    searcher = index.searcher()
    queries = {
        "sent_from": tantivy.Query.term_query(index.schema, "sent_from", place_name),
        "sent_to": tantivy.Query.term_query(index.schema, "sent_to", place_name),
        "mentioned": tantivy.Query.term_query(index.schema, "f_roles",
                                              role_terms(place_id, ("places",))[0]),
    }
    out = {}
    for key, query in queries.items():
        total, ids = first_documents(searcher, index.schema, query, limit)
        out[key] = {"total": total, "documents": ids}
    return out
