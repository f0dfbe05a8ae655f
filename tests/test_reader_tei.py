"""The TEI reader (FRUS-style editions) and the Documents built from its parts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cablegram.authority.lookup import Authority, Record
from cablegram.errors import UnreadableFileError, UnsupportedFormatError
from cablegram.model import SourceText
from cablegram.pipeline import extract_source
from cablegram.readers import read_source
from cablegram.readers.tei import read_tei
from cablegram.readers.text import read_text
from tests.conftest import SAMPLES, corpus_file, run_cli

FRUS = "frus1951v07p2-d171-d199"
NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def tei(body: str, front: str = "") -> bytes:
    """A minimal TEI file around the given body (and front matter)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI {NS}><teiHeader><fileDesc>'
            "<titleStmt><title>t</title></titleStmt></fileDesc></teiHeader>"
            f"<text><front>{front}</front><body>{body}</body></text></TEI>").encode()


def corpus() -> tuple[SourceText, list[dict[str, Any]], str]:
    """The FRUS excerpt as read from its TEI, its gold lines and its plain-text twin."""
    xml = corpus_file("frus", FRUS + ".xml")
    gold = [json.loads(x) for x in corpus_file("frus", FRUS + ".gold.jsonl")
            .read_text("utf-8").splitlines() if x.strip()]
    txt = corpus_file("frus", FRUS + ".txt").read_text("utf-8")
    return read_tei(xml.name, xml.read_bytes()), gold, txt


def _offset(text: str, line: int) -> int:
    """Character offset of the start of a 1-based line."""
    return sum(len(x) + 1 for x in text.split("\n")[: line - 1])


def test_every_gold_field_comes_out_of_the_markup() -> None:
    src, gold, _ = corpus()
    assert src.parts is not None and len(src.parts) == len(gold) == 29
    assert src.reader == "tei" and src.media_type == "application/tei+xml"
    for g, part in zip(gold, src.parts, strict=True):
        for key, value in g.items():
            ours: Any
            if key == "persNames":
                ours = [{k: p[k] for k in ("text", "corresp", "type")} for p in part[key]]
            elif key == "txt_start":
                ours = _offset(src.text, part["start_line"])
            elif key == "txt_end":
                ours = _offset(src.text, part["end_line"]) + len(
                    src.text.split("\n")[part["end_line"] - 1])
            else:
                ours = part[key]
            assert ours == value, f"{g['n']} {key}"


def test_text_is_the_printed_book_without_footnotes() -> None:
    src, gold, txt = corpus()
    assert src.text == txt.rstrip("\n")
    assert src.origins is not None and len(src.origins) == len(src.lines())
    assert src.origins[0] == "div d171, <div>, XML line 12"
    lines = src.text.split("\n")
    d173 = next(p for p in src.parts or [] if p["n"] == "173")
    assert lines[d173["lines"]["head"] - 1].startswith("The Acting Secretary of State to")
    assert lines[d173["lines"]["signature"] - 1] == "Webb"
    for g in gold:
        for note in g["footnotes"]:
            if len(note["text"]) > 30:
                assert note["text"] not in src.text
    assert "<" not in src.text and "  " not in lines[0]


def test_documents_agree_with_the_book_path() -> None:
    src, gold, txt = corpus()
    tei_docs = [d.to_contract() for d in extract_source(src, _authority())]
    book = [d.to_contract() for d in extract_source(read_text("b.txt", txt.encode()),
                                                    _authority())]
    assert [d["number"] for d in tei_docs] == [g["n"] for g in gold]
    same = ("start_line", "end_line", "number", "title", "type", "date", "date_precision",
            "sent", "received", "authors", "recipients", "refs", "handling", "text")
    for ours, theirs in zip(tei_docs, book, strict=True):
        for key in same:
            assert ours[key] == theirs[key], f"{ours['number']} {key}"
    first = tei_docs[0]
    assert first["date"] == "1951-08-15" and first["sent"] == "1951-08-15T16:00"
    assert first["received"] == "1951-08-15T13:23" and first["date_source"] == "dateline"
    assert first["authors"][0]["as_written"] == "The Consul General at Hong Kong (McConaughy)"
    assert first["signature"] == "McConaughy" and first["notes"] == []
    by_number = {d["number"]: d for d in tei_docs}
    assert by_number["190"]["type"] == "editorial note" and not by_number["190"]["authors"]
    assert by_number["178"]["type"] == "memorandum of conversation"
    assert by_number["191"]["signature"] == "[Henderson]"
    assert by_number["173"]["notes"] == ["1. Not printed."]
    assert "Not printed." not in by_number["173"]["text"]
    assert {"file number", "telegram number"} <= {r["role"] for r in by_number["183"]["refs"]}


