"""The `/api/…` endpoints: JSON over the same data functions as the reading room's twins.

Parameters arrive as text and are checked by the same functions the pages use, so a bad
value gets the page's own message (400) instead of a validation dump. Unknown `/api` paths
answer 404 in JSON, pointing to the docs.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from cablegram.api import openapi
from cablegram.api.data import DOCUMENTS_PER_PAGE, api_url, documents_data, example_ids
from cablegram.archive import Archive
from cablegram.errors import NotFoundError
from cablegram.web import urls
from cablegram.web.views import archive_of, html_page, json_page
from cablegram.web.views.agent import agent_data
from cablegram.web.views.document import document_data
from cablegram.web.views.network import build as network_data
from cablegram.web.views.place import place_data
from cablegram.web.views.search import parse_page, request_data
from cablegram.web.views.timeline import timeline_data

router = APIRouter(prefix=urls.API_PREFIX)
Q = Annotated[str, Query(description=openapi.QUERY_LANGUAGE, examples=["Yalu"])]
PAGE = Annotated[str | None, Query(description=openapi.PAGE)]
SORT = Annotated[str | None, Query(description=openapi.SORT)]
Q_ALL = Annotated[str, Query(description=openapi.QUERY_LANGUAGE + openapi.EMPTY_IS_ALL,
                             examples=["Yalu"])]
START = Annotated[str, Query(description=openapi.date_bound("from"), examples=["1950-07"])]
END = Annotated[str, Query(description=openapi.date_bound("up to"), examples=["1950-10"])]


@cache
def spec() -> dict[str, Any]:
    """The OpenAPI document of the API (built once: the routes do not change)."""
    return openapi.build_spec(router.routes)


@router.get("", operation_id="index", summary="The endpoints of this API",
            description="Every endpoint with an example request, and where the OpenAPI "
                        "description and the human docs are.",
            responses=openapi.responses("The list of endpoints."))
async def api_index(request: Request) -> JSONResponse:
    """The endpoints of the API, with example requests."""
    return json_page(openapi.index_data(spec(), example_ids(archive_of(request))))


@router.get("/search", operation_id="search", summary="Search the archive",
            description="One page of hits, with snippets and the ranges of the matched "
                        "words, facets with counts (computed with the same filter as the "
                        "hits) and spelling suggestions; the body is the same as "
                        "`/search.json`.",
            responses=openapi.responses(
                "`query`, `sort`, `total`, `page`, `pages`, `per_page`, `first`, `last`, "
                "`previous_page`, `next_page`; `hits` (each with `id`, `title`, `date`, "
                "`type`, `collection`, `source`, `score`, `snippet`, `highlights` as "
                "[start, end] character ranges, and `url`); `facets` (each with `name`, "
                "`heading` and `values`: `value`, `label`, `count`, `clause`, `selected` and "
                "the `url` of the narrowed search); `suggestions` (`text`, `query`, `url`) "
                "and `sorts`.", 400))
async def api_search(request: Request, q: Q = "", page: PAGE = None,
                     sort: SORT = None) -> JSONResponse:
    """One page of search results, with facets."""
    return json_page(request_data(archive_of(request), q, page, sort))


@router.get("/documents", operation_id="listDocuments", summary="List every document",
            description="Every document in archive order (by source file, then position; "
                        f"enclosures after their cable), {DOCUMENTS_PER_PAGE} a page.",
            responses=openapi.responses(
                "`total`, `page`, `pages`, `per_page`, `previous_page`, `next_page`, "
                "`previous_url`, `next_url` and `documents` (each with `id`, `title`, `date`, "
                "`type`, `collection`, `url` and `api_url`).", 400))
async def api_documents(request: Request, page: PAGE = None) -> JSONResponse:
    """One page of the list of documents."""
    return json_page(documents_data(archive_of(request), parse_page(page)))


@router.get("/documents/{doc_id}", operation_id="getDocument", summary="One document",
            description="Everything stored about one document; the body is the same as "
                        "`/documents/{id}.json`.",
            responses=openapi.responses(
                "`document` (every stored field, the text, the source file and lines, "
                "relations to other documents, the URLs of its page, original and lines); "
                "`references` (each with the archive's documents it names), `marks` (the "
                "linked names in the text, by line), `citations` (Chicago, BibTeX, RIS, "
                "CSL-JSON), `meta` (the `citation_*` tags) and `jsonld` (schema.org).", 404))
async def api_document(request: Request, doc_id: Annotated[str, Path(
        description=openapi.DOCUMENT_ID)]) -> JSONResponse:
    """One document."""
    return json_page(document_data(archive_of(request), doc_id, str(request.base_url)))


def _elsewhere(archive: Archive, kind: str, record_id: str) -> RedirectResponse | None:
    """A redirect to the endpoint of the record's own kind when it is not `kind` (a place
    asked for under /api/people/), as the pages do; None when it is `kind` or unknown."""
    record = archive.authority.get(record_id)
    if record is None or record.kind == kind:
        return None
    return RedirectResponse(api_url(urls.AGENT_PATHS[record.kind], record.id), status_code=308)


AGENT_ANSWERS = (
    "`record` (names, pseudonyms with their years, offices with dates, Wikidata), "
    "`search` (the query for all its documents and its URL), `total`, `timeline` (its "
    "documents by year and role), `documents`, `correspondents` (most frequent first), "
    "`via` (who its letters went through) and `passed_on` (letters it passed on).")


@router.get("/people/{person_id}", operation_id="getPerson", summary="One person",
            description="A person of the authority file and their documents; the body is "
                        "the same as `/people/{id}.json`. An organisation's or place's id "
                        "is redirected (308) to its own endpoint.",
            responses=openapi.responses(AGENT_ANSWERS, 404, 308))
async def api_person(request: Request, person_id: Annotated[str, Path(
        description=openapi.record_id("person"), examples=["stalin"])]) -> Response:
    """One person."""
    archive = archive_of(request)
    return _elsewhere(archive, "person", person_id) or json_page(
        agent_data(archive, person_id))


@router.get("/organizations/{organization_id}", operation_id="getOrganization",
            summary="One organisation",
            description="An organisation of the authority file and its documents; the body "
                        "is the same as `/organizations/{id}.json`. A person's or place's "
                        "id is redirected (308) to its own endpoint.",
            responses=openapi.responses(AGENT_ANSWERS, 404, 308))
async def api_organization(request: Request, organization_id: Annotated[str, Path(
        description=openapi.record_id("organisation"), examples=["soviet-mfa"])]) -> Response:
    """One organisation."""
    archive = archive_of(request)
    return _elsewhere(archive, "organization", organization_id) or json_page(
        agent_data(archive, organization_id))


@router.get("/places/{place_id}", operation_id="getPlace", summary="One place",
            description="A place of the authority file and the documents sent from it, sent "
                        "to it and mentioning it; the body is the same as "
                        "`/places/{id}.json`. A person's or organisation's id is redirected "
                        "(308) to its own endpoint.",
            responses=openapi.responses(
                "`record`, and `sent_from`, `sent_to` and `mentioned`, each with `total`, "
                "`documents` and `how` (`mentioned` also with its `search`).", 404, 308))
async def api_place(request: Request, place_id: Annotated[str, Path(
        description=openapi.record_id("place"), examples=["pyongyang"])]) -> Response:
    """One place."""
    archive = archive_of(request)
    return _elsewhere(archive, "place", place_id) or json_page(place_data(archive, place_id))


@router.get("/timeline", operation_id="timeline", summary="Documents over time",
            description="How many of the documents matching the query there are, year by "
                        "year, and month by month when they fall within a few years; the "
                        "body is the same as `/timeline.json`.",
            responses=openapi.responses(
                "`query`, `total`, `undated`, `dated`, `view` (`years` or `months`), "
                "`year_only`; `years` (each with `year`, `count`, `percent`, `search_url`, "
                "`months_url`) and `months` (each with `month` as YYYY-MM, `label`, `count`, "
                "`percent`, `search_url`).", 400))
async def api_timeline(request: Request, q: Q_ALL = "") -> JSONResponse:
    """The documents matching a query, counted by year and month."""
    return json_page(timeline_data(archive_of(request).timeline(q)))


@router.get("/network", operation_id="network", summary="The correspondence network",
            description="Who wrote to whom, and through whom, in the documents matching the "
                        "query and dated within the range: people and organisations as "
                        "nodes, documents as weighted edges of kind `letter` (author → "
                        "recipient) or `via` (author → intermediary → recipient), strongest "
                        "first; the body is the same as `/network.json`.",
            responses=openapi.responses(
                "`query`, `start`, `end`, `total` (documents considered), `limit`, "
                "`truncated`; `nodes` (each with `id`, `name`, `kind`, `documents`, `rank`, "
                "`url` and its drawing position) and `edges` (each with `source`, `target`, "
                "`kind`, `count`, both names and pages, and the `search_url` of the "
                "documents behind it).", 400))
async def api_network(request: Request, q: Q_ALL = "", start: START = "",
                      end: END = "") -> JSONResponse:
    """The correspondence graph of the documents matching a query, within dates."""
    return json_page(network_data(archive_of(request), q, start, end))


@router.get("/openapi.json", include_in_schema=False)
async def api_openapi() -> JSONResponse:
    """The OpenAPI 3.1 description of the API."""
    return json_page(spec())


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
async def api_docs(request: Request) -> HTMLResponse:
    """The human docs of the API, rendered from its OpenAPI description."""
    data = openapi.docs_data(spec(), example_ids(archive_of(request)))
    return html_page("api_docs.html", data, api_url("openapi.json"))


@router.get("/{rest:path}", include_in_schema=False)
async def api_unknown(rest: str) -> JSONResponse:
    """Any other /api address: a 404 that points to the list of endpoints."""
    raise NotFoundError(f"There is no API endpoint at {urls.api(rest[:200])}. The endpoints "
                        f"are listed at {api_url('docs')} and {api_url()}.")
