"""Documents from TEI markup: the reader's parts (cablegram/readers/tei.py) become Documents.

The markup says where each piece of a document is (head, source note, dateline,
classification, body, signature), so no segmentation or guessing of the apparatus is needed.
What the pieces mean is read by the same functions the plain-text book path uses
(cablegram/book.py, cablegram/extract/book_fields.py), so a FRUS document gives the same
title, type, times, refs, marks and correspondents from its TEI as from its printed text;
the markup adds its exact date (`date/@when`), the signature, the footnotes and the persons
its `persName/@corresp` points to.
"""

from __future__ import annotations

from typing import Any

from cablegram.authority.lookup import Authority
from cablegram.book import add_mention, dateline_transmission, read_apparatus, read_parties
from cablegram.extract.book_fields import Preamble, marks_of, read_dateline
from cablegram.extract.correspondents import mentioned
from cablegram.extract.title import build_title
from cablegram.link import mention
from cablegram.model import Document, Line, Mention, SourceText

# Where a persName or gloss of the head puts the person it names.
ROLE_OF_TYPE = {"from": "authors", "to": "recipients"}
EDITORIAL_NOTE = "editorial note"


def build_tei(src: SourceText, authority: Authority) -> list[Document]:
    """Read each document the TEI reader found, in reading order."""
    lines = src.lines()
    return [read_part(src.name, part, lines, authority) for part in src.parts or []]


def _line(lines: list[Line], number: int | None) -> list[Line]:
    """The line with this 1-based number, as a list (empty when there is none)."""
    return [lines[number - 1]] if number else []


def preamble(part: dict[str, Any], lines: list[Line]) -> Preamble:
    """The pieces of a document's apparatus, where the markup put them."""
    at = part["lines"]
    file_line = _line(lines, at.get("source_note"))
    marks: list[str] = []
    for text in part["classification"]:
        marks += marks_of(text) or [text.lower()]
    first = (at.get("body") or [None])[0] or _after_apparatus(at)
    last = at.get("signature") or part["end_line"]  # an attachment after it is not the body
    body = lines[first - 1: last] if first else []
    return Preamble(head=_line(lines, at.get("head")), file_line=file_line[0] if file_line
                    else None, dateline=_line(lines, at.get("dateline")), marks=marks,
                    body=body)


def _after_apparatus(at: dict[str, Any]) -> int | None:
    """The first line after the apparatus, for a document whose body is only a closer."""
    used = [v for k, v in at.items() if k != "classification" and isinstance(v, int)]
    used += at.get("classification") or []
    return max(used) + 1 if used else None


def read_part(source: str, part: dict[str, Any], lines: list[Line],
              authority: Authority) -> Document:
    """Turn one part (fields and line spans from the markup) into a Document."""
    start, end = part["start_line"], part["end_line"]
    kept = lines[start - 1: end]
    doc = Document(source=source, start_line=start, end_line=end, fragments=[(start, end)],
                   text="\n".join(ln.text for ln in kept), number=part.get("n"))
    pre = preamble(part, lines)
    read_apparatus(doc, pre)
    if part.get("editorial_note"):
        doc.type = EDITORIAL_NOTE
    markup_dates(doc, part, pre)
    read_parties(doc, pre, authority)
    if doc.type != EDITORIAL_NOTE:
        _markup_parties(doc, part, authority, pre)
    dateline_transmission(doc, pre, authority)
    doc.mentions.update(mentioned(kept, authority, doc.date))
    _markup_mentions(doc, part, authority, kept)
    doc.signature = part.get("signature")
    doc.notes = [f"{n['n']}. {n['text']}" if n.get("n") else n["text"]
                 for n in part.get("footnotes", [])]
    doc.title = build_title(doc, authority)
    return doc


