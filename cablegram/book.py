"""Printed books in the FRUS style: find the numbered documents and read each one.

A document opens with a line holding only its number (`212.`) followed by a head (`The
Ambassador in Burma (Smith) to the Secretary of State`). Running heads and page numbers
(`1802  FOREIGN RELATIONS, 1951, VOLUME VII`, `CHINA  1803`, `1804`) are dropped from the
documents' text and never open one; line numbers still refer to the input as given.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from cablegram.authority.lookup import Authority
from cablegram.extract import book_patterns as B
from cablegram.extract.book_fields import (
    Preamble,
    file_number,
    head_parties,
    head_type,
    is_dateline_start,
    is_file_line,
    marks_of,
    read_dateline,
    read_preamble,
    signature,
    telegram_number,
)
from cablegram.extract.correspondents import mentioned, participants
from cablegram.extract.title import build_title
from cablegram.extract.transmission import Stations, read_transmission
from cablegram.link import mention
from cablegram.model import Document, Line, Mention, Ref
from cablegram.normalize import join_lines

EVIDENCE_WINDOW = 10  # a number line opens a document only if its apparatus follows this soon
PAGE_SPREAD = 50  # a bare number is a page number when this close to a running head's number
_BRACKET = re.compile(r"\(([^)]+)\)\s*$")
_PAGE = re.compile(r"\d{1,4}")


def is_running_head(text: str) -> bool:
    """Whether a line is a running head or a page number (`CHINA  1803`, `1804`)."""
    text = text.strip()
    return bool(text) and B.ANY_RUNNING_HEAD.match(text) is not None


def furniture(lines: list[Line]) -> set[int]:
    """Indexes of the page furniture: running heads, page numbers and blank lines around them.

    A bare number counts as a page number only when no running head gives a page number, or
    when it lies near one (so a wrapped `1018` far from the page numbers stays text).
    """
    head = B.ANY_RUNNING_HEAD.match  # (is_running_head: a blank line never matches)
    heads = [i for i, ln in enumerate(lines) if head(ln.text.strip())]
    pages = sorted(int(p) for i in heads if not lines[i].text.strip().strip("[]").isdigit()
                   for p in _PAGE.findall(lines[i].text)[:1])
    out: set[int] = set()
    for i in heads:
        text = lines[i].text.strip().strip("[]")
        if text.isdigit() and pages and _distance(pages, int(text)) > PAGE_SPREAD:
            continue
        out.add(i)
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j].text.strip():
                out.add(j)
                j += step
    return out


def _distance(pages: list[int], number: int) -> int:
    """How far a number is from the nearest of the (sorted) page numbers."""
    at = bisect_left(pages, number)
    return min(abs(number - p) for p in pages[max(at - 1, 0):at + 1])


def _content(lines: list[Line], removed: set[int], start: int, limit: int) -> list[Line]:
    """Up to `limit` non-blank, non-furniture lines from index `start` on."""
    out: list[Line] = []
    for j in range(start, len(lines)):
        if j not in removed and lines[j].text.strip():
            out.append(lines[j])
            if len(out) >= limit:
                break
    return out


def _is_head(text: str) -> bool:
    """Whether a line can open a document's head."""
    return bool(B.HEAD_START.match(text) or B.HEAD_PARTIES.match(text))


def _opens_document(lines: list[Line], removed: set[int], i: int) -> bool:
    """Whether lines[i] is a number line followed by a head and the apparatus of a document."""
    if i in removed or not B.NUMBER_LINE.match(lines[i].text):
        return False
    after = _content(lines, removed, i + 1, EVIDENCE_WINDOW)
    if not after or not _is_head(after[0].text.strip()):
        return False
    if head_type(after[0].text.strip()) == "editorial note":
        return True
    return any(is_file_line(t) or is_dateline_start(t) or marks_of(t)
               for t in (ln.text.strip() for ln in after[1:]))


