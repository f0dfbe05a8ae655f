"""The JSON API: every endpoint answers JSON, equal to the page's `.json` twin; errors are
JSON with a message (400, 404, never a 500); the OpenAPI document and the docs page."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from cablegram import __version__
from cablegram.api.data import DOCUMENTS_PER_PAGE, api_url
from cablegram.api.routes import router
from cablegram.archive import Archive
from cablegram.search.query import FIELDS
from cablegram.web import urls

HOSTILE = ["a\x00b", "x" * 10_000, "NEAR(", "NEAR(Stalin, Mao)", '"air cover', 'Yalu"',
           "(Stalin", "Stalin)", "((", ":", "from:", 'to:"', "\\", "<script>alert(1)</script>",
           "* OR -", "date:..", "type:*", "%00", "'; DROP TABLE documents; --"]
ALWAYS_MALFORMED = ["x" * 10_000, '"air cover', 'Yalu"', "from:", "nosuchfield:x",
                    "date:1950-13", "date:19x"]



@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    """The OpenAPI document as served."""
    r = client.get(api_url("openapi.json"))
    assert r.status_code == 200
    return dict(r.json())


def get_json(client: TestClient, url: str, status: int = 200) -> Any:
    """GET `url`; assert the status and a JSON body; return the body."""
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:300])
    assert r.headers["content-type"].startswith("application/json"), url
    return r.json()


def assert_error(body: Any, code: str, *words: str) -> str:
    """The body is our error shape with `code` and a message holding `words`."""
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    message = str(body["error"]["message"])
    assert len(message) > 20 and "Traceback" not in message
    for word in words:
        assert word in message, (word, message)
    return message


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (path, method, operation) of the spec."""
    return [(p, m, op) for p, item in spec["paths"].items() for m, op in item.items()]


# --- every endpoint, on the sample archive ---

def test_the_index_lists_every_endpoint_with_a_working_example(client: TestClient,
                                                               spec: dict[str, Any]) -> None:
    index = get_json(client, api_url())
    assert index["version"] == __version__
    assert index["docs_url"] == api_url("docs")
    assert index["openapi_url"] == api_url("openapi.json")
    listed = [(e["method"], e["path"]) for e in index["endpoints"]]
    assert listed == [(m.upper(), p) for p, m, _ in operations(spec)]
    for endpoint in index["endpoints"]:
        assert endpoint["example_url"], f"{endpoint['path']} has no example in the samples"
        assert endpoint["example_url"].startswith(urls.API_PREFIX)
        body = get_json(client, endpoint["example_url"])
        assert body.get("error") is None


def test_every_api_route_answers_json(client: TestClient, sample_archive: Archive) -> None:
    doc_id = sample_archive.overview(1)["latest"][0]["id"]
    for url in (api_url(), api_url("search", q="Yalu"), api_url("search"),
                api_url("documents"), api_url("documents", doc_id), api_url("timeline"),
                api_url("network"), api_url("openapi.json")):
        get_json(client, url)


TWINS = [
    (api_url("search", q="Yalu"), urls.search_json("Yalu")),
    (api_url("search", q="from:stalin", sort="-date"), urls.search_json("from:stalin", 1, "-date")),
    (api_url("search", q="Stalin OR Mao", page=2), urls.search_json("Stalin OR Mao", 2)),
    (api_url("search", q="type:telegram", sort="date"),
     urls.search_json("type:telegram", 1, "date")),
    (api_url("search", q="no-such-word-anywhere"), urls.search_json("no-such-word-anywhere")),
    (api_url("search"), urls.search_json()),
    (api_url("timeline"), urls.timeline_json()),
    (api_url("timeline", q="Yalu"), urls.timeline_json("Yalu")),
    (api_url("network"), urls.network_json()),
    (api_url("network", q="Stalin", start="1950", end="1950-12"),
     urls.network_json("Stalin", "1950", "1950-12")),
]


