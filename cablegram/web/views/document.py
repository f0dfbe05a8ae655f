"""The document page: everything read off one document, its text with line numbers and the
names in it marked, and how to cite it (citation box, `citation_*` tags, JSON-LD)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from cablegram.archive import Archive
from cablegram.errors import NotFoundError
from cablegram.link import display_name
from cablegram.model import Mention
from cablegram.relate import REPLY_ROLES
from cablegram.web import urls
from cablegram.web.citing import Describe, citation_box, json_ld, meta_tags
from cablegram.web.display import numbered_lines
from cablegram.web.marks import mention_marks
from cablegram.web.views import archive_of, html_page, json_page

router = APIRouter()


def _with_urls(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document, and its enclosures, with the URLs of their pages and original."""
    out = dict(doc)
    out["url"] = urls.document(doc["id"])
    out["json_url"] = urls.document_json(doc["id"])
    source = doc.get("source_file") or {}
    sha = source.get("sha256")
    out["original_url"] = urls.original(sha) if sha else None
    out["lines_url"] = urls.original_lines(sha, doc["start_line"], doc["end_line"]) \
        if sha and doc.get("start_line") and doc.get("end_line") else None
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


def references(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's references, each reply reference with the documents it names that are
    in the archive (as Store.relations found them: `replies_to`)."""
    found = (doc.get("relations") or {}).get("replies_to") or []
    out = []
    for ref in doc.get("refs") or []:
        named = [{"id": r["id"], "title": r.get("title"), "date": r.get("date"),
                  "url": urls.document(r["id"])}
                 for r in found if ref["role"] in REPLY_ROLES and r.get("ref") == ref["value"]]
        out.append({**ref, "documents": named})
    return out


def _describer(archive: Archive) -> Describe:
    """What the authority file knows of a linked mention: kind, pseudonym used, Wikidata."""
    def describe(m: dict[str, Any]) -> dict[str, Any]:
        """Kind, pseudonym and Wikidata item of the record a mention links to ({} if none)."""
        record = archive.authority.get(m.get("id") or "")
        if record is None:
            return {}
        shown = display_name(archive.authority, Mention(m.get("as_written") or "", id=record.id))
        pseudonym = shown.split(" [")[0] if shown.endswith(f"[{record.short}]") else None
        return {"kind": record.kind, "pseudonym": pseudonym, "wikidata": record.wikidata}
    return describe


def _kind_of(archive: Archive, agent_id: str) -> str | None:
    """The kind of an authority record (person, organization, place), None when unknown."""
    record = archive.authority.get(agent_id)
    return record.kind if record else None


def document_data(archive: Archive, doc_id: str, base_url: str = "") -> dict[str, Any]:
    """One document as stored, with URLs, its parent, linked references, the marks of the
    names in its text and its citations (page URL under `base_url`); NotFoundError when
    unknown."""
    doc = _with_urls(archive.document(doc_id))
    doc["parent"] = _parent(archive, doc.get("parent_id"))
    for key in ("replies_to", "replied_by", "translations"):
        for rel in doc.get("relations", {}).get(key, []):
            rel["url"] = urls.document(rel["id"])
    lines = numbered_lines(doc.get("text") or "", doc["start_line"], doc.get("fragments") or [])
    marks = mention_marks(lines, doc, lambda agent: _kind_of(archive, agent), urls.agent)
    page_url = base_url.rstrip("/") + urls.document(doc_id)

    def absolute(kind: str, agent_id: str) -> str:
        """The absolute URL of an authority page."""
        return base_url.rstrip("/") + urls.agent(kind, agent_id)

    return {"document": doc, "references": references(doc), "marks": marks,
            "citations": citation_box(doc, page_url), "meta": meta_tags(doc, page_url),
            "jsonld": json_ld(doc, page_url, _describer(archive), absolute)}


@router.get("/documents/{doc_id}.json")
async def document_json(request: Request, doc_id: str) -> JSONResponse:
    """One document as JSON."""
    return json_page(document_data(archive_of(request), doc_id, str(request.base_url)))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
async def document(request: Request, doc_id: str) -> HTMLResponse:
    """The page of one document."""
    return html_page("document.html",
                     document_data(archive_of(request), doc_id, str(request.base_url)),
                     urls.document_json(doc_id))
