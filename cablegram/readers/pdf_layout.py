"""Reading order on a PDF page: glyphs → rows → columns → lines, running heads dropped.

A page's glyphs are grouped into rows (one baseline each, across the whole page). A column
gutter is an x-range that almost no row crosses while many rows hold text on both sides of
it; rows that do cross it (titles, headings) span the page and cut it into bands. Each band
is read column by column, top to bottom, so a document that runs from the foot of the left
column to the head of the right one comes out in one piece.
"""

from __future__ import annotations

import re
from bisect import bisect
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from statistics import median
from typing import NamedTuple

# The heuristics, as data. Lengths are shares of a row's glyph height (the font's loose box,
# about 1.15 em), so they scale with the type size.
LAYOUT = {
    "same_row": 0.5,          # two glyphs share a row when their boxes overlap this much
    "word_gap": 0.1,          # a wider gap between glyphs is a word space
    "piece_gap": 0.8,         # a wider gap on a row separates pieces of text (gutter or tab)
    "gutter_rows": 0.1,       # at most this share of rows may cross a gutter (titles, heads)
    "column_rows": 0.2,       # each side of a gutter holds text on at least this share of rows
    "column_min_rows": 3,     # ... and on at least this many rows
    "marker_size": 0.8,       # a glyph smaller than this share of the row's height ...
    "marker_rise": 0.12,      # ... and raised by this share of it is a superscript
    "furniture_rows": 2,      # rows at the top and at the foot of a page that may be furniture
    "furniture_pages": 0.25,  # a running head recurs on at least this share of pages (and 2)
    "set_off": 1.3,           # a running head is set off by more than this many usual leadings
}

# Superscripts made only of these characters are footnote markers and are left out.
MARKER_CHARS = set("0123456789*†‡§¶")

# Characters a text layer carries that are not text: ligatures spelled out, soft hyphens.
CHAR_MAP = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\xad": "-", "\x02": "-", "\u2010": "-", "\u2011": "-",
    "\ufffe": "-",  # PDFium's mark for a hyphen it found at a line end
}

# Page furniture: a row at the top or foot of a page that is only a page number, or whose
# text (digits ignored) recurs there on other pages, is a running head or foot.
PAGE_NUMBER = re.compile(
    r"^(?:[-–—(\[]\s*)?(?:(?:page|p\.|стр\.?|с\.)\s*)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*[-–—)\]])?$",
    re.IGNORECASE)
# Never furniture, however often it recurs: handling marks printed on every page.
KEEP_ROW = re.compile(r"secret|confidential|urgent|copy|секретно|срочно|экз", re.IGNORECASE)


class Glyph(NamedTuple):
    """One character of the text layer and its box in page points (y grows upwards)."""

    ch: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def h(self) -> float:
        """Height of the box."""
        return self.y1 - self.y0

    @property
    def yc(self) -> float:
        """Vertical centre."""
        return (self.y0 + self.y1) / 2


@dataclass
class Row:
    """Glyphs on one baseline across the whole page, and the box of its tallest glyph."""

    glyphs: list[Glyph]
    y0: float
    y1: float

    def accepts(self, g: Glyph) -> bool:
        """Whether glyph `g` sits on this row."""
        # min() and max() and g.h written out: a hot path
        y0, y1, g0, g1 = self.y0, self.y1, g.y0, g.y1
        overlap = (g1 if g1 < y1 else y1) - (g0 if g0 > y0 else y0)
        return overlap >= LAYOUT["same_row"] * (g1 - g0 if g1 - g0 < y1 - y0 else y1 - y0)

    def add(self, g: Glyph) -> None:
        """Put `g` on this row; the tallest glyph sets the row's box."""
        self.glyphs.append(g)
        if g.y1 - g.y0 > self.y1 - self.y0:
            self.y0, self.y1 = g.y0, g.y1

    @cached_property
    def height(self) -> float:
        """The row's usual glyph height (read once the row is complete)."""
        return median([g.y1 - g.y0 for g in self.glyphs])  # (g.h)

    @cached_property
    def pieces(self) -> list[tuple[float, float]]:
        """The x-ranges of the row's pieces of text (words joined, wide gaps kept)."""
        gap = LAYOUT["piece_gap"] * self.height
        spans: list[tuple[float, float]] = []
        for g in sorted(self.glyphs, key=_left):
            if spans and g.x0 - spans[-1][1] <= gap:
                spans[-1] = (spans[-1][0], max(spans[-1][1], g.x1))
            else:
                spans.append((g.x0, g.x1))
        return spans

    @cached_property
    def text(self) -> str:
        """The row read left to right."""
        return glyph_text(self.glyphs)


