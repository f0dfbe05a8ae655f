"""Segment: find where documents start and end in a source's lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from cablegram.authority.lookup import Authority
from cablegram.extract import patterns as P
from cablegram.extract.dates import DateHit, first_date, whole_date
from cablegram.model import Line
from cablegram.regexes import any_of

MAX_HEADER_LINES = 4
MAX_RESUME_GAP = 40  # a cut header is looked for this many lines on (about a column)
# One match tells whether a line may be a copies, number, transmission or handling line at all
# (most lines are none of them); which one it is, is told the order _end_marker tries them.
_MARKER_LINE = any_of([P.COPIES_LINE, P.OUTGOING_NUMBER, P.TRANSMISSION_LINE, P.ANY_HANDLING])
# One match tells whether a line may open a column (a sentence opener or an outgoing number).
_BREAK_LINE = any_of([P.SENTENCE_OPENERS, P.OUTGOING_NUMBER])
_RUNS_INTO = tuple("0123456789,-")  # a line ending so runs on into the next (`..., 20`)


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
    return m is not None and first_date(m.group("rest")[:40]) is not None


def _is_body_start(text: str) -> bool:
    """Whether a line looks like the first line of a document body, not a header's."""
    return P.ANY_BODY_START.match(text) is not None or is_header_start(text)


def header_length(lines: list[Line], i: int) -> int:
    """Count the lines of the header starting at lines[i] (it may wrap over several)."""
    text = lines[i].text.strip()
    n = 1
    while n < MAX_HEADER_LINES and i + n < len(lines):
        nxt = lines[i + n].text.strip()
        if text.endswith((".", ")", ":", "]")) and text.count("(") <= text.count(")") \
                and not _header_goes_on(text, nxt):
            break
        if text.endswith(".") or _is_body_start(nxt) or _cut_type_word(text, nxt):
            break
        if not nxt[:1].isalpha() and not nxt.startswith(("(", "[")):
            break
        complete = (" to " in text or " with " in text) and text.count("(") <= text.count(")")
        if complete and nxt.endswith((".", ":")) and not nxt.endswith(")."):
            break
        text += " " + nxt
        n += 1
    return n


def _header_goes_on(text: str, nxt: str) -> bool:
    """Whether a header line ending in a gloss (`Filippov (Stalin)`) wraps on into the next
    line: the recipient (`to Voroshilov ...`) when it names none yet, or the via
    (`(via Entezam)`) when it has none."""
    if not text.endswith((")", "]")):
        return False
    if P.HEADER_VIA_GOES_ON.match(nxt):
        return "(via" not in text.lower()
    return P.HEADER_PARTY_GOES_ON.match(nxt) is not None \
        and " to " not in text and " with " not in text


def _resumes_at(lines: list[Line], i: int, n: int) -> int | None:
    """When the header at lines[i] (n lines) stops in a cut type word (`conver-`), the index
    of the line that finishes it (`sation, Roshchin with …`) after a column of other text."""
    header = " ".join(ln.text.strip() for ln in lines[i:i + n])
    if i + n >= len(lines) or not _cut_type_word(header, lines[i + n].text.strip()):
        return None
    for j in range(i + n + 1, min(len(lines), i + n + 1 + MAX_RESUME_GAP)):
        nxt = lines[j].text.strip()
        if is_header_start(nxt):
            return None
        if nxt[:1].islower() and not _cut_type_word(header, nxt):
            return j
    return None


def _cut_type_word(header: str, nxt: str) -> bool:
    """Whether a header ends in a hyphenated type word (`conver-`) that `nxt` does not finish."""
    m = re.search(r"(?:,\s*|\d{4}\s*,?\s*)([a-z][a-z ]*)-$", header)
    if not m:
        return False
    part = m.group(1)
    starts = [t for t in P.DOC_TYPES if t.startswith(part) and t != part]
    if not starts:
        return False
    word = re.match(r"[a-z]+", nxt)
    return not any(t.startswith(part + (word.group(0) if word else "")) for t in starts)


def is_signature(text: str, authority: Authority, before: str = "") -> bool:
    """Whether a line is a signature: a known person's name alone (`Kim Il Sung.`, `SHTYKOV`,
    `T. V. SOONG`), not the end of a sentence run over from the line before (`... to Comrade`
    / `FILIPPOV.`)."""
    return _signed(text.strip(), authority, before)


def _signed(text: str, authority: Authority, before: str) -> bool:
    """is_signature for a stripped line."""
    m = P.CAPS_SIGNATURE.match(text)
    if m and not any(c.islower() for c in text.replace(m.group("real") or "", "")):
        named = authority.is_person(m.group("name")) or (
            m.start("name") > 0 and authority.is_person(text[: m.end("name")]))
    else:
        named = text.endswith(".") and len(text) < 40 and authority.is_person(text[:-1])
    return named and not P.RUNS_ON.search(before)


