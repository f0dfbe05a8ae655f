"""Reader for PDF files: the text layer in reading order (by column), OCR for scanned pages.

Each line of the text is one printed line, in reading order: a two-column page is read down
the left column, then down the right one. Running heads, page numbers and footnote markers
are left out; hyphens at line ends are kept (normalize joins them). `origins[i]` says where
line i + 1 came from: `p. 2, col. 1, l. 14` (l. counts lines from the top of the column),
`p. 1, l. 3` on a one-column page or for a line across the columns, `p. 5, l. 7 (OCR)`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cablegram.errors import UnreadableFileError
from cablegram.model import SourceText
from cablegram.readers.ocr import INSTALL_HINT, OCR, ocr_pages, tesseract
from cablegram.readers.pdf_layout import (
    Glyph,
    PageLine,
    Row,
    clean_char,
    find_furniture,
    group_rows,
    order_lines,
    page_gutters,
    row_steps,
    set_off,
)

MEDIA_TYPE = "application/pdf"
EXTENSIONS = (".pdf",)
# A page is taken as having no text layer when fewer than this share of its characters map
# to Unicode (a font without a ToUnicode table); it is then read by OCR, like a scan.
MIN_MAPPED_SHARE = 0.5


@dataclass
class PageText:
    """What one page yields: rows of its text layer, or OCR lines (None: not OCR'd)."""

    number: int
    rows: list[Row] = field(default_factory=list)
    ocr: list[str] | None = None

    def edge_rows(self, leading: float) -> list[tuple[str, bool]]:
        """Each row's text and whether it is set off from the body (OCR lines: unknown)."""
        if self.ocr is not None:
            return [(t, True) for t in self.ocr]
        apart = set_off(self.rows, leading)
        return list(zip([r.text for r in self.rows], apart, strict=True))


def read_pdf(name: str, data: bytes) -> SourceText:
    """Read a PDF into one line per printed line, in reading order, with each line's origin."""
    doc = _open(name, data)
    try:
        pages = _read_pages(name, doc)
    finally:
        doc.close()
    lines, origins = _assemble(pages)
    return SourceText(name=name, text="\n".join(lines), media_type=MEDIA_TYPE, reader="pdf",
                      origins=origins)


def _open(name: str, data: bytes) -> pdfium.PdfDocument:
    """Open the bytes with PDFium; encrypted, damaged or empty files are refused."""
    if b"%PDF" not in data[:1024]:
        raise UnreadableFileError(
            f"{name}: not a PDF (no %PDF header in its first bytes). Check that the file is "
            "complete and really a PDF, or give it the extension of its real kind.")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFileError(
                f"{name}: the PDF is encrypted and needs a password. Save a decrypted copy "
                "(e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`) and ingest that."
            ) from exc
        raise UnreadableFileError(
            f"{name}: the PDF is damaged or cut short and cannot be opened "
            f"({str(exc).rstrip('.')}). Fetch "
            "the file again, or repair it (e.g. `qpdf in.pdf repaired.pdf`) and ingest that."
        ) from exc
    if len(doc) == 0:
        doc.close()
        raise UnreadableFileError(f"{name}: the PDF has no pages. Check the file's source.")
    return doc


def _read_pages(name: str, doc: pdfium.PdfDocument) -> list[PageText]:
    """Read every page's text layer; scanned pages are OCR'd, a core's worth at a time."""
    pages: list[PageText] = []
    waiting: list[tuple[int, bytes]] = []
    for index in range(len(doc)):
        number = index + 1
        try:
            page = doc[index]
            glyphs, unmapped = _page_glyphs(page.get_textpage())
            if glyphs and len(glyphs) >= MIN_MAPPED_SHARE * (len(glyphs) + unmapped):
                pages.append(PageText(number, rows=group_rows(glyphs)))
            elif unmapped or _has_image(page):
                if tesseract() is None:
                    raise UnreadableFileError(
                        f"{name}: page {number} has no text layer (a scanned image). "
                        + INSTALL_HINT)
                pages.append(PageText(number, ocr=[]))
                waiting.append((number, _page_image(page)))
            else:
                pages.append(PageText(number))  # a blank page
        except pdfium.PdfiumError as exc:
            raise UnreadableFileError(
                f"{name}: page {number} cannot be read ({str(exc).rstrip('.')}). The PDF "
                "may be damaged; "
                "repair it (e.g. `qpdf in.pdf repaired.pdf`) and ingest that.") from exc
        if len(waiting) >= (os.cpu_count() or 1) or (waiting and number == len(doc)):
            _fill_ocr(pages, ocr_pages(name, waiting))
            waiting = []
    return pages


def _fill_ocr(pages: list[PageText], read: dict[int, list[str]]) -> None:
    """Put OCR lines on their pages."""
    for page in pages:
        if page.number in read:
            page.ocr = read[page.number]


def _page_glyphs(textpage: pdfium.PdfTextPage) -> tuple[list[Glyph], int]:
    """The page's visible characters with their boxes, and how many have no Unicode value."""
    raw, rect = textpage.raw, pdfium_c.FS_RECTF()
    count, loose = textpage.count_chars(), pdfium_c.FPDFText_GetLooseCharBox
    text = textpage.get_text_range() if count else ""
    if len(text) == count:  # one call for all characters, when PDFium's text matches them
        codes = [ord(c) for c in text]
    else:
        codes = [pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(count)]
    glyphs: list[Glyph] = []
    unmapped = 0
    for i, code in enumerate(codes):
        if code == 0xFFFD or 0xD800 <= code <= 0xDFFF:
            unmapped += code == 0xFFFD
            continue
        ch = clean_char(chr(code))
        if not ch:
            continue
        loose(raw, i, rect)
        x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
        if y1 - y0 < 0.5:  # fonts without metrics: fall back to the glyph's own box
            x0, y0, x1, y1 = textpage.get_charbox(i)
        if y1 - y0 >= 0.5:
            glyphs.append(Glyph(ch, x0, y0, x1, y1))
    return glyphs, unmapped


def _has_image(page: pdfium.PdfPage) -> bool:
    """Whether the page holds an image (a scan to OCR)."""
    objects = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)
    return next(iter(objects), None) is not None


