"""Read the printed apparatus of a FRUS-style document: head, file number, dateline, marks,
telegram number and signature. Each reader takes the document's lines (page furniture already
removed) and says where it found what it returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from cablegram.extract import book_patterns as B
from cablegram.extract.dates import DateHit, find_dates, first_date, parse_time
from cablegram.model import Line
from cablegram.normalize import join_lines, line_at
from cablegram.regexes import any_of

MAX_HEAD_LINES = 5  # a head wraps over at most this many lines
MAX_DATELINE_LINES = 3
PREAMBLE_WINDOW = 10  # file number, dateline and marks are looked for this near the head
_ANY_HEAD_TYPE = any_of([p for p, _ in B.HEAD_TYPES])


@dataclass
class Preamble:
    """What stands between a document's number line and its body."""

    head: list[Line] = field(default_factory=list)
    file_line: Line | None = None
    dateline: list[Line] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)


@dataclass
class Dateline:
    """The date, sending time and receipt a dateline prints."""

    date: DateHit | None = None
    sent: str | None = None
    received: str | None = None


def marks_of(text: str) -> list[str] | None:
    """The classification and precedence marks of a line made of nothing else, or None."""
    rest, out = text.strip().rstrip("."), []
    while rest:
        m = B.MARK.match(rest)
        if not m:
            return None
        out.append(m.group("mark").lower())
        rest = rest[m.end():].strip(" ,")
    return out or None


def is_file_line(text: str) -> bool:
    """Whether a line is a file number (`793.00/8–1551: Telegram`)."""
    return B.FILE_NUMBER.match(text.strip()) is not None


def is_dateline_start(text: str) -> bool:
    """Whether a line opens a dateline (`Hong Kong, August 15, 1951—4 p. m.`)."""
    text = text.strip()
    return bool(B.DATELINE.match(text) or B.DATELINE_UNDATED.match(text))


def _ends_head(text: str) -> bool:
    """Whether a line cannot belong to a head: it is the apparatus that follows one."""
    return not text or is_file_line(text) or is_dateline_start(text) or bool(marks_of(text))


def _dateline_length(lines: list[Line], i: int) -> int:
    """Lines of the dateline opening at lines[i]: it runs on while a bracket is open or a
    line is cut (`..., 1951—8` / `p. m.`)."""
    text, n = lines[i].text.strip(), 1
    while i + n < len(lines) and n < MAX_DATELINE_LINES:
        nxt = lines[i + n].text.strip()
        if not nxt or marks_of(nxt) or is_file_line(nxt) or B.TELEGRAM_NUMBER.match(nxt):
            break
        open_bracket = text.count("[") > text.count("]")
        cut = text.endswith(("—", "–", "-", ",")) or nxt[:1].islower() or nxt[:1].isdigit()
        if not (open_bracket or cut or nxt.startswith("[Received")):
            break
        text += " " + nxt
        n += 1
    return n


def read_preamble(lines: list[Line]) -> Preamble:
    """Split the lines after a number line into head, file number, dateline, marks and body."""
    pre, i = Preamble(), 0
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    while i < len(lines) and len(pre.head) < MAX_HEAD_LINES:
        if pre.head and _ends_head(lines[i].text.strip()):
            break
        pre.head.append(lines[i])
        i += 1
    limit = i + PREAMBLE_WINDOW
    while i < min(len(lines), limit):
        text = lines[i].text.strip()
        if not text:
            i += 1
        elif pre.file_line is None and not pre.dateline and is_file_line(text):
            pre.file_line, i = lines[i], i + 1
        elif not pre.dateline and not pre.marks and is_dateline_start(text):
            n = _dateline_length(lines, i)
            pre.dateline, i = lines[i:i + n], i + n
        elif not pre.marks and marks_of(text):
            pre.marks, i = marks_of(text) or [], i + 1
        else:
            break
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    pre.body = lines[i:]
    return pre


def file_number(line: Line) -> tuple[str, str | None]:
    """The file number as printed without its channel, and the channel as a type."""
    m = B.FILE_NUMBER.match(line.text.strip())
    if m is None:
        return line.text.strip(), None
    kind = (m.group("kind") or "").strip().lower()
    return m.group("value").strip(" ."), B.FILE_KINDS.get(kind, kind or None)


def _clock(raw: str) -> str | None:
    """`4 p. m.` / `noon` as HH:MM (`midnight` is left to the caller)."""
    return "12:00" if raw.lower() == "noon" else parse_time(raw)


