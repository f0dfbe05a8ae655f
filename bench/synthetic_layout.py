"""The layout of synthetic documents: header, address, body, signature, numbers, copy list.

Each line that names someone carries that person's linked mention (with its line number), the
way the extraction pipeline records them, so the document page can mark names in the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cablegram.model import Document, Mention, Ref

if TYPE_CHECKING:
    from synthetic import Generator

    from cablegram.authority.lookup import Record

TYPES = {"telegram": 40, "cable": 25, "letter": 20, "memorandum": 15}
LANGUAGES = {"en": 70, "ru": 18, "zh": 7, "ko": 5}
HANDLING = ("Top secret", "Extremely urgent", "Only by ciphered telegraph", "Copy Nº 1",
            "Strictly confidential")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
LINE_WIDTH = 64
RECENT_NUMBERS = 2_000  # replies refer to one of the last telegram numbers
FRAGMENT_SHARE, ENCLOSURE_SHARE, WARNING_SHARE = 0.02, 0.03, 0.02
Piece = tuple[str, Mention | None]


def human_date(day: str | None, precision: str | None) -> str:
    """A stored date as a dateline writes it: `3 October 1950`, `October 1950`, `1950`."""
    if not day:
        return ""
    year = day[:4]
    if precision == "year":
        return year
    month = MONTHS[int(day[5:7]) - 1]
    return f"{month} {year}" if precision == "month" else f"{int(day[8:10])} {month} {year}"


class Lines:
    """The lines of one document as they are written, numbered as in the source file."""

    def __init__(self, first: int) -> None:
        """Start at source line `first`."""
        self.first = first
        self.lines: list[str] = []

    @property
    def next(self) -> int:
        """The source line number the next line will have."""
        return self.first + len(self.lines)

    def add(self, text: str, *mentions: Mention) -> None:
        """Add one line; the mentions on it get its number."""
        for m in mentions:
            m.line = self.next
        self.lines.append(text)

    def wrap(self, pieces: list[Piece]) -> None:
        """Add words and names as lines of at most LINE_WIDTH characters."""
        current: list[str] = []
        width = 0
        for text, mention in pieces:
            if current and width + 1 + len(text) > LINE_WIDTH:
                self.lines.append(" ".join(current))
                current, width = [], 0
            width += len(text) + (1 if current else 0)
            current.append(text)
            if mention is not None:
                mention.line = self.next
        if current:
            self.lines.append(" ".join(current))


def _joined(labels: list[str]) -> str:
    """Names joined the way titles join them: `A`, `A and B`, `A, B and C`."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _written(mentions: list[Mention]) -> str:
    """The names as written, joined by commas."""
    return ", ".join(m.as_written for m in mentions)


class Parties:
    """Who a document is from, to, through and copied to, with the labels of its title."""

    def __init__(self, gen: Generator, kind: str, year: int, day: str | None) -> None:
        """Draw the correspondents of a document of `kind` written in `year`."""
        rng = gen.rng
        authors = gen.people(year, 2 if rng.random() < 0.05 else 1, [])
        recipients = gen.people(year, 2 if rng.random() < 0.1 else 1, authors)
        via: list[Record] = []
        if kind != "memorandum" and rng.random() < 0.15:
            via = [r for r in [rng.choice(gen.intermediaries)] if r not in authors + recipients]
        copies = gen.people(year, rng.randint(1, 5), authors) \
            if kind in ("telegram", "cable") and rng.random() < 0.35 else []
        participants = gen.people(year, rng.randint(1, 3), authors) \
            if kind == "memorandum" else []
        self.labels: dict[str, list[str]] = {}
        self.mentions: dict[str, list[Mention]] = {}
        for role, records in (("authors", authors), ("recipients", recipients), ("via", via),
                              ("copies_to", copies), ("participants", participants)):
            made = [gen.mention(r, day) for r in records]
            self.labels[role] = [label for label, _ in made]
            self.mentions[role] = [m for _, m in made]

    def title(self, kind: str, number: str | None, fragment: bool) -> str:
        """The house-style title: `Telegram Nº 4102, Filippov [Stalin] to Mao Zedong`."""
        author, to = _joined(self.labels["authors"]), _joined(self.labels["recipients"])
        if fragment:
            return f"Fragment, from {author}"
        if kind == "memorandum":
            return f"Memorandum of Conversation, from {author}"
        head = f"{kind.title()} Nº {number}" if number else kind.title()
        via = f" (via {_joined(self.labels['via'])})" if self.labels["via"] else ""
        return f"{head}, {author} to {to}{via}"


def _number(gen: Generator, kind: str) -> tuple[str | None, list[Ref]]:
    """The printed number of a document and its references (its own number, a reply)."""
    rng = gen.rng
    if kind == "telegram":
        number, role = str(rng.randint(100, 9999)), "telegram number"
    elif kind == "cable":
        number, role = f"{rng.randint(100000, 999999)}/sh", "cable number"
    elif kind == "letter" and rng.random() < 0.5:
        number, role = str(rng.randint(10, 999)), "outgoing number"
    else:
        return None, []
    refs = [Ref(f"No. {number}", role)]
    if gen.numbers and rng.random() < 0.15:
        refs.append(Ref(f"No. {rng.choice(gen.numbers)}", "in reply to"))
    gen.numbers = (gen.numbers + [number])[-RECENT_NUMBERS:]
    return number, refs