@pytest.mark.parametrize(("api", "twin"), TWINS)
def test_api_bodies_equal_the_json_twins(client: TestClient, api: str, twin: str) -> None:
    assert get_json(client, api) == get_json(client, twin)


@pytest.mark.parametrize(("kind", "record_id"), [
    ("person", "stalin"), ("person", "shtykov"), ("person", "zhou-enlai"),
    ("organization", "soviet-mfa"), ("place", "pyongyang"), ("place", "moscow"),
])
def test_authority_records_equal_their_twins(client: TestClient, kind: str,
                                             record_id: str) -> None:
    body = get_json(client, api_url(urls.AGENT_PATHS[kind], record_id))
    assert body == get_json(client, urls.agent_json(kind, record_id))
    assert body["record"]["id"] == record_id


def test_every_linked_record_of_a_document_answers(client: TestClient,
                                                   sample_archive: Archive) -> None:
    ids = sample_archive.store.document_ids()
    marks = get_json(client, api_url("documents", ids[0]))["marks"]
    linked = {(m["kind"], m["id"]) for line in marks.values() for m in line}
    assert {kind for kind, _ in linked} == {"person", "place", "organization"}
    for kind, record_id in linked:
        body = get_json(client, api_url(urls.AGENT_PATHS[kind], record_id))
        assert body["record"]["id"] == record_id


def test_a_record_asked_for_under_another_kind_is_redirected(client: TestClient) -> None:
    for asked, kind, record_id in (("people", "place", "pyongyang"),
                                   ("places", "person", "stalin"),
                                   ("people", "organization", "soviet-mfa")):
        r = client.get(api_url(asked, record_id), follow_redirects=False)
        assert r.status_code == 308
        assert r.headers["location"] == api_url(urls.AGENT_PATHS[kind], record_id)
        assert get_json(client, api_url(asked, record_id))["record"]["id"] == record_id


def test_search_has_hits_and_facets(client: TestClient) -> None:
    body = get_json(client, api_url("search", q="Yalu"))
    assert body["total"] >= 2 and body["hits"]
    assert {f["name"] for f in body["facets"]} >= {"type", "year"}
    for facet in body["facets"]:
        for value in facet["values"]:
            assert value["count"] <= body["total"]


def test_every_document_equals_its_twin(client: TestClient, sample_archive: Archive) -> None:
    for row in sample_archive.overview(100_000)["latest"]:
        body = get_json(client, api_url("documents", row["id"]))
        assert body == get_json(client, urls.document_json(row["id"]))
        assert body["document"]["id"] == row["id"]


