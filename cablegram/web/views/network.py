"""The network page: who wrote to whom (and through whom) in the documents matching a query
within a date range, drawn as a graph laid out on the server and listed as ranked tables."""

from __future__ import annotations

import math
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from cablegram.archive import Archive
from cablegram.errors import QueryError
from cablegram.search.query import date_bounds
from cablegram.web import urls
from cablegram.web.layout import layout, place_labels
from cablegram.web.views import archive_of, html_page, json_page, message_of
from cablegram.web.views.timeline import narrow

LIMIT = 150  # the strongest connections drawn and listed
WIDTH, HEIGHT, MARGIN = 960, 640, 70
LABELLED = 40  # the busiest correspondents always carry their name; others on hover/focus
INKED = 0.12  # circles cover at most this share of the canvas (smaller when there are many)
_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_PLAIN = re.compile(r"[\w.-]+")
BEND = {"letter": 0.12, "via": 0.3}  # how far an edge curves, as a share of its length
router = APIRouter()


def check_dates(start: str, end: str) -> tuple[str, str]:
    """The date range asked for, stripped; QueryError when a date is not YYYY[-MM[-DD]]
    or the range ends before it starts."""
    start, end = start.strip(), end.strip()
    bounds = {}
    for label, value in (("start", start), ("end", end)):
        if not value:
            continue
        if not _DATE.fullmatch(value):
            raise QueryError(f"The {label} date '{value[:20]}' is not a date; write YYYY, "
                             "YYYY-MM or YYYY-MM-DD, e.g. 1950-07.")
        try:
            bounds[label] = date_bounds(value)
        except QueryError as exc:
            raise QueryError(f"The {label} date is not valid: {message_of(exc)}") from exc
    if start and end and (bounds["start"][0] or 0) > (bounds["end"][1] or 0):
        raise QueryError(f"The start date {start} is after the end date {end}; put the "
                         "earlier date first.")
    return start, end


def _field(name: str, value: str) -> str:
    """A query-language clause for one agent, quoted when it is not a plain id."""
    if _PLAIN.fullmatch(value):
        return f"{name}:{value}"
    return name + ':"' + value.replace('"', " ") + '"'


def _edge_search(q: str, start: str, end: str, edge: dict[str, Any]) -> str:
    """The search for the documents behind one edge, within the same query and dates."""
    s, t = str(edge["source"]), str(edge["target"])
    if edge["kind"] == "via":  # author → intermediary, or intermediary → recipient
        wanted = [f"{_field('from', s)} {_field('via', t)}",
                  f"{_field('via', s)} {_field('to', t)}"]
    else:
        wanted = [f"{_field('from', s)} {_field('to', t)}"]
    dates = f" date:{start}..{end}" if start or end else ""
    return urls.search(narrow(q, *(w + dates for w in wanted)))


def _nodes(found: list[dict[str, Any]], kept: set[str]) -> list[dict[str, Any]]:
    """The nodes on the kept edges, busiest first, with their page, size and rank (the
    circles all smaller when so many would crowd the canvas)."""
    nodes = sorted((n for n in found if n["id"] in kept),
                   key=lambda n: (-int(n["documents"]), str(n["name"]).casefold(), n["id"]))
    most = max((int(n["documents"]) for n in nodes), default=1) or 1
    sizes = [5 + 11 * math.sqrt(max(int(n["documents"]), 0) / most) for n in nodes]
    covered = sum(math.pi * r * r for r in sizes)
    room = INKED * (WIDTH - 2 * MARGIN) * (HEIGHT - 2 * MARGIN)
    shrink = math.sqrt(room / covered) if covered > room else 1.0  # a crowded graph
    return [{"id": n["id"], "name": n["name"], "kind": n["kind"],
             "documents": int(n["documents"]), "url": urls.agent(n["kind"], n["id"]),
             "rank": rank, "r": round(max(r * shrink, 4.0), 1), "labelled": rank <= LABELLED}
            for rank, (n, r) in enumerate(zip(nodes, sizes, strict=True), 1)]