@dataclass
class PageLine:
    """A line of a page in reading order: its text, column (None: full width) and number."""

    text: str
    column: int | None
    line: int


@dataclass
class Band:
    """Lines of each column between two full-width rows, waiting to be read out."""

    columns: list[list[PageLine]] = field(default_factory=list)

    def flush(self) -> list[PageLine]:
        """The band's lines, column after column; the band is left empty."""
        out = [ln for col in self.columns for ln in col]
        self.columns = [[] for _ in self.columns]
        return out


def clean_char(ch: str) -> str:
    """A text-layer character as text: ligatures spelled out, controls dropped."""
    if ch in CHAR_MAP:
        return CHAR_MAP[ch]
    return "" if ord(ch) < 32 or ch.isspace() else ch


def group_rows(glyphs: list[Glyph]) -> list[Row]:
    """Group glyphs into rows, top of the page first."""
    rows: list[Row] = []
    for g in sorted(glyphs, key=_top_left):
        if rows and rows[-1].accepts(g):  # most glyphs: the row of the glyph before
            rows[-1].add(g)
            continue
        for row in reversed(rows[-3:-1]):  # then the two rows above it
            if row.accepts(g):
                row.add(g)
                break
        else:
            rows.append(Row([g], g.y0, g.y1))
    rows.sort(key=lambda r: -(r.y0 + r.y1))
    return rows


def _is_marker(g: Glyph, height: float, centre: float) -> bool:
    """Whether `g` is a footnote marker: small, raised, a digit or a mark."""
    return (g.ch in MARKER_CHARS and g.h < LAYOUT["marker_size"] * height
            and g.yc > centre + LAYOUT["marker_rise"] * height)


_left = attrgetter("x0")  # a glyph's left edge (a sort key)


def _top_left(g: Glyph) -> tuple[float, float]:
    """Top of the page first, then left to right (a sort key)."""
    return -((g.y0 + g.y1) / 2), g.x0  # (-g.yc)


def glyph_text(glyphs: list[Glyph]) -> str:
    """Glyphs read left to right, spaces where the gaps are, footnote markers left out."""
    if not glyphs:
        return ""
    heights = [g.y1 - g.y0 for g in glyphs]
    height = median(heights)
    tall = LAYOUT["marker_size"] * height
    centre = median([(g.y0 + g.y1) / 2 for g, h in zip(glyphs, heights, strict=True)
                     if h >= tall])
    gap = LAYOUT["word_gap"] * height
    out: list[str] = []
    prev_x1: float | None = None
    for g in sorted(glyphs, key=_left):
        if prev_x1 is not None and g.x0 - prev_x1 > gap:
            out.append(" ")
        prev_x1 = g.x1
        if g.ch not in MARKER_CHARS or not _is_marker(g, height, centre):
            out.append(g.ch)
    return " ".join("".join(out).split())


def _coverage(pieces: list[list[tuple[float, float]]], lo: int, hi: int) -> list[int]:
    """How many rows cover each point from `lo` to `hi` (a difference array, summed)."""
    diff = [0] * (hi - lo + 2)
    for spans in pieces:
        for x0, x1 in spans:
            diff[int(x0) - lo] += 1
            diff[int(x1) - lo + 1] -= 1
    cov, run = [], 0
    for d in diff[:-1]:
        run += d
        cov.append(run)
    return cov


def find_gutters(rows: list[Row]) -> list[float]:
    """The x of each column gutter on a page (empty for a one-column page)."""
    pieces = [r.pieces for r in rows if r.glyphs]
    if len(pieces) < 2 * LAYOUT["column_min_rows"]:
        return []
    lo = int(min(s[0][0] for s in pieces))
    hi = int(max(s[-1][1] for s in pieces))
    cov = _coverage(pieces, lo, hi)
    limit = LAYOUT["gutter_rows"] * len(pieces)
    need = max(LAYOUT["column_min_rows"], LAYOUT["column_rows"] * len(pieces))
    gutters, start = [], None
    for i, c in enumerate(cov):
        if c <= limit and start is None:
            start = i
        elif c > limit and start is not None:
            left = sum(any(x1 <= lo + start for _, x1 in s) for s in pieces)
            right = sum(any(x0 >= lo + i for x0, _ in s) for s in pieces)
            if start > 0 and left >= need and right >= need:
                gutters.append(lo + (start + i) / 2)
            start = None
    return gutters