def test_the_document_list_pages_through_every_document(client: TestClient,
                                                        sample_archive: Archive) -> None:
    first = get_json(client, api_url("documents"))
    total = sample_archive.store.count()
    assert first["total"] == total and first["per_page"] == DOCUMENTS_PER_PAGE
    assert first["pages"] == -(-total // DOCUMENTS_PER_PAGE)
    assert first["previous_page"] is None and first["previous_url"] is None
    seen, page = [], first
    while True:
        seen += page["documents"]
        if page["next_url"] is None:
            break
        page = get_json(client, page["next_url"])
    assert [d["id"] for d in seen] == sample_archive.store.document_ids()
    for d in seen:
        stored = sample_archive.document(d["id"])
        assert (d["title"], d["date"], d["type"]) == (stored["title"], stored["date"],
                                                      stored["type"])
        assert d["url"] == urls.document(d["id"])
        assert d["api_url"] == api_url("documents", d["id"])
    assert get_json(client, seen[-1]["api_url"])["document"]["id"] == seen[-1]["id"]


def test_a_page_past_the_end_of_the_list_is_empty_and_links_back(client: TestClient) -> None:
    first = get_json(client, api_url("documents"))
    past = get_json(client, api_url("documents", page=first["pages"] + 1))
    assert past["documents"] == [] and past["next_url"] is None
    assert past["total"] == first["total"]
    assert past["previous_page"] == first["pages"]
    assert get_json(client, past["previous_url"])["documents"]


# --- errors: JSON with a message ---

@pytest.mark.parametrize("url", [
    api_url("search", q='"air cover'), api_url("search", q="nosuchfield:x"),
    api_url("search", q="Yalu", page="x"), api_url("search", q="Yalu", page="0"),
    api_url("search", q="Yalu", sort="oldest"), api_url("documents", page="-1"),
    api_url("documents", page="1.5"), api_url("timeline", q="date:19x"),
    api_url("network", start="July"), api_url("network", start="1951", end="1950"),
])
def test_a_malformed_request_is_a_json_400_with_a_message(client: TestClient, url: str) -> None:
    assert_error(get_json(client, url, 400), "E400")


def test_the_400_names_the_problem(client: TestClient) -> None:
    assert_error(get_json(client, api_url("search", q="nosuchfield:x"), 400), "E400",
                 "'nosuchfield:'", "from:")
    assert_error(get_json(client, api_url("search", q="Yalu", page="x"), 400), "E400",
                 "page number")
    assert_error(get_json(client, api_url("search", q="Yalu", sort="oldest"), 400), "E400",
                 "'oldest'", "-date")


@pytest.mark.parametrize("url", [
    api_url("documents", "no-such-document"), api_url("documents", "<script>"),
    api_url("people", "no-such-person"), api_url("organizations", "no-such-body"),
    api_url("places", "atlantis"), api_url("people", "x" * 5000),
])
def test_an_unknown_id_is_a_json_404(client: TestClient, url: str) -> None:
    body = get_json(client, url, 404)
    assert_error(body, "E300")
    assert "x" * 300 not in body["error"]["message"], "the message does not echo it all"


@pytest.mark.parametrize("path", ["nope", "search/extra", "documents/a/b", "", "docs/x"])
def test_an_unknown_api_path_is_a_json_404_pointing_to_the_docs(client: TestClient,
                                                                path: str) -> None:
    url = f"{urls.API_PREFIX}/{path}"
    message = assert_error(get_json(client, url, 404), "E300", api_url("docs"))
    assert "There is no API endpoint at" in message


def test_a_wrong_method_is_a_json_405(client: TestClient) -> None:
    r = client.post(api_url("search", q="Yalu"))
    assert r.status_code == 405
    assert r.json()["error"]["message"]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("endpoint", ["search", "timeline", "network"])
def test_hostile_queries_never_break_the_api(client: TestClient, endpoint: str,
                                             text: str) -> None:
    r = client.get(api_url(endpoint, q=text))
    assert r.status_code in (200, 400), (text[:40], r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    if r.status_code == 400:
        assert_error(r.json(), "E400")
    twin = client.get(_with_q(endpoint, text))
    assert (twin.status_code, twin.json()) == (r.status_code, r.json())


def _with_q(endpoint: str, text: str) -> str:
    """The `.json` twin of an API endpoint for query `text`."""
    return {"search": urls.search_json, "timeline": urls.timeline_json,
            "network": urls.network_json}[endpoint](text)


@pytest.mark.parametrize("text", ALWAYS_MALFORMED)
def test_malformed_hostile_queries_are_400(client: TestClient, text: str) -> None:
    for endpoint in ("search", "timeline", "network"):
        assert_error(get_json(client, api_url(endpoint, q=text), 400), "E400")


def test_nul_and_huge_parameters_elsewhere_are_400_not_500(client: TestClient) -> None:
    for url in (api_url("search", q="Yalu", page="\x00"), api_url("documents", page="9" * 5000),
                api_url("network", start="\x00"), api_url("network", end="1" * 10_000)):
        assert_error(get_json(client, url, 400), "E400")
    assert_error(get_json(client, api_url("documents", "a\x00b"), 404), "E300")


# --- the OpenAPI document ---

def test_the_spec_is_openapi_31_for_the_api_only(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] and spec["info"]["version"] == __version__
    assert spec["info"]["description"]
    routes = {r.path for r in router.routes if isinstance(r, APIRoute) and r.include_in_schema}
    assert set(spec["paths"]) == routes
    assert all(p == urls.API_PREFIX or p.startswith(urls.API_PREFIX + "/") for p in spec["paths"])
    for expected in ("/api/search", "/api/documents", "/api/documents/{doc_id}",
                     "/api/people/{person_id}", "/api/organizations/{organization_id}",
                     "/api/places/{place_id}", "/api/timeline", "/api/network"):
        assert expected in spec["paths"]
    assert "/search" not in spec["paths"] and "/openapi.json" not in spec["paths"]


def test_every_operation_and_parameter_is_described(spec: dict[str, Any]) -> None:
    ids = set()
    for path, method, op in operations(spec):
        assert method == "get"
        assert op["summary"] and op["description"], path
        ids.add(op["operationId"])
        for name in re.findall(r"\{(\w+)\}", path):
            assert any(p["name"] == name and p["in"] == "path" and p["required"]
                       for p in op.get("parameters", [])), (path, name)
        for param in op.get("parameters", []):
            assert len(param["description"]) > 20, (path, param["name"])
            assert param["schema"].get("type") or param["schema"].get("anyOf"), param
            assert "description" not in param["schema"]
        responses = op["responses"]
        assert "200" in responses and "500" in responses and "422" not in responses
        for status, response in responses.items():
            assert response["description"], (path, status)
            if status not in ("200", "308"):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}
    assert len(ids) == len(operations(spec)), "operation ids are unique"


def test_the_query_parameter_documents_the_query_language(spec: dict[str, Any]) -> None:
    q = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "q")
    for field in FIELDS:
        assert f"`{field}:`" in q["description"]
    for syntax in ('"exact phrases"', "prefix*", "-word", "OR", "date:1950-07..1950-10", "400"):
        assert syntax in q["description"]
    search = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert search["page"]["schema"]["type"] == "integer"
    assert search["sort"]["schema"]["enum"] == list(urls.SORTS)