def _starts(lines: list[Line], removed: set[int]) -> list[int]:
    """Indexes of the number lines that open documents: of the candidates, the longest run
    whose numbers rise, so a wrapped `1005.` that looks like a document start cannot swallow
    the documents numbered below it that follow."""
    number = B.NUMBER_LINE.match
    found = [(i, int(m.group("number"))) for i, ln in enumerate(lines)
             if (m := number(ln.text)) and _opens_document(lines, removed, i)]
    return [found[k][0] for k in rising(found)]


def rising(found: list[tuple[int, int]]) -> list[int]:
    """Positions in `found` ((index, number) pairs) of the longest subsequence whose numbers
    strictly rise; of equally long ones, the one ending on the smallest number."""
    tails: list[int] = []  # tails[k]: position ending the best rising run of length k + 1
    ends: list[int] = []  # ends[k]: the number at tails[k]
    back: list[int] = []
    for pos, (_, number) in enumerate(found):
        k = bisect_left(ends, number)
        back.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(pos)
            ends.append(number)
        else:
            tails[k], ends[k] = pos, number
    out, pos = [], tails[-1] if tails else -1
    while pos >= 0:
        out.append(pos)
        pos = back[pos]
    return out[::-1]


Layout = tuple[set[int], list[int]]  # indexes of the page furniture, of the document starts


def book_layout(lines: list[Line]) -> Layout:
    """The page furniture of a text read as a book, and the lines that open its documents."""
    removed = furniture(lines)
    return removed, _starts(lines, removed)


def is_book(layout: Layout) -> bool:
    """Whether a layout is a printed book's: at least two documents open in it."""
    return len(layout[1]) >= 2


