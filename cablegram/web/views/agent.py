"""The page of a person or an organisation: names, pseudonyms and offices with their dates,
documents by year and role, correspondents, intermediaries and the letters passed on."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from cablegram.archive import Archive
from cablegram.authority.lookup import Authority
from cablegram.model import MENTION_KEYS
from cablegram.web import urls
from cablegram.web.views import archive_of, html_page, json_page

router = APIRouter()
KINDS = ("person", "organization")
KIND_LABELS = {"person": "Person", "organization": "Organisation", "place": "Place"}
# What a role makes the record in a document, as this page says it.
ROLE_NAMES = {
    "authors": "author", "recipients": "recipient", "via": "via", "for": "for",
    "copies_to": "copy to", "participants": "participant", "people": "mentioned",
    "organizations": "mentioned", "places": "mentioned",
}
# Roles a query field of the search finds (search/query.py FIELDS); the others have none.
ROLE_FIELDS = {"authors": "from", "recipients": "to", "via": "via"}
DOCUMENTS_SHOWN = 50  # the rest are one link away, in the search sorted by date
TOP = 20
_PLAIN_ID = re.compile(r"^[\w-]+$")


def dates(start: Any, end: Any) -> str:
    """The years of a pseudonym or an office as given: `1949–1953-03`, `from 1949`, `until 1951`."""
    lo, hi = str(start or ""), str(end or "")
    if lo and hi:
        return lo if lo == hi else f"{lo}–{hi}"
    return f"from {lo}" if lo else f"until {hi}" if hi else ""


def clause(field: str, record_id: str) -> str:
    """A query-language clause naming a record by its id (`from:stalin`)."""
    value = record_id if _PLAIN_ID.match(record_id) else '"' + record_id.replace('"', " ") + '"'
    return f"{field}:{value}"


def record_view(record: dict[str, Any]) -> dict[str, Any]:
    """An authority record as the pages show it: other names without repeats, the dates of
    pseudonyms and offices as text, and the Wikidata page when the id is known."""
    seen = {record["name"].casefold()}
    variants = []
    for name in [record["short"], *record["variants"]]:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            variants.append(name)
    return {
        "id": record["id"], "kind": record["kind"], "kind_label": KIND_LABELS[record["kind"]],
        "name": record["name"], "short": record["short"], "variants": variants,
        "pseudonyms": [{"name": str(p["name"]), "from": p.get("from"), "to": p.get("to"),
                        "years": dates(p.get("from"), p.get("to"))}
                       for p in record["pseudonyms"]],
        "offices": [{"title": str(o["title"]), "from": o.get("from"), "to": o.get("to"),
                     "dates": dates(o.get("from"), o.get("to"))} for o in record["offices"]],
        "wikidata": record.get("wikidata"), "wikidata_url": urls.wikidata(record.get("wikidata")),
        "tz": record.get("tz"),
        "url": urls.agent(record["kind"], record["id"]),
        "json_url": urls.agent_json(record["kind"], record["id"]),
    }


def document_rows(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents with the URL of their page and the role names of the record in each."""
    return [{**d, "url": urls.document(d["id"]),
             "roles": [{**r, "label": ROLE_NAMES.get(r["role"], r["role"])}
                       for r in d.get("roles", [])]} for d in docs]


