"""OAI-PMH at /oai: datestamps and from/until over an archive with known ingest times, and
the protocol's parts (dates, set specs, tokens, settings, xml:id scoping) on their own."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from cablegram.archive import Archive
from cablegram.errors import InputError
from cablegram.export.oai import (
    OaiSettings,
    ProtocolError,
    make_token,
    parse_datestamp,
    read_token,
    set_specs,
)
from cablegram.export.oai_metadata import scope_ids
from tests.conftest import SAMPLES, build_archive
from tests.test_oai import NS, REPO, ask, error_of, harvest, make_client, tampered

# Ingest times given to the dated archive's sources, in source order.
STAMPS = ["2001-02-03T04:05:06", "2001-02-03T23:59:59", "2001-02-04T00:00:00",
          "2001-02-05T12:00:00", "2001-03-01T00:00:00", "2002-01-01T00:00:00",
          "2002-06-30T18:30:00"]



@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, dict[str, str]]:
    """An archive of the archive-page samples whose sources were ingested at STAMPS; and the
    datestamp of each of its oai identifiers."""
    archive = build_archive(tmp_path_factory.mktemp("dated") / "a", [SAMPLES / "archive-pages"])
    conn = archive.store.conn
    sources = [r[0] for r in conn.execute("SELECT id FROM sources ORDER BY id")]
    assert len(sources) == len(STAMPS)
    for sid, stamp in zip(sources, STAMPS, strict=True):
        conn.execute("UPDATE sources SET ingested_at=? WHERE id=?", (stamp + "+00:00", sid))
    stamps = {f"oai:{REPO}:{r[0]}": r[1][:19] + "Z" for r in conn.execute(
        "SELECT d.id, s.ingested_at FROM documents d JOIN sources s ON s.id = d.source_id")}
    return archive, stamps


@pytest.fixture(scope="module")
def dated_client(dated: tuple[Archive, dict[str, str]]) -> TestClient:
    """The reading room over the dated archive."""
    return make_client(dated[0], page_size=2)


# --- datestamps: from and until ------------------------------------------------------------

def _between(stamps: dict[str, str], low: str, high: str) -> set[str]:
    """The identifiers whose datestamp lies in [low, high]."""
    return {i for i, s in stamps.items() if low <= s <= high}


@pytest.mark.parametrize(("args", "low", "high"), [
    ({"from_": "2001-02-03", "until": "2001-02-03"}, "2001-02-03T00:00:00Z",
     "2001-02-03T23:59:59Z"),
    ({"from_": "2001-02-04"}, "2001-02-04T00:00:00Z", "9999"),
    ({"until": "2001-02-04"}, "0000", "2001-02-04T23:59:59Z"),
    ({"from_": "2001-02-03T04:05:06Z", "until": "2001-02-04T00:00:00Z"},
     "2001-02-03T04:05:06Z", "2001-02-04T00:00:00Z"),
    ({"from_": "2001-02-03T04:05:07Z", "until": "2002-06-30T18:30:00Z"},
     "2001-02-03T04:05:07Z", "2002-06-30T18:30:00Z"),
    ({"from_": "2002-01-01T00:00:00Z", "until": "2002-01-01T00:00:00Z"},
     "2002-01-01T00:00:00Z", "2002-01-01T00:00:00Z"),
])
def test_from_and_until_are_inclusive_at_both_granularities(
        dated_client: TestClient, dated: tuple[Archive, dict[str, str]], args: dict[str, str],
        low: str, high: str) -> None:
    expected = _between(dated[1], low, high)
    assert expected and expected != set(dated[1]), "the case should select some records"
    ids, _ = harvest(dated_client, "ListIdentifiers", metadataPrefix="oai_dc", **args)
    assert sorted(ids) == sorted(expected)
    records, _ = harvest(dated_client, "ListRecords", metadataPrefix="oai_dc", **args)
    assert records == ids


def test_datestamps_are_the_ingest_times(dated: tuple[Archive, dict[str, str]]) -> None:
    dated_client = make_client(dated[0], page_size=100)
    root = ask(dated_client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2001-02-03")
    headers = root.findall("o:ListIdentifiers/o:header", NS)
    assert [(h.findtext("o:identifier", namespaces=NS), h.findtext("o:datestamp", namespaces=NS))
            for h in headers] == sorted(
        ((i, s) for i, s in dated[1].items() if s < "2001-02-04"), key=lambda p: p[1])
    earliest = ask(dated_client, verb="Identify").findtext(".//o:earliestDatestamp",
                                                           namespaces=NS)
    assert earliest == "2001-02-03T04:05:06Z"


@pytest.mark.parametrize(("args", "code"), [
    ({"from_": "2001-02-30"}, "badArgument"),
    ({"until": "2001-2-3"}, "badArgument"),
    ({"from_": "yesterday"}, "badArgument"),
    ({"from_": "2001-02-03T04:05:06"}, "badArgument"),
    ({"from_": "2001-02-03T04:05:06+01:00"}, "badArgument"),
    ({"from_": "2001-02-03T04:05Z"}, "badArgument"),
    ({"until": "２００１-02-03"}, "badArgument"),
    ({"from_": "2001-02-05", "until": "2001-02-04"}, "badArgument"),
    ({"from_": "2001-02-03T00:00:00Z", "until": "2001-02-04"}, "badArgument"),
    ({"from_": "2030-01-01"}, "noRecordsMatch"),
    ({"until": "1999-12-31T23:59:59Z"}, "noRecordsMatch"),
    ({"from_": "2001-02-06", "until": "2001-02-28"}, "noRecordsMatch"),
])
def test_bad_and_empty_date_ranges(dated_client: TestClient, args: dict[str, str],
                                   code: str) -> None:
    for verb in ("ListIdentifiers", "ListRecords"):
        root = ask(dated_client, verb=verb, metadataPrefix="oai_dc", **args)
        assert error_of(root) == code
        assert bool(root.find("o:request", NS).attrib) == (code != "badArgument")


# --- the parts ----------------------------------------------------------------------------

def test_parse_datestamp() -> None:
    assert parse_datestamp("2001-02-03", "from", False) == ("2001-02-03T00:00:00", "day")
    assert parse_datestamp("2001-02-03", "until", True) == ("2001-02-03T23:59:59", "day")
    assert parse_datestamp("2001-02-03T04:05:06Z", "from", False) == \
        ("2001-02-03T04:05:06", "second")
    for bad in ("2001-13-01", "2001-02-03T24:00:00Z", "2001-02-03 04:05:06Z", "", "2001"):
        with pytest.raises(ProtocolError) as info:
            parse_datestamp(bad, "from", False)
        assert info.value.oai_code == "badArgument"


def test_set_specs_are_legal_and_distinct() -> None:
    specs = set_specs(["compilation", "a b", "a-b", "a:b", "", "ü"])
    assert specs["compilation"] == "compilation" and specs["a-b"] == "a-b"
    assert len(set(specs.values())) == 6
    assert all(re.fullmatch(r"[A-Za-z0-9\-_.!~*'()]+", s) for s in specs.values())


def test_tokens_round_trip_and_refuse_changes() -> None:
    state = {"verb": "ListRecords", "prefix": "oai_dc", "from": None, "until": None,
             "collection": None, "after": [3, 2], "cursor": 100}
    token = make_token(state, "k")
    assert read_token(token, "ListRecords", "k") == state
    for args in ((token, "ListRecords", "other key"), (token, "ListSets", "k"),
                 (tampered(token), "ListRecords", "k")):
        with pytest.raises(ProtocolError):
            read_token(*args)
    with pytest.raises(ProtocolError):
        read_token(make_token({**state, "after": "3,2"}, "k"), "ListRecords", "k")


def test_settings_refuse_unusable_values() -> None:
    assert OaiSettings.from_env({}) == OaiSettings()
    env = {"CABLEGRAM_OAI_REPOSITORY_ID": "archive.example.org",
           "CABLEGRAM_OAI_ADMIN_EMAIL": "curator@example.org", "CABLEGRAM_OAI_PAGE_SIZE": "7"}
    got = OaiSettings.from_env(env)
    assert (got.repository_id, got.admin_email, got.page_size) == \
        ("archive.example.org", "curator@example.org", 7)
    for bad in ({"CABLEGRAM_OAI_REPOSITORY_ID": "localhost"},
                {"CABLEGRAM_OAI_ADMIN_EMAIL": "nobody"},
                {"CABLEGRAM_OAI_PAGE_SIZE": "many"}, {"CABLEGRAM_OAI_PAGE_SIZE": "0"}):
        with pytest.raises(InputError, match="CABLEGRAM_OAI_"):
            OaiSettings.from_env(bad)


def test_scope_ids_keeps_pointers_working() -> None:
    root = etree.fromstring(
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="tei-abc-1"><p xml:id="person-x"/>'
        b'<div xml:id="cd-abc-2" decls="#cd-abc-2"/><name ref="#person-x #other"/></TEI>')
    scope_ids(root, "abc-1")
    text = etree.tostring(root).decode()
    assert 'xml:id="tei-abc-1"' in text and 'xml:id="person-x.abc-1"' in text
    assert 'xml:id="cd-abc-2.abc-1"' in text and 'decls="#cd-abc-2.abc-1"' in text
    assert 'ref="#person-x.abc-1 #other"' in text
