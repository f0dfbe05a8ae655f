"""Search fields on the sample archive: names as people, dates, types, numbers; web and CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.errors import QueryError
from cablegram.search.index import INDEX_VERSION, VERSION_FILE, day_number
from cablegram.web import urls
from cablegram.web.app import create_app
from tests.conftest import run_cli


def hits(archive: Archive, query: str) -> list[dict[str, Any]]:
    """Every hit of a query (the sample archive is small)."""
    result = archive.search(query, limit=100)
    assert result["total"] == len(result["hits"])
    return list(result["hits"])


def ids(archive: Archive, query: str) -> set[str]:
    """The ids a query finds."""
    return {h["id"] for h in hits(archive, query)}


def role_ids(archive: Archive, role: str, agent: str) -> set[str]:
    """Documents whose `role` mentions link to `agent`, straight from the store."""
    rows = archive.store.conn.execute(
        "SELECT DISTINCT document_id FROM roles WHERE role = ? AND agent_id = ?", (role, agent))
    return {r[0] for r in rows}


def test_from_finds_the_author_under_his_pseudonym(sample_archive: Archive) -> None:
    found = ids(sample_archive, "from:stalin")
    assert found == role_ids(sample_archive, "authors", "stalin")
    marks = ",".join("?" * len(found))
    written = {r[0] for r in sample_archive.store.conn.execute(
        f"SELECT as_written FROM roles WHERE role = 'authors' AND document_id IN ({marks})",
        sorted(found))}
    assert any("Filippov" in w or "FILIPPOV" in w for w in written)
    assert all("stalin" in w.lower() or "filippov" in w.lower() for w in written)


def test_from_does_not_take_a_pseudonym_as_a_string(sample_archive: Archive) -> None:
    """`Kuznetsov` was once Stalin's pseudonym; the 1953 cable is signed by another man."""
    kuznetsov = ids(sample_archive, "from:kuznetsov")
    assert kuznetsov and not kuznetsov & ids(sample_archive, "from:stalin")


def test_to_via_and_person(sample_archive: Archive) -> None:
    assert ids(sample_archive, "to:roshchin") == role_ids(sample_archive, "recipients",
                                                            "roshchin")
    assert ids(sample_archive, "via:shtykov") == role_ids(sample_archive, "via", "shtykov")
    person = ids(sample_archive, "person:stalin")
    assert ids(sample_archive, "from:stalin") | ids(sample_archive, "to:stalin") <= person
    assert ids(sample_archive, "from:FYN-SI") == ids(sample_archive, "from:stalin")


def test_a_bare_name_searches_the_person(sample_archive: Archive) -> None:
    assert role_ids(sample_archive, "authors", "stalin") <= ids(sample_archive, "Stalin")
    chou = hits(sample_archive, "Chou En-lai")
    assert chou and ids(sample_archive, '"Chou En-lai"') == {h["id"] for h in chou}
    assert any("Zhou Enlai" in h["snippet"] or "ZHOU ENLAI" in h["snippet"] for h in chou)


def test_type_collection_and_ref(sample_archive: Archive) -> None:
    typed = hits(sample_archive, 'type:"ciphered telegram"')
    assert typed and {h["type"] for h in typed} == {"ciphered telegram"}
    assert {h["type"] for h in hits(sample_archive, "type:telegram")} == {"telegram"}
    coll = hits(sample_archive, "collection:compilation")
    assert coll and {h["collection"] for h in coll} == {"compilation"}
    assert len(ids(sample_archive, "ref:2214")) == 2
    assert ids(sample_archive, 'ref:"No. 2214"') == ids(sample_archive, "ref:2214")


