"""The search page: one page of ranked hits with highlighted snippets, and paging."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from cablegram.archive import Archive
from cablegram.errors import QueryError
from cablegram.web import urls
from cablegram.web.views import archive_of, html_page, json_page, message_of

PER_PAGE = 10
MAX_PAGE = 1000
_DIGITS = re.compile(r"[0-9]{1,6}")
router = APIRouter()


def parse_page(value: str | None) -> int:
    """The page number asked for (1 when absent); QueryError unless it is 1..MAX_PAGE."""
    if value is None or not value.strip():
        return 1
    text = value.strip()
    if _DIGITS.fullmatch(text) and 1 <= int(text) <= MAX_PAGE:
        return int(text)
    raise QueryError(f"The page number must be a whole number from 1 to {MAX_PAGE}; "
                     f"'{value[:20]}' is not. Use the Next and Previous links, or page=2.")


def _empty(q: str, page: int) -> dict[str, Any]:
    """The data of a search page with no hits."""
    return {"query": q, "page": page, "per_page": PER_PAGE, "total": 0, "pages": 0,
            "first": 0, "last": 0, "previous_page": None, "next_page": None, "hits": [],
            "error": None}


def search_data(archive: Archive, q: str, page: int) -> dict[str, Any]:
    """Run the query for one page of hits; raise QueryError when the query is malformed."""
    offset = (page - 1) * PER_PAGE
    result = archive.search(q, limit=PER_PAGE, offset=offset)
    data = _empty(q, page)
    total = int(result["total"])
    if not total:
        return data
    pages = -(-total // PER_PAGE)
    hits = [{**hit, "url": urls.document(hit["id"])} for hit in result["hits"]]
    data.update(
        total=total, pages=pages, hits=hits,
        first=offset + 1 if hits else 0, last=offset + len(hits),
        previous_page=min(page - 1, pages) if page > 1 else None,
        next_page=page + 1 if page < pages else None)
    return data


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, q: str = "", page: str | None = None) -> HTMLResponse:
    """The search page; a malformed query or page shows its message with status 400."""
    try:
        number = parse_page(page)
        data = search_data(archive_of(request), q, number)
    except QueryError as exc:
        data = _empty(q, 1)
        data["error"] = {"code": exc.code, "message": message_of(exc)}
        return html_page("search.html", data, urls.search_json(q), exc.http_status)
    return html_page("search.html", data, urls.search_json(q, number))


@router.get("/search.json")
async def search_json(request: Request, q: str = "", page: str | None = None) -> JSONResponse:
    """The search page as JSON; errors come back as {"error": {...}}."""
    return json_page(search_data(archive_of(request), q, parse_page(page)))
