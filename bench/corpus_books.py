"""Printed documentary editions in the FRUS style, as OCR text and as TEI (bench/corpus.py).

A document opens with its number alone on a line (`212.`), then the head (`The Ambassador in
Korea (Muccio) to the Secretary of State`), the file number (`795.00/3–452: Telegram`), the
dateline (`Seoul, March 4, 1952—6 p. m. [Received March 4—11:10 a. m.]`), the
classification, a blank line, the body (a telegram's opens with its number, `812. …`) and
the signature. The OCR text is hard-wrapped at 60–75 columns, with a running head or a page
number every 40–50 lines (`1802  FOREIGN RELATIONS, 1952, VOLUME XIV`, `KOREA  1803`),
sometimes set off by blank lines, falling anywhere in a document. The TEI volume carries the
same documents in the markup of samples/tei/volume-sample.xml (persName/@type="from",
gloss/@type="to", date/@when, a persons list, page breaks, footnotes kept out of the text).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from xml.sax.saxutils import escape

from corpus_cast import World
from corpus_layout import HYPHEN_RATE, Row, gold_document, start_day, wrap
from corpus_text import MONTHS, BodyWriter, Para, Party, Spec, body_bytes, mdy

# The authority's `United States Ambassador to X`: how a FRUS head names the post, its seat.
COUNTRIES = {
    "the USSR": ("the Soviet Union", "Moscow"), "the Republic of Korea": ("Korea", "Seoul"),
    "the Republic of China": ("China", "Taipei"), "China": ("China", "Nanking"),
    "India": ("India", "New Delhi"), "the United Kingdom": ("the United Kingdom", "London"),
    "Japan": ("Japan", "Tokyo"), "Burma": ("Burma", "Rangoon"), "Iran": ("Iran", "Tehran"),
    "Sweden": ("Sweden", "Stockholm"),
}
INVENTED_POSTS = (("Consul at Tamsui", "Tamsui"), ("Consul General at Hong Kong", "Hong Kong"),
                  ("Chargé in Burma", "Rangoon"), ("Minister in Thailand", "Bangkok"),
                  ("Consul General at Singapore", "Singapore"), ("Ambassador in Indonesia",
                                                                 "Djakarta"),
                  ("Chargé in Korea", "Pusan"), ("Ambassador in Pakistan", "Karachi"))
DECIMALS = ("795.00", "793.00", "611.93", "661.93", "794.00", "611.95", "795B.00", "690.93",
            "793B.00", "320.2")
MARKS = ("secret", "top secret", "confidential", "secret priority", "top secret niact",
         "confidential priority")
CHAPTERS = ("KOREA", "CHINA", "JAPAN", "SOVIET UNION", "SOUTH ASIA", "EAST ASIA")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV")
HEAD_EVERY = (40, 50)  # lines between running heads
EDITORIAL_SHARE = 0.03


def _in_span(entry: dict[str, Any], day: str) -> bool:
    """Whether an ISO day lies within an office's from/to (years or year-months)."""
    lo, hi = str(entry.get("from") or "0000"), str(entry.get("to") or "9999")
    return lo <= day[:len(lo)] and day[:len(hi)] <= hi


class Posts:
    """Who held which American post on a day, read from the authority's offices."""

    def __init__(self, world: World) -> None:
        """Collect the posts abroad, in Washington and the Secretaries of State."""
        self.world = world
        self.abroad: list[tuple[str, str, dict[str, Any], str]] = []  # (short, office, entry, city)
        self.home: list[tuple[str, str, dict[str, Any]]] = []
        self.secretaries: list[tuple[str, dict[str, Any]]] = []
        for p in world.known:
            for o in p.record.offices if p.record else []:
                title = str(o["title"])
                if title == "Secretary of State":
                    self.secretaries.append((p.short, o))
                elif title.startswith("United States Ambassador to "):
                    land, city = COUNTRIES.get(title[len("United States Ambassador to "):],
                                               (None, ""))
                    if land:
                        self.abroad.append((p.short, f"Ambassador in {land}", o, city))
                elif title.startswith(("Assistant Secretary of State", "Under Secretary")):
                    self.home.append((p.short, title, o))

    def secretary(self, day: str) -> str | None:
        """The Secretary of State on `day`, when exactly one is known."""
        found = {s for s, o in self.secretaries if _in_span(o, day)}
        return found.pop() if len(found) == 1 else None

    def gold(self, short: str) -> str:
        """The authority's name for a short form."""
        rec = self.world.authority.lookup(short)
        return rec.name if rec else short


