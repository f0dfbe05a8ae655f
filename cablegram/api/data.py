"""The API's own data: the paged list of documents, example ids, and API links."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import tantivy

from cablegram.archive import Archive
from cablegram.search.index import FACET_ROLES
from cablegram.search.profile import role_terms
from cablegram.web import urls

DOCUMENTS_PER_PAGE = 50
AGENT_TERMS = 60_000  # agent ids a facet count keeps: every one (the index allows 65 000)

KIND_ROLES = {
    "person": ("authors", "recipients", "via", "for", "copies_to", "participants", "people"),
    "organization": ("authors", "recipients", "via", "organizations"),
    "place": ("places",),
}


def document_rows(archive: Archive, limit: int, offset: int) -> list[dict[str, Any]]:
    """Id, title, date, type and collection of documents in archive order (by source, then
    position; enclosures after their cable), `limit` of them from `offset`."""
    rows = archive.store.conn.execute(
        "SELECT d.id, d.title, d.date, d.type, s.collection FROM documents d JOIN sources s"
        " ON s.id = d.source_id ORDER BY s.id, d.seq LIMIT ? OFFSET ?", (limit, offset))
    return [dict(r) for r in rows]


def _terms(field: str, include: list[str] | None = None) -> dict[str, Any]:
    """A terms aggregation counting every value of a fast field (so the counts are exact),
    or every one of the values in `include`."""
    terms: dict[str, Any] = {"field": field, "size": AGENT_TERMS, "min_doc_count": 1}
    return {"terms": {**terms, "include": include} if include is not None else terms}


def _exact_field(kind: str) -> str | None:
    """The facet field (search/index.py FACET_ROLES) holding exactly the records linked in
    the roles of `kind`, if there is one."""
    roles = set(KIND_ROLES[kind])
    return next((f for f, found in FACET_ROLES.items() if set(found) == roles), None)


def _is_kind(archive: Archive, agent_id: str, kind: str) -> bool:
    """Whether an id is an authority record of this kind."""
    record = archive.authority.get(agent_id)
    return record is not None and record.kind == kind


def by_facet(archive: Archive, kind: str, field: str) -> str | None:
    """The record of `kind` in the most documents by one facet field's counts (ties: the
    smallest id): one aggregation over every document."""
    searcher = archive.index.searcher()
    result = searcher.aggregate(tantivy.Query.all_query(), {"n": _terms(field)})
    counts = [(int(b["doc_count"]), str(b["key"])) for b in result["n"]["buckets"]]
    found = [(n, agent) for n, agent in counts if _is_kind(archive, agent, kind)]
    return min(found, key=lambda c: (-c[0], c[1]))[1] if found else None


def by_roles(archive: Archive, kind: str) -> str | None:
    """The record of `kind` in the most documents, counted on `f_roles`: each record's
    documents per role bound its documents in any role (at least the largest, at most the
    sum), and records are counted exactly, largest bound first, until no bound can beat the
    best count (ties: the smallest id)."""
    roles = KIND_ROLES[kind]
    ids = [i for i, record in archive.authority.records.items() if record.kind == kind]
    terms = [t for i in ids for t in role_terms(i, roles)]
    if not terms:
        return None
    searcher, schema = archive.index.searcher(), archive.index.schema
    query = tantivy.Query.term_set_query(schema, "f_roles", terms)
    result = searcher.aggregate(query, {"n": _terms("f_roles", terms)})
    bound: dict[str, int] = {}
    for b in result["n"]["buckets"]:
        agent = str(b["key"]).split("\t")[0]
        bound[agent] = bound.get(agent, 0) + int(b["doc_count"])
    best: tuple[int, str] | None = None
    for agent in sorted(bound, key=lambda i: (-bound[i], i)):
        if best is not None and (-bound[agent], agent) > (-best[0], best[1]):
            break
        mine = tantivy.Query.term_set_query(schema, "f_roles", role_terms(agent, roles))
        n = int(getattr(searcher.search(mine, limit=1, count=True), "count", 0) or 0)
        if best is None or (-n, agent) < (-best[0], best[1]):
            best = (n, agent)
    return best[1] if best else None


def most_documented(archive: Archive, kind: str) -> str | None:
    """The id of the authority record of `kind` linked in the most documents in the roles of
    KIND_ROLES, if any (ties: the smallest id), counted by the search index: by the facet
    field holding exactly those roles (people: `f_people`, places: `f_places`), else (no
    field holds an organisation's roles: `f_corr` lacks `organizations`) by `by_roles`, which
    gives the same exact count."""
    field = _exact_field(kind)
    return by_facet(archive, kind, field) if field else by_roles(archive, kind)


def api_url(*segments: str, **params: str | int | None) -> str:
    """An API address from path segments (each percent-encoded) and query parameters."""
    return urls.api("/".join(quote(s, safe="") for s in segments), **params)


def documents_data(archive: Archive, page: int) -> dict[str, Any]:
    """One page of the list of every document, with the page and API links of each."""
    total = archive.store.count()
    pages = -(-total // DOCUMENTS_PER_PAGE)
    rows = document_rows(archive, DOCUMENTS_PER_PAGE, (page - 1) * DOCUMENTS_PER_PAGE)
    docs = [{**r, "url": urls.document(r["id"]), "api_url": api_url("documents", r["id"])}
            for r in rows]
    previous_page = min(page - 1, pages) if page > 1 and pages else None
    next_page = page + 1 if page < pages else None
    return {
        "total": total, "page": page, "per_page": DOCUMENTS_PER_PAGE, "pages": pages,
        "previous_page": previous_page, "next_page": next_page,
        "previous_url": api_url("documents", page=previous_page) if previous_page else None,
        "next_url": api_url("documents", page=next_page) if next_page else None,
        "documents": docs,
    }


def example_ids(archive: Archive) -> dict[str, str]:
    """Real ids of this archive for example requests, by path parameter name (a kind with
    nothing linked in the archive is left out)."""
    first = document_rows(archive, 1, 0)
    found = {"doc_id": first[0]["id"] if first else None,
             "person_id": most_documented(archive, "person"),
             "organization_id": most_documented(archive, "organization"),
             "place_id": most_documented(archive, "place")}
    return {name: value for name, value in found.items() if value}