def test_the_error_shape_is_in_the_spec(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    body = schemas["ErrorBody"]
    assert body["required"] == ["error"]
    assert body["properties"]["error"] == {"$ref": "#/components/schemas/ErrorDetail"}
    detail = schemas["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message"}
    assert all(detail["properties"][k]["description"] for k in ("code", "message"))


def test_the_spec_validates_when_a_validator_is_installed(spec: dict[str, Any]) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(spec)


# --- the human docs ---

def test_the_docs_page_lists_every_path_with_an_example(client: TestClient,
                                                        spec: dict[str, Any]) -> None:
    r = client.get(api_url("docs"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert f'href="{api_url("openapi.json")}"' in page
    assert "<script" not in page and "swagger" not in page.lower()
    examples = re.findall(r'<a class="example" href="([^"]+)">', page)
    assert len(examples) == len(operations(spec))
    for path, method, op in operations(spec):
        assert f"<code>{method.upper()} {html.escape(path)}</code>" in page
        assert f'id="endpoint-{op["operationId"]}"' in page
        for param in op.get("parameters", []):
            assert f"<dt><code>{param['name']}</code></dt>" in page
    for example in examples:
        get_json(client, html.unescape(example))


def test_the_docs_page_shows_the_error_shape_with_a_real_example(client: TestClient) -> None:
    page = client.get(api_url("docs")).text
    assert 'id="errors"' in page and "<code>code</code>" in page and "<code>message</code>" in page
    link = re.search(r'For example, <a href="([^"]+)">', page)
    shown = re.search(r'<pre class="json"><code>(.*?)</code></pre>', page, re.S)
    assert link and shown
    answered = get_json(client, html.unescape(link.group(1)), 400)
    assert json.loads(html.unescape(shown.group(1))) == answered
    assert_error(answered, "E400")
