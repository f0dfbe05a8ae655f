"""Segment: find where documents start and end in a source's lines."""

from __future__ import annotations

from dataclasses import dataclass

from cablegram.authority.lookup import Authority
from cablegram.extract import patterns as P
from cablegram.extract.dates import first_date
from cablegram.model import Line

MAX_HEADER_LINES = 4


@dataclass
class Segment:
    """A run of lines that holds one document (or what is left of one)."""

    lines: list[Line]
    kind: str  # numbered | fragment | page
    header: tuple[int, int] | None = None

    @property
    def start(self) -> int:
        """First input line."""
        return self.lines[0].number

    @property
    def end(self) -> int:
        """Last input line."""
        return self.lines[-1].number


def is_header_start(text: str) -> bool:
    """Whether a line opens a numbered document header (`18. 5 July 1950, ...`)."""
    m = P.HEADER_START.match(text.strip())
    return bool(m) and first_date(m.group("rest")[:40]) is not None


def _is_body_start(text: str) -> bool:
    """Whether a line looks like the first line of a document body, not a header's."""
    return any(p.match(text) for p in P.BODY_START) or is_header_start(text)


def header_length(lines: list[Line], i: int) -> int:
    """Count the lines of the header starting at lines[i] (it may wrap over several)."""
    text = lines[i].text.strip()
    n = 1
    while n < MAX_HEADER_LINES and i + n < len(lines):
        if text.endswith((".", ")", ":", "]")) and text.count("(") <= text.count(")"):
            break
        if text.endswith(".") or _is_body_start(lines[i + n].text.strip()):
            break
        text += " " + lines[i + n].text.strip()
        n += 1
    return n


def is_signature(text: str, authority: Authority) -> bool:
    """Whether a line is a signature: a known person's name alone (`Kim Il Sung.`, `SHTYKOV`)."""
    text = text.strip()
    m = P.CAPS_SIGNATURE.match(text)
    if m and not any(c.islower() for c in text.replace(m.group("real") or "", "")):
        rec = authority.lookup(m.group("name"))
        return rec is not None and rec.kind == "person"
    if text.endswith(".") and len(text) < 40:
        rec = authority.lookup(text[:-1])
        return rec is not None and rec.kind == "person"
    return False


def _end_marker(text: str, authority: Authority) -> str | None:
    """Classify a line that can close a document, or None."""
    if P.COPIES_LINE.match(text):
        return "copies"
    if P.OUTGOING_NUMBER.match(text):
        return "number"
    if P.PLACE_DATE_LINE.match(text) and first_date(text):
        return "place-date"
    if is_signature(text, authority):
        return "signature"
    return None


def _copies_length(lines: list[Line], i: int) -> int:
    """Count the lines of a `Copies:` list that starts at lines[i]."""
    n = 1
    while i + n < len(lines) and lines[i + n - 1].text.rstrip().endswith(","):
        n += 1
    return n


def segment_compilation(lines: list[Line], authority: Authority) -> list[Segment]:
    """Split a compilation at numbered headers and end markers; leftovers become fragments."""
    segments: list[Segment] = []
    current: Segment | None = None
    closing = False
    i = 0
    while i < len(lines):
        text = lines[i].text.strip()
        if not text:
            if current is not None:
                current.lines.append(lines[i])
            i += 1
            continue
        if is_header_start(text):
            n = header_length(lines, i)
            header = (lines[i].number, lines[i + n - 1].number)
            current = Segment(list(lines[i : i + n]), "numbered", header)
            segments.append(current)
            closing, i = False, i + n
            continue
        marker = _end_marker(text, authority)
        if current is None or (closing and marker is None):
            current = Segment([], "fragment")
            segments.append(current)
            closing = False
        n = _copies_length(lines, i) if marker == "copies" else 1
        current.lines.extend(lines[i : i + n])
        closing = closing or marker is not None
        i += n
    for seg in segments:
        while len(seg.lines) > 1 and not seg.lines[-1].text.strip():
            seg.lines.pop()
    return segments