def us_spec(world: World, posts: Posts, rng: random.Random, day: date, number: int,
            noise: float = 0.0) -> Spec:
    """One document of a FRUS-style volume: telegram out or in, or a memorandum (`noise`:
    share of its body's words garbled by OCR)."""
    key = day.isoformat()
    secretary = posts.secretary(key)
    abroad = [a for a in posts.abroad if _in_span(a[2], key)]
    home = [h for h in posts.home if _in_span(h[2], key)]
    roll = rng.random()
    if roll < EDITORIAL_SHARE:
        spec = Spec("editorial note", day, "day", [], [], number=number)
        spec.extra["head"] = "Editorial Note"
    elif roll < 0.3 and home:
        short, office, _ = rng.choice(home)
        memo = rng.random() < 0.5 or not secretary
        a = Party(f"the {office} ({short})", posts.gold(short), short, short, True, short)
        kind = "memorandum of conversation" if memo else "memorandum"
        spec = Spec(kind, day, "day", [a], [] if memo else [_secretary(posts, secretary)],
                    number=number)
        spec.extra["head"] = (f"Memorandum of Conversation, by {a.written}" if memo else
                              f"Memorandum by {a.written} to the Secretary of State")
        spec.extra["place"] = "Washington"
    elif roll < 0.5 and secretary:
        land, city = rng.choice(list(COUNTRIES.values()))
        a = _secretary(posts, secretary, "The")
        r = Party(f"the Embassy in {land}", f"the Embassy in {land}", "", "", False)
        spec = Spec("telegram", day, "day", [a], [r], number=number)
        spec.extra.update(head=f"The Secretary of State to the Embassy in {land}",
                          place="Washington", sign=secretary)
    else:
        spec = _from_post(world, rng, abroad, secretary, posts, day, number)
    if spec.type != "editorial note":
        file_no = f"{rng.choice(DECIMALS)}/{day.month}–{day.day}{day.year % 100:02d}"
        spec.extra["file"] = file_no + (": Telegram" if spec.type == "telegram" else "")
        spec.extra["file_no"] = file_no
    spec.paragraphs = BodyWriter(world, rng, day, noise).paragraphs(body_bytes(rng))
    if spec.type == "telegram":
        spec.telegram_no = str(rng.randint(1, 2400))
    return spec


def _secretary(posts: Posts, short: str | None, article: str = "the") -> Party:
    """The Secretary of State as a head names him (linked when the authority knows him)."""
    words = f"{article} Secretary of State"
    if short is None:
        return Party(words, words, "", "", False)
    return Party(words, posts.gold(short), short, short, True, short)


def _from_post(world: World, rng: random.Random, abroad: list[tuple[str, str, Any, str]],
               secretary: str | None, posts: Posts, day: date, number: int) -> Spec:
    """A telegram from a post abroad to the Secretary of State."""
    if abroad and rng.random() > 0.12:
        short, office, _, city = rng.choice(abroad)
        a = Party(f"The {office} ({short})", posts.gold(short), short, short, True, short)
    else:
        office, city = rng.choice(INVENTED_POSTS)
        person = world.invented_person(rng, day.year)
        short = person.variants[0] if " " not in person.variants[0] else person.name
        head = f"The {office} ({short})"
        a = Party(head, head, short, short, False, short)
    spec = Spec("telegram", day, "day", [a], [_secretary(posts, secretary)], number=number)
    spec.extra.update(head=f"{a.written} to the Secretary of State", place=city, sign=a.sign)
    return spec


def _clock(rng: random.Random) -> str:
    """`4 p. m.` or `11:10 a. m.`."""
    h, m = rng.randint(1, 12), rng.choice((0, 0, 5, 10, 15, 20, 30, 40, 45, 50))
    return f"{h}{f':{m:02d}' if m else ''} {rng.choice('ap')}. m."


def _dateline(spec: Spec, rng: random.Random) -> str:
    """`Seoul, March 4, 1952—6 p. m. [Received March 4—11:10 a. m.]` or `[Washington,] …`."""
    place = str(spec.extra.get("place", "Washington"))
    if spec.type != "telegram":
        return f"[{place},] {mdy(spec.day)}."
    line = f"{place}, {mdy(spec.day)}—{_clock(rng)}"
    if place != "Washington" and rng.random() < 0.7:
        got = spec.day + timedelta(days=rng.choice((0, 0, 1)))
        line += f" [Received {MONTHS[got.month - 1]} {got.day}—{_clock(rng)}]"
    return line


