"""Facets, sort orders, near spellings and did-you-mean, on the sample archive."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.search.index import SORTS
from cablegram.search.query import with_clause
from cablegram.search.suggest import edit_distance, replace_word, styled_like
from cablegram.web import urls
from tests.conftest import run_cli

EVERY = 1000


def found(archive: Archive, query: str, **kw: object) -> dict:
    """Every hit of a query, with facets."""
    return archive.search(query, limit=EVERY, **kw)  # type: ignore[arg-type]


def ids(archive: Archive, query: str) -> set[str]:
    """The ids a query finds."""
    return {h["id"] for h in found(archive, query)["hits"]}


@pytest.mark.parametrize("query", ["volunteers", "Stalin", "date:1950", "Pyongyang OR Seoul",
                                   "-Mao the"])
def test_every_facet_count_is_what_its_clause_finds(sample_archive: Archive,
                                                    query: str) -> None:
    result = found(sample_archive, query)
    assert result["total"] and result["facets"]["type"]
    for name, values in result["facets"].items():
        for v in values:
            narrowed = found(sample_archive, with_clause(query, v["clause"]))
            if name in ("people", "places"):  # person:/place: also match the name unlinked
                assert narrowed["total"] >= v["count"], (name, v)
            else:
                assert narrowed["total"] == v["count"], (name, v)
            assert narrowed["total"] <= result["total"]


def test_facets_are_counted_over_all_hits_not_one_page(sample_archive: Archive) -> None:
    small = sample_archive.search("the", limit=2)
    assert small["total"] > 10 and len(small["hits"]) == 2
    assert sum(v["count"] for v in small["facets"]["year"]) > 2
    whole = sum(v["count"] for v in small["facets"]["fragment"])
    assert whole == small["total"], "every document is a fragment or not"


def test_facet_labels_are_preferred_names_and_dates_run_in_order(sample_archive: Archive
                                                                 ) -> None:
    facets = found(sample_archive, "Stalin")["facets"]
    authors = {v["value"]: v["label"] for v in facets["authors"]}
    assert authors.get("stalin") == "Joseph Stalin"
    years = [v["value"] for v in facets["year"]]
    assert years == sorted(years) and all(len(y) == 4 for y in years)
    months = [v["value"] for v in facets["month"]]
    assert months == sorted(months) and all(m[4] == "-" and m[5:] != "00" for m in months)
    assert {v["value"] for v in facets["fragment"]} <= {"yes", "no"}


def test_the_fragment_and_language_fields(sample_archive: Archive) -> None:
    fragments = ids(sample_archive, "fragment:yes")
    assert fragments and not fragments & ids(sample_archive, "fragment:no")
    for doc_id in fragments:
        assert sample_archive.document(doc_id)["fragment"] is True
    russian = found(sample_archive, "language:russian")
    assert russian["total"] and russian["facets"]["language"][0]["label"] == "Russian"


def test_sort_by_date_both_ways_keeps_undated_last(sample_archive: Archive) -> None:
    for sort, reverse in (("date", False), ("-date", True)):
        dates = [h["date"] for h in found(sample_archive, "the", sort=sort)["hits"]]
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=reverse)
        assert all(d is None for d in dates[len(dated):]), "undated documents come last"
    assert ids(sample_archive, "the") == {h["id"] for h in found(
        sample_archive, "the", sort="-date")["hits"]}


def test_an_unknown_sort_order_is_a_query_error(sample_archive: Archive) -> None:
    from cablegram.errors import QueryError
    with pytest.raises(QueryError, match="not a sort order"):
        sample_archive.search("Stalin", sort="title")
    assert set(SORTS) == set(urls.SORTS)


@pytest.mark.parametrize(("typo", "word"), [("Roschin", "Roshchin"), ("Pyongyan", "Pyongyang"),
                                            ("volunters", "volunteers")])
def test_a_misspelling_finds_the_documents_and_suggests_the_word(
        sample_archive: Archive, typo: str, word: str) -> None:
    result = found(sample_archive, f"{typo} date:1950")
    assert result["total"] and ids(sample_archive, f"{typo} date:1950") <= ids(
        sample_archive, f"{word} date:1950")
    assert result["suggestions"] == [{"word": typo, "text": word,
                                      "query": f"{word} date:1950"}]


def test_words_the_archive_holds_get_no_suggestion(sample_archive: Archive) -> None:
    assert found(sample_archive, "Roshchin volunteers")["suggestions"] == []
    assert found(sample_archive, "zzyzxqq")["suggestions"] == []
    assert found(sample_archive, "zzyzxqq")["total"] == 0


def test_names_search_as_people(sample_archive: Archive) -> None:
    stalin = ids(sample_archive, "Stalin")
    signed = {d for d in stalin if any(
        a["as_written"].lower().startswith(("filippov", "fyn")) for a in
        sample_archive.document(d)["authors"])}
    assert signed, "Stalin finds the telegrams signed Filippov or FYN-SI"
    assert ids(sample_archive, "Chou En-lai") == ids(sample_archive, '"Zhou Enlai"') or \
        ids(sample_archive, "Chou En-lai") >= ids(sample_archive, "person:zhou-enlai")


def test_a_clause_narrows_every_side_of_or() -> None:
    assert with_clause("Seoul OR Pusan Incheon", "type:cable") == \
        "Seoul type:cable OR Pusan Incheon type:cable"
    assert with_clause("", "date:1950") == "date:1950"
    assert with_clause('"war OR peace" -OR', "date:1950") == '"war OR peace" -OR date:1950'


def test_suggestion_helpers() -> None:
    assert edit_distance("roschin", "roshchin", 2) == 1
    assert edit_distance("abcd", "abdc", 2) == 1, "a swap is one edit"
    assert edit_distance("kim", "kimilsung", 2) == 3, "beyond the limit"
    assert styled_like("roshchin", "Roschin") == "Roshchin"
    assert styled_like("pyongyang", "PYONGYAN") == "PYONGYANG"
    assert replace_word("from:x Roschin Roschinov", "Roschin", "Roshchin\\1") == \
        "from:x Roshchin\\1 Roschinov"


# the page


def test_the_page_links_each_facet_value_to_the_narrowed_search(client: TestClient) -> None:
    data = client.get(urls.search_json("volunteers")).json()
    page = client.get(urls.search("volunteers")).text
    names = [f["name"] for f in data["facets"]]
    assert names[:2] == ["type", "year"] and "authors" in names
    for facet in data["facets"]:
        assert f"<summary>{facet['heading']}</summary>" in page
        for v in facet["values"]:
            assert v["url"] == urls.search(f"volunteers {v['clause']}")
            assert v["count"] <= data["total"]
            assert f'href="{v["url"]}"'.replace("&", "&amp;") in page
    authors = next(f for f in data["facets"] if f["name"] == "authors")
    narrowed = client.get(authors["values"][0]["url"].replace("/search?", "/search.json?"))
    assert narrowed.json()["total"] == authors["values"][0]["count"]


def test_a_chosen_facet_is_marked_and_links_back(client: TestClient) -> None:
    data = client.get(urls.search_json("volunteers type:report")).json()
    types = next(f for f in data["facets"] if f["name"] == "type")["values"]
    assert [v["selected"] for v in types] == [True]
    assert types[0]["url"] == urls.search("volunteers")
    page = client.get(urls.search("volunteers type:report")).text
    assert 'aria-current="true" title="Remove this filter"' in page
    quoted = client.get(urls.search_json('Stalin type:"ciphered telegram"')).json()
    types = next(f for f in quoted["facets"] if f["name"] == "type")["values"]
    assert [(v["value"], v["selected"]) for v in types] == [("ciphered telegram", True)]
    assert types[0]["url"] == urls.search("Stalin")


def test_sort_links_and_did_you_mean_on_the_page(client: TestClient) -> None:
    page = client.get(urls.search("Roschin", sort="-date")).text
    assert "Did you mean" in page
    assert f'href="{urls.search("Roshchin", 1, "-date")}"'.replace("&", "&amp;") in page
    assert '<strong aria-current="true">newest first</strong>' in page
    assert f'href="{urls.search("Roschin", 1, "date")}"'.replace("&", "&amp;") in page
    assert client.get(urls.search("Roschin", sort="x")).status_code == 400
    bad = client.get("/search.json", params={"q": "Stalin", "sort": "x"})
    assert bad.status_code == 400 and "not a sort order" in bad.json()["error"]["message"]


def test_no_hits_but_a_near_word_offers_it(client: TestClient) -> None:
    data = client.get(urls.search_json("Pyongyan -Pyongyang")).json()
    page = client.get(urls.search("Pyongyan -Pyongyang")).text
    assert data["suggestions"] and "Did you mean" in page


def test_cli_search_prints_the_api_shape_facets_and_suggestions(
        sample_archive: Archive, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, client: TestClient) -> None:
    monkeypatch.setenv("CABLEGRAM_ARCHIVE", str(sample_archive.root))
    code, out, _ = run_cli(capsys, monkeypatch, "search", "volunteers", "--json")
    assert code == 0
    assert json.loads(out) == client.get(urls.search_json("volunteers")).json()
    code, out, _ = run_cli(capsys, monkeypatch, "search", "Roschin", "--facets",
                           "--sort", "date", "--limit", "3")
    assert code == 0 and "Did you mean Roshchin?" in out
    assert "from:roshchin" in out and "Nikolai Roshchin" in out and "--page 2" in out
    code, _, err = run_cli(capsys, monkeypatch, "search", "Stalin", "--sort", "x")
    assert code == 2 and "not a sort order" in err and "Traceback" not in err


def test_months_are_listed_only_for_a_short_span(client: TestClient) -> None:
    wide = client.get(urls.search_json("the")).json()
    names = [f["name"] for f in wide["facets"]]
    years = next(f for f in wide["facets"] if f["name"] == "year")["values"]
    assert len(years) > 3 and "month" not in names
    narrow = client.get(urls.search_json("the date:1950")).json()
    assert "month" in [f["name"] for f in narrow["facets"]]