def markup_dates(doc: Document, part: dict[str, Any], pre: Preamble) -> None:
    """The date from `date/@when` (else `@notBefore`/`@notAfter`, else the div's FRUS
    `doc-dateTime-min/max`); the time of `@when` is the sending time when the dateline prints
    one; a printed date the markup contradicts is reported."""
    when = part.get("date")
    printed = read_dateline(pre.dateline) if pre.dateline else None
    if when:
        day = when[:10]
        doc.date, doc.date_source = day, "dateline"
        doc.date_precision = {10: "day", 7: "month", 4: "year"}.get(len(day), "day")
        if printed and printed.sent and len(when) >= 16 and when[10] == "T":
            doc.sent = when[:16]
        if printed and printed.date and printed.date.value != day:
            doc.warnings.append(f"line {pre.dateline[0].number}: the dateline prints "
                                f"{printed.date.value}, the markup dates it {when}")
        return
    low, high, source = part.get("notBefore"), part.get("notAfter"), "dateline"
    if not (low and high):
        low, high, source = part.get("doc_dateTime_min"), part.get("doc_dateTime_max"), "header"
    if low and high and doc.date is None:
        same = low[:10] == high[:10]
        doc.date = low[:10] if same else f"{low[:10]}/{high[:10]}"
        doc.date_precision, doc.date_source = ("day" if same else "range"), source


def listed_names(name: str) -> list[str]:
    """Forms of a persons-list name worth looking up: `Acheson, Dean` → `Dean Acheson`."""
    if "," in name:
        last, first = name.split(",", 1)
        return [f"{first.strip()} {last.strip()}", name]
    return [name]


def _resolve(authority: Authority, pers: dict[str, Any], line: int | None,
             date: str | None) -> Mention:
    """A persName as a Mention: linked through its persons-list name first, then its text."""
    for form in listed_names(pers["name"]) if pers.get("name") else []:
        rec = authority.lookup(form, date)
        if rec is not None:
            return Mention(pers["text"], line, rec.id, rec.name)
    return mention(authority, pers["text"], line, date)


def _markup_parties(doc: Document, part: dict[str, Any], authority: Authority,
                    pre: Preamble) -> None:
    """Link head parties the words alone left unlinked through `persName/@corresp`, and take
    the head's marked parties when its words could not be split."""
    head_line = pre.head[0].number if pre.head else None
    for pers in part.get("persNames", []):
        key = ROLE_OF_TYPE.get(pers.get("type") or "")
        if key is None or not pers.get("name"):
            continue
        linked = _resolve(authority, pers, head_line, doc.date)
        for m in doc.mentions[key]:
            if m.id is None and linked.id and pers["text"] in m.as_written:
                m.id, m.name = linked.id, linked.name
    for key in ROLE_OF_TYPE.values():
        if doc.mentions[key]:
            continue
        for item in [*part.get("persNames", []), *part.get("from_to_glosses", [])]:
            if ROLE_OF_TYPE.get(item.get("type") or "") == key:
                add_mention(doc.mentions[key], _resolve(authority, item, head_line, doc.date))


def _line_of(lines: list[Line], words: str, default: int) -> int:
    """The first of the lines that holds these words, else `default`."""
    return next((ln.number for ln in lines if words and words in ln.text), default)


def _markup_mentions(doc: Document, part: dict[str, Any], authority: Authority,
                     kept: list[Line]) -> None:
    """People the markup points to through the persons list, and places it marks, when the
    text scan did not find them."""
    people = doc.mentions["people"]
    for pers in part.get("persNames", []):
        if not pers.get("name") or pers.get("type"):
            continue
        found = _resolve(authority, pers, _line_of(kept, pers["text"], doc.start_line), doc.date)
        same = [m for m in people if m.as_written in found.as_written
                or found.as_written in m.as_written or (found.id and m.id == found.id)]
        if not same:
            people.append(found)
        elif found.id and same[0].id is None:  # the scan saw the name; the markup links it
            same[0].id, same[0].name, same[0].candidates = found.id, found.name, []
    for place in part.get("placeNames", []):
        found = mention(authority, place, _line_of(kept, place, doc.start_line), doc.date)
        if not any(m.as_written == place or (found.id and m.id == found.id)
                   for m in doc.mentions["places"]):
            doc.mentions["places"].append(found)