def apparatus(spec: Spec, i: int, rng: random.Random) -> list[Row]:
    """The number line, head, file number, dateline and classification of a document."""
    rows = [Row(f"{spec.number}.", i, "header"), Row(str(spec.extra["head"]), i, "head")]
    if spec.type != "editorial note":
        rows.append(Row(str(spec.extra["file"]), i, "open", (),
                        (str(spec.extra["file_no"]), "file number")))
        rows += [Row(_dateline(spec, rng), i, "open"), Row(rng.choice(MARKS), i, "open")]
    return rows


def book_rows(spec: Spec, i: int, width: int, rng: random.Random) -> list[Row]:
    """All the lines of one document of an OCR'd book (no running heads yet)."""
    rows = apparatus(spec, i, rng)
    if len(rows[1].text) > 75:  # a long head wraps as the page sets it
        head = rows.pop(1)
        words = Para(head.text.split())
        rows[1:1] = [Row(t, i, "head") for t, _ in wrap(words, width)]
    rows.append(Row("", i, "blank"))
    for k, para in enumerate(spec.paragraphs):
        if k == 0 and spec.telegram_no:
            para = Para([f"{spec.telegram_no}.", *para.tokens],
                        {j + 1: g for j, g in para.marks.items()})
        lines = list(wrap(para, width, rng, HYPHEN_RATE / 3))
        rows += [Row(t, i, "body", names) for t, names in lines]
        if k == 0 and spec.telegram_no:
            rows[-len(lines)].ref = (spec.telegram_no, "telegram number")
    if spec.extra.get("sign"):
        rows.append(Row(str(spec.extra["sign"]), i, "sign"))
    return rows + [Row("", i, "blank")]


def running_heads(rows: list[Row], rng: random.Random, year: int) -> list[Row]:
    """The rows with a running head or page number every 40–50 lines."""
    volume, chapter = rng.choice(ROMAN), rng.choice(CHAPTERS)
    page = rng.randint(1, 900)
    out: list[Row] = []
    due = rng.randint(*HEAD_EVERY)
    for row in rows:
        if len(out) >= due:
            text = (f"{page}  FOREIGN RELATIONS, {year}, VOLUME {volume}" if page % 2 == 0
                    else f"{chapter}  {page}")
            spaced = rng.random() < 0.3
            out += ([Row("", row.doc, "furniture")] if spaced else []) + \
                [Row(text, row.doc, "furniture")] + \
                ([Row("", row.doc, "furniture")] if spaced else [])
            page += 1
            due = len(out) + rng.randint(*HEAD_EVERY)
        out.append(row)
    return out


def book_gold(rows: list[Row], specs: list[Spec]) -> list[dict[str, Any]]:
    """The gold documents of a book: each starts at its number line."""
    starts = [k for k, r in enumerate(rows) if r.kind == "header"]
    out = []
    for n, lo in enumerate(starts):
        hi = starts[n + 1] if n + 1 < len(starts) else len(rows)
        spec = specs[rows[lo].doc]
        g = gold_document(rows, lo, hi, spec)
        if spec.type == "editorial note":
            g["date"] = {"value": None, "in_text": False}
        g["id"] = str(spec.number)
        out.append(g)
    return out


def volume(world: World, posts: Posts, rng: random.Random, n: int, noise: float = 0.0
           ) -> list[Spec]:
    """`n` documents of one year, in date order, numbered on from a random start."""
    day = start_day(rng)
    year = day.year
    number = rng.randint(1, 800)
    specs = []
    for k in range(n):
        specs.append(us_spec(world, posts, rng, day, number + k, noise))
        nxt = day + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
        day = nxt if nxt.year == year else day
    return specs


def book_text(world: World, posts: Posts, rng: random.Random, n: int, noise: float = 0.0
              ) -> tuple[str, list[dict[str, Any]]]:
    """An OCR'd FRUS-style book of `n` documents (`noise`: share of garbled words) and its
    gold."""
    specs = volume(world, posts, rng, n, noise)
    width = rng.randint(60, 75)
    rows = [r for i, s in enumerate(specs) for r in book_rows(s, i, width, rng)]
    rows = running_heads(rows, rng, specs[0].day.year)
    return "\n".join(r.text for r in rows) + "\n", book_gold(rows, specs)


