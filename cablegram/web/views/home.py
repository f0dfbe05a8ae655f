"""The home page: what the archive holds, its collections and the latest documents."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from cablegram.archive import Archive
from cablegram.web import urls
from cablegram.web.views import archive_of, html_page, json_page

LATEST = 10
router = APIRouter()


def home_data(archive: Archive) -> dict[str, Any]:
    """Counts, collections and the latest documents, each with the URL of its page."""
    overview = archive.overview(LATEST)
    latest = [{**doc, "url": urls.document(doc["id"])} for doc in overview["latest"]]
    return {"counts": overview["counts"], "collections": overview["collections"],
            "latest": latest}


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    """The home page."""
    return html_page("home.html", home_data(archive_of(request)), urls.home_json())


@router.get("/index.json")
async def home_json(request: Request) -> JSONResponse:
    """The home page as JSON."""
    return json_page(home_data(archive_of(request)))
