"""The timeline page: how many documents matching a query there are, year by year or month
by month, each bar a link to the search for that period."""

from __future__ import annotations

from calendar import month_name
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from cablegram.errors import QueryError
from cablegram.search.query import with_clause
from cablegram.web import urls
from cablegram.web.views import archive_of, html_page, json_page, message_of

MONTHS_SPAN = 3  # months are shown when the dated documents fall within this many years
FILL_SPAN = 200  # years without documents are shown (as empty bars) within this span
router = APIRouter()


def narrow(q: str, *alternatives: str) -> str:
    """Query text for the documents that match `q` and one of `alternatives` (each a few
    clauses, e.g. `date:1950`): `A OR B` narrowed by `c` or `d` is `A c OR B c OR A d OR B d`."""
    return " OR ".join(with_clause(q, a.strip()) for a in alternatives if a.strip()) or q


def _percent(count: int, most: int) -> float:
    """A bar's length in percent of the longest (a little at least, when not empty)."""
    if not count or not most:
        return 0.0
    return max(round(100 * count / most, 1), 1.0)


def _years(q: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One bar per year from the first to the last (empty years too, unless too many)."""
    counts = {int(y["year"]): int(y["count"]) for y in found}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    years = range(first, last + 1) if last - first < FILL_SPAN else sorted(counts)
    most = max(counts.values())
    rows = []
    for year in years:
        count = counts.get(year, 0)
        clause = f"date:{year}"
        rows.append({"year": year, "count": count, "percent": _percent(count, most),
                     "search_url": urls.search(narrow(q, clause)) if count else None,
                     "months_url": urls.timeline(narrow(q, clause)) if count else None})
    return rows


def _months(q: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One bar per month from the first to the last, empty months included."""
    counts = {str(m["month"]): int(m["count"]) for m in found}
    if not counts:
        return []
    year, month = (int(p) for p in min(counts).split("-"))
    last = max(counts)
    most = max(counts.values())
    rows = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        count = counts.get(key, 0)
        rows.append({"month": key, "label": f"{month_name[month]} {year}", "count": count,
                     "percent": _percent(count, most),
                     "search_url": urls.search(narrow(q, f"date:{key}")) if count else None})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def timeline_data(result: dict[str, Any]) -> dict[str, Any]:
    """The page's data from `Archive.timeline`: bars by year, and by month when the dated
    documents fall within a few years, with the links of each bar."""
    q = str(result["query"])
    years = _years(q, result["years"])
    dated = sum(y["count"] for y in years)
    by_month = bool(years) and years[-1]["year"] - years[0]["year"] < MONTHS_SPAN
    months = _months(q, result["months"]) if by_month else []
    if by_month:  # the months are on the page already
        years = [{**y, "months_url": None} for y in years]
    return {"query": q, "total": int(result["total"]), "undated": int(result["undated"]),
            "dated": dated, "view": "months" if by_month else "years",
            "years": years, "months": months,
            "year_only": dated - sum(m["count"] for m in months) if by_month else 0,
            "search_url": urls.search(q), "network_url": urls.network(q), "error": None}


def _failed(q: str, exc: QueryError) -> dict[str, Any]:
    """The data of a timeline whose query could not be run."""
    return {"query": q, "total": 0, "undated": 0, "dated": 0, "view": "years", "years": [],
            "months": [], "year_only": 0, "search_url": urls.search(q),
            "network_url": urls.network(q),
            "error": {"code": exc.code, "message": message_of(exc)}}


@router.get("/timeline", response_class=HTMLResponse)
async def timeline(request: Request, q: str = "") -> HTMLResponse:
    """The timeline page; a malformed query shows its message with status 400."""
    try:
        data = timeline_data(archive_of(request).timeline(q))
    except QueryError as exc:
        return html_page("timeline.html", _failed(q, exc), urls.timeline_json(q),
                         exc.http_status)
    return html_page("timeline.html", data, urls.timeline_json(q))


@router.get("/timeline.json")
async def timeline_json(request: Request, q: str = "") -> JSONResponse:
    """The timeline as JSON; errors come back as {"error": {...}}."""
    return json_page(timeline_data(archive_of(request).timeline(q)))
