"""The API's OpenAPI 3.1 description, its parameter texts, and the data of its human docs.

FastAPI writes the description from the API routes only (the HTML site stays out); we then
give `page` and `sort` their real schemas, drop the 422 FastAPI adds (bad parameters answer
400 with our error shape), and the docs page and the API index are built from the result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field
from starlette.routing import BaseRoute

from cablegram import __version__
from cablegram.api.data import api_url
from cablegram.errors import QueryError
from cablegram.search.query import DATE_FORM, FIELDS, MAX_QUERY_LENGTH, parse
from cablegram.web import urls
from cablegram.web.views import PRODUCT, message_of
from cablegram.web.views.search import MAX_PAGE

TITLE = f"{PRODUCT} API"
DESCRIPTION = (
    "JSON over one Cablegram archive of diplomatic correspondence: search with facets, "
    "documents, people, organisations, places, the timeline and the correspondence network. "
    "Every endpoint answers with the same body as the `.json` twin of the matching "
    "reading-room page.\n\n"
    "Errors are JSON too: `{\"error\": {\"code\": ..., \"message\": ...}}` with status 400 "
    "(a malformed query or parameter), 404 (an unknown id or address) or 500 (our fault; "
    "it is logged). The message says what is wrong and what to do.")
QUERY_LANGUAGE = (
    "A query in the archive's query language (the same in the web, the API and the CLI). "
    "Words must all match (`volunteers Yalu`); `\"exact phrases\"`; `prefix*`; `-word` leaves "
    "out the documents with that word; `OR` between alternatives (`Seoul OR Pusan`).\n\n"
    "Fields: " + "; ".join(f"`{name}:` {what}" for name, what in FIELDS.items()) + ". "
    "Name fields take an authority id or any known name or pseudonym: `from:stalin` also finds "
    "the telegrams signed Filippov. "
    f"`date:` takes {DATE_FORM} (`date:1950`, `date:1950-07..1950-10`). Put `-` before a field to "
    "exclude it (`-to:\"Kim Il Sung\"`); a colon inside quotes is plain text.\n\n"
    "A malformed query (an unknown field, a field without a value, a bad date, an unclosed "
    f"quote, more than {MAX_QUERY_LENGTH} characters) is answered with 400 and a message "
    "naming the problem.")
EMPTY_IS_ALL = "\n\nLeave it empty for every document."
SORT = ("The order of the hits: `relevance` (best first, the default), `date` (oldest "
        "first) or `-date` (newest first).")
PAGE = f"The page to return, a whole number from 1 to {MAX_PAGE} (default 1)."
DOCUMENT_ID = ("A document id, as in search hits and the document list: the first 12 hex "
               "digits of its source file's SHA-256, a hyphen and its position in the file.")
PARAMETER_SCHEMAS: dict[str, dict[str, Any]] = {
    "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    "sort": {"type": "string", "enum": list(urls.SORTS), "default": urls.SORTS[0]},
}
ERROR_QUERY = '"air cover'  # an unclosed quote: the docs' example of a 400
ERROR_STATUSES = {
    400: "A malformed query or parameter. `error.message` names the problem and how to "
         "fix it.",
    404: "No record with this id. `error.message` says where to look for it.",
    308: "The id is a record of another kind; `Location` is its own endpoint.",
}
SERVER_ERROR = "A fault of the server (it is logged); the body has the same error shape."


class ErrorDetail(BaseModel):
    """What went wrong."""

    code: str = Field(description="Cablegram error code: E400 for a malformed query or "
                                  "parameter, E300 for not found, E000 for a fault of ours.")
    message: str = Field(description="What is wrong and what to do, in a sentence or two.")


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail


def date_bound(which: str) -> str:
    """The description of one end of a date range."""
    return (f"Only documents dated {which} this date: YYYY, YYYY-MM or YYYY-MM-DD (a partial "
            "date covers its whole year or month). Empty: no limit; documents without a "
            "date are left out when either end is given.")


def record_id(kind: str) -> str:
    """The description of an authority id path parameter."""
    return (f"The id of a {kind} in the authority file, as in the `url` of a linked name "
            "in a document, a facet or the network.")


def error_example() -> dict[str, Any]:
    """The body answered for ERROR_QUERY, produced by the real query parser."""
    try:
        parse(ERROR_QUERY)
    except QueryError as exc:
        return {"error": {"code": exc.code, "message": message_of(exc)}}
    raise RuntimeError(f"the query parser accepts {ERROR_QUERY!r}; pick another ERROR_QUERY")


def responses(ok: str, *errors: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route: what a 200 holds, the given error statuses, and 500."""
    out: dict[int | str, dict[str, Any]] = {
        200: {"description": ok, "content": {"application/json": {"schema": {"type": "object"}}}}}
    for status in errors:
        out[status] = {"description": ERROR_STATUSES[status]}
        if status >= 400:
            out[status]["model"] = ErrorBody
    out[500] = {"model": ErrorBody, "description": SERVER_ERROR}
    return out


