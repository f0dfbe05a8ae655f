"""The PDF reader: reading order by column, page furniture, origins, OCR, broken files.

Every PDF here is built at test time with reportlab from text written for these tests.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.errors import UnreadableFileError
from cablegram.pipeline import extract_source
from cablegram.readers import read_source
from cablegram.readers.pdf import read_pdf
from tests.conftest import SAMPLES, run_cli

FONT, SIZE, LEADING = "Times-Roman", 8, 10
MARGIN, GUTTER, WIDTH = 28, 16, 420
HEAD = "DOCUMENTS ON KOREA, JULY 1950"

# Two numbered documents, hard-wrapped as printed. `^1` is a superscript footnote marker.
DOC_12 = [
    "12. 3 July 1950, ciphered telegram, Shtykov",
    "to Filippov [Stalin]",
    "To Comrade FILIPPOV.",
    "Today KIM IL SUNG received me at his",
    "headquarters and asked me to pass on his",
    "thanks for the ammunition that reached",
    "Pyongyang by rail on the first of the month.^1",
    "He reports that the divisions of the first",
    "echelon have reached the Han River south of",
    "Seoul. The crossing is delayed because the",
    "bridges were blown up by the retreating",
    "enemy, and the engineer battalions lack pon-",
    "toons and tugs.",
    "KIM IL SUNG asks that forty pontoon sets and",
    "two hundred trucks be sent as soon as",
    "possible, together with fuel for them.",
    "I consider his request justified and ask for",
    "your instructions.",
    "SHTYKOV",
    "No. 441/sh.",
    "Copies: Stalin (2), Molotov, Bulganin.",
]
DOC_13 = [
    "13. 4 July 1950, ciphered telegram, Filippov",
    "[Stalin] to Shtykov",
    "Pyongyang. Soviet Ambassador.",
    "To your No. 441.",
    "Tell KIM IL SUNG that thirty pontoon sets",
    "will be loaded at Voroshilov within three",
    "days. The trucks will follow in two trains",
    "by the middle of July, with drivers who will",
    "hand them over to the Korean units and then",
    "return home.",
    "FILIPPOV",
    "No. 3190/sh.",
    "Copies: Stalin, Molotov.",
]


def _draw_line(c: canvas.Canvas, x: float, y: float, line: str) -> None:
    """Draw one printed line; a trailing `^N` becomes a small raised footnote marker."""
    text, _, marker = line.partition("^")
    c.setFont(FONT, SIZE)
    c.drawString(x, y, text)
    if marker:
        c.setFont(FONT, SIZE * 0.6)
        c.drawString(x + c.stringWidth(text, FONT, SIZE), y + SIZE * 0.4, marker)


def columns_pdf(lines: list[str], per_column: int, columns: int = 2, head: str | None = HEAD,
                first_number: int = 7, width: float = WIDTH) -> bytes:
    """Lines flowed down `columns` columns of `per_column` lines, page after page."""
    height = 2 * MARGIN + 30 + per_column * LEADING
    col_width = (width - 2 * MARGIN - (columns - 1) * GUTTER) / columns
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    per_page = per_column * columns
    for p in range(0, len(lines), per_page):
        if head:
            c.setFont("Helvetica", 7)
            c.drawCentredString(width / 2, height - MARGIN, head)
        page = lines[p:p + per_page]
        # Drawn row by row across the columns, as some typesetters write them: the order of
        # the content stream is then not the reading order.
        for row in range(per_column):
            for col in range(columns):
                if col * per_column + row < len(page):
                    x = MARGIN + col * (col_width + GUTTER)
                    _draw_line(c, x, height - MARGIN - 24 - row * LEADING,
                               page[col * per_column + row])
        c.setFont(FONT, SIZE)
        c.drawCentredString(width / 2, MARGIN / 2, str(first_number + p // per_page))
        c.showPage()
    c.save()
    return buf.getvalue()


def printed(lines: list[str]) -> list[str]:
    """The lines as a reader should give them back: footnote markers left out."""
    return [ln.partition("^")[0] for ln in lines]


def test_one_column_page_in_order_with_origins() -> None:
    src = read_pdf("one.pdf", columns_pdf(DOC_13, per_column=20, columns=1, head=None))
    assert src.text.split("\n") == printed(DOC_13)
    assert src.origins is not None and len(src.origins) == len(DOC_13)
    assert src.origins[0] == "p. 1, l. 1" and src.origins[-1] == "p. 1, l. 13"
    assert (src.media_type, src.reader) == ("application/pdf", "pdf")


def test_two_columns_read_column_by_column_across_pages() -> None:
    data = columns_pdf(DOC_12 + DOC_13, per_column=12)
    src = read_source("bulletin.pdf", data)
    lines = src.text.split("\n")
    # Each document whole and in order: no head, page number or marker between its lines.
    assert lines == printed(DOC_12 + DOC_13)
    assert HEAD not in src.text and "7" not in lines and "8" not in lines
    assert "month.1" not in src.text and "month." in lines[6]
    assert src.origins is not None and len(src.origins) == len(lines)
    assert src.origins[0] == "p. 1, col. 1, l. 1"
    assert src.origins[12] == "p. 1, col. 2, l. 1"  # `toons and tugs.` after the column break
    assert src.origins[lines.index(DOC_13[0])] == "p. 1, col. 2, l. 10"
    assert src.origins[24] == "p. 2, col. 1, l. 1"  # doc 13 goes on over the page break


def test_three_columns() -> None:
    src = read_pdf("three.pdf", columns_pdf(DOC_12 + DOC_13, per_column=11, columns=3,
                                            width=640))
    assert src.text.split("\n") == printed(DOC_12 + DOC_13)
    assert src.origins is not None and src.origins[22] == "p. 1, col. 3, l. 1"


def test_two_columns_through_the_pipeline() -> None:
    src = read_pdf("bulletin.pdf", columns_pdf(DOC_12 + DOC_13, per_column=12))
    docs = [d.to_contract() for d in extract_source(src, default_authority())]
    assert [(d["number"], d["date"], d["fragment"]) for d in docs] == [
        ("12", "1950-07-03", False), ("13", "1950-07-04", False)]
    assert (docs[0]["start_line"], docs[0]["end_line"]) == (1, 21)
    assert (docs[1]["start_line"], docs[1]["end_line"]) == (22, 34)
    assert [a["id"] for a in docs[0]["authors"]] == ["shtykov"]
    assert [a["id"] for a in docs[1]["recipients"]] == ["shtykov"]
    assert "pontoons" in docs[0]["text"] or "pon-" in docs[0]["text"]
    assert "Voroshilov" in docs[1]["text"] and "Voroshilov" not in docs[0]["text"]


def test_read_straight_across_would_interleave() -> None:
    """Guard for the layout tests: the content stream's order interleaves the columns."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(columns_pdf(DOC_12 + DOC_13, per_column=12))
    naive = doc[0].get_textpage().get_text_range()
    doc.close()
    assert naive.index("toons and tugs") < naive.index("To Comrade FILIPPOV")


