"""What a synthetic document says, before any layout: its parties, date, type, numbers, copy
list and body (bench/corpus.py). The formats (corpus_layout, corpus_pages, corpus_books) lay
the same content out as a compilation, an archive page, a printed book or a TEI volume.

A body is a list of paragraphs; a paragraph is a list of tokens, and `marks` names the tokens
that must stay whole on one line (names, dates, places), with the gold name of the person a
reader should link (None when nobody can be linked: an invented person, an OCR-garbled name).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date

from corpus_cast import ROLE_INVENTED, Person, Place, World, ocr_noise

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# Sizes of a whole document in bytes: log-normal around MEDIAN_BYTES, 100 B – 30 KB.
MIN_BYTES, MAX_BYTES, MEDIAN_BYTES, SIGMA = 100, 30_000, 1_000, 1.0
FRAME_BYTES = 160  # header, address, signature, numbers and copies take about this
NAME_SHARE, PLACE_SHARE, DATE_SHARE, PHRASE_SHARE, POINT_SHARE = 0.3, 0.12, 0.04, 0.06, 0.05
TITLES_KNOWN = ("Comrade", "Cde.")
TITLES_INVENTED = ("Comrade", "General", "Colonel", "Ambassador", "Minister", "Mr.", "Major")
COPY_IDS = ("stalin", "molotov", "beria", "malenkov", "mikoyan", "kaganovich", "bulganin",
            "vasilevsky", "vyshinsky", "gromyko", "khrushchev", "voroshilov", "suslov")


@dataclass
class Para:
    """One paragraph: its tokens and the ones that stay whole (token index → gold name)."""

    tokens: list[str]
    marks: dict[int, str | None] = field(default_factory=dict)


@dataclass
class Party:
    """A correspondent, as each part of a document writes them."""

    written: str  # in a header: `Filippov (Stalin)`, `Kim Il Sung`, `Ivan Korvanov`
    gold: str  # the authority's name, or the header's words when nobody can be linked
    sign: str  # as a signature: `FILIPPOV [Stalin].`, `SHTYKOV`, `KORVANOV`
    caps: str  # in an address line: `FILIPPOV`, `KIM IL SUNG`
    linked: bool
    short: str = ""  # the family form: `Stalin`, `Korvanov`
    sign_links: bool = True  # whether the signature links to them with no date known


@dataclass
class Spec:
    """One document's content, ready for any layout."""

    type: str
    day: date
    precision: str  # day | month
    authors: list[Party]
    recipients: list[Party]
    via: list[Party] = field(default_factory=list)
    paragraphs: list[Para] = field(default_factory=list)
    place: Place | None = None  # where it was written (datelines)
    number: int | None = None
    telegram_no: str | None = None
    reply_to: str | None = None
    outgoing: str | None = None
    copies: list[tuple[str, str | None]] = field(default_factory=list)  # (as written, gold)
    extra: dict[str, object] = field(default_factory=dict)


def iso(day: date) -> str:
    """`1950-07-05`."""
    return day.isoformat()


def dmy(day: date) -> str:
    """`5 July 1950`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def mdy(day: date) -> str:
    """`July 5, 1950`."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def gold_date(spec: Spec) -> str:
    """The date as the gold states it: `1950-07-05`, or `1950-07` for a month."""
    return iso(spec.day)[:7] if spec.precision == "month" else iso(spec.day)


def body_bytes(rng: random.Random) -> int:
    """Bytes of running text for one document (its whole size less the frame)."""
    size = int(math.exp(rng.gauss(math.log(MEDIAN_BYTES), SIGMA)))
    return max(min(max(size, MIN_BYTES), MAX_BYTES) - FRAME_BYTES, 40)


def party(world: World, rng: random.Random, person: Person, day: str,
          cover: bool = True) -> Party | None:
    """How a document writes a correspondent; None when no form of a known person links to
    them alone on that day (`Kuznetsov` in 1951 was also Stalin's cover name)."""
    if person.record is None:
        family = person.variants[0] if " " not in person.variants[0] else person.name
        return Party(person.name, person.name, family.upper(), family.upper(), False, family)
    forms = world.forms(person, day)
    short = person.short if person.short in forms else (
        person.name if person.name in forms else None)
    if short is None:
        return None
    caps = short.upper() if short.upper() in forms else short
    gold = person.name
    alias = world.cover_name(person, day) if cover else None
    if alias and rng.random() < 0.85:
        return Party(f"{alias} ({short})", gold, f"{alias.upper()} [{short}].", alias.upper(),
                     True, short)
    undated = world.authority.lookup(caps)  # a tail of a document states no date
    return Party(short, gold, caps, caps, True, short,
                 undated is not None and undated.id == person.id)


def parties(world: World, rng: random.Random, year: int, day: str, n: int,
            besides: list[Party], known_only: bool = False) -> list[Party]:
    """`n` different correspondents active in `year`, none of `besides`."""
    out: list[Party] = []
    taken = {p.gold for p in besides} | {p.short for p in besides}
    for attempt in range(n * 12):
        if len(out) == n:
            break
        share = 0.0 if known_only else (ROLE_INVENTED if attempt < n * 6 else 1.0)
        p = party(world, rng, world.person(rng, year, share), day)
        if p is not None and p.gold not in taken and p.short not in taken:
            taken |= {p.gold, p.short}
            out.append(p)
    return out