def _tei_head(spec: Spec, ids: dict[str, str]) -> str:
    """The head in TEI: the sender as persName type="from", the recipient as a gloss."""
    head = escape(str(spec.extra["head"]))
    if spec.type == "editorial note" or not spec.authors:
        return head
    a = spec.authors[0]
    if f"({a.short})" in head:
        ref = f' corresp="#{ids[a.gold]}"' if a.gold in ids else ""
        head = head.replace(f"({escape(a.short)})",
                            f'(<persName type="from"{ref}>{escape(a.short)}</persName>)', 1)
    if " to the " in head:
        lead, _, to = head.rpartition(" to the ")
        head = f'{lead} to the <gloss type="to">{to}</gloss>'
    return head


def _tei_document(spec: Spec, k: int, rng: random.Random, ids: dict[str, str]
                  ) -> tuple[list[str], list[Row]]:
    """One document div and the rows the TEI reader renders from it."""
    rows = apparatus(spec, k, rng)
    xml = [f'<div n="{spec.number}" xml:id="d{spec.number}" type="document">']
    if spec.type != "editorial note":
        xml.append(f'<note type="source">{escape(rows[2].text)}</note>')
    xml.append(f"<head>{_tei_head(spec, ids)}</head>")
    if spec.type != "editorial note":
        xml.append(f'<opener><dateline>{escape(rows[3].text.split(",")[0].strip("[]"))}, '
                   f'<date when="{spec.day.isoformat()}">{escape(mdy(spec.day))}</date>'
                   f"</dateline><seg>{escape(rows[4].text)}</seg></opener>")
        rows[3].text = f"{rows[3].text.split(',')[0].strip('[]')}, {mdy(spec.day)}"
    rows.append(Row("", k, "blank"))
    for j, para in enumerate(spec.paragraphs):
        text = " ".join(para.tokens)
        if j == 0 and spec.telegram_no:
            text = f"{spec.telegram_no}. {text}"
        note = (f'<note n="1" xml:id="d{spec.number}fn{j}">Not printed.</note>'
                if rng.random() < 0.05 else "")
        xml.append(f"<p>{escape(text)}{note}</p>")
        rows.append(Row(text, k, "body", tuple(g for g in para.marks.values() if g),
                        (spec.telegram_no, "telegram number") if j == 0 and spec.telegram_no
                        else None))
    if spec.extra.get("sign"):
        xml.append(f'<closer><signed>{escape(str(spec.extra["sign"]))}</signed></closer>')
        rows.append(Row(str(spec.extra["sign"]), k, "sign"))
    return [*xml, "</div>"], rows


def _persons(specs: list[Spec]) -> tuple[list[str], dict[str, str]]:
    """The persons list of a volume (everyone a head names, linked) and their xml:ids."""
    ids: dict[str, str] = {}
    items = []
    for spec in specs:
        for p in spec.authors:
            if p.linked and p.gold not in ids and p.short:
                ids[p.gold] = f"p_{len(ids) + 1}"
                given = p.gold[:-len(p.short)].strip() if p.gold.endswith(p.short) else ""
                label = f"{p.short}, {given}" if given else p.gold
                items.append(f'<item><hi rend="strong"><persName xml:id="{ids[p.gold]}">'
                             f"{escape(label)}</persName></hi></item>")
    return items, ids


def tei_volume(world: World, posts: Posts, rng: random.Random, n: int
               ) -> tuple[str, list[dict[str, Any]]]:
    """A TEI volume of `n` documents and its gold (line numbers of the text the TEI reader
    renders: a blank line between documents)."""
    specs = volume(world, posts, rng, n)
    items, ids = _persons(specs)
    year = specs[0].day.year
    body: list[str] = []
    rows: list[Row] = []
    page = rng.randint(1, 900)
    for k, spec in enumerate(specs):
        if k % 4 == 0:
            body.append(f'<pb n="{page}" xml:id="pg_{page}"/>')
            page += 1
        xml, doc_rows = _tei_document(spec, k, rng, ids)
        body += xml
        rows += ([Row("", k, "blank")] if k else []) + doc_rows
    title = f"Synthetic Foreign Relations, {year}, Volume {rng.choice(ROMAN)}"
    text = "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Synthetic volume written by Cablegram's benchmark generator. -->",
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">',
        f"<teiHeader><fileDesc><titleStmt><title>{escape(title)}</title></titleStmt>",
        "<publicationStmt><p>Synthetic benchmark data; not a quotation from any publication."
        "</p></publicationStmt><sourceDesc><p>Generated by bench/corpus.py.</p></sourceDesc>",
        "</fileDesc></teiHeader>", "<text>", '<front><div type="section" xml:id="persons">',
        '<head>Persons</head><list type="persons">', *items, "</list></div></front>", "<body>",
        *body, "</body>", "</text>", "</TEI>", ""])
    return text, book_gold(rows, specs)