def _page_image(page: pdfium.PdfPage) -> bytes:
    """The page rendered in grey for OCR, as a binary PGM image."""
    bitmap = page.render(scale=OCR.dpi / 72, grayscale=True,
                         force_bitmap_format=pdfium_c.FPDFBitmap_Gray)
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    buffer = bytes(bitmap.buffer)
    if stride != width:
        buffer = b"".join(buffer[r * stride:r * stride + width] for r in range(height))
    return f"P5 {width} {height} 255\n".encode() + buffer


def _assemble(pages: list[PageText]) -> tuple[list[str], list[str]]:
    """All pages' lines in reading order with their origins, page furniture left out."""
    steps = [s for p in pages for s in row_steps(p.rows)]
    leading = median(steps) if steps else 0.0  # the document's usual line spacing
    drop = find_furniture([p.edge_rows(leading) for p in pages])
    lines: list[str] = []
    origins: list[str] = []
    gutters: list[float] = []
    for index, page in enumerate(pages):
        if page.ocr is not None:
            kept = [t for i, t in enumerate(page.ocr) if (index, i) not in drop]
            found = [PageLine(t, None, n) for n, t in enumerate(kept, start=1)]
        else:
            rows = [r for i, r in enumerate(page.rows) if (index, i) not in drop]
            page_cols = page_gutters(rows, gutters)
            found = order_lines(rows, page_cols)
            gutters = page_cols or gutters
        for ln in found:
            lines.append(ln.text)
            origins.append(_origin(page, ln))
    return lines, origins


def _origin(page: PageText, line: PageLine) -> str:
    """Where a line sits: `p. 2, col. 1, l. 14`, `p. 1, l. 3` or `p. 5, l. 7 (OCR)`."""
    col = f", col. {line.column}" if line.column is not None else ""
    ocr = " (OCR)" if page.ocr is not None else ""
    return f"p. {page.number}{col}, l. {line.line}{ocr}"