def copies(world: World, rng: random.Random, day: str) -> list[tuple[str, str | None]]:
    """A copy list of the Soviet leadership of the day: `Stalin (2)`, `Molotov`, …"""
    out: list[tuple[str, str | None]] = []
    for pid in COPY_IDS:
        person = world.by_id.get(pid)
        if person is None or not person.first <= int(day[:4]) <= person.last:
            continue
        if person.short in world.forms(person, day) and (not out or rng.random() < 0.55):
            label = f"{person.short} (2)" if pid == "stalin" else person.short
            out.append((label, person.name))
    while len(out) < 2:
        p = world.invented_person(rng, int(day[:4]))
        family = p.variants[0] if " " not in p.variants[0] else p.name
        if family not in {c[0] for c in out}:
            out.append((family, None))
    return out


def fits(text: str, charset: str | None) -> bool:
    """Whether `text` can be encoded in `charset` (None: any text)."""
    if charset is None:
        return True
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


class BodyWriter:
    """Paragraphs of running text with names, places and dates set among the words."""

    def __init__(self, world: World, rng: random.Random, day: date, noise: float,
                 charset: str | None = None) -> None:
        """Write for a document of `day`; `noise`: share of words garbled by OCR; `charset`:
        the encoding every name must fit (a PDF's standard fonts print cp1252 only)."""
        self.world, self.rng, self.day, self.noise = world, rng, day, noise
        self.charset = charset
        self.key = iso(day)

    def _name(self) -> tuple[str, str | None]:
        """A person as running text names them, and the gold name if a reader can link it."""
        rng = self.rng
        for _ in range(8):
            person = self.world.person(rng, self.day.year)
            form, linked = self.world.body_form(rng, person, self.key)
            if self.fits(form):
                break
        if not linked:
            return f"{rng.choice(TITLES_INVENTED)} {form}", None
        if self.noise and rng.random() < self.noise * 8:
            return ocr_noise(rng, form), None
        title = rng.choice(TITLES_KNOWN) + " " if rng.random() < 0.2 else ""
        return title + form, person.name

    def _place(self) -> str:
        """A place as running text names it: its name or a variant, sometimes in capitals."""
        p = self.world.place(self.rng)
        form = self.rng.choice(p.variants) if p.variants and self.rng.random() < 0.2 else p.name
        form = form if self.fits(form) else p.name
        return form.upper() if self.rng.random() < 0.15 else form

    def fits(self, text: str) -> bool:
        """Whether the text can be printed in the writer's charset."""
        return fits(text, self.charset)

    def _inserts(self) -> list[tuple[str, str | None, str]]:
        """What one sentence names: (text kept whole, gold name, word before it)."""
        rng = self.rng
        out: list[tuple[str, str | None, str]] = []
        if rng.random() < NAME_SHARE:
            out.append((*self._name(), ""))
        if rng.random() < PLACE_SHARE:
            out.append((self._place(), None, rng.choice(("near", "at", "from", "in"))))
        if rng.random() < DATE_SHARE:
            out.append((f"{rng.randint(1, 28)} {MONTHS[rng.randrange(12)]}", None, "on"))
        return out

    def sentence(self, words: list[str], para: Para) -> None:
        """Add one sentence made of `words` to `para`, with what is set among them (never
        first or last, so no line of a wrapped text holds only a name or a date)."""
        rng, tokens = self.rng, para.tokens
        if self.noise:
            words = [ocr_noise(rng, w) if rng.random() < self.noise else w for w in words]
        if rng.random() < PHRASE_SHARE:
            words.insert(rng.randrange(1, len(words)), self.world.phrase(rng))
        words[0] = words[0][:1].upper() + words[0][1:]
        words[-1] += "."
        gaps = {rng.randrange(1, len(words)): item for item in self._inserts()}
        for j, word in enumerate(words):
            if j in gaps:
                text, gold, lead = gaps[j]
                if lead:
                    tokens.append(lead)
                para.marks[len(tokens)] = gold
                tokens.append(text)
            tokens.append(word)

    def paragraphs(self, size: int) -> list[Para]:
        """Paragraphs of about `size` characters in all."""
        rng = self.rng
        words = self.world.words(rng, max(6, size // 7))
        out: list[Para] = []
        i, point = 0, 0
        while i < len(words):
            para = Para([])
            if rng.random() < POINT_SHARE or point:
                point += 1
                para.tokens.append(f"{point}.")
            for _ in range(rng.randint(1, 5)):
                n = rng.randint(6, 24)
                chunk = words[i:i + n]
                i += n
                if len(chunk) >= 3:
                    self.sentence(chunk, para)
                if i >= len(words):
                    break
            if len(para.tokens) > (1 if point else 0):
                out.append(para)
            if point and rng.random() < 0.3:
                point = 0
        return out or [Para(["Reported."])]