def _authority() -> Authority:
    """The authority the tests link against: the default one."""
    from cablegram.authority.lookup import default_authority
    return default_authority()


PERSONS = """<div xml:id="persons"><list type="persons">
<item><hi rend="strong"><persName xml:id="p_MJJ1">Muccio, John J.</persName></hi>,
Ambassador in Korea</item>
<item><persName xml:id="p_RD1">Rusk, Dean</persName>, Assistant Secretary</item>
</list></div>"""
TELEGRAM = """<div n="9" xml:id="d9" type="document">
<note type="source">795.00/6–2650: Telegram</note>
<head><hi rend="i">The Ambassador in Korea</hi> (<persName type="from"
corresp="#p_MJJ1">Muccio</persName>) to the <gloss type="to">Secretary
of State</gloss></head>
<opener><dateline><placeName>Seoul</placeName>, <date when="1950-06-26T09:00:00+09:00">June
26, 1950—9 a. m.</date></dateline><seg><hi rend="sc">secret niact</hi></seg></opener>
<p>830. We saw <persName corresp="#p_RD1">Mr. Rusk's</persName> message this morning.</p>
<closer><signed>Muccio</signed></closer>
</div>"""


def _small_authority() -> Authority:
    """An authority that knows Muccio and Rusk only by their full names."""
    return Authority([Record("muccio", "John J. Muccio", "person", "John J. Muccio"),
                      Record("rusk", "Dean Rusk", "person", "Dean Rusk"),
                      Record("seoul", "Seoul", "place", "Seoul")])


def test_persons_list_resolves_corresp() -> None:
    src = read_tei("vol.xml", tei(TELEGRAM, PERSONS))
    part = (src.parts or [])[0]
    author = part["persNames"][0]
    assert author["name"] == "Muccio, John J." and author["description"] == \
        "Ambassador in Korea"
    assert part["persNames"][1]["name"] == "Rusk, Dean"
    doc = extract_source(src, _small_authority())[0]
    assert doc.mentions["authors"][0].id == "muccio"
    assert doc.mentions["authors"][0].as_written == "The Ambassador in Korea (Muccio)"
    assert [m.id for m in doc.mentions["people"]] == ["rusk"]
    assert doc.date == "1950-06-26" and doc.sent == "1950-06-26T09:00"
    assert doc.handling == ["secret", "niact"] and doc.type == "telegram"
    assert "Persons" not in src.text and "Rusk, Dean" not in src.text


def test_without_persons_list_names_stay_as_written() -> None:
    src = read_tei("vol.xml", tei(TELEGRAM))
    assert (src.parts or [])[0]["persNames"][0]["name"] is None
    doc = extract_source(src, _small_authority())[0]
    assert doc.mentions["authors"][0].id is None
    assert doc.mentions["authors"][0].as_written == "The Ambassador in Korea (Muccio)"


