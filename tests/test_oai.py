"""OAI-PMH 2.0 at /oai: the six verbs, harvesting through resumption tokens, datestamps and
from/until, sets, and every error code, over the sample archive.

Each response is checked against the protocol's structure here; when CABLEGRAM_OAI_XSD names
a copy of OAI-PMH.xsd (none ships with the project), each is also validated against it.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from cablegram.archive import Archive
from cablegram.export import oai_metadata
from cablegram.export.oai import (
    ERROR_CODES,
    OaiSettings,
)
from cablegram.export.oai_metadata import MetadataFormat, oai_dc
from cablegram.web import urls
from cablegram.web.app import create_app
from tests.conftest import SAMPLES

OAI = "http://www.openarchives.org/OAI/2.0/"
DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
TEI = "http://www.tei-c.org/ns/1.0"
NS = {"o": OAI, "dc": DC, "oai_dc": OAI_DC}
REPO = "cablegram.local"
BASE = "http://testserver/oai"
PAGE = 4
DC_ELEMENTS = {"title", "creator", "subject", "description", "publisher", "contributor", "date",
               "type", "format", "identifier", "source", "language", "relation", "coverage",
               "rights"}
UTC_SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
@cache
def schema() -> etree.XMLSchema | None:
    """OAI-PMH.xsd when CABLEGRAM_OAI_XSD points at a copy, else None."""
    path = os.environ.get("CABLEGRAM_OAI_XSD")
    return etree.XMLSchema(etree.parse(path)) if path and Path(path).is_file() else None


def check_envelope(root: Any) -> None:
    """The parts every response has, in the schema's order."""
    assert root.tag == f"{{{OAI}}}OAI-PMH"
    children = list(root)
    assert [c.tag for c in children[:2]] == [f"{{{OAI}}}responseDate", f"{{{OAI}}}request"]
    assert UTC_SECOND.fullmatch(children[0].text)
    assert children[1].text == BASE
    assert set(children[1].attrib) <= {"verb", "identifier", "metadataPrefix", "from", "until",
                                       "set", "resumptionToken"}
    body = children[2:]
    assert body and all(b.tag == f"{{{OAI}}}error" for b in body) or len(body) == 1
    xsd = schema()
    if xsd is not None:
        assert xsd.validate(root), xsd.error_log


def check_oai_dc(dc: Any) -> None:
    """What oai_dc.xsd asks: an oai_dc:dc root holding only text-only DC elements."""
    assert dc.tag == f"{{{OAI_DC}}}dc"
    for child in dc:
        assert etree.QName(child).namespace == DC and etree.QName(child).localname in DC_ELEMENTS
        assert len(child) == 0 and child.text and child.text.strip()


def xml(response: Any) -> Any:
    """A response parsed, with its media type and envelope checked."""
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    check_envelope(root)
    return root


def ask(client: TestClient, **args: str) -> Any:
    """A GET request with these arguments (`from_` for `from`), parsed."""
    params = {k.rstrip("_"): v for k, v in args.items()}
    return xml(client.get("/oai", params=params))


def error_of(root: Any) -> str | None:
    """The error code of a response, or None."""
    found = root.find("o:error", NS)
    return None if found is None else found.get("code")


def harvest(client: TestClient, verb: str, **args: str) -> tuple[list[str], int]:
    """Follow the resumption tokens to the end: every identifier listed, and the page count."""
    ids: list[str] = []
    root = ask(client, verb=verb, **args)
    for pages in range(1, 1000):
        assert error_of(root) is None, etree.tostring(root)
        listing = root.find(f"o:{verb}", NS)
        ids += [h.text for h in listing.iterfind(".//o:header/o:identifier", NS)]
        token = listing.find("o:resumptionToken", NS)
        if token is None or not token.text:
            if token is not None:
                assert int(token.get("cursor")) + len(listing) - 1 == len(ids)
                assert int(token.get("completeListSize")) == len(ids)
            return ids, pages
        assert int(token.get("cursor")) == len(ids) - len(listing) + 1
        root = ask(client, verb=verb, resumptionToken=token.text)
        assert root.find("o:request", NS).get("resumptionToken") == token.text
    raise AssertionError("the resumption tokens never ended")


