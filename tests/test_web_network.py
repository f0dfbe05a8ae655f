"""The network page and its JSON twin: the graph laid out on the server, the ranked tables,
the date range, errors, escaping, the cap, and the layout function itself."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.errors import QueryError
from cablegram.web import urls
from cablegram.web.app import SECURITY_HEADERS
from cablegram.web.layout import CHAR_WIDTH, SIDES, _cost, _label_at, layout, place_labels, steps
from cablegram.web.views import environment
from cablegram.web.views.network import LIMIT, check_dates, network_data
from cablegram.web.views.timeline import narrow
from tests.conftest import e, get_json


def pairs(data: dict[str, Any]) -> set[tuple[str, str, str]]:
    """The edges of a network as (kind, source, target)."""
    return {(edge["kind"], edge["source"], edge["target"]) for edge in data["edges"]}


def render(data: dict[str, Any]) -> str:
    """The network page for `data`, rendered as the route does."""
    return environment().get_template("network.html").render(**data, json_url=None)


# The pages, on the sample archive

def test_stalins_letters_go_to_mao_and_come_from_roshchin(client: TestClient) -> None:
    data = get_json(client, urls.network_json("from:stalin"))
    assert data["total"] == get_json(client, urls.search_json("from:stalin"))["total"] > 0
    edges = pairs(data)
    assert ("letter", "stalin", "mao") in edges
    assert all(source == "stalin" or kind == "via" for kind, source, _ in edges)
    assert ("letter", "roshchin", "stalin") not in edges  # not a letter *from* Stalin
    names = {node["id"]: node["name"] for node in data["nodes"]}
    assert names["stalin"] == "Joseph Stalin" and names["mao"] == "Mao Zedong"
    whole = pairs(get_json(client, urls.network_json()))
    assert ("letter", "roshchin", "stalin") in whole and edges < whole


def test_nodes_link_to_the_pages_of_people(client: TestClient) -> None:
    data = get_json(client, urls.network_json("from:stalin"))
    page = client.get(urls.network("from:stalin")).text
    for node in data["nodes"]:
        assert node["url"] == urls.agent(node["kind"], node["id"])
        assert node["kind"] in ("person", "organization")
        assert f'<a class="node {node["kind"]}" href="{e(node["url"])}">' in page
        assert f'<a href="{e(node["url"])}">{e(node["name"])}</a>' in page  # the table
    mao = next(n for n in data["nodes"] if n["id"] == "mao")
    assert mao["url"] == urls.person("mao")
    target = client.get(mao["url"])
    assert target.status_code == 200 and "Mao Zedong" in target.text


@pytest.mark.parametrize("q", ["from:stalin", "", "Korea"])
def test_edge_counts_are_the_documents_the_search_finds(client: TestClient, q: str) -> None:
    data = get_json(client, urls.network_json(q))
    assert data["edges"]
    for edge in data["edges"]:
        s, t = edge["source"], edge["target"]
        wanted = ([f"from:{s} via:{t}", f"via:{s} to:{t}"] if edge["kind"] == "via"
                  else [f"from:{s} to:{t}"])
        assert edge["search_url"] == urls.search(narrow(q, *wanted))
        found = get_json(client, urls.search_json(narrow(q, *wanted)))["total"]
        assert found == edge["count"], edge


def test_the_date_range_narrows_the_graph(client: TestClient) -> None:
    start, end = "1950-10", "1950-10-31"
    data = get_json(client, urls.network_json("", start, end))
    assert (data["start"], data["end"]) == (start, end)
    assert data["total"] == get_json(client, urls.search_json(f"date:{start}..{end}"))["total"]
    whole = get_json(client, urls.network_json())
    assert 0 < data["total"] < whole["total"] and pairs(data) < pairs(whole)
    for edge in data["edges"]:
        assert f"date%3A{start}..{end}" in edge["search_url"].replace("%2E", ".")
    page = client.get(urls.network("", start, end)).text
    assert f'value="{start}"' in page and f'value="{end}"' in page
    assert f"dated {start} to {end}" in page


def test_via_is_its_own_kind_of_edge(client: TestClient) -> None:
    data = get_json(client, urls.network_json())
    via = [edge for edge in data["edges"] if edge["kind"] == "via"]
    assert via and any(edge["target"] == "shtykov" or edge["source"] == "shtykov"
                       for edge in via)
    page = client.get(urls.network()).text
    assert 'class="edge via"' in page and 'marker-end="url(#arrow-via)"' in page
    assert 'class="edge letter"' in page and "through an intermediary (via)" in page


def test_the_page_shows_the_twins_data(client: TestClient, sample_archive: Archive) -> None:
    q, start, end = "Stalin", "1950", "1950-12"
    r = client.get(urls.network(q, start, end))
    assert r.status_code == 200
    page, data = r.text, get_json(client, urls.network_json(q, start, end))
    assert data == network_data(sample_archive.network(q, start, end, limit=LIMIT + 1))
    assert f'href="{e(urls.network_json(q, start, end))}"' in page
    assert f'viewBox="0 0 {data["width"]} {data["height"]}"' in page
    for node in data["nodes"]:
        assert f'<circle cx="{node["x"]}" cy="{node["y"]}" r="{node["r"]}">' in page
        assert f'<td class="num">{node["documents"]}</td>' in page
    for edge in data["edges"]:
        assert f'd="{edge["path"]}" stroke-width="{edge["width"]}"' in page
        assert f'<a href="{e(edge["search_url"])}" title="Search for these documents">' \
            f'{edge["count"]}</a>' in page
    ranks = [node["documents"] for node in data["nodes"]]
    assert ranks == sorted(ranks, reverse=True)
    counts = [edge["count"] for edge in data["edges"]]
    assert counts == sorted(counts, reverse=True)
    assert not data["truncated"] and "strongest connections are drawn" not in page


def test_the_script_is_our_own_file_allowed_by_the_policy(client: TestClient) -> None:
    r = client.get(urls.network())
    assert f'<script src="{urls.static("network.js")}" defer></script>' in r.text
    policy = r.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    assert dict(SECURITY_HEADERS)[b"content-security-policy"].decode() == policy
    script = client.get(urls.static("network.js"))
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "viewBox" in script.text and "http" not in script.text  # no other hosts


def test_no_correspondence_says_so(client: TestClient) -> None:
    data = get_json(client, urls.network_json("nosuchwordanywhere"))
    assert (data["total"], data["nodes"], data["edges"]) == (0, [], [])
    page = client.get(urls.network("nosuchwordanywhere")).text
    assert "No documents match <q>nosuchwordanywhere</q>" in page and "<svg class" not in page


@pytest.mark.parametrize(("q", "start", "end", "words"), [
    ('"unbalanced', "", "", "closing"),
    ("nosuchfield:x", "", "", "not a search field"),
    ("", "July", "", "start date"),
    ("", "1950-13", "", "no month 13"),
    ("", "", "1950-02-30", "end date"),
    ("", "1951", "1950", "after the end date"),
    ("", "\x00", "", "start date"),
])
def test_malformed_queries_and_dates_are_400(client: TestClient, q: str, start: str, end: str,
                                              words: str) -> None:
    r = client.get(urls.network(q, start, end))
    assert r.status_code == 400
    assert "This network could not be drawn." in r.text and words in r.text
    assert "Traceback" not in r.text and "<svg class" not in r.text
    body = get_json(client, urls.network_json(q, start, end), 400)
    assert body["error"]["code"] == "E400" and words in body["error"]["message"]


def test_check_dates_keeps_good_ranges() -> None:
    assert check_dates(" 1950-07 ", "") == ("1950-07", "")
    assert check_dates("", "1950-09-15") == ("", "1950-09-15")
    assert check_dates("1950-10", "1950-10") == ("1950-10", "1950-10")
    with pytest.raises(QueryError):
        check_dates("1950-10-02", "1950-10-01")


# network_data and the template: pure, on results shaped as Archive.network returns them

def fake(names: dict[str, str], edges: list[tuple[str, str, str, int]]) -> dict[str, Any]:
    """A result shaped as Archive.network returns it."""
    return {"query": "", "start": "", "end": "", "total": 9,
            "nodes": [{"id": i, "name": n, "kind": "person", "documents": 3}
                      for i, n in names.items()],
            "edges": [{"source": s, "target": t, "kind": k, "count": c}
                      for k, s, t, c in edges]}


def test_hostile_names_and_ids_are_escaped() -> None:
    hostile = '<script>alert("x")</script>'
    data = network_data(fake({'a"><img src=x onerror=1>': hostile, "b": "B & <b>C</b>"},
                             [("letter", 'a"><img src=x onerror=1>', "b", 2)]))
    page = render(data)
    assert "<script>alert" not in page and "<img" not in page and "<b>C</b>" not in page
    assert e(hostile) in page and e("B & <b>C</b>") in page
    assert f'<text x="{data["nodes"][0]["label_x"]}"' in page
    assert data["nodes"][0]["url"] == urls.person('a"><img src=x onerror=1>')
    assert f'href="{e(data["nodes"][0]["url"])}"' in page and "%3E" in data["nodes"][0]["url"]


def test_the_graph_is_capped_and_says_so() -> None:
    names = {f"p{i}": f"Person {i}" for i in range(6)}
    edges = [("letter", f"p{i}", f"p{i + 1}", 10 - i) for i in range(5)]
    data = network_data(fake(names, edges), limit=3)
    assert data["truncated"] and len(data["edges"]) == 3
    assert {n["id"] for n in data["nodes"]} == {"p0", "p1", "p2", "p3"}
    page = render(data)
    assert "Only the 3 strongest connections are drawn and listed." in page
    assert "Person 5" not in page and "Person 4" not in page
    assert not network_data(fake(names, edges), limit=5)["truncated"]


def test_unlabelled_nodes_are_named_on_hover_and_focus() -> None:
    names = {f"p{i:02d}": f"Person {i}" for i in range(50)}
    edges = [("letter", "p00", f"p{i:02d}", 1) for i in range(1, 50)]
    data = network_data(fake(names, edges))
    assert data["labelled"] == 40 == sum(1 for n in data["nodes"] if n["labelled"])
    page = render(data)
    labels = page[page.index('<g class="labels"'):page.index('<g class="nodes">')]
    assert labels.count("<text ") == 40 and "Person 0<" in labels and "Person 49<" not in labels
    assert page.count('<text class="hover"') == 50 and "Person 49</text>" in page
    assert "The busiest 40 correspondents are named" in page


def busy(hubs: int, leaves: int) -> dict[str, Any]:
    """A result shaped as Archive.network returns it, as busy as a real archive's: `hubs`
    correspondents linked in a ring, each writing to `leaves` of their own, and a few via
    edges, the strongest LIMIT + 1 edges kept, counts falling off from the strongest."""
    edges = [("letter", f"h{h}", f"h{(h + 1) % hubs}", 400 - h) for h in range(hubs)
             if hubs > 1]
    edges += [("letter", f"h{h}", f"h{h}l{k}", 1 + 300 // (1 + k + h)) for h in range(hubs)
              for k in range(leaves)]
    edges += [("via", f"h{h}l0", f"h{(h + 2) % hubs}", 2) for h in range(hubs)]
    edges = sorted(edges, key=lambda edge: -edge[3])[:LIMIT + 1]
    ids = dict.fromkeys(i for _, s, t, _ in edges for i in (s, t))
    documents = dict.fromkeys(ids, 0)
    for _, s, t, c in edges:
        documents[s] += c
        documents[t] += c
    return {"query": "", "start": "", "end": "", "total": sum(c for *_, c in edges),
            "nodes": [{"id": i, "name": f"Correspondent {i.upper()}", "kind": "person",
                       "documents": documents[i]} for i in ids],
            "edges": [{"source": s, "target": t, "kind": k, "count": c}
                      for k, s, t, c in edges]}


@pytest.mark.parametrize(("hubs", "leaves"), [(1, 160), (3, 60), (12, 12), (75, 1)])
def test_a_full_graph_keeps_every_circle_in_view_and_uncovered(hubs: int, leaves: int) -> None:
    result = busy(hubs, leaves)
    data = network_data(result)
    assert data["truncated"] and len(data["edges"]) == LIMIT
    nodes = data["nodes"]
    assert len(nodes) > 100 and data == network_data(result)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes) and uncovered(nodes)
    for node in nodes:
        assert math.isfinite(node["x"]) and math.isfinite(node["y"])
        assert 70 <= node["x"] <= data["width"] - 70 and 70 <= node["y"] <= data["height"] - 70
        if node["labelled"]:
            width = len(node["name"]) * CHAR_WIDTH
            left = {"start": node["label_x"], "end": node["label_x"] - width,
                    "middle": node["label_x"] - width / 2}[node["anchor"]]
            assert left >= 0 and left + width <= data["width"] and node["label_y"] >= 12


def uncovered(nodes: list[dict[str, Any]]) -> bool:
    """Whether no node's centre lies under a circle drawn after it."""
    return all(math.dist((a["x"], a["y"]), (b["x"], b["y"])) > b["r"]
               for i, a in enumerate(nodes) for b in nodes[i + 1:])


