"""Correspondents read outside the header: address lines (the recipient named again, sentences
that only open like one) and signatures the authority does not know."""

from __future__ import annotations

import pytest

from cablegram.authority.lookup import default_authority
from cablegram.model import Document, SourceText
from cablegram.pipeline import extract_source

AUTH = default_authority()

# Velminov, Ryu Tok Sam and Oskar Lindqvist are made up: the authority knows none of them.
COMPILATION = """\
211. 14 May 1951, ciphered telegram, Velminov to Ryu Tok Sam
Pyongyang.
To Comrade RYU TOK SAM.
To KIM IL SUNG the proposal was shown on 12 May, and he agreed with it at once; the transport
will leave Andong in three days, and the escort goes with it as far as the river.
VELMINOV
No. 4410/sh.
212. 15 May 1951, letter, Oskar Lindqvist to Arkady Velminov
To Cde. VELMINOV,
Transmit personally to MAO ZEDONG the following:
the rail bridges are repaired.
213. 16 May 1951, ciphered telegram, Velminov to Ryu Tok Sam
To Comrade PAK CHANG-OK.
The escort has reached the river.
"""

PAGE = """\
June 2, 1951
Cable No. 51207, Velminov to Molotov, on Repairs to the Yalu Bridges
This document was made possible with support from the Cablegram Sample Foundation
CABLE Nº 51207/sh
from ANDONG sent at 2210 2 June 1951
received at 0650 3 June
by wire
urgent
to Cde. MOLOTOV
To SYNGMAN RHEE the news of the repairs came late, and his ministers asked for our engineers.
The two rail bridges at Andong were repaired by the night of 1 June, and the first trains
crossed with ammunition and flour.
Night raids go on; the repair brigades work in two shifts.
{signature}
Nº 3297
[stamp: Incoming Nº 2210/shs, 3.VI.1951]
Copy Nº 1 to Cde. Stalin
Copy Nº 2 to Cde. Molotov
Velminov reports that the Yalu bridges at Andong have been repaired.
Associated People & Organizations
Associated Places
Document Information
Source
Sample Archive, fond 3, opis 65, delo 827, listy 12-13.
Rights
Written for Cablegram's tests.
Type
Cable
Language
Russian
Record ID
900101
"""


def _read(text: str) -> list[Document]:
    """Run the extract stage on a text."""
    return extract_source(SourceText("t.txt", text, "text/plain", "text"), AUTH)


def _page(signature: str) -> Document:
    """The document of the test page, with `signature` as its last line before Nº."""
    (doc,) = _read(PAGE.replace("{signature}", signature))
    return doc


def _written(doc: Document, role: str) -> list[str]:
    """A role's names as written."""
    return [m.as_written for m in doc.mentions[role]]


def test_address_line_repeating_an_unknown_recipient_is_the_same_recipient() -> None:
    docs = {d.number: d for d in _read(COMPILATION)}
    assert _written(docs["211"], "recipients") == ["Ryu Tok Sam"]
    # a family name alone is the header's full name: `Cde. VELMINOV` is Arkady Velminov
    assert _written(docs["212"], "recipients") == ["Arkady Velminov"]
    assert [m.id for m in docs["212"].mentions["for"]] == ["mao"]
    # another name is another recipient
    assert _written(docs["213"], "recipients") == ["Ryu Tok Sam", "Comrade PAK CHANG-OK"]


def test_sentence_opening_with_to_and_a_name_adds_no_recipient() -> None:
    doc = {d.number: d for d in _read(COMPILATION)}["211"]
    assert "kim-il-sung" not in {m.id for m in doc.mentions["recipients"]}
    assert "kim-il-sung" in {m.id for m in doc.mentions["people"]}  # still a mention
    page = _page("VELMINOV")
    assert [m.id for m in page.mentions["recipients"]] == ["molotov"]
    assert not any("RHEE" in w for w in _written(page, "recipients"))


@pytest.mark.parametrize(("line", "recipient"), [
    ("To Comrade STALIN, I.V.", "stalin"),
    ("to Cde. T. F. TSIANG", "tsiang-tingfu"),
    ("Transmit to KIM IL SUNG orally, without delay:", "kim-il-sung"),
])
def test_address_lines_of_their_real_shape_are_read(line: str, recipient: str) -> None:
    (doc,) = _read(f"{line}\nThe rail bridges are repaired.\nNo. 4411/sh.\n")
    assert [m.id for m in doc.mentions["recipients"]] == [recipient]


def test_unknown_signature_in_capitals_is_the_author() -> None:
    doc = _page("VELMINOV")
    assert [(m.as_written, m.id, m.line) for m in doc.mentions["authors"]] == [
        ("VELMINOV", None, 14)]
    assert _written(_page("RYU TOK SAM"), "authors") == ["RYU TOK SAM"]
    # a known one, in capitals with accents or not, is linked
    assert [m.id for m in _page("HAMMARSKJÖLD").mentions["authors"]] == ["hammarskjold"]


@pytest.mark.parametrize("last", [
    "ANDONG",  # a place
    "TASS",  # an organisation
    "END OF TEXT",
    "Night raids go on; the repair brigades work in two shifts.",
])
def test_what_ends_a_document_but_is_no_signature(last: str) -> None:
    assert _written(_page(last), "authors") == []


def test_a_sentence_run_on_into_a_name_is_no_signature() -> None:
    text = PAGE.replace("work in two shifts.\n{signature}", "were sent by\nVELMINOV")
    (doc,) = _read(text)
    assert doc.mentions["authors"] == []
