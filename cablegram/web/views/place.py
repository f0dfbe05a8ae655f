"""The page of a place: its names, and the documents sent from it, sent to it and mentioning it.

"Sent from" and "sent to" come from the transmission the extract stage reads off a document
(extract/transmission.py): the sending station is the place on the sent line or the dateline,
the receiving one the place on the receipt line, the address line, or the fixed seat of the
recipient's office (the Secretary of State → Washington). A document without such a record
is not counted there, only under "mentioning" when the place is named in it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from cablegram.archive import Archive
from cablegram.web import urls
from cablegram.web.views import archive_of, html_page, json_page
from cablegram.web.views.agent import (
    DOCUMENTS_SHOWN,
    clause,
    document_rows,
    elsewhere,
    record_view,
)

router = APIRouter()
HOW = {
    "sent_from": "the place on the document's sent line or dateline",
    "sent_to": "the place on its receipt or address line, or the fixed seat of the "
               "recipient's office",
    "mentioned": "the place named anywhere in the document (any of its names)",
}


def place_data(archive: Archive, place_id: str) -> dict[str, Any]:
    """Everything the page of a place shows; NotFoundError if the id is not a place."""
    found = archive.place(place_id, DOCUMENTS_SHOWN)
    query = clause("place", place_id)
    lists = {}
    for key in ("sent_from", "sent_to", "mentioned"):
        part = found[key]
        lists[key] = {"total": part["total"], "documents": document_rows(part["documents"]),
                      "how": HOW[key]}
    lists["mentioned"]["search"] = {"query": query, "url": urls.search(query, sort="date")}
    return {"record": record_view(found["record"]), **lists}


async def _page(request: Request, place_id: str, as_json: bool) -> Response:
    """The HTML or JSON page of a place (or a redirect to the page of another kind)."""
    archive = archive_of(request)
    moved = elsewhere(archive, ("place",), place_id, as_json)
    if moved is not None:
        return moved
    data = place_data(archive, place_id)
    if as_json:
        return json_page(data)
    return html_page("place.html", data, urls.agent_json("place", place_id))


@router.get("/places/{place_id}.json", response_class=JSONResponse)
async def place_json(request: Request, place_id: str) -> Response:
    """A place as JSON."""
    return await _page(request, place_id, True)


@router.get("/places/{place_id}", response_class=HTMLResponse)
async def place(request: Request, place_id: str) -> Response:
    """The page of a place."""
    return await _page(request, place_id, False)