def test_a_crowded_graph_gets_smaller_circles_that_still_do_not_cover_each_other() -> None:
    names = {f"p{i}": f"Person {i}" for i in range(2 * (LIMIT + 1))}
    pairs = [("letter", f"p{2 * i}", f"p{2 * i + 1}", 1) for i in range(LIMIT + 1)]
    data = network_data(fake(names, pairs))  # 300 equally busy correspondents
    nodes = data["nodes"]
    assert len(nodes) == 2 * LIMIT and len({n["r"] for n in nodes}) == 1
    inner = (data["width"] - 140) * (data["height"] - 140)
    assert 4 <= nodes[0]["r"] < 16 and len(nodes) * math.pi * nodes[0]["r"] ** 2 < 0.13 * inner
    assert uncovered(nodes)
    few = network_data(fake({"a": "A", "b": "B"}, [("letter", "a", "b", 1)]))["nodes"]
    assert [n["r"] for n in few] == [16.0, 16.0]  # room enough: full size


def test_names_are_placed_as_if_every_other_name_and_circle_were_checked() -> None:
    data = network_data(busy(3, 60))  # crowded: many names near many circles
    circles = [(n["x"], n["y"], n["r"]) for n in data["nodes"]]
    names = [n["name"] for n in data["nodes"]]
    boxes = [(x - r, y - r, x + r, y + r) for x, y, r in circles]
    placed: list[tuple[float, float, float, float]] = []
    for i, ((x, y, r), name) in enumerate(zip(circles, names, strict=True)):
        options = [_label_at(x, y, r, len(name) * CHAR_WIDTH, side) for side in SIDES]
        others = boxes[:i] + boxes[i + 1:]
        best = min(options, key=lambda o: _cost(o[3], placed if i < 40 else [], others,
                                                 960, 640))
        if i < 40:
            placed.append(best[3])
        node = data["nodes"][i]
        assert (node["label_x"], node["label_y"], node["anchor"]) == (
            round(best[0], 1), round(best[1], 1), best[2])


