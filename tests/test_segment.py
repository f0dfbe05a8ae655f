"""Segmenting a compilation: headers that wrap after a gloss, and the end markers of a
document (datelines with a place of two words, signatures with initials)."""

from __future__ import annotations

from cablegram.authority.lookup import default_authority
from cablegram.model import Document, Line, SourceText
from cablegram.pipeline import extract_source
from cablegram.segment import dateline_at, header_length, is_signature

AUTH = default_authority()

WRAPPED = """\
154. 25 July 1952, decision, Filippov (Stalin)
to Voroshilov (via Shtykov)
Pyongyang. Soviet Ambassador.
Transmit to VOROSHILOV:
The request for engineers is granted.
No. 8141/sh.
155. 26 July 1952, ciphered
telegram, Shtykov to Filippov (Stalin)
(via Entezam)
Berlin. Soviet Ambassador.
Transmit to FILIPPOV:
Your instructions were carried out.
No. 8142/sh.
156. 27 July 1952, report, Filippov (Stalin)
to Kim Il Sung (via Matveyev (Razuvaev))
Beijing. Soviet Ambassador.
I report: the advisers have arrived.
No. 8143/sh.
157. 28 July 1952, ciphered telegram, Shtykov to Filippov (Stalin)
Pyongyang. 28 July 1952.
"""

SIGNED = """\
of the delegations, and the vote on the Korean question was put off until the
next session of the Committee.
T. V. SOONG
Lake Success. 2 January 1949.
No. 0017.
88. 5 January 1949, telegram, Gromyko to Molotov
The vote on the Korean question has been put off.
GROMYKO
"""


def _read(text: str) -> list[Document]:
    """Run the extract stage on a text."""
    return extract_source(SourceText("t.txt", text, "text/plain", "text"), AUTH)


def _lines(text: str) -> list[Line]:
    """A text's lines, numbered from 1."""
    return [Line(t, i) for i, t in enumerate(text.splitlines(), 1)]


def _ids(doc: Document, role: str) -> list[str | None]:
    """The linked ids of a role."""
    return [m.id for m in doc.mentions[role]]


def test_header_ending_in_a_gloss_goes_on_to_its_recipient_and_via() -> None:
    docs = {d.number: d for d in _read(WRAPPED)}
    first = docs["154"]
    assert (_ids(first, "authors"), _ids(first, "recipients"), _ids(first, "via")) == (
        ["stalin"], ["voroshilov"], ["shtykov"])
    assert first.fragments[0] == (1, 2)  # the header is two lines, the body starts at 3
    assert [m.as_written for m in first.mentions["recipients"]] == ["Voroshilov"]
    second = docs["155"]
    assert _ids(second, "via") == ["entezam"] and second.fragments[0] == (7, 9)
    # a gloss inside the via: Matveyev was Razuvaev's cover name
    assert _ids(docs["156"], "via") == ["razuvaev"]
    assert _ids(docs["156"], "recipients") == ["kim-il-sung"]


def test_complete_header_ending_in_a_gloss_stops_there() -> None:
    lines = _lines(WRAPPED)
    assert header_length(lines, 18) == 1  # 157. …, Shtykov to Filippov (Stalin)
    assert header_length(lines, 0) == 2 and header_length(lines, 6) == 3
    assert {d.number: d for d in _read(WRAPPED)}["157"].fragments[0] == (19, 19)


def test_dateline_with_a_place_of_two_words() -> None:
    lines = _lines("Lake Success. 2 January 1949.\nNew York, 8 September 1945.\n"
                   "On Monday, 5 July 1950.\n")
    hits = [dateline_at(lines, i) for i in range(3)]
    assert [h.value if h else None for h in hits] == ["1949-01-02", "1945-09-08", None]


def test_signature_with_initials_ends_the_document_and_signs_it() -> None:
    assert is_signature("T. V. SOONG", AUTH) and is_signature("BEN C. LIMB", AUTH)
    assert not is_signature("T. V. SOONG", AUTH, "the talks were led by Comrade")
    tail, numbered = _read(SIGNED)
    assert tail.fragment and (tail.start_line, tail.end_line) == (1, 5)
    assert _ids(tail, "authors") == ["t-v-soong"] and tail.date == "1949-01-02"
    assert numbered.number == "88" and _ids(numbered, "authors") == ["gromyko"]