def build_spec(routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """The OpenAPI 3.1 document of `routes` (those marked include_in_schema)."""
    spec = get_openapi(title=TITLE, version=__version__, openapi_version="3.1.0",
                       description=DESCRIPTION, routes=list(routes))
    for item in spec["paths"].values():
        for operation in item.values():
            operation["responses"].pop("422", None)
            for param in operation.get("parameters", []):
                schema = param["schema"]
                for repeated in ("title", "description"):  # said once, on the parameter
                    schema.pop(repeated, None)
                if param["name"] in PARAMETER_SCHEMAS:
                    examples = {"examples": schema["examples"]} if "examples" in schema else {}
                    param["schema"] = {**PARAMETER_SCHEMAS[param["name"]], **examples}
    schemas = spec.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return spec


def paragraphs(text: str) -> list[list[dict[str, Any]]]:
    """Text in paragraphs (split at blank lines), each a list of pieces: plain text, or code
    where the text had `backticks`; the template escapes every piece."""
    out = []
    for para in text.split("\n\n"):
        pieces = re.split(r"`([^`]*)`", para.strip())
        out.append([{"code": i % 2 == 1, "text": p} for i, p in enumerate(pieces) if p])
    return [p for p in out if p]


def type_label(schema: dict[str, Any]) -> str:
    """A parameter's type in words: `integer`, `string`, or `one of …` for an enum."""
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    kinds = [s.get("type") for s in schema.get("anyOf", [schema])]
    return " or ".join(str(k) for k in kinds if k and k != "null") or "any"


def example_url(path: str, operation: dict[str, Any], ids: dict[str, str]) -> str | None:
    """An example request of an operation: path parameters from `ids` (real ids of the
    archive) or the spec's examples, query parameters from the spec's examples; None when
    a path parameter has no example."""
    query: dict[str, str | int | None] = {}
    for param in operation.get("parameters", []):
        examples = param.get("schema", {}).get("examples") or [None]
        value = ids.get(param["name"], examples[0]) if param["in"] == "path" else examples[0]
        if param["in"] == "path":
            if value is None:
                return None
            path = path.replace("{" + param["name"] + "}", str(value))
        elif value is not None:
            query[param["name"]] = value
    return api_url(*path.removeprefix(urls.API_PREFIX).strip("/").split("/"), **query)


def _parameter(param: dict[str, Any]) -> dict[str, Any]:
    """One parameter as the docs page shows it."""
    schema = param.get("schema", {})
    return {"name": param["name"], "in": param["in"], "required": bool(param.get("required")),
            "type": type_label(schema), "default": schema.get("default"),
            "description": paragraphs(param.get("description", ""))}


def endpoints(spec: dict[str, Any], ids: dict[str, str]) -> list[dict[str, Any]]:
    """Every operation of the spec, in order, as the docs page and the index show it."""
    out = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            out.append({
                "method": method.upper(), "path": path, "operation_id": op["operationId"],
                "id": f"endpoint-{op['operationId']}",
                "summary": op.get("summary", ""),
                "description": paragraphs(op.get("description", "")),
                "parameters": [_parameter(p) for p in op.get("parameters", [])],
                "responses": [{"status": status, "description": paragraphs(r["description"])}
                              for status, r in op["responses"].items()],
                "example_url": example_url(path, op, ids)})
    return out


def docs_data(spec: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """The data of the docs page: the API, each endpoint, and the error shape with an
    example request that produces it."""
    return {"title": spec["info"]["title"], "version": spec["info"]["version"],
            "description": paragraphs(spec["info"]["description"]),
            "openapi_url": api_url("openapi.json"), "index_url": api_url(),
            "endpoints": endpoints(spec, ids),
            "error_url": api_url("search", q=ERROR_QUERY), "error_example": error_example(),
            "error_fields": [(name, field.description) for name, field
                             in ErrorDetail.model_fields.items()]}


def index_data(spec: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """The API's index: where its docs and description are, and each endpoint."""
    return {"title": spec["info"]["title"], "version": spec["info"]["version"],
            "docs_url": api_url("docs"), "openapi_url": api_url("openapi.json"),
            "endpoints": [{"method": e["method"], "path": e["path"], "summary": e["summary"],
                           "example_url": e["example_url"]} for e in endpoints(spec, ids)]}
