"""Printed bulletins as PDF: a compilation set in two columns (bench/corpus.py).

The pages follow samples/make_pdf.py: two columns of 30 lines, an italic running head and a
page number, which the PDF reader leaves out; documents run on over column and page breaks,
with words hyphenated at line ends. The text layer is clean (no OCR noise), and the gold is
the compilation's, its lines numbered in reading order.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta
from typing import Any

from corpus_cast import World
from corpus_layout import (
    HYPHEN_RATE,
    LAST_DAY,
    Row,
    compilation_gold,
    compilation_rows,
    soviet_spec,
    start_day,
)
from corpus_text import Spec, fits
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

FONT, SIZE, LEADING = "Times-Roman", 8.5, 11
WIDTH, MARGIN, GUTTER, PER_COLUMN = 520, 36, 18, 30
COLUMN = (WIDTH - 2 * MARGIN - GUTTER) / 2
CHARSET = "cp1252"  # what the standard PDF fonts print
HEAD = "SYNTHETIC BULLETIN OF THE COLD WAR · BENCHMARK EDITION"


def _fits(rows: list[Row]) -> bool:
    """Whether every line fits in a column."""
    return all(stringWidth(r.text, FONT, SIZE) <= COLUMN for r in rows)


def _rows(spec: Spec, i: int, rng: random.Random) -> list[Row]:
    """A document's lines, wrapped as narrow as it takes to fit a column."""
    for width in range(46, 20, -3):
        state = rng.getstate()
        rows = compilation_rows(spec, i, width, rng, HYPHEN_RATE)
        if _fits(rows):
            if not all(fits(r.text, CHARSET) for r in rows):
                raise ValueError(f"document {spec.number}: a line the PDF fonts cannot print")
            return rows
        rng.setstate(state)
    raise ValueError(f"document {spec.number} does not fit a column")


def draw(rows: list[Row], title: str, first_page: int) -> bytes:
    """The PDF of the rows, PER_COLUMN lines a column, two columns a page."""
    height = 2 * MARGIN + 24 + PER_COLUMN * LEADING
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(WIDTH, height), invariant=True)
    c.setTitle(title)
    c.setAuthor("Cablegram benchmark generator")
    per_page = 2 * PER_COLUMN
    for number, start in enumerate(range(0, len(rows), per_page), start=first_page):
        c.setFont("Times-Italic", 7.5)
        c.drawCentredString(WIDTH / 2, height - MARGIN + 6, HEAD)
        c.setFont(FONT, SIZE)
        for k, row in enumerate(rows[start:start + per_page]):
            col, line = divmod(k, PER_COLUMN)
            c.drawString(MARGIN + col * (COLUMN + GUTTER), height - MARGIN - 18 - line * LEADING,
                         row.text)
        c.drawCentredString(WIDTH / 2, MARGIN / 2, str(number))
        c.showPage()
    c.save()
    return out.getvalue()


def pdf_bulletin(world: World, rng: random.Random, n: int) -> tuple[bytes, list[dict[str, Any]]]:
    """A two-column PDF bulletin of `n` documents and its gold."""
    day = start_day(rng)
    number = rng.randint(1, 400)
    numbers: list[str] = []
    specs: list[Spec] = []
    rows: list[Row] = []
    while len(specs) < n or len(rows) <= 2 * PER_COLUMN:  # two pages at least: a running
        k = len(specs)                                      # head shows as one by repeating
        specs.append(soviet_spec(world, rng, min(day, LAST_DAY), number + k, 0.0, numbers,
                                 CHARSET))
        rows += _rows(specs[-1], k, rng)
        day += timedelta(days=rng.choice((0, 1, 2, 3)))
    data = draw(rows, f"Synthetic bulletin {specs[0].day.year}", rng.randint(1, 300))
    return data, compilation_gold(rows, specs)