def make_client(archive: Archive, page_size: int = PAGE) -> TestClient:
    """A reading room over `archive`, with small OAI pages."""
    app = create_app(archive.root)
    app.state.oai_settings = OaiSettings(page_size=page_size)
    return TestClient(app)


@pytest.fixture(scope="module")
def client(sample_archive: Archive) -> TestClient:
    """The reading room over the sample archive."""
    return make_client(sample_archive)


@pytest.fixture(scope="module")
def all_ids(sample_archive: Archive) -> list[str]:
    """The oai identifier of every document of the sample archive."""
    return [f"oai:{REPO}:{i}" for i in sample_archive.store.document_ids()]


# --- harvesting -------------------------------------------------------------------------

def test_list_records_harvests_the_whole_archive_through_tokens(client: TestClient,
                                                                all_ids: list[str]) -> None:
    ids, pages = harvest(client, "ListRecords", metadataPrefix="oai_dc")
    assert len(ids) == len(set(ids)), "no record twice"
    assert set(ids) == set(all_ids)
    assert pages == -(-len(all_ids) // PAGE) and pages > 2


def test_list_identifiers_harvests_the_whole_archive_through_tokens(
        client: TestClient, all_ids: list[str]) -> None:
    ids, pages = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc")
    assert ids == all_ids  # archive order, no duplicates
    assert pages == -(-len(all_ids) // PAGE)


def test_every_listed_record_carries_its_header_and_dublin_core(client: TestClient,
                                                                sample_archive: Archive) -> None:
    root = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    records = root.findall("o:ListRecords/o:record", NS)
    assert len(records) == PAGE
    for rec in records:
        ident = rec.findtext("o:header/o:identifier", namespaces=NS)
        doc = sample_archive.document(ident.split(":", 2)[2])
        assert UTC_SECOND.fullmatch(rec.findtext("o:header/o:datestamp", namespaces=NS))
        assert rec.findtext("o:header/o:setSpec", namespaces=NS) == \
            doc["source_file"]["collection"]
        dc = rec.find("o:metadata/oai_dc:dc", NS)
        check_oai_dc(dc)
        found = [i.text for i in dc.iterfind("dc:identifier", NS)]
        assert found == [f"http://testserver{urls.document(doc['id'])}", ident]


def test_sets_partition_the_archive(client: TestClient, all_ids: list[str],
                                    sample_archive: Archive) -> None:
    seen: list[str] = []
    for c in sample_archive.store.collections():
        ids, _ = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", set=c["name"])
        assert len(ids) == c["documents"]
        seen += ids
    assert sorted(seen) == sorted(all_ids)


def test_a_harvest_interrupted_by_an_ingest_neither_skips_nor_repeats(
        empty_archive: Archive, tmp_path: Path) -> None:
    files = sorted((SAMPLES / "archive-pages").glob("*.txt"))
    for f in files[:3]:
        empty_archive.ingest_file(f, "first")
    client = make_client(empty_archive, page_size=2)
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find("o:ListIdentifiers/o:resumptionToken", NS).text
    got = [h.text for h in root.iterfind(".//o:identifier", NS)]
    before = empty_archive.store.count()
    empty_archive.ingest_file(files[3], "later")  # between two pages of the harvest
    while token:
        root = ask(client, verb="ListIdentifiers", resumptionToken=token)
        got += [h.text for h in root.iterfind(".//o:identifier", NS)]
        token = root.findtext("o:ListIdentifiers/o:resumptionToken", namespaces=NS)
    expected = [f"oai:{REPO}:{i}" for i in empty_archive.store.document_ids()]
    assert got == expected and len(expected) > before > 2


# --- single records and the repository ---------------------------------------------------

def test_get_record_in_oai_dc(client: TestClient, sample_archive: Archive) -> None:
    doc = sample_archive.document(sample_archive.store.document_ids()[0])
    assert doc["title"] and doc["authors"] and doc["date"]
    ident = f"oai:{REPO}:{doc['id']}"
    root = ask(client, verb="GetRecord", identifier=ident, metadataPrefix="oai_dc")
    req = root.find("o:request", NS)
    assert dict(req.attrib) == {"verb": "GetRecord", "identifier": ident,
                                "metadataPrefix": "oai_dc"}
    rec = root.find("o:GetRecord/o:record", NS)
    assert rec.findtext("o:header/o:identifier", namespaces=NS) == ident
    dc = rec.find("o:metadata/oai_dc:dc", NS)
    check_oai_dc(dc)
    values = [(etree.QName(c).localname, c.text) for c in dc]
    assert ("title", doc["title"]) in values
    assert ("creator", "Terentii Shtykov") in values
    assert ("date", "1950-10-03") in values
    assert ("type", "cable") in values and ("type", "Text") in values
    assert ("source", "cable-enclosing-letter.txt") in values
    assert ("description", doc["page"]["summary"]) in values
    assert not [v for v in values if v[0] in ("subject", "publisher")]


def test_an_enclosure_relates_to_its_cable(client: TestClient, sample_archive: Archive) -> None:
    doc = next(sample_archive.document(i) for i in sample_archive.store.document_ids()
               if sample_archive.document(i)["parent_id"])
    root = ask(client, verb="GetRecord", identifier=f"oai:{REPO}:{doc['id']}",
               metadataPrefix="oai_dc")
    assert root.findtext(".//dc:relation", namespaces=NS) == \
        f"http://testserver{urls.document(doc['parent_id'])}"


def test_tei_records_when_the_tei_writer_is_there(client: TestClient,
                                                  all_ids: list[str]) -> None:
    pytest.importorskip("cablegram.export.tei")
    formats = ask(client, verb="ListMetadataFormats")
    assert "tei" in [p.text for p in formats.iterfind(".//o:metadataPrefix", NS)]
    root = ask(client, verb="GetRecord", identifier=all_ids[0], metadataPrefix="tei")
    assert root.find("o:GetRecord/o:record/o:metadata", NS)[0].tag == f"{{{TEI}}}TEI"
    # a whole harvest: every page must parse, so xml:ids stay unique across its records
    ids, _ = harvest(client, "ListRecords", metadataPrefix="tei")
    assert ids == all_ids


def test_without_the_tei_writer_tei_is_neither_offered_nor_served(
        client: TestClient, all_ids: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    missing = MetadataFormat("tei", "x.xsd", TEI, oai_dc, requires="cablegram.no_such:write")
    monkeypatch.setattr(oai_metadata, "METADATA_FORMATS",
                        (oai_metadata.METADATA_FORMATS[0], missing))
    formats = ask(client, verb="ListMetadataFormats")
    assert [p.text for p in formats.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc"]
    root = ask(client, verb="GetRecord", identifier=all_ids[0], metadataPrefix="tei")
    assert error_of(root) == "cannotDisseminateFormat"


def test_identify(client: TestClient, sample_archive: Archive) -> None:
    root = ask(client, verb="Identify")
    ident = root.find("o:Identify", NS)
    assert [etree.QName(c).localname for c in ident][:7] == [
        "repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp",
        "deletedRecord", "granularity"]
    assert ident.findtext("o:baseURL", namespaces=NS) == BASE
    assert ident.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert ident.findtext("o:deletedRecord", namespaces=NS) == "no"
    assert ident.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    earliest = sample_archive.store.earliest_ingested_at()
    assert earliest and ident.findtext("o:earliestDatestamp", namespaces=NS) == \
        earliest[:19] + "Z"
    assert root.findtext(".//{http://www.openarchives.org/OAI/2.0/oai-identifier}"
                         "repositoryIdentifier") == REPO


def test_list_metadata_formats(client: TestClient, all_ids: list[str]) -> None:
    for args in ({}, {"identifier": all_ids[-1]}):
        root = ask(client, verb="ListMetadataFormats", **args)
        formats = root.findall("o:ListMetadataFormats/o:metadataFormat", NS)
        dc = [f for f in formats if f.findtext("o:metadataPrefix", namespaces=NS) == "oai_dc"]
        assert dc and dc[0].findtext("o:metadataNamespace", namespaces=NS) == OAI_DC
        assert dc[0].findtext("o:schema", namespaces=NS).endswith("/oai_dc.xsd")


def test_list_sets_are_the_collections(client: TestClient, sample_archive: Archive) -> None:
    root = ask(client, verb="ListSets")
    sets = root.findall("o:ListSets/o:set", NS)
    names = [c["name"] for c in sample_archive.store.collections()]
    assert [s.findtext("o:setName", namespaces=NS) for s in sets] == names
    assert [s.findtext("o:setSpec", namespaces=NS) for s in sets] == names
    check_oai_dc(sets[0].find("o:setDescription/oai_dc:dc", NS))


def test_post_is_answered_like_get(client: TestClient, all_ids: list[str]) -> None:
    form = {"verb": "GetRecord", "identifier": all_ids[1], "metadataPrefix": "oai_dc"}
    posted = xml(client.post("/oai", data=form))
    got = ask(client, **form)
    assert etree.tostring(posted.find("o:GetRecord", NS)) == \
        etree.tostring(got.find("o:GetRecord", NS))
    as_json = xml(client.post("/oai", json=form))
    assert error_of(as_json) == "badArgument"
    huge = xml(client.post("/oai", content=b"verb=Identify&x=" + b"a" * 70_000,
                           headers={"content-type": "application/x-www-form-urlencoded"}))
    assert error_of(huge) == "badArgument"
    head = client.head("/oai", params={"verb": "Identify"})
    assert head.status_code == 200 and head.headers["content-type"].startswith("text/xml")


def test_the_home_page_links_harvesters_to_the_base_url(client: TestClient) -> None:
    page = client.get(urls.home()).text
    assert f'href="{urls.oai("Identify")}"' in page and "OAI-PMH" in page
    assert urls.oai() == "/oai"


# --- errors --------------------------------------------------------------------------------

def tampered(token: str) -> str:
    """A token with one character of its payload changed."""
    return ("B" if token[0] != "B" else "C") + token[1:]


@pytest.mark.parametrize(("query", "code"), [
    ("", "badVerb"),
    ("verb=Frobnicate", "badVerb"),
    ("verb=identify", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&colour=red", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2001-01-01&from=2001-01-02", "badArgument"),
    ("verb=ListRecords&metadataPrefix=", "badArgument"),
    ("verb=GetRecord&identifier=oai:cablegram.local:x", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument"),
    ("verb=ListSets&set=compilation", "badArgument"),
    ("verb=ListRecords&resumptionToken=abc", "badResumptionToken"),
    ("verb=ListSets&resumptionToken=abc", "badResumptionToken"),
    ("verb=ListIdentifiers&resumptionToken=" + "A" * 10_000, "badResumptionToken"),
    ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=ListIdentifiers&metadataPrefix=OAI_DC", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:cablegram.local:nope-1&metadataPrefix=oai_dc",
     "idDoesNotExist"),
    ("verb=GetRecord&identifier=oai:elsewhere.org:nope-1&metadataPrefix=oai_dc",
     "idDoesNotExist"),
    ("verb=GetRecord&identifier=oai:cablegram.local:&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=ListMetadataFormats&identifier=nope", "idDoesNotExist"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=no-such-set", "noRecordsMatch"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01", "noRecordsMatch"),
])
def test_error_codes(client: TestClient, query: str, code: str) -> None:
    root = xml(client.get("/oai?" + query))
    assert error_of(root) == code
    assert root.findtext("o:error", namespaces=NS).strip()  # says what is wrong
    attrs = root.find("o:request", NS).attrib
    if code in ("badVerb", "badArgument"):
        assert not attrs, "no arguments echoed for badVerb and badArgument"
    else:
        assert attrs["verb"] == query.split("&")[0].split("=")[1]


def test_tokens_that_were_altered_or_made_for_another_verb(client: TestClient) -> None:
    root = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.findtext("o:ListIdentifiers/o:resumptionToken", namespaces=NS)
    assert token
    assert error_of(ask(client, verb="ListIdentifiers", resumptionToken=token)) is None
    for bad in (tampered(token), token[:-1], token + "0", token.replace(".", "")):
        assert error_of(ask(client, verb="ListIdentifiers", resumptionToken=bad)) == \
            "badResumptionToken"
    assert error_of(ask(client, verb="ListRecords", resumptionToken=token)) == \
        "badResumptionToken"


def test_no_metadata_formats(client: TestClient, all_ids: list[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oai_metadata, "METADATA_FORMATS", ())
    assert error_of(ask(client, verb="ListMetadataFormats", identifier=all_ids[0])) == \
        "noMetadataFormats"


def test_an_archive_without_collections_has_no_set_hierarchy(empty_archive: Archive) -> None:
    client = make_client(empty_archive)
    assert error_of(ask(client, verb="ListSets")) == "noSetHierarchy"
    assert error_of(ask(client, verb="ListRecords", metadataPrefix="oai_dc", set="x")) == \
        "noSetHierarchy"
    assert error_of(ask(client, verb="ListRecords", metadataPrefix="oai_dc")) == \
        "noRecordsMatch"
    earliest = ask(client, verb="Identify").findtext(".//o:earliestDatestamp", namespaces=NS)
    assert UTC_SECOND.fullmatch(earliest)


def test_every_error_code_is_tested() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    for code in ERROR_CODES:
        asserted = rf'==\s*\\?\s*"{code}"|"{code}"\),?$'
        assert re.search(asserted, source, re.M), f"{code} is never asserted"


# --- hostile requests ----------------------------------------------------------------------

def test_hostile_arguments_are_answered_as_xml(client: TestClient) -> None:
    hostile = 'oai:cablegram.local:<script>alert(1)</script>"&\x01\x0b'
    root = ask(client, verb="GetRecord", identifier=hostile, metadataPrefix="oai_dc")
    assert error_of(root) == "idDoesNotExist"
    assert root.find("o:request", NS).get("identifier") == hostile.replace("\x01", "").replace(
        "\x0b", "")
    too_many = "&".join(f"a{i}=1" for i in range(60))
    assert error_of(xml(client.get("/oai?verb=Identify&" + too_many))) == "badArgument"
    assert error_of(xml(client.get("/oai?verb=Identify&%FF=%FE"))) == "badArgument"
    assert error_of(xml(client.get("/oai?verb=ListRecords&metadataPrefix=" + "x" * 5000))) == \
        "cannotDisseminateFormat"


def test_hostile_text_in_a_record_gives_well_formed_dublin_core(tmp_path: Path,
                                                                empty_archive: Archive) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text("12. 5 July 1950, letter, Alpha & <b>Beta</b> to Gamma\x0c\n"
                    "Text with ]]> and \x01 inside.\n", encoding="utf-8")
    empty_archive.ingest_file(path, "odd collection: <x>")
    client = make_client(empty_archive)
    root = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    check_oai_dc(root.find(".//oai_dc:dc", NS))
    spec = root.findtext(".//o:header/o:setSpec", namespaces=NS)
    assert re.fullmatch(r"[A-Za-z0-9\-_.!~*'()]+", spec)
    ids, _ = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", set=spec)
    assert len(ids) == empty_archive.store.count()
    names = ask(client, verb="ListSets").findall(".//o:setName", NS)
    assert [n.text for n in names] == ["odd collection: <x>"]


def test_the_schema_check_runs_when_a_copy_is_given(client: TestClient) -> None:
    if schema() is None:
        pytest.skip("set CABLEGRAM_OAI_XSD to a copy of OAI-PMH.xsd to validate against it")
    xsd = schema()
    assert xsd is not None
    broken = ask(client, verb="Identify")
    broken.remove(broken.find("o:responseDate", NS))
    assert not xsd.validate(broken)


