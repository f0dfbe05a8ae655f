"""Run the extractors over one segment and assemble a Document."""

from __future__ import annotations

from cablegram.authority.lookup import Authority
from cablegram.extract import patterns as P
from cablegram.extract.cable import find_handling, find_refs, find_transmission
from cablegram.extract.correspondents import (
    address_lines,
    copies,
    mentioned,
    participants,
    signatures,
)
from cablegram.extract.dates import DateHit
from cablegram.extract.header import Parties, doc_type, parse_header, parse_header_tail
from cablegram.extract.page import date_warnings, split_page
from cablegram.extract.title import build_title
from cablegram.extract.transmission import Stations, read_transmission
from cablegram.link import mention, same_name
from cablegram.model import Document, Line, Mention
from cablegram.segment import Segment, dateline_at, fragments, header_count

CARRIERS = ("cable", "telegram", "ciphered telegram")  # types that can carry an enclosed letter
TYPE_WINDOW = 12  # a type line (`CABLE Nº 600308/sh`) is looked for this near the top
Dated = tuple[DateHit, int] | None  # _dateline(lines): the last dateline, and its line number


def document_text(lines: list[Line]) -> str:
    """The document's text: its lines as given, with trailing blank lines dropped."""
    return "\n".join(ln.text for ln in lines).strip("\n")


def _dateline(lines: list[Line]) -> Dated:
    """The last dateline of the lines (`Pyongyang. 8 July 1950.`) and its line number."""
    for i in range(len(lines) - 1, -1, -1):
        end = lines[i].text.rstrip().rstrip(".")
        if not end or not end[-1].isdecimal():  # a dateline ends in a digit: no call needed
            continue
        hit = dateline_at(lines, i)
        if hit:
            return hit, lines[i].number
    return None


def _type_from_lines(lines: list[Line]) -> str | None:
    """The type named by a form line near the top (`CABLE Nº 600308/sh`, `CIPHERED TELEGRAM`)."""
    for ln in lines[:TYPE_WINDOW]:
        text = ln.text.strip()
        t = doc_type(text)
        if t and (text.isupper() or "N" in text[len(t):len(t) + 3]):
            return t
        if P.LETTER_OPENING.match(text):
            return "letter"
    return None


def find_enclosure(lines: list[Line]) -> tuple[int, int] | None:
    """Index range (inclusive) of a letter enclosed in a cable, or None."""
    start = next((i for i, ln in enumerate(lines) if i >= 3
                  and P.LETTER_OPENING.match(ln.text.strip())), None)
    if start is None:
        return None
    end = len(lines) - 1
    for i in range(start + 1, len(lines)):
        if P.SENT.search(lines[i].text) and i > start + 2:
            end = i - 1
            break
    dated = _dateline(lines[start:end + 1])
    if dated:
        end = next(i for i, ln in enumerate(lines) if ln.number == dated[1])
    return start, end


def _mentions(parts: list[tuple[str, int]], authority: Authority, date: str | None
              ) -> list[Mention]:
    """Link a list of (as written, line)."""
    return [mention(authority, text, line, date) for text, line in parts]


def _add(target: list[Mention], new: Mention) -> None:
    """Append unless the same record (or the same words) is already there."""
    if not any((m.id and m.id == new.id) or m.as_written == new.as_written for m in target):
        target.append(new)


def _correspondents(doc: Document, parties: Parties, lines: list[Line],
                    authority: Authority) -> None:
    """Fill authors, recipients, via and for from header, address lines and signatures."""
    ms, date = doc.mentions, doc.date
    ms["authors"] = _mentions(parties.authors, authority, date)
    ms["recipients"] = _mentions(parties.recipients, authority, date)
    ms["via"] = _mentions(parties.via, authority, date)
    ms["for"] = _mentions(parties.for_, authority, date)
    had_recipients = bool(ms["recipients"])
    for verb, name, line in address_lines(lines):
        m = mention(authority, name, line, date)
        if any(m.id and m.id == r.id or same_name(m.as_written, r.as_written)
               for r in ms["recipients"]):
            continue  # the header's recipient again (`to Ryu Su U` / `To Comrade RYU SU U.`)
        _add(ms["for"] if had_recipients and verb != "to" else ms["recipients"], m)
    opening = next((i for i, ln in enumerate(lines) if ln.text.strip() == "DEAR"), None)
    if opening is not None and opening + 1 < len(lines):
        nxt = lines[opening + 1]
        _add(ms["recipients"], mention(authority, nxt.text, nxt.number, date))
    if not ms["authors"]:
        for name, line in signatures(lines, authority):
            _add(ms["authors"], mention(authority, name, line, date))