def _head(lines: Lines, kind: str, number: str | None, parties: Parties,
          dateline: str, transmission: dict[str, Any] | None) -> None:
    """The lines above the text: heading, dateline, transmission, address, channel."""
    heading = {"telegram": "CIPHERED TELEGRAM", "cable": "CABLE", "letter": "LETTER",
               "memorandum": "MEMORANDUM OF CONVERSATION"}[kind]
    lines.add(f"{heading} Nº {number}" if number else heading)
    if dateline:
        lines.add(dateline)
    if transmission:
        sent, received = transmission["sent"], transmission["received"]
        lines.add(f"From {str(sent['place']).upper()}, sent {sent['local'][11:]}, "
                  f"received {received['local'][11:]}")
        sent["line"] = received["line"] = lines.next - 1
    to = parties.mentions["recipients"]
    if kind == "memorandum":
        lines.add(f"Participants: {_written(parties.mentions['participants'])}.",
                  *parties.mentions["participants"])
        lines.add(f"Sent to {_written(to)}.", *to)
    else:
        lines.add(f"Dear {_written(to)}!" if kind == "letter" else f"To {_written(to)}.", *to)
    if parties.mentions["via"]:
        lines.add(f"Through {_written(parties.mentions['via'])}.", *parties.mentions["via"])


def _foot(lines: Lines, kind: str, parties: Parties, refs: list[Ref]) -> None:
    """The lines below the text: signature, numbers, copy list."""
    authors = parties.mentions["authors"]
    lines.add(("Recorded by " if kind == "memorandum" else "") + _written(authors), *authors)
    for ref in refs:
        ref.line = lines.next
        lines.add(("In reply to " if ref.role == "in reply to" else "") + ref.value)
    copies = parties.mentions["copies_to"]
    if copies:
        lines.add(f"Copies: {_written(copies)}.", *copies)


def _named(gen: Generator, year: int, day: str | None, parties: Parties
           ) -> dict[str, list[Mention]]:
    """People, places and organisations named in the body of the text."""
    rng = gen.rng
    besides = [gen.authority.records[m.id] for ms in parties.mentions.values() for m in ms
               if m.id]
    people = [gen.mention(r, day)[1] for r in gen.people(year, rng.randint(0, 6), besides)]
    places = [gen.place_mention() for _ in range(rng.randint(0, 4))]
    organizations = [gen.organization_mention() for _ in range(rng.randint(0, 2))]
    return {"people": people, "places": places, "organizations": organizations}


def document(gen: Generator, kind: str, year: int, first_line: int) -> Document:
    """One synthetic document starting at `first_line` of its source file."""
    rng = gen.rng
    day, precision = gen.date(year)
    year = int(day[:4]) if day else year
    parties = Parties(gen, kind, year, day)
    number, refs = _number(gen, kind)
    fragment = rng.random() < FRAGMENT_SHARE
    wired = kind in ("telegram", "cable") and precision == "day" and day is not None
    transmission = gen.transmission(day, first_line) if wired and day else None
    lines = Lines(first_line)
    _head(lines, kind, number, parties, human_date(day, precision), transmission)
    named = _named(gen, year, day, parties)
    lines.wrap(gen.body(gen.length(), [m for ms in named.values() for m in ms]))
    _foot(lines, kind, parties, refs)
    mentions = {**parties.mentions, **named, "for": []}
    # Every person named anywhere is also in `people`, as the pipeline records them.
    mentions["people"] = sorted(
        [Mention(m.as_written, m.line, m.id, m.name) for role in
         ("recipients", "via", "participants", "authors", "copies_to") for m in mentions[role]]
        + named["people"], key=lambda m: m.line or 0)
    doc = Document(
        source="", start_line=first_line, end_line=lines.next - 1,
        fragments=[(first_line, lines.next - 1)], fragment=fragment,
        title=parties.title(kind, number, fragment), type=kind, date=day,
        date_precision=precision, date_source="dateline" if day else None,
        language=gen.choose(LANGUAGES), mentions=mentions, refs=refs,
        handling=rng.sample(HANDLING, rng.randint(1, 2)) if rng.random() < 0.4 else [],
        transmission=transmission, text="\n".join(lines.lines))
    if transmission:
        doc.sent, doc.received = transmission["sent"]["local"], transmission["received"]["local"]
    if rng.random() < WARNING_SHARE and day:
        doc.warnings.append(f"the text names the year {int(day[:4]) + 1}, after the date")
    return doc


def source_documents(gen: Generator, name: str, count: int, centre: int
                     ) -> tuple[list[Document], str]:
    """About `count` documents (enclosures counted) of one file, by date, and its text."""
    docs: list[Document] = []
    made, line = 0, 1
    while made < count:
        kind = gen.choose(TYPES)
        doc = document(gen, kind, centre, line)
        line = doc.end_line + 2
        made += 1
        if kind == "cable" and made < count and gen.rng.random() < ENCLOSURE_SHARE:
            enclosed = document(gen, "letter", centre, line)
            line = enclosed.end_line + 2
            doc.enclosures.append(enclosed)
            made += 1
        docs.append(doc)
    for d in docs:
        d.source = name
        for e in d.enclosures:
            e.source = name
    text = "\n\n".join(d.text + "".join("\n\n" + e.text for e in d.enclosures) for d in docs)
    return docs, text