def test_full_width_heading_parts_the_columns() -> None:
    """A heading across both columns ends one band of columns and starts the next."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(WIDTH, 330))
    c.setFont("Times-Bold", 10)
    c.drawCentredString(WIDTH / 2, 300, "PART TWO: FROM THE NAKTONG TO THE YALU RIVER")
    c.setFont(FONT, SIZE)
    for band, top in ((1, 280), (2, 140)):
        if band == 2:
            c.setFont("Times-Bold", 10)
            c.drawCentredString(WIDTH / 2, 160, "PART THREE: TALKS AT KAESONG AND PANMUNJOM")
            c.setFont(FONT, SIZE)
        for row in range(8):
            c.drawString(MARGIN, top - row * LEADING, f"band {band} left, line {row} of the left")
            # the right column is set a little lower, with its own leading
            c.drawString(WIDTH / 2 + 8, top - 3 - row * 10.6, f"band {band} right, line {row}")
    c.showPage()
    c.save()
    src = read_pdf("parts.pdf", buf.getvalue())
    lines = src.text.split("\n")
    expected = [ln for band in (1, 2) for ln in (
        [f"band {band} left, line {r} of the left" for r in range(8)]
        + [f"band {band} right, line {r}" for r in range(8)])]
    assert [ln for ln in lines if ln.startswith("band")] == expected
    assert lines[0].startswith("PART TWO") and lines[17].startswith("PART THREE")
    assert src.origins is not None
    assert (src.origins[0], src.origins[1], src.origins[9]) == (
        "p. 1, l. 1", "p. 1, col. 1, l. 2", "p. 1, col. 2, l. 2")
    assert src.origins[17] == "p. 1, l. 10"


def _scanned_pdf(lines: list[str], font_file: str | None = None) -> bytes:
    """A page that is only a picture of text (no text layer), as a scanner makes it."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1240, 500), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(font_file, 40) if font_file else ImageFont.load_default(size=40)
    for i, line in enumerate(lines):
        draw.text((80, 60 + i * 60), line, fill=0, font=font)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 240))
    c.drawImage(ImageReader(img), 0, 0, width=595, height=240)
    c.showPage()
    c.save()
    return buf.getvalue()