def test_date_ranges_from_not_before_and_not_after() -> None:
    undated = TELEGRAM.replace('when="1950-06-26T09:00:00+09:00">June\n26, 1950—9 a. m.',
                               'notBefore="1950-06-27" notAfter="1950-06-30">undated')
    part = (read_tei("r.xml", tei(undated)).parts or [])[0]
    assert part["date_when"] == [] and part["notAfter"] == "1950-06-30"
    doc = extract_source(read_tei("r.xml", tei(undated)), _small_authority())[0]
    assert (doc.date, doc.date_precision) == ("1950-06-27/1950-06-30", "range")
    assert doc.sent is None
    frus = undated.replace('type="document">', 'type="document" '
                           'xmlns:frus="http://history.state.gov/frus/ns/1.0" '
                           'frus:doc-dateTime-min="1950-06-28T00:00:00" '
                           'frus:doc-dateTime-max="1950-06-28T23:59:59">')
    frus = frus.replace(' notBefore="1950-06-27" notAfter="1950-06-30"', "")
    doc = extract_source(read_tei("r.xml", tei(frus)), _small_authority())[0]
    assert (doc.date, doc.date_precision, doc.date_source) == ("1950-06-28", "day", "header")


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&d;</p></body></text></TEI>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&x;</p></body></text></TEI>"""


@pytest.mark.parametrize("data", [LAUGHS, EXTERNAL, EXTERNAL.decode().encode("utf-16")])
def test_entity_declarations_are_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFileError) as exc:
        read_tei("evil.xml", data)
    message = str(exc.value)
    assert "evil.xml" in message and "entities" in message and "root:" not in message


def test_malformed_xml_names_file_and_position() -> None:
    data = tei("<div type='document' n='1'><p>open</div>")
    with pytest.raises(UnreadableFileError) as exc:
        read_tei("broken.xml", data)
    message = str(exc.value)
    assert "broken.xml" in message and "line 2, column" in message and "mismatch" in message
    with pytest.raises(UnreadableFileError, match="empty.xml"):
        read_tei("empty.xml", b"")


def test_other_xml_is_unsupported_and_says_what_is() -> None:
    with pytest.raises(UnsupportedFormatError) as exc:
        read_source("feed.xml", b"<rss><channel><title>x</title></channel></rss>")
    message = str(exc.value)
    assert "feed.xml" in message and "<rss>" in message and "TEI P5" in message
    assert 'div type="document"' in message


def test_tei_without_document_divs_is_plain_text() -> None:
    src = read_tei("letters.tei", tei("<p>First paragraph.</p><p>Second <pb n='2'/>one.</p>"))
    assert src.parts is None and src.text == "First paragraph.\nSecond one."


def test_sample_volume() -> None:
    path = SAMPLES / "tei" / "volume-sample.xml"
    src = read_tei(path.name, path.read_bytes())
    docs = extract_source(src, _small_authority())
    assert [d.number for d in docs] == ["1", "2", "3"]
    first, memo, last = docs
    assert first.type == "telegram" and first.sent == "1950-06-25T14:00"
    assert first.received == "1950-06-25T01:05" and first.handling == ["secret", "niact"]
    assert first.mentions["authors"][0].id == "muccio"
    assert first.notes and first.notes[0] not in src.text
    assert memo.type == "memorandum of conversation" and memo.date == "1950-06-26"
    assert "Participants:\tAmbassador Chang Myon" in memo.text
    assert last.date == "1950-06-27/1950-06-30" and last.signature == "George F. Kennan"
    assert "    2. We should watch" in last.text


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> Any:
    """Run `cablegram ARGS` against an archive in a temporary folder."""
    monkeypatch.setenv("CABLEGRAM_ARCHIVE", str(tmp_path / "arc"))
    monkeypatch.setenv("COLUMNS", "200")
    return lambda *args: run_cli(capsys, monkeypatch, *args)


def test_ingest_goes_on_past_a_bad_xml(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-evil.xml").write_bytes(EXTERNAL)
    (folder / "b-broken.xml").write_bytes(b"<TEI><text>")
    (folder / "c-volume.xml").write_bytes((SAMPLES / "tei" / "volume-sample.xml").read_bytes())
    assert cli("init")[0] == 0
    code, out, err = cli("ingest", str(folder))
    assert code == 1
    assert "a-evil.xml" in err and "b-broken.xml" in err and "Traceback" not in err
    assert "3 files, 3 documents" in out and "2 failed" in out