def test_edges_in_both_directions_are_drawn_apart() -> None:
    data = network_data(fake({"a": "A", "b": "B"}, [("letter", "a", "b", 2),
                                                    ("letter", "b", "a", 1),
                                                    ("via", "a", "b", 1)]))
    paths = [edge["path"] for edge in data["edges"]]
    assert len(set(paths)) == 3
    controls = {tuple(re.findall(r"Q(\S+) (\S+)", p)[0]) for p in paths}
    assert len(controls) == 3  # each curve bends its own way


# layout: a pure function

def graph(n: int) -> tuple[list[str], list[tuple[str, str, float]]]:
    """A star of stars with a few isolated nodes: `n` nodes."""
    nodes = [f"n{i}" for i in range(n)]
    edges = [(f"n{i}", f"n{i // 5}", float(1 + i % 3)) for i in range(1, n - 3)]
    return nodes, edges


@pytest.mark.parametrize("n", [0, 1, 2, 7, 60, 250])
def test_layout_is_deterministic_finite_inside_and_without_overlap(n: int) -> None:
    nodes, edges = graph(n)
    spots = layout(nodes, edges, 960, 640, 70)
    assert list(spots) == nodes
    assert spots == layout(list(nodes), list(edges), 960, 640, 70)
    assert spots == layout(nodes, edges, 960, 640, 70, iterations=steps(n))  # the default
    for x, y in spots.values():
        assert math.isfinite(x) and math.isfinite(y)
        assert 70 <= x <= 890 and 70 <= y <= 570
    assert len(set(spots.values())) == len(spots)
    if n == 1:
        assert spots["n0"] == (480.0, 320.0)


