"""What every page shares: the templates, HTML and JSON responses, errors and the archive.

A view builds one plain dict of data. The HTML route renders it with a template; the
JSON route returns the same dict (datasette style), so the two can never disagree.
"""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path
from typing import Any, cast

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.errors import CablegramError
from cablegram.model import ROLE_LABELS
from cablegram.web import display as fmt
from cablegram.web import urls
from cablegram.web.marks import marked

PRODUCT = "Cablegram"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CORRESPONDENT_ROLES = ("authors", "recipients", "via", "for", "copies_to", "participants")
MENTIONED_ROLES = ("people", "places", "organizations")


@cache
def environment() -> Environment:
    """The Jinja environment: autoescaping on, undefined names an error, helpers global."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        urls=urls, product=PRODUCT, role_labels=ROLE_LABELS,
        correspondent_roles=CORRESPONDENT_ROLES, mentioned_roles=MENTIONED_ROLES,
        numbered_lines=fmt.numbered_lines, page_fields=fmt.page_fields,
        same_name=fmt.same_name)
    env.filters.update(
        highlight=fmt.highlight, line_range=fmt.line_range, line_ranges=fmt.line_ranges,
        date_note=fmt.date_note, file_size=fmt.file_size, timestamp=fmt.timestamp,
        station=fmt.station, duration=fmt.duration)
    env.filters["marked"] = marked
    # Linked names go to their record's page; the reading room serves the shipped authority
    # file (what Archive.open uses), so the pages and the links agree.
    env.globals["agent_link"] = partial(fmt.agent_link, default_authority())
    return env


def archive_of(request: Request) -> Archive:
    """The archive the application serves."""
    return cast(Archive, request.app.state.archive)


def html_page(template: str, data: dict[str, Any], json_url: str | None = None,
              status: int = 200) -> HTMLResponse:
    """Render a page's data with its template."""
    body = environment().get_template(template).render(**data, json_url=json_url)
    return HTMLResponse(body, status_code=status)


def json_page(data: dict[str, Any], status: int = 200) -> JSONResponse:
    """Return a page's data as JSON."""
    return JSONResponse(data, status_code=status)


def message_of(exc: CablegramError) -> str:
    """An error's message without its code prefix."""
    return Exception.__str__(exc)


def wants_json(request: Request) -> bool:
    """Whether the request is for a JSON twin (its path ends in .json) or the JSON API."""
    path = request.url.path
    return path.endswith(".json") or path == urls.API_PREFIX \
        or path.startswith(urls.API_PREFIX + "/")


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    """An error as JSON for .json paths, else as an HTML page, with its HTTP status."""
    if wants_json(request):
        return json_page({"error": {"code": code, "message": message}}, status)
    data = {"status": status, "code": code, "message": message,
            "heading": ERROR_HEADINGS.get(status, "Something went wrong")}
    return html_page("error.html", data, status=status)


ERROR_HEADINGS = {
    400: "This request could not be understood",
    404: "Not found",
    405: "This address does not accept that kind of request",
    500: "Something went wrong on our side",
}
