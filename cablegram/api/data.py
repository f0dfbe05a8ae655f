"""The API's own data: the paged list of documents, example ids, and API links."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from cablegram.archive import Archive
from cablegram.web import urls

DOCUMENTS_PER_PAGE = 50

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


def most_documented(archive: Archive, kind: str) -> str | None:
    """The id of the authority record of `kind` linked in the most documents, if any."""
    roles = KIND_ROLES[kind]
    marks = ",".join("?" * len(roles))
    rows = archive.store.conn.execute(
        "SELECT agent_id, count(DISTINCT document_id) AS n FROM roles WHERE agent_id IS NOT NULL"
        f" AND role IN ({marks}) GROUP BY agent_id ORDER BY n DESC, agent_id", roles)
    for row in rows:
        record = archive.authority.get(row["agent_id"])
        if record is not None and record.kind == kind:
            return str(row["agent_id"])
    return None


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
