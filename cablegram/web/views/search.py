"""The search page: ranked hits with highlighted snippets, facets, sort orders and paging."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from cablegram.archive import Archive
from cablegram.errors import QueryError
from cablegram.search.query import tokens, with_clause
from cablegram.web import urls
from cablegram.web.views import archive_of, html_page, json_page, message_of

PER_PAGE = 10
MAX_PAGE = 1000
_DIGITS = re.compile(r"[0-9]{1,6}")
FACET_HEADINGS = {
    "type": "Type", "year": "Year", "month": "Month", "authors": "From", "recipients": "To",
    "via": "Via", "people": "People", "places": "Places", "collection": "Collection",
    "language": "Language", "fragment": "Fragments",
}
MONTH_YEARS = 3
SORT_LABELS = {"relevance": "best match", "date": "oldest first", "-date": "newest first"}
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


def parse_sort(value: str | None) -> str:
    """The sort order asked for (relevance when absent; the archive refuses unknown ones)."""
    return value.strip() if value and value.strip() else "relevance"


def _empty(q: str, page: int, sort: str = "relevance") -> dict[str, Any]:
    """The data of a search page with no hits."""
    return {"query": q, "page": page, "per_page": PER_PAGE, "sort": sort, "total": 0,
            "pages": 0, "first": 0, "last": 0, "previous_page": None, "next_page": None,
            "hits": [], "facets": [], "suggestions": [], "sorts": _sorts(q, sort),
            "timeline_url": urls.timeline(q), "network_url": urls.network(q),
            "error": None}


def _sorts(q: str, current: str) -> list[dict[str, Any]]:
    """Each sort order with its label, URL and whether it is the current one."""
    return [{"sort": s, "label": SORT_LABELS[s], "url": urls.search(q, 1, s),
             "current": s == current} for s in urls.SORTS]


def _without(words: list[str], clause: str) -> str | None:
    """The query (as its tokens) without `clause` when it is one of them, else None."""
    if clause not in words:
        return None
    return " ".join(w for w in words if w != clause)


def _facets(q: str, sort: str, facets: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Facets in display order; each value links to the search narrowed to it, or (when
    the query has it already) to the search without it. Months are listed only when the
    hits span at most MONTH_YEARS years (otherwise the years say more)."""
    words = tokens(q)
    out = []
    for name, values in facets.items():
        if name == "month" and len(facets.get("year", [])) > MONTH_YEARS:
            continue
        shown = []
        for v in values:
            rest = _without(words, v["clause"])
            target = rest if rest is not None else with_clause(q, v["clause"])
            shown.append({**v, "selected": rest is not None,
                          "url": urls.search(target, 1, sort)})
        if shown:
            top = max(v["count"] for v in shown)
            for v in shown:
                v["share"] = round(100 * v["count"] / top)
            out.append({"name": name, "heading": FACET_HEADINGS[name], "values": shown})
    return out


def search_data(archive: Archive, q: str, page: int, sort: str = "relevance",
                per_page: int = PER_PAGE) -> dict[str, Any]:
    """Run the query for one page of hits with facets; QueryError when it is malformed."""
    offset = (page - 1) * per_page
    result = archive.search(q, limit=per_page, offset=offset, sort=sort)
    data = _empty(q, page, sort)
    data["per_page"] = per_page
    data["suggestions"] = [{**s, "url": urls.search(s["query"], 1, sort)}
                           for s in result["suggestions"]]
    total = int(result["total"])
    if not total:
        return data
    pages = -(-total // per_page)
    hits = [{**hit, "url": urls.document(hit["id"])} for hit in result["hits"]]
    data.update(
        total=total, pages=pages, hits=hits, facets=_facets(q, sort, result["facets"]),
        first=offset + 1 if hits else 0, last=offset + len(hits),
        previous_page=min(page - 1, pages) if page > 1 else None,
        next_page=page + 1 if page < pages else None)
    return data


def request_data(archive: Archive, q: str, page: str | None, sort: str | None
                 ) -> dict[str, Any]:
    """The search data for the raw parameters of a request (QueryError when bad)."""
    return search_data(archive, q, parse_page(page), parse_sort(sort))


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, q: str = "", page: str | None = None,
                 sort: str | None = None) -> HTMLResponse:
    """The search page; a malformed query, page or sort shows its message with status 400."""
    try:
        data = request_data(archive_of(request), q, page, sort)
    except QueryError as exc:
        data = _empty(q, 1)
        data["error"] = {"code": exc.code, "message": message_of(exc)}
        return html_page("search.html", data, urls.search_json(q), exc.http_status)
    return html_page("search.html", data, urls.search_json(q, data["page"], data["sort"]))


@router.get("/search.json")
async def search_json(request: Request, q: str = "", page: str | None = None,
                      sort: str | None = None) -> JSONResponse:
    """The search page as JSON; errors come back as {"error": {...}}."""
    return json_page(request_data(archive_of(request), q, page, sort))