SCAN = ["Pyongyang, Soviet Ambassador.", "The pontoon sets left Voroshilov",
        "this morning by the northern railway."]


def test_scanned_page_goes_through_ocr() -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed (make test installs it)")
    src = read_pdf("scan.pdf", _scanned_pdf(SCAN))
    for word in ("Pyongyang", "Ambassador", "pontoon", "Voroshilov", "railway"):
        assert word in src.text
    assert src.origins is not None and src.origins[0] == "p. 1, l. 1 (OCR)"
    assert len(src.origins) == len(src.text.split("\n"))


def test_scanned_russian_page_goes_through_ocr() -> None:
    """Russian is read too (`-l eng+rus`) when its language data is installed."""
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if shutil.which("tesseract") is None or not font.exists():
        pytest.skip("tesseract or a Cyrillic font (fonts-dejavu-core) is not installed")
    from cablegram.readers.ocr import ocr_languages

    if "rus" not in ocr_languages(shutil.which("tesseract") or ""):
        pytest.skip("tesseract has no Russian data (tesseract-ocr-rus)")
    src = read_pdf("scan-ru.pdf", _scanned_pdf(
        ["Шифротелеграмма № 441", "Понтоны отправлены сегодня."], str(font)))
    assert "Шифротелеграмма" in src.text and "Понтоны" in src.text


def test_scanned_page_without_ocr_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cablegram.readers.pdf.tesseract", lambda: None)
    with pytest.raises(UnreadableFileError) as err:
        read_pdf("scan.pdf", _scanned_pdf(SCAN))
    msg = str(err.value)
    assert "scan.pdf" in msg and "no text layer" in msg
    assert "apt-get install tesseract-ocr" in msg and "make test" in msg


