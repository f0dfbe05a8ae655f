"""CMIF export: the sample archive's letters, telegrams and cables (and nothing else) as one
file that is valid TEI P5 and keeps CMIF's documented rules (checked by `check_cmif`)."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.export import exporter
from cablegram.export.cmif import (
    LICENCE_URL,
    check_cmif,
    export_cmif,
    is_letter_like,
    letters,
)
from tests.test_export_tei import NS, WIKIDATA, find, parse, schema_errors

AUTH = default_authority()


@pytest.fixture(scope="module")
def records(sample_archive: Archive) -> list[dict[str, Any]]:
    """Every record of the sample archive."""
    return list(sample_archive.records())


@pytest.fixture(scope="module")
def cmif(records: list[dict[str, Any]]) -> str:
    """The sample archive as CMIF."""
    return export_cmif(records, AUTH)


def test_sample_cmif_is_valid_tei_and_keeps_the_cmif_rules(cmif: str) -> None:
    assert schema_errors(cmif) == []
    assert check_cmif(cmif) == []
    root = parse(cmif)
    licence = root.find(".//t:publicationStmt/t:availability/t:licence", NS)
    assert licence.get("target") == LICENCE_URL
    assert root.find(".//t:publicationStmt/t:idno", NS).get("type") == "url"
    assert root.find("t:text/t:body/t:p", NS) is not None


def test_only_letter_like_documents(records: list[dict[str, Any]], cmif: str) -> None:
    keys = [d.get("key") for d in parse(cmif).iterfind(".//t:correspDesc", NS)]
    want = [r["id"] for r in records if is_letter_like(r)]
    assert keys == want and len(keys) >= 10
    types = {r["id"]: r.get("type") for r in records}
    assert {types[k] for k in keys} <= {"letter", "handwritten letter", "telegram",
                                        "ciphered telegram", "cable"}
    others = {r["id"]: r.get("type") for r in records if r["id"] not in keys}
    assert {"memorandum", "memorandum of conversation", "report", "note",
            "record of conversation", None} <= set(others.values())
    enclosed = find(records, source="cable-enclosing-letter.txt", type="letter")
    assert enclosed["parent_id"] and enclosed["id"] in keys  # an enclosed letter counts


def test_letter_rule_is_by_type() -> None:
    expected = {"letter": True, "Handwritten Letter": True, "ciphered telegram": True,
                "cable": True, "Telegrams": True, "memorandum": False,
                "memorandum of conversation": False, "record of conversation": False,
                "report": False, "editorial note": False, "note": False, None: False}
    assert {t: is_letter_like({"type": t}) for t in expected} == expected


def test_wikidata_uris_for_people_and_places_and_no_local_ids(
        records: list[dict[str, Any]], cmif: str) -> None:
    root = parse(cmif)
    rec = find(records, source="cable-enclosing-letter.txt", parent_id=None)
    desc = root.find(f".//t:correspDesc[@key='{rec['id']}']", NS)
    sent = desc.find("t:correspAction[@type='sent']", NS)
    assert sent.find("t:persName", NS).text == "Terentii Shtykov"
    assert sent.find("t:persName", NS).get("ref") is None  # no Wikidata id in our authority
    assert sent.find("t:placeName", NS).get("ref") == WIKIDATA + "Q18808"  # Pyongyang
    assert sent.find("t:date", NS).get("when") == "1950-10-03"
    received = desc.find("t:correspAction[@type='received']", NS)
    assert received.find("t:date", NS).get("when") == "1950-10-03"  # the day of 04:05
    stalin = root.findall(".//t:persName[.='Joseph Stalin']", NS)
    assert stalin and {p.get("ref") for p in stalin} == {WIKIDATA + "Q855"}
    refs = [e.get("ref") for e in root.iter() if e.get("ref")]
    assert refs and all(r.startswith(WIKIDATA) for r in refs)
    assert "cablegram:person" not in cmif and "T01:20" not in cmif


def test_via_and_final_addressee(records: list[dict[str, Any]], cmif: str) -> None:
    root = parse(cmif)
    via = find(records, source="bulletin-1951-spring.txt", date="1951-04-03")
    desc = root.find(f".//t:correspDesc[@key='{via['id']}']", NS)
    names = [p.text for p in desc.iterfind(".//t:persName", NS)]
    assert names == ["Joseph Stalin", "Mao Zedong"]  # the intermediary is not a correspondent
    final = find(records, source="bulletin-1950-summer.txt", date="1950-08-25")
    received = root.find(f".//t:correspDesc[@key='{final['id']}']"
                         "/t:correspAction[@type='received']", NS)
    assert [p.text for p in received.iterfind("t:persName", NS)] == \
        ["Nikolai Roshchin", "Mao Zedong"]


def test_public_address_when_given(records: list[dict[str, Any]]) -> None:
    xml = export_cmif(records, AUTH, base_url="https://archive.example.org/", editor="A. Editor",
                      email="editor@example.org")
    root = parse(xml)
    assert root.find(".//t:publicationStmt/t:idno", NS).text == \
        "https://archive.example.org/export/cmif.xml"
    first = root.find(".//t:correspDesc", NS)
    assert first.get("ref") == f"https://archive.example.org/documents/{first.get('key')}"
    assert root.find(".//t:editor/t:email", NS).text == "editor@example.org"
    assert check_cmif(xml) == []


def test_cli_base_url_reaches_the_file(sample_archive: Archive) -> None:
    fmt, xml = sample_archive.export("cmif", base_url="https://archive.example.org")
    root = parse(xml)
    assert fmt.name == "cmif"
    assert root.find(".//t:publicationStmt/t:idno", NS).text == \
        "https://archive.example.org/export/cmif.xml"
    refs = [d.get("ref") for d in root.iterfind(".//t:correspDesc", NS)]
    assert refs and all(r.startswith("https://archive.example.org/documents/") for r in refs)
    assert check_cmif(xml) == []


def test_check_cmif_finds_broken_rules(cmif: str) -> None:
    root = parse(cmif)
    desc = root.find(".//t:correspDesc", NS)
    desc.set("source", "#nowhere")
    action = desc.find("t:correspAction", NS)
    action.set("type", "transmitted")
    action.find("t:date", NS).set("when", "1950-10-03T01:20:00")
    action.find("t:persName", NS).set("ref", "cablegram:person/shtykov")
    root.find(".//t:licence", NS).set("target", "https://example.org/all-rights-reserved")
    problems = "\n".join(check_cmif(etree.tostring(root, encoding="unicode")))
    for expected in ("points to no sourceDesc/bibl", "no correspAction of type sent",
                     "'transmitted' (only sent, received)", "is not YYYY, YYYY-MM",
                     "is not an authority URL", "licence must be CC-BY 4.0"):
        assert expected in problems


def test_no_letters_gives_a_valid_empty_index(records: list[dict[str, Any]]) -> None:
    memos = [r for r in records if not is_letter_like(r)]
    assert memos and letters(memos) == []
    xml = export_cmif(memos, AUTH)
    assert check_cmif(xml) == [] and schema_errors(xml) == []
    assert parse(xml).find(".//t:correspDesc", NS) is None


def test_registry_names_the_cmif_writer() -> None:
    fmt, write = exporter("cmif")
    assert fmt.extension == ".xml" and write is export_cmif
