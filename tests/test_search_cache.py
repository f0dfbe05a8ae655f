"""Aggregated pages (network, timeline, record pages) are computed once per index commit."""

from __future__ import annotations

from typing import Any

import pytest

from cablegram.archive import Archive
from cablegram.pipeline import collect_files
from cablegram.search import network as network_module
from cablegram.search.query import parse
from tests.conftest import SAMPLES


def test_a_repeated_page_is_counted_once_until_the_next_commit(
        empty_archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = network_module.network

    def counted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append("network")
        return real(*args, **kwargs)

    monkeypatch.setattr("cablegram.archive.network", counted)
    list(empty_archive.ingest(collect_files([SAMPLES / "compilation"])))
    first = empty_archive.network()
    first["nodes"].clear()  # a caller changing its copy changes nothing kept
    again = empty_archive.network()
    assert calls == ["network"] and again["nodes"] and again["total"] == first["total"]
    assert empty_archive.network("Yalu")["total"] < again["total"]  # another key: counted
    assert len(calls) == 2

    list(empty_archive.ingest(collect_files([SAMPLES / "translations"])))  # a new commit
    after = empty_archive.network()
    assert len(calls) == 3 and after["total"] > again["total"]


def test_record_pages_and_the_timeline_see_each_commit(empty_archive: Archive) -> None:
    list(empty_archive.ingest(collect_files([SAMPLES / "compilation"])))
    stalin, years = empty_archive.agent("stalin")["total"], empty_archive.timeline()["total"]
    list(empty_archive.ingest(collect_files([SAMPLES / "translations"])))
    assert empty_archive.agent("stalin")["total"] > stalin
    assert empty_archive.timeline()["total"] > years


@pytest.mark.parametrize("text", ["", "Stalin", "date:1950..1951", "from:stalin Korea",
                                  "nosuchwordanywhere"])
def test_aggregations_count_their_matches_as_a_search_does(sample_archive: Archive,
                                                           text: str) -> None:
    total, result = sample_archive.index.aggregate(
        parse(text), {"years": {"terms": {"field": "year", "size": 100}}})
    everything = sample_archive.store.stats()["documents"]
    searched = sample_archive.search(text, facets=False)["total"] if text else everything
    assert total == searched and (total > 0) == (text != "nosuchwordanywhere")
    assert "_matches" not in result  # the count's own aggregation is not handed on
    if total:
        assert sum(b["doc_count"] for b in result["years"]["buckets"]) <= total