def _place(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """Give each node its position (x, y) and its name's position and text-anchor."""
    spots = layout([n["id"] for n in nodes],
                   [(e["source"], e["target"], float(e["count"])) for e in edges],
                   WIDTH, HEIGHT, MARGIN, radii={n["id"]: n["r"] for n in nodes})
    for n in nodes:
        n["x"], n["y"] = spots[n["id"]]
    names = place_labels([(n["x"], n["y"], n["r"]) for n in nodes], [n["name"] for n in nodes],
                         LABELLED, WIDTH, HEIGHT)
    for n, (x, y, anchor) in zip(nodes, names, strict=True):
        n["label_x"], n["label_y"], n["anchor"] = x, y, anchor


def _path(a: dict[str, Any], b: dict[str, Any], kind: str) -> str:
    """An SVG path from node `a` to node `b`, bent to its right (so a reply in the other
    direction, and a via edge, stay apart), from rim to rim."""
    dx, dy = b["x"] - a["x"], b["y"] - a["y"]
    length = math.hypot(dx, dy) or 1.0
    bend = BEND.get(kind, 0.2) * length
    cx, cy = (a["x"] + b["x"]) / 2 - dy / length * bend, (a["y"] + b["y"]) / 2 + dx / length * bend

    def rim(node: dict[str, Any], gap: float) -> tuple[float, float]:
        """The point on a node's rim (plus `gap`) towards the control point."""
        ux, uy = cx - node["x"], cy - node["y"]
        norm = math.hypot(ux, uy) or 1.0
        return node["x"] + ux / norm * (node["r"] + gap), node["y"] + uy / norm * (node["r"] + gap)

    (x1, y1), (x2, y2) = rim(a, 1), rim(b, 2)
    return f"M{x1:.1f} {y1:.1f} Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}"


def _edges(q: str, start: str, end: str, found: list[dict[str, Any]],
           nodes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The kept edges, strongest first, with both names, the search behind them and a path."""
    most = max((int(e["count"]) for e in found), default=1) or 1
    rows = []
    for e in found:
        a, b = nodes[e["source"]], nodes[e["target"]]
        rows.append({"source": a["id"], "target": b["id"], "kind": e["kind"],
                     "count": int(e["count"]), "source_name": a["name"],
                     "target_name": b["name"], "source_url": a["url"], "target_url": b["url"],
                     "search_url": _edge_search(q, start, end, e),
                     "width": round(1 + 5 * math.sqrt(int(e["count"]) / most), 1),
                     "path": _path(a, b, str(e["kind"]))})
    rows.sort(key=lambda r: (-r["count"], r["source_name"].casefold(),
                             r["target_name"].casefold(), r["kind"]))
    return rows


def network_data(result: dict[str, Any], limit: int = LIMIT) -> dict[str, Any]:
    """The page's data from `Archive.network` (asked for one edge more than `limit`, to know
    whether the graph was cut): nodes placed, edges drawn, both ranked."""
    q, start, end = str(result["query"]), str(result["start"]), str(result["end"])
    known = {n["id"] for n in result["nodes"]}
    usable = [e for e in result["edges"] if e["source"] in known and e["target"] in known
              and e["source"] != e["target"]]
    kept = usable[:limit]
    nodes = _nodes(result["nodes"], {e["source"] for e in kept} | {e["target"] for e in kept})
    _place(nodes, kept)
    by_id = {n["id"]: n for n in nodes}
    return {"query": q, "start": start, "end": end, "total": int(result["total"]),
            "limit": limit, "truncated": len(usable) > limit, "width": WIDTH,
            "labelled": min(len(nodes), LABELLED),
            "height": HEIGHT, "nodes": nodes, "edges": _edges(q, start, end, kept, by_id),
            "timeline_url": urls.timeline(q), "search_url": urls.search(q), "error": None}


def build(archive: Archive, q: str, start: str, end: str) -> dict[str, Any]:
    """Check the dates, ask the archive for the graph and build the page's data."""
    start, end = check_dates(start, end)
    return network_data(archive.network(q, start, end, limit=LIMIT + 1))


def _failed(q: str, start: str, end: str, exc: QueryError) -> dict[str, Any]:
    """The data of a network whose query or dates could not be used."""
    return {"query": q, "start": start, "end": end, "total": 0, "limit": LIMIT,
            "truncated": False, "width": WIDTH, "height": HEIGHT, "labelled": 0,
            "nodes": [], "edges": [],
            "timeline_url": urls.timeline(q), "search_url": urls.search(q),
            "error": {"code": exc.code, "message": message_of(exc)}}


@router.get("/network", response_class=HTMLResponse)
async def network(request: Request, q: str = "", start: str = "",
                  end: str = "") -> HTMLResponse:
    """The network page; a malformed query or date shows its message with status 400."""
    json_url = urls.network_json(q, start, end)
    try:
        data = build(archive_of(request), q, start, end)
    except QueryError as exc:
        return html_page("network.html", _failed(q, start, end, exc), json_url,
                         exc.http_status)
    return html_page("network.html", data, json_url)


@router.get("/network.json")
async def network_json(request: Request, q: str = "", start: str = "",
                       end: str = "") -> JSONResponse:
    """The network as JSON; errors come back as {"error": {...}}."""
    return json_page(build(archive_of(request), q, start, end))