@pytest.mark.parametrize(
    ("query", "low", "high"),
    [("date:1950-07..1950-08", "1950-07", "1950-08-31"), ("date:1950", "1950", "1950-12-31"),
     ("date:..1950-06-30", "0000", "1950-06-30")],
)
def test_dates_stay_in_range(sample_archive: Archive, query: str, low: str, high: str) -> None:
    found = hits(sample_archive, query)
    assert found
    assert all(low <= h["date"][:10] <= high for h in found)
    dated = [r[0] for r in sample_archive.store.conn.execute("SELECT date FROM documents")]
    assert len(found) == sum(1 for d in dated if d and low <= d[:10] <= high)


def test_a_month_precision_date_is_in_its_months_range() -> None:
    assert day_number("1950-07") == 19500700
    assert 19500700 <= day_number("1950-07") <= 19501099  # type: ignore[operator]
    assert day_number("1950-06-27/1950-06-30") == 19500627 and day_number(None) is None


def test_combinations_with_words_and_negation(sample_archive: Archive) -> None:
    stalin = ids(sample_archive, "from:stalin")
    to_kim = ids(sample_archive, 'from:stalin to:"Kim Il Sung"')
    assert to_kim and to_kim < stalin
    assert ids(sample_archive, 'from:stalin -to:"Kim Il Sung"') == stalin - to_kim
    in_1950 = ids(sample_archive, "from:stalin date:1950")
    assert in_1950 and in_1950 < stalin
    either = ids(sample_archive, "from:roshchin OR from:stalin")
    assert either == stalin | ids(sample_archive, "from:roshchin")
    assert not ids(sample_archive, "-from:stalin") & stalin


@pytest.mark.parametrize(
    "query",
    ['"', '""', "a:b", ":::", "NEAR(Seoul, 5)", "((Seoul", "Seoul)))", "x" * 10_000,
     "Seoul\x00Pusan", "\x00", "[a-z]+", "type:c(", 'ref:"\\d+"', 'from:"(("', "-", "OR OR",
     "collection:.*", "date:1950-1", "to:*", '"from:stalin"'],
)
def test_hostile_input_gives_results_or_a_query_error(sample_archive: Archive,
                                                      query: str) -> None:
    try:
        result = sample_archive.search(query)
    except QueryError as exc:
        assert str(exc).startswith("[E400]")
    else:
        assert result["total"] >= 0


def test_an_index_of_another_version_is_rebuilt(tmp_path: Path,
                                                sample_archive: Archive) -> None:
    from tests.conftest import SAMPLES, build_archive
    archive = build_archive(tmp_path / "a", [SAMPLES / "pdf"])
    n = archive.index.num_docs()
    archive.close()
    (tmp_path / "a" / "index" / VERSION_FILE).write_text("0\n")
    reopened = Archive.open(tmp_path / "a")
    assert (tmp_path / "a" / "index" / VERSION_FILE).read_text().strip() == INDEX_VERSION
    assert reopened.index.num_docs() == n and ids(reopened, "from:stalin")


def test_web_search_with_fields(sample_archive: Archive) -> None:
    client = TestClient(create_app(sample_archive.root))
    r = client.get(urls.search("from:stalin"))
    assert r.status_code == 200 and "Traceback" not in r.text
    data = client.get(urls.search_json("from:stalin")).json()
    assert {h["id"] for h in data["hits"]} <= ids(sample_archive, "from:stalin")
    bad = client.get(urls.search("foo:bar"))
    assert bad.status_code == 400 and "not a search field" in bad.text
    j = client.get(urls.search_json("date:1950-13"))
    assert j.status_code == 400 and "no month 13" in j.json()["error"]["message"]


def test_cli_search_with_fields(sample_archive: Archive, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CABLEGRAM_ARCHIVE", str(sample_archive.root))
    code, out, _ = run_cli(capsys, monkeypatch, "search", "from:stalin", "--json", "--limit", "50")
    assert code == 0
    assert {h["id"] for h in json.loads(out)["hits"]} == ids(sample_archive, "from:stalin")
    code, _, err = run_cli(capsys, monkeypatch, "search", "foo:bar")
    assert code == 2 and "not a search field" in err and "Traceback" not in err