def _stamp(day: str, raw_time: str | None) -> str:
    """A day and an optional printed time as ISO (`midnight` is the start of the next day)."""
    if raw_time is None:
        return day
    if raw_time.lower() == "midnight":
        return (date.fromisoformat(day) + timedelta(days=1)).isoformat() + "T00:00"
    clock = _clock(raw_time)
    return f"{day}T{clock}" if clock else day


def read_dateline(lines: list[Line]) -> Dateline:
    """Read the date, the sending time and the `[Received ...]` stamp of a dateline."""
    out = Dateline()
    text, _ = join_lines(lines)
    received = B.RECEIVED.search(text)
    own = text[: received.start()] if received else text
    out.date = first_date(own)
    if out.date is None:
        return out
    sent = B.SENT_TIME.match(own[out.date.end:])
    if sent and out.date.precision == "day":
        out.sent = _stamp(out.date.value, sent.group("time"))
    if received and out.date.precision == "day":
        year = int(out.date.value[:4])
        day = out.date.value
        if received.group("day"):
            hits = find_dates(received.group("day"), year)
            day = hits[0].value if hits and hits[0].precision == "day" else day
            if int(day[5:7]) + 6 < int(out.date.value[5:7]) \
                    and not re.search(r"\d{4}", received.group("day")):
                day = f"{year + 1}{day[4:]}"  # sent on 31 December, received in January
        out.received = _stamp(day, received.group("time"))
    return out


def head_type(head: str) -> str | None:
    """The document type a head names (`Memorandum of Conversation, by ...`), or None."""
    if not _ANY_HEAD_TYPE.match(head):  # one match for most heads, which name no type
        return None
    return next((t for p, t in B.HEAD_TYPES if p.match(head)), None)


def _split_to(text: str) -> re.Match[str] | None:
    """The ` to ` between author and recipient: after a `)` if any, else the first one that
    does not belong to an office (`the Special Assistant to the Secretary`)."""
    tos = list(re.finditer(r"\s+to\s+", text))
    after_paren = [m for m in tos if text[: m.start()].endswith(")")]
    if after_paren:
        return after_paren[0]
    for m in tos:
        words = text[: m.start()].split()
        if not words or words[-1].lower() not in B.TO_BOUND_WORDS:
            return m
    return None


Party = tuple[str, int]


def head_parties(head: list[Line]) -> tuple[list[Party], list[Party]]:
    """Authors and recipients a head names, as written, each with its line."""
    text, offsets = join_lines(head)
    if not text or head_type(text) == "editorial note":
        return [], []
    base = 0
    prefix = B.HEAD_KIND_PREFIX.match(text)
    if prefix:
        base = prefix.end()
        if not prefix.group("by") and not text[base:].lower().startswith("to "):
            return [], []
    rest = text[base:]
    if rest.lower().startswith("to "):
        rest, base = " " + rest, base - 1
    cut = _split_to(rest)
    author = rest[: cut.start()] if cut else rest
    recipient = rest[cut.end():] if cut else ""

    def party(part: str, at: int) -> list[Party]:
        """The words of one side, trimmed, with the line they start on."""
        clean = part.strip(" ,.;:")
        return [(clean, line_at(offsets, base + at + part.find(clean)))] if clean else []

    return party(author, 0), party(recipient, cut.end() if cut else len(rest))


def telegram_number(body: list[Line]) -> tuple[str, int] | None:
    """The sender's number opening a telegram's body (`650. ConGen ...` → 650) and its line."""
    first = next((ln for ln in body if ln.text.strip()), None)
    m = B.TELEGRAM_NUMBER.match(first.text) if first else None
    return (m.group("value"), first.number) if m and first else None


def signature(body: list[Line]) -> tuple[str, int] | None:
    """The name alone on the body's last line (`McConaughy`, `[Henderson]`), or None."""
    content = (ln for ln in reversed(body) if ln.text.strip())
    last, before = next(content, None), next(content, None)
    if last is None or before is None:  # fewer than two lines with text
        return None
    text = last.text.strip()
    m = B.SIGNATURE.match(text)
    if m is None or len(text) > 40:
        return None
    final = m.group("name").split()[-1]
    if final.endswith(".") and len(final.rstrip(".")) > 1:
        return None  # `Pouched Taipei.`: a sentence, not a name
    return text, last.number
