"""Every URL of the reading room is built here; templates and views never write one by hand.

Paths are root-relative. Path segments and query values are percent-encoded, so any
document id or query text gives a working link.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

STATIC_PREFIX = "/static"


SORTS = ("relevance", "date", "-date")  # best first, oldest first, newest first
API_PREFIX = "/api"
AGENT_PATHS = {"person": "people", "organization": "organizations", "place": "places"}


def _query(q: str, page: int, sort: str = "relevance") -> str:
    """The query string of a search page (page 1 and relevance order are left out)."""
    params: dict[str, str | int] = {"q": q}
    if page != 1:
        params["page"] = page
    if sort != "relevance":
        params["sort"] = sort
    return urlencode(params, quote_via=quote)


def _with(path: str, **params: str | int | None) -> str:
    """`path` with the given query parameters (empty and None values left out)."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(kept, quote_via=quote)}" if kept else path


def home() -> str:
    """The home page."""
    return "/"


def home_json() -> str:
    """The home page as JSON."""
    return "/index.json"


def search(q: str = "", page: int = 1, sort: str = "relevance") -> str:
    """A page of search results (the empty query gives the search form)."""
    return f"/search?{_query(q, page, sort)}" if q or page != 1 else "/search"


def search_json(q: str = "", page: int = 1, sort: str = "relevance") -> str:
    """A page of search results as JSON."""
    return f"/search.json?{_query(q, page, sort)}"


def name_search(name: str) -> str:
    """Search for every document that mentions a name (as an exact phrase)."""
    return search('"' + name.replace('"', " ").strip() + '"')


def document(doc_id: str) -> str:
    """The page of one document."""
    return f"/documents/{quote(doc_id, safe='')}"


def document_json(doc_id: str) -> str:
    """One document as JSON."""
    return f"/documents/{quote(doc_id, safe='')}.json"


def agent(kind: str, agent_id: str) -> str:
    """The page of an authority record: a person, an organisation or a place."""
    return f"/{AGENT_PATHS[kind]}/{quote(agent_id, safe='')}"


def agent_json(kind: str, agent_id: str) -> str:
    """The page of an authority record as JSON."""
    return agent(kind, agent_id) + ".json"


def person(agent_id: str) -> str:
    """The page of a person."""
    return agent("person", agent_id)


def organization(agent_id: str) -> str:
    """The page of an organisation."""
    return agent("organization", agent_id)


def place(agent_id: str) -> str:
    """The page of a place."""
    return agent("place", agent_id)


def wikidata(item: str | None) -> str | None:
    """The Wikidata page of an item id such as `Q855` (None for anything else)."""
    if not item or not item.startswith("Q") or not (item[1:].isascii() and item[1:].isdigit()):
        return None
    return f"https://www.wikidata.org/wiki/{item}"


def timeline(q: str = "") -> str:
    """Documents over time, for a query (all documents when empty)."""
    return _with("/timeline", q=q)


def timeline_json(q: str = "") -> str:
    """The timeline as JSON."""
    return _with("/timeline.json", q=q)


def network(q: str = "", start: str = "", end: str = "") -> str:
    """The correspondence network of the documents matching a query, within dates."""
    return _with("/network", q=q, start=start, end=end)


def network_json(q: str = "", start: str = "", end: str = "") -> str:
    """The correspondence network as JSON."""
    return _with("/network.json", q=q, start=start, end=end)


def api(path: str = "", **params: str | int | None) -> str:
    """An endpoint of the JSON API (`api("search", q="Yalu")` → /api/search?q=Yalu)."""
    return _with(f"{API_PREFIX}/{path.lstrip('/')}" if path else API_PREFIX, **params)


def anchor(name: str) -> str:
    """A place on the current page (an element id)."""
    return f"#{quote(name, safe='')}"


def line_id(number: int) -> str:
    """The element id of a source line on a document page."""
    return f"L{number}"


def line(number: int) -> str:
    """The anchor of a source line on the current document page."""
    return anchor(line_id(number))


def original(sha256: str) -> str:
    """The original bytes of an ingested file."""
    return f"/originals/{quote(sha256, safe='')}"


def original_lines(sha256: str, start: int, end: int) -> str:
    """Lines `start` to `end` of an ingested file's text as it was read, numbered."""
    return _with(f"{original(sha256)}/lines", start=start, end=end)


def original_lines_json(sha256: str, start: int, end: int) -> str:
    """Lines of an ingested file's text as JSON."""
    return _with(f"{original(sha256)}/lines.json", start=start, end=end)


def oai(verb: str | None = None, **args: str) -> str:
    """The OAI-PMH endpoint (the base URL for harvesters), or one request to it."""
    if verb is None:
        return "/oai"
    return "/oai?" + urlencode({"verb": verb, **args}, quote_via=quote)


def static(path: str) -> str:
    """A static file (stylesheet, icons)."""
    return f"{STATIC_PREFIX}/{quote(path.lstrip('/'))}"


def export(name: str, q: str | None = None, ids: list[str] | None = None) -> str:
    """A download in export format `name`: the documents with `ids`, those matching `q`,
    or (with neither) the whole archive."""
    params: list[tuple[str, str]] = [("id", i) for i in ids or []]
    if q and not ids:
        params.append(("q", q))
    path = f"/export.{quote(name, safe='')}"
    return f"{path}?{urlencode(params, quote_via=quote)}" if params else path


def exports(q: str | None = None, ids: list[str] | None = None) -> list[dict[str, str]]:
    """Every export format's download of the same selection: name, extension, help, url."""
    from cablegram.export import FORMATS

    return [{"name": f.name, "extension": f.extension, "help": f.help.replace("`", ""),
             "url": export(f.name, q, ids)} for f in FORMATS.values()]
