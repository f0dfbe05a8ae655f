"""Header extractor: number, date, type and correspondents from a numbered header line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cablegram.extract import patterns as P
from cablegram.extract.dates import DateHit, first_date
from cablegram.model import Line
from cablegram.normalize import join_lines, line_at

# `(via Shtykov)`, `(via Matveyev (Razuvaev))`: one gloss may stand inside
_VIA = re.compile(r"\(\s*via\s+(?P<via>(?:[^()]|\([^()]*\))*)\)?", re.I)
_TRANSMITTING = re.compile(r"\s+transmitting\s+(?:a\s+)?(?:message|letter)\s+to\s+(?P<for>.+)$",
                           re.I)
_SPLIT_PARTIES = re.compile(r"\s+(?:or|and)\s+|\s*,\s*")
# The tail of a header cut by a column break: "Si (Stalin) to Shtykov".
HEADER_TAIL = re.compile(r"^(?P<from>\S.*?[\])])\s+to\s+(?P<to>[A-Z][^.]*)$")
_DOC_TYPES = tuple(P.DOC_TYPES)  # for str.startswith


@dataclass
class Parties:
    """Correspondents named in a header, as written, each with its line."""

    authors: list[tuple[str, int]] = field(default_factory=list)
    recipients: list[tuple[str, int]] = field(default_factory=list)
    via: list[tuple[str, int]] = field(default_factory=list)
    for_: list[tuple[str, int]] = field(default_factory=list)
    with_: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Header:
    """What a numbered header says."""

    number: str | None
    date: DateHit | None
    type: str | None
    parties: Parties


def doc_type(text: str) -> str | None:
    """Return the controlled-vocabulary type named at the start of `text`, or None."""
    low = text.strip().lower()
    if not low.startswith(_DOC_TYPES):  # one test for the many texts that name no type
        return None
    for t in P.DOC_TYPES:
        if low.startswith(t):
            return t
    return None


def _parties(text: str, base: int, offsets: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Split `A or B` / `A and B` into names, each with its line."""
    out, pos = [], 0
    for part in _SPLIT_PARTIES.split(text):
        idx = text.find(part, pos)
        pos = idx + len(part)
        part = part.strip(" .;:")
        if part and any(c.isupper() for c in part):
            out.append((part, line_at(offsets, base + idx)))
    if len(out) > 1 and any(not any(w[:1].isupper() for w in p.split()[:1]) for p, _ in out):
        return [(text.strip(" .;:"), line_at(offsets, base))]
    return out


def parse_correspondents(text: str, base: int, offsets: list[tuple[int, int]]) -> Parties:
    """Read `A to B (via C)` / `A to B transmitting message to C` into Parties."""
    parties = Parties()
    via = _VIA.search(text)
    if via:
        parties.via = [(via.group("via").strip(" ."), line_at(offsets, base + via.start("via")))]
        text = text[: via.start()] + " " * (len(text) - via.start())
    fwd = _TRANSMITTING.search(text)
    if fwd:
        parties.for_ = _parties(fwd.group("for"), base + fwd.start("for"), offsets)
        text = text[: fwd.start()]
    m = re.search(r"\s+to\s+", text)
    talk = re.search(r"\s+with\s+", text)
    if not m and talk:  # `Roshchin with Zhou Enlai`: a conversation and its recorder
        parties.authors = _parties(text[: talk.start()], base, offsets)
        parties.with_ = _parties(text[talk.end():].rstrip(), base + talk.end(), offsets)
        return parties
    if not m:
        return parties
    parties.authors = _parties(text[: m.start()], base, offsets)
    parties.recipients = _parties(text[m.end():].rstrip(), base + m.end(), offsets)
    return parties


def parse_header(lines: list[Line]) -> Header:
    """Parse the lines of a numbered header."""
    text, offsets = join_lines(lines)
    m = P.HEADER_START.match(text)
    if not m:
        return Header(None, None, None, Parties())
    rest_at = m.start("rest")
    rest = m.group("rest")
    date = first_date(rest)
    after = rest[date.end:] if date else rest
    after_at = rest_at + (date.end if date else 0)
    stripped = after.lstrip(" ,.")
    after_at += len(after) - len(stripped)
    dtype = doc_type(stripped)
    if dtype:
        cut = len(dtype)
        tail = stripped[cut:]
        after_at += cut + len(tail) - len(tail.lstrip(" ,."))
        stripped = tail.lstrip(" ,.")
    parties = parse_correspondents(stripped, after_at, offsets)
    return Header(m.group("number"), date, dtype, parties)


def parse_header_tail(line: Line) -> Parties | None:
    """Read the surviving tail of a cut header (`Si (Stalin) to Shtykov`), or None."""
    text = line.text.strip()
    if not HEADER_TAIL.match(text):
        return None
    return parse_correspondents(text, 0, [(0, line.number)])
