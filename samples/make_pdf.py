"""Build samples/pdf/two-column-bulletin.pdf: three sample documents set in two columns.

SAMPLE DATA written by the Cablegram authors (see samples/README.md): the sentences are
invented; names, posts and dates are used as historical facts. Run from the repository root:

    python samples/make_pdf.py

It needs reportlab (in the `test` extra). The output is byte-for-byte the same on every run.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

OUT = Path(__file__).resolve().parent / "pdf" / "two-column-bulletin.pdf"
FONT, SIZE, LEADING = "Times-Roman", 8.5, 11
WIDTH, MARGIN, GUTTER, PER_COLUMN = 450, 36, 18, 30
HEAD = "SAMPLE BULLETIN OF THE COLD WAR IN EAST ASIA · AUTUMN 1950"
FIRST_PAGE = 41

# The documents as printed, one line per line; they run on over the column and page breaks.
LINES = """\
61. 1 October 1950, ciphered telegram, Shtykov
to Filippov (Stalin)
Extremely urgent.
To Comrade FILIPPOV.
Late tonight KIM IL SUNG and PAK HEN EN
asked me to come to the Council of Ministers.
KIM IL SUNG said that South Korean units had
crossed the 38th parallel on the eastern coast
this morning and that he expects the American
divisions to follow within a few days.
He said that the People's Army has no reserves
left north of Seoul that could stop them, and
that the divisions withdrawing from the south
are cut off in the mountains without fuel or
ammunition.
The two of them handed me a letter addressed
to you. They ask for direct military help
and, if that is not possible, for help in
forming volunteer units in China and in other
friendly countries. The text of the letter
follows in a separate telegram.
The leaders are anxious, but they mean to go
on fighting and are already preparing new
defensive positions north of Pyongyang.
SHTYKOV
No. 1434/sh.
Copies: Stalin (2), Molotov, Malenkov, Beria,
Bulganin.
62. 8 October 1950, ciphered telegram, Filippov
(Stalin) to Kim Il Sung (via Shtykov)
Pyongyang. Soviet Ambassador.
Transmit to KIM IL SUNG orally:
Your letter of 1 October has been received
and discussed. We have passed on to the Chi-
nese comrades your request for volunteer
units and expect their answer in the coming
days.
Meanwhile the line north of Pyongyang must
be held with every unit that can still fight.
Take the troops coming out of the south into
the new divisions, and move the schools and
the stores of the army beyond the Chongchon.
Forty instructors will reach Sinuiju next
week to help you train the new divisions. Tell
us how many rifles and machine guns you need
for them and by what date.
FILIPPOV
No. 4581/sh.
Copies: Stalin, Molotov.
63. 14 October 1950, ciphered telegram, Roshchin
to Filippov (Stalin)
Extremely urgent.
To Comrade FILIPPOV.
Tonight MAO ZEDONG received me and said that
after a new discussion the Politburo of the
Central Committee had decided to send the
volunteers into Korea as planned, even before
the promised air cover is ready.
The first echelon, four armies and three ar-
tillery divisions, will cross the Yalu on 18
and 19 October near Andong and Jian and will
take up defensive positions in the mountains
north of Pyongyang and Wonsan.
MAO ZEDONG asked that the Soviet air divisions
now in Manchuria cover the crossings and the
rear of the volunteers as soon as they can,
and that the weapons for the new Chinese divi-
sions be sent in the order agreed with ZHOU
ENLAI.
He asked us to tell KIM IL SUNG of this deci-
sion and not to speak of it by radio or by
telephone.
ROSHCHIN
No. 2409/sh.
Copies: Stalin (2), Molotov, Malenkov, Beria,
Bulganin, Kaganovich.""".splitlines()


def build(path: Path) -> None:
    """Set the lines in two columns of PER_COLUMN lines, with a running head and page numbers."""
    col_width = (WIDTH - 2 * MARGIN - GUTTER) / 2
    too_wide = [ln for ln in LINES if stringWidth(ln, FONT, SIZE) > col_width]
    assert not too_wide, f"lines wider than a column: {too_wide}"
    height = 2 * MARGIN + 24 + PER_COLUMN * LEADING
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=(WIDTH, height), invariant=True)
    c.setTitle("Sample bulletin, autumn 1950 (Cablegram sample data)")
    c.setAuthor("Cablegram authors")
    per_page = 2 * PER_COLUMN
    for number, start in enumerate(range(0, len(LINES), per_page), start=FIRST_PAGE):
        c.setFont("Times-Italic", 7.5)
        c.drawCentredString(WIDTH / 2, height - MARGIN + 6, HEAD)
        c.setFont(FONT, SIZE)
        for i, line in enumerate(LINES[start:start + per_page]):
            col, row = divmod(i, PER_COLUMN)
            c.drawString(MARGIN + col * (col_width + GUTTER),
                         height - MARGIN - 18 - row * LEADING, line)
        c.drawCentredString(WIDTH / 2, MARGIN / 2, str(number))
        c.showPage()
    c.save()


if __name__ == "__main__":
    build(OUT)
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")