def _encrypted_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="a password")
    c.drawString(72, 700, "Only by ciphered telegraph.")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(("data", "expected"), [
    (b"this is not a PDF at all", "not a PDF"),
    (b"", "not a PDF"),
    ("half", "damaged or cut short"),
    ("encrypted", "encrypted"),
])
def test_broken_pdfs_are_refused(data: bytes | str, expected: str) -> None:
    if data == "half":
        whole = columns_pdf(DOC_12, per_column=12)
        data = whole[: len(whole) // 2]
    elif data == "encrypted":
        data = _encrypted_pdf()
    assert isinstance(data, bytes)
    with pytest.raises(UnreadableFileError) as err:
        read_pdf("broken.pdf", data)
    assert "broken.pdf" in str(err.value) and expected in str(err.value)




def test_cli_extract_broken_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.pdf"
    whole = columns_pdf(DOC_12, per_column=12)
    broken.write_bytes(whole[: len(whole) // 3])
    code, out, err = run_cli(capsys, monkeypatch, "extract", str(broken))
    assert code == 1 and out == ""
    assert "broken.pdf" in err and "damaged" in err and "Traceback" not in err


def test_cli_ingest_pdf_into_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tmp_path / "july-1950.pdf"
    pdf.write_bytes(columns_pdf(DOC_12 + DOC_13, per_column=12))
    monkeypatch.setenv("CABLEGRAM_ARCHIVE", str(tmp_path / "arc"))
    assert run_cli(capsys, monkeypatch, "init")[0] == 0
    code, out, err = run_cli(capsys, monkeypatch, "ingest", str(pdf))
    assert code == 0, err
    assert "1 files, 2 documents (0 fragments), 0 failed" in out
    code, out, _ = run_cli(capsys, monkeypatch, "search", "Voroshilov", "--json")
    hits = json.loads(out)["hits"]
    assert code == 0 and len(hits) == 1 and "Filippov" in hits[0]["title"]


def test_sample_bulletin_reads_as_three_whole_documents() -> None:
    """The demo's PDF (samples/make_pdf.py): documents cross a column and a page break."""
    path = SAMPLES / "pdf" / "two-column-bulletin.pdf"
    src = read_pdf(path.name, path.read_bytes())
    docs = [d.to_contract() for d in extract_source(src, default_authority())]
    assert [(d["number"], d["date"], d["fragment"]) for d in docs] == [
        ("61", "1950-10-01", False), ("62", "1950-10-08", False), ("63", "1950-10-14", False)]
    assert "SAMPLE BULLETIN" not in src.text and "41" not in src.text.split("\n")
    assert src.origins is not None
    assert src.origins[docs[1]["end_line"] - 1] == "p. 1, col. 2, l. 19"
    assert src.origins[docs[2]["end_line"] - 1] == "p. 2, col. 1, l. 16"


def test_line_end_hyphens_are_hyphens(sample_archive: Archive) -> None:
    """PDFium marks a hyphen it finds at a line end with U+FFFE: read as a hyphen, joined
    with the next line when searched."""
    path = SAMPLES / "pdf" / "two-column-bulletin.pdf"
    text = read_pdf(path.name, path.read_bytes()).text
    assert "\ufffe" not in text and "Chi-\nnese" in text
    hits = sample_archive.search('"Chinese comrades"')["hits"]
    assert any(h["source"] == path.name for h in hits)


def test_furniture_rules() -> None:
    """Heads recurring and set off go; handling marks and end markers in the body stay."""
    from cablegram.readers.pdf_layout import find_furniture

    pages = [
        [("TOP SECRET", True), ("SAMPLE BULLETIN 12", True), ("Body line one.", False),
         ("No. 441/sh.", False), ("- 12 -", True)],
        [("TOP SECRET", True), ("SAMPLE BULLETIN 13", True), ("Body line two.", False),
         ("No. 442/sh.", False), ("xiv", True)],
    ]
    assert find_furniture(pages) == {(0, 1), (0, 4), (1, 1), (1, 4)}
    assert find_furniture([[("Only page, only line.", True)], [("12", True)]]) == {(1, 0)}


def test_each_document_says_where_it_is_in_the_pdf(sample_archive: Archive) -> None:
    """`origin` (in extract, on the document page and in show) names pages and columns."""
    from fastapi.testclient import TestClient

    from cablegram.web import urls
    from cablegram.web.app import create_app

    pdf = [r for r in sample_archive.records() if r["source_file"]["name"].endswith(".pdf")]
    assert pdf and all(r["origin"] and r["origin"].startswith("p. ") for r in pdf)
    across = next(r for r in pdf if "col. 1" in r["origin"] and "col. 2" in r["origin"])
    page = TestClient(create_app(sample_archive.root)).get(urls.document(across["id"])).text
    assert across["origin"] in page
    plain = next(r for r in sample_archive.records() if r["source_file"]["name"].endswith(".txt"))
    assert plain["origin"] is None