def test_linked_nodes_end_up_closer_than_unlinked_ones() -> None:
    nodes = ["a", "b", "c", "d"]
    spots = layout(nodes, [("a", "b", 5), ("c", "d", 5)])
    dist = {k: math.dist(spots[k[0]], spots[k[1]]) for k in (("a", "b"), ("a", "c"), ("b", "d"))}
    assert dist[("a", "b")] < dist[("a", "c")] and dist[("a", "b")] < dist[("b", "d")]


def test_layout_ignores_unknown_ends_and_self_loops_and_copes_with_duplicates() -> None:
    spots = layout(["a", "b", "a", "c"], [("a", "zz", 3), ("b", "b", 2), ("a", "b", 0)],
                   400, 300, 20)
    assert list(spots) == ["a", "b", "c"]
    assert len(set(spots.values())) == 3
    assert all(20 <= x <= 380 and 20 <= y <= 280 for x, y in spots.values())


def test_names_stay_on_the_canvas_and_off_other_circles() -> None:
    circles = [(300.0, 100.0, 8.0), (360.0, 100.0, 8.0), (950.0, 300.0, 8.0)]
    names = ["Aleksandr Vasilevsky", "Kim Il Sung", "Dean Acheson"]
    placed = place_labels(circles, names, 3, 960, 640)
    assert placed == place_labels(circles, names, 3, 960, 640)
    (x0, y0, a0), (x1, y1, a1), (x2, y2, a2) = placed
    assert a0 == "end" and x0 < 300  # to the right it would run over Kim Il Sung's circle
    assert a1 == "start" and x1 > 360
    assert a2 == "end" and x2 - len(names[2]) * CHAR_WIDTH >= 0  # kept on the canvas
    assert all(y > 100 - 8 for y in (y0, y1))  # beside the circle, not above it
    top = place_labels([(300.0, 100.0, 8.0), (300.0 - 60, 100.0, 8.0), (360.0, 100.0, 8.0)],
                       ["Aleksandr Vasilevsky", "Kim", "Mao"], 3, 960, 640)
    assert top[0][2] == "middle"  # no room on either side: above or below instead


def test_the_sample_graph_names_every_node_without_collisions(client: TestClient) -> None:
    data = get_json(client, urls.network_json())
    boxes = []
    for node in data["nodes"]:
        width = len(node["name"]) * CHAR_WIDTH
        left = {"start": node["label_x"], "end": node["label_x"] - width,
                "middle": node["label_x"] - width / 2}[node["anchor"]]
        boxes.append((left, node["label_y"] - 12, left + width, node["label_y"]))
        assert left >= 0 and left + width <= data["width"]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
