"""The OAI-PMH endpoint: GET (or HEAD) and POST /oai, answered by cablegram.export.oai as text/xml.

Protocol errors are XML <error> elements with status 200, as the protocol wants; the
settings come from `app.state.oai_settings` when set (tests do), else from CABLEGRAM_OAI_*.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cablegram.export.oai import OaiSettings, respond
from cablegram.web.views import archive_of

MEDIA_TYPE = "text/xml; charset=utf-8"
MAX_BODY = 64 * 1024  # a POST body larger than this is not an OAI-PMH request
MAX_FIELDS = 50
FORM = "application/x-www-form-urlencoded"
router = APIRouter()


def settings_of(request: Request) -> OaiSettings:
    """The application's OAI settings (read from the environment once)."""
    state = request.app.state
    if getattr(state, "oai_settings", None) is None:
        state.oai_settings = OaiSettings.from_env()
    settings: OaiSettings = state.oai_settings
    return settings


def parse_pairs(query: str | None) -> list[tuple[str, str]] | None:
    """The (name, value) pairs of a query string or form body; None when there are far
    more fields than any OAI-PMH request has."""
    if query is None:
        return None
    try:
        return parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        return None


async def _body(request: Request) -> str | None:
    """The POST body as text, or None when it is too large or not a form."""
    kind = request.headers.get("content-type", FORM).split(";")[0].strip().lower()
    if kind != FORM:
        return None
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            return None
    return data.decode("utf-8", errors="replace")


def _xml(body: bytes) -> Response:
    """An OAI-PMH response."""
    return Response(body, media_type=MEDIA_TYPE)


@router.api_route("/oai", methods=["GET", "HEAD", "POST"])
async def oai(request: Request) -> Response:
    """Answer one OAI-PMH request (arguments in the query string, or the form body of a POST)."""
    query = await _body(request) if request.method == "POST" else request.url.query
    pairs = parse_pairs(query)
    site = str(request.base_url).rstrip("/")
    return _xml(respond(archive_of(request), pairs, site, settings_of(request)))