def linked(authority: Authority, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Counterparts with the preferred name and page of their record (None if not known)."""
    out = []
    for row in rows:
        record = authority.get(row["id"])
        out.append({**row, "name": record.name if record else row["name"] or row["id"],
                    "url": urls.agent(record.kind, record.id) if record else None})
    return out


def _year_row(record_id: str, year: str | None, total: int, counts: dict[str, int],
              roles: list[str], everything: str) -> dict[str, Any]:
    """One year of the timeline: the documents in each role, linked to the search for them."""
    def search(field_clause: str) -> str | None:
        """The search for this year's documents with a clause (none for undated ones)."""
        return urls.search(f"{field_clause} date:{year}", sort="date") if year else None

    cells = [{"role": role, "count": counts.get(role, 0),
              "url": search(clause(ROLE_FIELDS[role], record_id))
              if role in ROLE_FIELDS and counts.get(role) else None} for role in roles]
    return {"year": year, "total": total, "cells": cells, "url": search(everything)}


def timeline(record_id: str, role_years: list[dict[str, Any]],
             year_totals: dict[str | None, int], everything: str) -> dict[str, Any]:
    """Documents per year and role: the roles present (with totals and their search), and a
    row per year, undated documents last."""
    per_year: dict[str | None, dict[str, int]] = {}
    for row in role_years:
        per_year.setdefault(row["year"], {})[row["role"]] = int(row["count"])
    present = [r for r in MENTION_KEYS if any(r in c for c in per_year.values())]
    roles = [{"role": r, "label": ROLE_NAMES[r],
              "count": sum(c.get(r, 0) for c in per_year.values()),
              "url": urls.search(clause(ROLE_FIELDS[r], record_id), sort="date")
              if r in ROLE_FIELDS else None} for r in present]
    years = sorted(per_year, key=lambda y: (y is None, y or ""))
    rows = [_year_row(record_id, y, year_totals.get(y, 0), per_year[y], present, everything)
            for y in years]
    return {"roles": roles, "years": rows, "max": max(year_totals.values(), default=0)}


def everything_query(record: dict[str, Any]) -> str:
    """The search for every document of a record: `person:ID` (any role or mention of a
    person; for an organisation, also its preferred name in the text)."""
    found = clause("person", record["id"])
    if record["kind"] == "organization":
        found += ' OR "' + record["name"].replace('"', " ") + '"'
    return found


def agent_data(archive: Archive, agent_id: str) -> dict[str, Any]:
    """Everything the page of a person or an organisation shows; NotFoundError if unknown."""
    found = archive.agent(agent_id, DOCUMENTS_SHOWN)
    record = record_view(found["record"])
    query = everything_query(found["record"])
    return {
        "record": record,
        "search": {"query": query, "url": urls.search(query, sort="date")},
        "total": found["total"],
        "timeline": timeline(agent_id, found["role_years"], found["year_totals"], query),
        "documents": document_rows(found["documents"]),
        "correspondents": linked(archive.authority, found["correspondents"]),
        "via": linked(archive.authority, found["via"]),
        "passed_on": linked(archive.authority, found["passed_on"]),
    }


def elsewhere(archive: Archive, kinds: tuple[str, ...], record_id: str,
              as_json: bool) -> Response | None:
    """A redirect to the right page when the id is a record of another kind (a place asked
    for under /people/), else None."""
    record = archive.authority.get(record_id)
    if record is None or record.kind in kinds:
        return None
    to = urls.agent_json if as_json else urls.agent
    return RedirectResponse(to(record.kind, record.id), status_code=308)


async def _page(request: Request, kind: str, agent_id: str, as_json: bool) -> Response:
    """The HTML or JSON page of a person or an organisation (or a redirect to its kind)."""
    archive = archive_of(request)
    moved = elsewhere(archive, (kind,), agent_id, as_json)
    if moved is not None:
        return moved
    data = agent_data(archive, agent_id)
    if as_json:
        return json_page(data)
    return html_page("agent.html", data, urls.agent_json(kind, agent_id))


@router.get("/people/{agent_id}.json", response_class=JSONResponse)
async def person_json(request: Request, agent_id: str) -> Response:
    """A person as JSON."""
    return await _page(request, "person", agent_id, True)


@router.get("/people/{agent_id}", response_class=HTMLResponse)
async def person(request: Request, agent_id: str) -> Response:
    """The page of a person."""
    return await _page(request, "person", agent_id, False)


@router.get("/organizations/{agent_id}.json", response_class=JSONResponse)
async def organization_json(request: Request, agent_id: str) -> Response:
    """An organisation as JSON."""
    return await _page(request, "organization", agent_id, True)


@router.get("/organizations/{agent_id}", response_class=HTMLResponse)
async def organization(request: Request, agent_id: str) -> Response:
    """The page of an organisation."""
    return await _page(request, "organization", agent_id, False)