def dateline_at(lines: list[Line], i: int) -> DateHit | None:
    """The date of lines[i] when it is a dateline: only a date, or a place and a date
    (`Pyongyang. 8 July 1950.`); not when the line before runs into it (ends in a digit,
    comma or hyphen, as in `..., 20` / `August 1950.`)."""
    return _line_date(lines[i].text.strip(), lines[i - 1].text if i else "")


def _line_date(text: str, before: str) -> DateHit | None:
    """dateline_at for a stripped line and the line before it (as given)."""
    end = text.rstrip(".")
    if not end or not end[-1].isdecimal():  # both forms end in a digit (whole_date's test)
        return None
    place = P.PLACE_DATE_LINE.match(text)
    hit = whole_date(place.group("date") if place else text)
    return None if before.rstrip().endswith(_RUNS_INTO) else hit


def _end_marker(lines: list[Line], i: int, text: str, authority: Authority) -> str | None:
    """Classify a line (`text`: lines[i] stripped) that can close a document (`neutral`: may
    stand among them), or None."""
    before = lines[i - 1].text if i else ""
    marked = _MARKER_LINE.match(text) is not None
    if marked and P.COPIES_LINE.match(text):
        return "copies"
    if marked and P.OUTGOING_NUMBER.match(text):
        return "number"
    if _line_date(text, before):
        return "dateline"
    if marked:
        return "neutral"  # a transmission line or a handling mark
    if _signed(text, authority, before):
        return "signature"
    return None


def _copies_length(lines: list[Line], i: int) -> int:
    """Count the lines of a `Copies:` list that starts at lines[i]."""
    n = 1
    while i + n < len(lines) and lines[i + n - 1].text.rstrip().endswith(","):
        n += 1
    return n


def column_breaks(lines: list[Line]) -> list[int]:
    """Indexes i where lines[i] seems to start a new column: lines[i - 1] stops mid-sentence
    and lines[i] opens a new sentence or an end marker (`No. 373/sh`, `Copies:`)."""
    texts = [ln.text.strip() for ln in lines]
    out = []
    for i in [k for k in range(1, len(texts)) if _BREAK_LINE.match(texts[k])]:
        before, text = texts[i - 1], texts[i]
        # `before` is stripped, so a match of ENDS_SENTENCE can only start at its last character
        if not before or P.ENDS_SENTENCE.match(before, len(before) - 1):
            continue
        if before.endswith(",") or before[-1].isdigit() or P.COPIES_LINE.match(before) \
                or P.TRANSMISSION_LINE.match(before):
            continue
        mid_word = before[-1:].islower()
        if P.SENTENCE_OPENERS.match(text) or (mid_word and P.OUTGOING_NUMBER.match(text)):
            out.append(i)
    return out


def header_count(seg: Segment) -> int:
    """How many of a segment's lines are its header (a cut header may come in two parts)."""
    return 0 if seg.header is None else sum(1 for ln in seg.lines if ln.number <= seg.header[1])


def fragments(seg: Segment) -> list[tuple[int, int]]:
    """The runs of lines of a segment: its header, then its body cut at column breaks."""
    lines = seg.lines
    cuts = [0]
    if seg.header is not None:
        cuts.append(header_count(seg))
    cuts += [i for i in column_breaks(lines) if i > cuts[-1]]
    cuts += [k for k in range(1, len(lines)) if lines[k].number != lines[k - 1].number + 1]
    bounds = [*sorted({c for c in cuts if c < len(lines)}), len(lines)]
    return [(lines[a].number, lines[b - 1].number) for a, b in pairwise(bounds)]


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
            head = list(lines[i : i + n])
            j = _resumes_at(lines, i, n)
            if j is not None:  # the text between goes on the document before (or a fragment)
                between = Segment(list(lines[i + n : j]), "fragment")
                if segments and segments[-1].kind != "fragment" and not closing:
                    segments[-1].lines.extend(between.lines)
                else:
                    segments.append(between)
                m = header_length(lines, j)
                head, n = head + list(lines[j : j + m]), j + m - i
            current = Segment(head, "numbered", (head[0].number, head[-1].number))
            segments.append(current)
            closing, i = False, i + n
            continue
        marker = _end_marker(lines, i, text, authority)
        if current is None or (closing and marker is None):
            current = Segment([], "fragment")
            segments.append(current)
            closing = False
        n = _copies_length(lines, i) if marker == "copies" else 1
        current.lines.extend(lines[i : i + n])
        closing = closing or marker not in (None, "neutral")
        i += n
    for seg in segments:
        while len(seg.lines) > 1 and not seg.lines[-1].text.strip():
            seg.lines.pop()
    return segments
