"""The reading room: a FastAPI application serving one archive as HTML pages and JSON twins.

Routes are `async` and call the archive directly: one SQLite connection and one index
searcher are used from the event loop only, never from two threads at once. A page costs
about a millisecond; if searches grow slow, move them to a thread pool with a lock.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cablegram.api import routes as api
from cablegram.archive import Archive
from cablegram.errors import CablegramError, NotFoundError, QueryError
from cablegram.web import urls
from cablegram.web.views import (
    PRODUCT,
    agent,
    document,
    error_response,
    export,
    home,
    message_of,
    network,
    oai,
    original,
    place,
    search,
    timeline,
)

STATIC = Path(__file__).resolve().parent / "static"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
     b"form-action 'self'; frame-ancestors 'none'"),
]
log = logging.getLogger(__name__)


class SecurityHeaders:
    """ASGI middleware: scripts from this site only, no sniffing, no framing, everywhere."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap `app`."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to the start of each HTTP response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            """Pass the message on, with the headers added to the response start."""
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def on_cablegram_error(request: Request, exc: Exception) -> Response:
    """A Cablegram error becomes its HTTP status and message."""
    assert isinstance(exc, CablegramError)
    return error_response(request, exc.http_status, exc.code, message_of(exc))


async def on_http_error(request: Request, exc: Exception) -> Response:
    """Unknown addresses and wrong methods get a page in the house style."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        missing = NotFoundError(f"There is no page at {request.url.path[:200]}. Start from "
                                "the home page or search the archive.")
        return await on_cablegram_error(request, missing)
    return error_response(request, exc.status_code, f"HTTP{exc.status_code}", str(exc.detail))


async def on_invalid_request(request: Request, exc: Exception) -> Response:
    """Parameters the routes cannot accept: 400 with a message, never a 422 dump."""
    bad = QueryError("The address has a parameter that is not valid; check the query string.")
    return await on_cablegram_error(request, bad)


async def on_unexpected_error(request: Request, exc: Exception) -> Response:
    """A bug: log it, and show a plain 500 page without a traceback."""
    log.error("error serving %s", request.url.path, exc_info=exc)
    return error_response(request, 500, CablegramError.code,
                          "The reading room could not build this page. The error was logged; "
                          "try again, or go back to the home page.")


def create_app(archive_root: Path) -> FastAPI:
    """Open the archive at `archive_root` once and build the reading room serving it."""
    archive = Archive.open(archive_root)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Close the archive when the server stops."""
        yield
        archive.close()

    app = FastAPI(title=f"{PRODUCT} reading room", lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.archive = archive
    app.add_middleware(SecurityHeaders)
    app.mount(urls.STATIC_PREFIX, StaticFiles(directory=STATIC), name="static")
    for module in (home, search, document, original, export, oai):
        app.include_router(module.router)
    app.include_router(timeline.router)
    app.include_router(network.router)
    app.include_router(agent.router)  # people and organisations
    app.include_router(place.router)
    app.include_router(api.router)  # JSON API under /api (its own OpenAPI document)
    app.add_exception_handler(CablegramError, on_cablegram_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(Exception, on_unexpected_error)
    return app