def _spans_gutter(row: Row, gutters: list[float]) -> bool:
    """Whether a row runs across a gutter (a title or heading over the columns)."""
    return any(x0 < g < x1 for x0, x1 in row.pieces for g in gutters)


def _one_side(rows: list[Row], gutters: list[float]) -> bool:
    """Whether all the text lies between the same two gutters (one column's width)."""
    sides = {bisect(gutters, x) for r in rows for g in r.glyphs for x in (g.x0, g.x1)}
    return len(sides) == 1


def page_gutters(rows: list[Row], before: list[float]) -> list[float]:
    """The page's gutters; else those of the page before (`before`) when the page fills only
    one of its columns (the end of a chapter), so that its lines keep their column number."""
    gutters = find_gutters(rows)
    if not gutters and before and rows and _one_side(rows, before):
        return before
    return gutters


def order_lines(rows: list[Row], gutters: list[float]) -> list[PageLine]:
    """A page's rows as lines in reading order, each with its column and line number."""
    if not gutters:
        return [PageLine(r.text, None, i) for i, r in enumerate(rows, start=1) if r.text]
    count = len(gutters) + 1
    band, counters, out = Band([[] for _ in range(count)]), [0] * count, []
    for row in rows:
        if _spans_gutter(row, gutters):
            out += band.flush()
            counters = [max(counters) + 1] * count
            out.append(PageLine(row.text, None, counters[0]))
            continue
        by_col: list[list[Glyph]] = [[] for _ in range(count)]
        for g in row.glyphs:
            by_col[bisect(gutters, (g.x0 + g.x1) / 2)].append(g)
        for col, glyphs in enumerate(by_col):
            text = glyph_text(glyphs)
            if text:
                counters[col] += 1
                band.columns[col].append(PageLine(text, col + 1, counters[col]))
    return out + band.flush()


def furniture_key(text: str) -> str:
    """A row's text with digits and case ignored, to spot a running head on several pages."""
    return " ".join(re.sub(r"\d+", "#", text.lower()).split())


def _edges(count: int) -> list[int]:
    """Indexes of the rows at the top and at the foot of a page that may be furniture."""
    n = int(LAYOUT["furniture_rows"])
    return sorted(set(range(min(n, count))) | set(range(max(0, count - n), count)))


def row_steps(rows: list[Row]) -> list[float]:
    """The vertical distances between a page's consecutive rows, top down."""
    mids = [(r.y0 + r.y1) / 2 for r in rows]
    return [a - b for a, b in zip(mids, mids[1:], strict=False)]


def set_off(rows: list[Row], leading: float) -> list[bool]:
    """For each row, whether a gap wider than the usual `leading` parts it from the body:
    the gap below it for rows in the page's upper half, the gap above it for the others."""
    steps = row_steps(rows)
    if not steps:
        return [True] * len(rows)
    out = []
    for i in range(len(rows)):
        upper = i < len(rows) / 2
        gap = steps[i] if upper and i < len(steps) else steps[i - 1] if i > 0 else steps[0]
        out.append(gap > LAYOUT["set_off"] * leading)
    return out


def find_furniture(pages: list[list[tuple[str, bool]]]) -> set[tuple[int, int]]:
    """(page, row) of running heads, feet and page numbers, given (text, set off) per row.

    A row at the very top or foot that is only a page number goes; so does a row near the top
    or foot, set off from the body, whose text (digits ignored) recurs there on other pages.
    """
    seen: Counter[str] = Counter()
    for rows in pages:
        seen.update({furniture_key(rows[i][0]) for i in _edges(len(rows))})
    often = max(2, LAYOUT["furniture_pages"] * len(pages))
    drop = set()
    for p, rows in enumerate(pages):
        for i in _edges(len(rows)):
            text, apart = rows[i][0].strip(), rows[i][1]
            if KEEP_ROW.search(text):
                continue
            if (i in (0, len(rows) - 1) and PAGE_NUMBER.match(text)) or (
                    apart and len(text) > 3 and seen[furniture_key(text)] >= often):
                drop.add((p, i))
    return drop