def looks_like_book(lines: list[Line]) -> bool:
    """Whether the text is a printed book: at least two `NNN.` lines, each followed by a head
    and the apparatus of a document (file number, dateline or classification)."""
    return is_book(book_layout(lines))


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of line numbers: [1, 2, 3, 5, 6] → [(1, 3), (5, 6)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _span(lines: list[Line], removed: set[int], lo: int, hi: int) -> list[Line]:
    """The kept lines of indexes lo..hi-1, trailing blank lines dropped."""
    kept = [lines[j] for j in range(lo, hi) if j not in removed]
    while kept and not kept[-1].text.strip():
        kept.pop()
    while kept and not kept[0].text.strip():
        kept.pop(0)
    return kept


def _party(authority: Authority, text: str, line: int, date: str | None) -> Mention:
    """Link a correspondent of a head; drop a link the words do not support.

    `(Merchant)` names the person: an office match on the other words does not count. An
    office qualified (`The Acting Secretary of State`) is not the office the authority holds.
    """
    m = mention(authority, text, line, date)
    if m.id is None:
        return m
    bracket = _BRACKET.search(text)
    if bracket:
        rec = authority.lookup(bracket.group(1), date)
        keep = rec is not None and rec.id == m.id
    else:
        keep = not B.QUALIFIED_OFFICE.search(text)
    return m if keep else Mention(m.as_written, line)


def add_mention(target: list[Mention], new: Mention) -> None:
    """Append unless the same record (or the same words) is already there."""
    if not any((m.id and m.id == new.id) or m.as_written == new.as_written for m in target):
        target.append(new)


def read_parties(doc: Document, pre: Preamble, authority: Authority) -> None:
    """Authors and recipients from the head; the signature when the head names no person."""
    if doc.type == "editorial note":
        return
    authors, recipients = head_parties(pre.head)
    ms = doc.mentions
    ms["authors"] = [_party(authority, t, ln, doc.date) for t, ln in authors]
    ms["recipients"] = [_party(authority, t, ln, doc.date) for t, ln in recipients]
    named = any(_BRACKET.search(m.as_written) or (m.id and _is_person(authority, m.id))
                for m in ms["authors"])
    signed = signature(pre.body)
    if signed is None:
        return
    sig = mention(authority, signed[0].strip("[]"), signed[1], doc.date)
    sig.as_written = signed[0]
    if not named:
        add_mention(ms["authors"], sig)
    elif sig.id and all(m.id and m.id != sig.id for m in ms["authors"]):
        doc.warnings.append(f"line {signed[1]}: signed '{signed[0]}', but the head names "
                            f"{', '.join(m.as_written for m in ms['authors'])}")


def _is_person(authority: Authority, record_id: str) -> bool:
    """Whether an authority id is a person's."""
    rec = authority.get(record_id)
    return rec is not None and rec.kind == "person"


def _doc_type(pre: Preamble, channel: str | None) -> str | None:
    """The type: the channel after the file number, else what the head says, else a letter's
    salutation."""
    head, _ = join_lines(pre.head)
    named = head_type(head)
    if named == "editorial note":
        return named
    if channel or named:
        return channel or named
    first = next((ln.text.strip() for ln in pre.body if ln.text.strip()), "")
    return "letter" if B.SALUTATION.match(first) else None


def read_apparatus(doc: Document, pre: Preamble) -> None:
    """Type, date, times, marks and printed numbers."""
    channel = None
    if pre.file_line is not None:
        value, channel = file_number(pre.file_line)
        doc.refs.append(Ref(value, "file number", pre.file_line.number))
    doc.type = _doc_type(pre, channel)
    if pre.dateline:
        read = read_dateline(pre.dateline)
        if read.date is not None:
            doc.date, doc.date_precision = read.date.value, read.date.precision
            doc.date_source = "dateline"
        doc.sent, doc.received = read.sent, read.received  # local times: no order check
    doc.handling = list(pre.marks)
    if doc.type in B.NUMBERED_TYPES:
        number = telegram_number(pre.body)
        if number:
            doc.refs.append(Ref(number[0], "telegram number", number[1]))


def dateline_transmission(doc: Document, pre: Preamble, authority: Authority) -> None:
    """Read the transmission of a book document: sent from its dateline's place, received
    as its `[Received …]` stamp says."""
    receipt = next((ln for ln in pre.dateline if "received" in ln.text.lower()), None)
    dateline = pre.dateline[0] if pre.dateline else None
    read_transmission(doc, pre.dateline + pre.body, Stations(dateline, receipt, dateline),
                      authority)


def read_book_document(source: str, kept: list[Line], authority: Authority) -> Document:
    """Read one document of a book from its kept lines (number line first)."""
    numbers = [ln.number for ln in kept]
    doc = Document(source=source, start_line=numbers[0], end_line=numbers[-1],
                   fragments=_runs(numbers), text="\n".join(ln.text for ln in kept))
    m = B.NUMBER_LINE.match(kept[0].text)
    if m is None:
        doc.fragment = True
        doc.mentions.update(mentioned(kept, authority, None))
        doc.title = build_title(doc, authority)
        return doc
    doc.number = m.group("number")
    pre = read_preamble(kept[1:])
    if head_type(join_lines(pre.head)[0]) == "editorial note":  # no apparatus: all body
        pre = Preamble(head=pre.head, body=kept[kept.index(pre.head[-1]) + 1:])
    read_apparatus(doc, pre)
    read_parties(doc, pre, authority)
    dateline_transmission(doc, pre, authority)
    doc.mentions.update(mentioned(kept, authority, doc.date))
    doc.mentions["participants"] = participants(pre.body, authority, doc.date)
    doc.title = build_title(doc, authority)
    return doc


def build_book(source: str, lines: list[Line], authority: Authority,
               layout: Layout | None = None) -> list[Document]:
    """Split a book into its numbered documents and read each; text before the first one
    becomes a fragment. `layout` is book_layout(lines), when already known."""
    removed, starts = layout or book_layout(lines)
    bounds = [0, *starts, len(lines)] if not starts or starts[0] > 0 else [*starts, len(lines)]
    docs = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        kept = _span(lines, removed, lo, hi)
        if kept:
            docs.append(read_book_document(source, kept, authority))
    return docs