def _dates(doc: Document, header_date: DateHit | None, lines: list[Line], dated: Dated
           ) -> None:
    """Set date, precision and where it came from: header, then dateline (`dated`, the
    lines' _dateline), then a sent line."""
    if header_date is not None:
        doc.date, doc.date_precision, doc.date_source = (
            header_date.value, header_date.precision, "header")
        return
    if dated:
        doc.date, doc.date_precision, doc.date_source = dated[0].value, dated[0].precision, \
            "dateline"
        return
    tr = find_transmission(lines, None)
    if tr.dated:
        doc.date, doc.date_precision, doc.date_source = tr.dated[0][1], "day", "dateline"


def _transmission(doc: Document, lines: list[Line], authority: Authority, dated: Dated
                  ) -> None:
    """Set sent/received/registered and warn about dates that contradict the document
    (`dated`: the lines' _dateline)."""
    year = int(doc.date[:4]) if doc.date else None
    tr = find_transmission(lines, year)
    doc.sent, doc.received = tr.sent, tr.received
    for line, day, text in tr.dated:
        if year is not None and int(day[:4]) != year:
            doc.warnings.append(
                f"line {line}: year {day[:4]} in '{text}' contradicts the document's year {year}")
    dateline = next((ln for ln in lines if ln.number == dated[1]), None) if dated else None
    at = Stations(tr.lines.get("sent"), tr.lines.get("received"), dateline)
    read_transmission(doc, lines, at, authority)


def build_document(source: str, seg: Segment, authority: Authority) -> Document:
    """Extract every field of one segment into a Document (enclosures included)."""
    lines = seg.lines
    doc = Document(source=source, start_line=seg.start, end_line=seg.end,
                   text=document_text(lines), fragment=seg.kind == "fragment")
    parties, header_date = Parties(), None
    body = lines
    if seg.header is not None:
        n = header_count(seg)
        header = parse_header(lines[:n])
        doc.number, doc.type, header_date, parties = (
            header.number, header.type, header.date, header.parties)
        body = lines[n:]
        doc.fragments = fragments(seg)
    else:
        tail = parse_header_tail(lines[0]) if seg.kind == "fragment" else None
        parties = tail or parties
        cut = Segment(lines, seg.kind, (seg.start, seg.start) if tail else None)
        doc.fragments = fragments(cut) if seg.kind == "fragment" else [(seg.start, seg.end)]
    doc.type = doc.type or _type_from_lines(body)
    enclosed = find_enclosure(body) if doc.type in CARRIERS else None
    own = body if enclosed is None else body[: enclosed[0]] + body[enclosed[1] + 1:]
    if enclosed is not None:
        part = Segment(body[enclosed[0]: enclosed[1] + 1], "enclosure")
        doc.enclosures.append(build_document(source, part, authority))
    dated = _dateline(own)
    _dates(doc, header_date, own, dated)
    doc.mentions["copies_to"] = copies(own, authority, doc.date)
    listed = {m.line for m in doc.mentions["copies_to"]}
    _correspondents(doc, parties, [ln for ln in own if ln.number not in listed], authority)
    doc.handling = find_handling(own)
    _transmission(doc, own, authority, dated)
    doc.refs = find_refs(own)
    doc.mentions.update(mentioned(own, authority, doc.date))
    talk = _mentions(parties.with_, authority, doc.date)
    for m in talk:
        _add(doc.mentions["people"], m)
    sides = doc.mentions["authors"] + talk if "conversation" in (doc.type or "") else talk
    doc.mentions["participants"] = participants(own, authority, doc.date, sides)
    doc.title = build_title(doc, authority)
    return doc


def build_page(source: str, lines: list[Line], authority: Authority,
               layout: str | None = None) -> Document:
    """Extract the one document an archive page shows, with the page's own metadata
    (`layout`: page_layout(lines), when already known)."""
    page = split_page(lines, layout)
    doc = build_document(source, Segment(page.document, "page"), authority)
    doc.page = page.meta
    doc.warnings.extend(date_warnings(page.meta, doc))
    return doc
