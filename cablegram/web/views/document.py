"""The document page: everything read off one document, and its text with line numbers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from cablegram.archive import Archive
from cablegram.errors import NotFoundError
from cablegram.web import urls
from cablegram.web.views import archive_of, html_page, json_page

router = APIRouter()


def _with_urls(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document, and its enclosures, with the URLs of their pages and original."""
    out = dict(doc)
    out["url"] = urls.document(doc["id"])
    out["json_url"] = urls.document_json(doc["id"])
    source = doc.get("source_file") or {}
    out["original_url"] = urls.original(source["sha256"]) if source.get("sha256") else None
    out["enclosures"] = [_with_urls(e) for e in doc.get("enclosures") or [] if e]
    return out


def _parent(archive: Archive, parent_id: str | None) -> dict[str, Any] | None:
    """Id, title and URL of the document that encloses this one, if any."""
    if not parent_id:
        return None
    try:
        parent = archive.document(parent_id)
    except NotFoundError:
        return {"id": parent_id, "title": None, "url": None}
    return {"id": parent_id, "title": parent.get("title"), "url": urls.document(parent_id)}


def document_data(archive: Archive, doc_id: str) -> dict[str, Any]:
    """One document as stored, with URLs and its parent; NotFoundError when unknown."""
    doc = _with_urls(archive.document(doc_id))
    doc["parent"] = _parent(archive, doc.get("parent_id"))
    for key in ("replies_to", "replied_by", "translations"):
        for rel in doc.get("relations", {}).get(key, []):
            rel["url"] = urls.document(rel["id"])
    return {"document": doc}


@router.get("/documents/{doc_id}.json")
async def document_json(request: Request, doc_id: str) -> JSONResponse:
    """One document as JSON."""
    return json_page(document_data(archive_of(request), doc_id))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
async def document(request: Request, doc_id: str) -> HTMLResponse:
    """The page of one document."""
    return html_page("document.html", document_data(archive_of(request), doc_id),
                     urls.document_json(doc_id))
