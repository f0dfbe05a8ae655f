"""Transmission: sent/received/registered with places, zones, UTC and the time in transit."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.extract.transmission import to_utc
from cablegram.model import Document, SourceText
from cablegram.pipeline import extract_source
from cablegram.web import urls
from cablegram.web.app import create_app
from tests.conftest import SAMPLES, corpus_file

AUTH = default_authority()


def _extract(text: str) -> list[Document]:
    """Run the whole extract stage on a text written for the test."""
    return extract_source(SourceText("t.txt", text, "text/plain", "text"), AUTH)


def test_seed_cable_reads_both_ends_in_their_zones() -> None:
    path = corpus_file("seeds", "003_605de661ff9593b6.txt")
    gold = json.loads(path.with_name("gold.json").read_text())[path.name]["documents"][0]
    src = SourceText(path.name, path.read_text(encoding="utf-8"), "text/plain", "text")
    cable = extract_source(src, AUTH)[0]
    tr, want = cable.transmission, gold["transmission"]
    assert tr is not None
    assert (tr["from_place"], tr["to_place"]) == (want["from_place"], want["to_place"])
    assert (cable.sent, cable.received) == (want["sent"], want["received"])
    assert cable.registered == want["registered"]["value"]
    assert tr["registered"]["by"] == want["registered"]["by"]
    assert (tr["channel"], tr["priority"]) == ("wire", "extremely urgent")
    assert tr["sent"]["tz"] == "Asia/Pyongyang" and tr["received"]["tz"] == "Europe/Moscow"
    # 20:35 in Pyongyang (UTC+9) is 11:35 UTC; 23:32 in Moscow (UTC+3) is 20:32 UTC
    assert tr["sent"]["utc"] == "1950-09-30T11:35Z"
    assert tr["minutes"] == 9 * 60 - 3
    assert tr["sent"]["line"] == 8 and tr["received"]["line"] == 9


def test_historical_zones_follow_the_date() -> None:
    washington = AUTH.get("washington")
    # Eastern daylight time in August 1951, standard time in January
    assert to_utc("1951-08-15T13:23", washington) == "1951-08-15T17:23Z"
    assert to_utc("1951-01-15T13:23", washington) == "1951-01-15T18:23Z"
    assert to_utc("13:23", washington) is None  # a bare time cannot be placed in UTC
    assert to_utc("1951-01-15T13:23", None) is None


COMPILATION = """\
7. 2 August 1950, ciphered telegram, Filippov [Stalin] to Shtykov
Only by ciphered telegraph
By telegraph
TOP PRIORITY
Sent 2.8.50 10:00
Received 2.8.50 15:00
Pyongyang
We have read your report of yesterday and agree with the plan you set out there.
Tell the Korean comrades that the supplies will leave next week.
FILIPPOV [Stalin].
No. 52/sh.
8. 3 August 1950, ciphered telegram, Shtykov to Filippov [Stalin]
Your message was passed on to the Korean comrades the same evening.
SHTYKOV
"""


def test_dates_first_forms_channel_priority_and_order_in_utc() -> None:
    first, second = _extract(COMPILATION)
    tr = first.transmission
    assert tr is not None
    assert (first.sent, first.received) == ("1950-08-02T10:00", "1950-08-02T15:00")
    assert tr["to_place"] == "Pyongyang" and tr["from_place"] is None
    assert (tr["channel"], tr["priority"]) == ("telegraph", "top priority")
    assert "Only by ciphered telegraph" in first.handling
    # the sending place is not printed: no zone, no UTC, no time in transit
    assert tr["sent"]["utc"] is None and tr["minutes"] is None
    assert not first.warnings
    assert second.transmission is None and second.registered is None


def test_received_before_sent_is_judged_in_utc() -> None:
    text = COMPILATION.replace("Sent 2.8.50 10:00", "from MOSCOW sent 2.8.50 at 1000")
    tr = _extract(text)[0].transmission
    assert tr is not None and tr["from_place"] == "Moscow"
    # 10:00 Moscow = 07:00 UTC; 15:00 Pyongyang = 06:00 UTC: received an hour before it left
    assert tr["minutes"] == -60
    assert any("before it was sent" in w for w in _extract(text)[0].warnings)


def test_frus_dateline_and_receipt_stamp() -> None:
    path = corpus_file("frus", "frus1951v07p2-d171-d199.txt")
    src = SourceText(path.name, path.read_text(encoding="utf-8"), "text/plain", "text")
    doc = next(d for d in extract_source(src, AUTH) if d.number == "171")
    tr = doc.transmission
    assert tr is not None and (tr["from_place"], tr["to_place"]) == ("Hong Kong", "Washington")
    assert tr["minutes"] is not None and 0 < tr["minutes"] < 24 * 60


def test_document_page_gives_places_zones_and_time_in_transit(sample_archive: Archive) -> None:
    doc_id = next(r["id"] for r in sample_archive.records()
                  if (r.get("transmission") or {}).get("minutes"))
    record = sample_archive.document(doc_id)
    page = TestClient(create_app(sample_archive.root)).get(urls.document(doc_id)).text
    assert "In transit" in page and "Pyongyang" in page and "UTC" in page
    minutes = record["transmission"]["minutes"]
    assert f"{minutes // 60} h {minutes % 60} min" in page


def test_an_address_line_is_not_a_wrapped_sentence_end() -> None:
    path = SAMPLES / "compilation" / "bulletin-1950-summer.txt"
    src = SourceText(path.name, path.read_text(encoding="utf-8"), "text/plain", "text")
    doc = next(d for d in extract_source(src, AUTH) if d.number == "31")
    # `Pyongyang. Soviet Ambassador.` is the address; `… through` / `Andong.` is a sentence
    assert doc.transmission is not None and doc.transmission["to_place"] == "Pyongyang"
