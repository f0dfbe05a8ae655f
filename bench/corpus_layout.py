"""Numbered compilations: documents laid out as printed lines, and the gold they make.

A compilation is hard-wrapped at 40–48 columns, with words hyphenated at line ends. Each
document opens with a numbered header (`18. 5 July 1950, ciphered telegram, Filippov
(Stalin) to Zhou Enlai (via Roshchin)`, wrapping over lines), then address and handling
lines, the body, a signature (a letter: a closing formula and a place-and-date line), the
outgoing number (`No. 505/sh.`) and a `Copies:` list. In a file whose two columns were read
straight across, the file opens in the middle of a document (its tail only), and now and
then a document is cut mid-sentence by the header and first lines of the next one, the rest
of it following them (as samples/compilation/bulletin-1950-summer.txt shows).

The gold follows the conventions of the seeds' gold.json: a document starts at its header,
and text that follows another document's end markers (`No. …`, `Copies: …`) starts a
document of its own (a tail: what it states is in the text, the rest is `in_text: false`);
text that breaks into the middle of a document is a fragment of the one it sits in. Numbers,
copy lists and names mentioned belong to the document whose lines hold them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from corpus_cast import World
from corpus_text import (
    MONTHS,
    BodyWriter,
    Para,
    Party,
    Spec,
    body_bytes,
    copies,
    dmy,
    gold_date,
    iso,
    parties,
)

TYPES = {"ciphered telegram": 40, "telegram": 10, "letter": 9, "handwritten letter": 2,
         "memorandum of conversation": 7, "record of conversation": 2, "report": 9, "note": 6,
         "directive": 4, "message": 3, "decision": 2, "cable": 6}
TELEGRAMS = ("ciphered telegram", "telegram", "cable", "message")
LETTERS = ("letter", "handwritten letter")
TALKS = ("memorandum of conversation", "record of conversation")
SEATS = ("Moscow", "Beijing", "Pyongyang", "Seoul", "Shenyang", "Tokyo", "Berlin", "Prague")
HANDLING = ("Only by ciphered telegraph", "Extremely urgent.", "Top secret.", "Urgent.")
CLOSING_KINDS = ("number", "copies")  # after these, text of another document starts its own
HYPHEN_RATE = 0.35  # of the words that do not fit at a line end and are long enough
LAST_DAY = date(1991, 12, 31)


class Row:
    """One printed line: its text, whose it is, what kind of line, what it names."""

    __slots__ = ("doc", "kind", "people", "ref", "text")

    def __init__(self, text: str, doc: int, kind: str, people: tuple[str, ...] = (),
                 ref: tuple[str, str] | None = None) -> None:
        """A line of document `doc` (its index in the file)."""
        self.text, self.doc, self.kind, self.people, self.ref = text, doc, kind, people, ref


def wrap(para: Para, width: int, rng: random.Random | None = None,
         hyphens: float = 0.0) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Lines of at most `width` characters (a name or date kept whole; one alone on a line
    takes the next word with it), long words hyphenated at line ends; with each line, the
    gold names it holds."""
    cur: list[str] = []
    cur_mark = False
    size = 0
    names: list[str] = []
    marks = para.marks
    for i, token in enumerate(para.tokens):
        n = len(token)
        if cur and size + 1 + n > width and not (len(cur) == 1 and cur_mark):
            room = width - size - 2
            if (rng is not None and hyphens and i not in marks and n >= 7 and room >= 3
                    and n - room >= 3 and token.isalpha() and token.islower()
                    and rng.random() < hyphens):
                cur.append(token[:room] + "-")
                yield " ".join(cur), tuple(names)
                cur, size, names = [token[room:]], n - room, []
                cur_mark = False
                continue
            yield " ".join(cur), tuple(names)
            cur, size, names = [], 0, []
        if not cur:
            cur_mark = i in marks
        size += n + (1 if cur else 0)
        cur.append(token)
        gold = marks.get(i)
        if gold is not None:
            names.append(gold)
    if cur:
        yield " ".join(cur), tuple(names)


def _names(ps: list[Party]) -> list[str]:
    """Header words for some parties: `Zhou Enlai and Mao Zedong`; a name with initials
    stays one token."""
    out: list[str] = []
    for k, p in enumerate(ps):
        if k:
            out.append("and")
        out += [p.written] if "." in p.written else p.written.split()
    return out


def _header_tokens(spec: Spec) -> list[str]:
    """The words of a numbered header; the number and date stay together, as do names
    with initials."""
    when = dmy(spec.day) if spec.precision == "day" else \
        f"{MONTHS[spec.day.month - 1]} {spec.day.year}"
    tokens = [f"{spec.number}. {when},", *spec.type.split()]
    tokens[-1] += ","

    link = "with" if spec.type in TALKS else "to"
    tokens += _names(spec.authors) + ([link, *_names(spec.recipients)] if spec.recipients
                                      else [])
    if spec.via:
        via = _names(spec.via)
        tokens += ["(via", *via[:-1], via[-1] + ")"]
    return tokens


def _opening(spec: Spec, i: int, rng: random.Random) -> list[Row]:
    """Address, handling and number lines after the header."""
    rows: list[Row] = []
    r = spec.recipients[0] if spec.recipients else None
    who = (r.gold,) if r and r.linked else ()
    if spec.type in TALKS:
        rows.append(Row(f"From the diary of {spec.authors[0].caps}", i, "open"))
    elif spec.via and r:
        rows.append(Row(f"{rng.choice(SEATS)}. Soviet Ambassador.", i, "open"))
        rows.append(Row(f"Transmit to {r.caps}:", i, "open", who))
    elif r:
        rows.append(Row(f"To Comrade {r.caps}.", i, "open", who))
    if spec.type in LETTERS and r:
        rows.append(Row(f"Dear Comrade {r.caps}!", i, "open", who))
    if spec.type == "report":
        rows.append(Row("I report:", i, "open"))
    if spec.type in TELEGRAMS and rng.random() < 0.25:
        rows.append(Row(rng.choice(HANDLING), i, "open"))
    if spec.telegram_no:
        kind = "Ciphered telegram" if spec.type == "ciphered telegram" else "Telegram"
        rows.append(Row(f"{kind} No. {spec.telegram_no}", i, "open", (),
                        (f"No. {spec.telegram_no}", "telegram number")))
    if spec.reply_to:
        rows.append(Row(f"To your No. {spec.reply_to}.", i, "open", (),
                        (f"No. {spec.reply_to}", "in reply to")))
    return rows


def _closing(spec: Spec, i: int, width: int) -> list[Row]:
    """Signature (or closing formula and dateline), outgoing number and copy list."""
    a = spec.authors[0]
    who = (a.gold,) if a.linked else ()
    rows = [Row(f"Faithfully, {a.caps}" if spec.type in LETTERS else a.sign, i, "sign", who)]
    if spec.type in LETTERS and spec.place is not None:
        rows.append(Row(f"{spec.place.name}. {dmy(spec.day)}.", i, "dateline"))
    if spec.outgoing:
        rows.append(Row(f"No. {spec.outgoing}.", i, "number", (),
                        (f"No. {spec.outgoing}", "outgoing number")))
    if spec.copies:
        labels = [c[0] for c in spec.copies]
        items = Para(["Copies:"] + [f"{c}," for c in labels[:-1]] + [labels[-1] + "."],
                     {k + 1: None for k in range(len(labels))})
        people = tuple(g for _, g in spec.copies if g)
        rows += [Row(text, i, "copies", people) for text, _ in wrap(items, width)]
    return rows


def compilation_rows(spec: Spec, i: int, width: int, rng: random.Random,
                     hyphens: float) -> list[Row]:
    """All the printed lines of one document of a compilation."""
    header = Para(_header_tokens(spec), {0: None})
    rows = [Row(text, i, "header") for text, _ in wrap(header, width)]
    rows += _opening(spec, i, rng)
    for para in spec.paragraphs:
        rows += [Row(t, i, "body", names) for t, names in wrap(para, width, rng, hyphens)]
    return rows + _closing(spec, i, width)


def soviet_spec(world: World, rng: random.Random, day: date, number: int, noise: float,
                numbers: list[str], charset: str | None = None) -> Spec:
    """One document of a Soviet-style compilation (`numbers`: recent telegram numbers;
    `charset`: the encoding its text must fit)."""
    key = iso(day)
    kind = rng.choices(list(TYPES), weights=list(TYPES.values()))[0]
    authors = parties(world, rng, day.year, key, 1, [])
    talks = kind in TALKS
    recipients = parties(world, rng, day.year, key, 2 if rng.random() < 0.04 else 1, authors)
    via = parties(world, rng, day.year, key, 1, authors + recipients, known_only=True) \
        if not talks and rng.random() < 0.18 else []
    writer = BodyWriter(world, rng, day, noise, charset)
    spec = Spec(kind, day, "month" if rng.random() < 0.04 else "day", authors, recipients, via,
                writer.paragraphs(body_bytes(rng)), number=number)
    spec.place = world.places[rng.randrange(12)]
    if kind in TELEGRAMS and rng.random() < 0.3:
        spec.telegram_no = str(rng.randint(1000, 9999))
        numbers.append(spec.telegram_no)
    if kind in TELEGRAMS and numbers[:-1] and rng.random() < 0.15:
        spec.reply_to = rng.choice(numbers[-20:-1])
    spec.outgoing = f"{rng.randint(100, 9999)}/sh" if rng.random() < 0.95 else None
    spec.copies = copies(world, rng, key) if rng.random() < 0.9 else []
    return spec


def _cut(rows: list[Row], lo_body: int, keep_tail: int, rng: random.Random) -> int | None:
    """Index at which to cut a document's rows inside its body, leaving at least `lo_body`
    body lines before and `keep_tail` after; None if it is too short."""
    body = [k for k, r in enumerate(rows) if r.kind == "body"]
    if len(body) < lo_body + keep_tail:
        return None
    return body[rng.randint(lo_body, len(body) - keep_tail)]


def interleave(docs: list[list[Row]], rng: random.Random, swaps: float) -> list[Row]:
    """The rows of a file whose columns were read straight across: the first document
    loses its head, and documents are now and then cut by the next one's first lines."""
    out: list[Row] = []
    cut = _cut(docs[0], 1, 2, rng)
    if cut is not None:
        docs[0] = docs[0][cut:]
    k = 0
    while k < len(docs):
        x = docs[k]
        if k + 1 < len(docs) and rng.random() < swaps:
            y = docs[k + 1]
            cx, cy = _cut(x, 1, 2, rng), _cut(y, 1, 1, rng)
            if cx is not None and cy is not None and x[0].kind == "header":
                out += x[:cx] + y[:cy] + x[cx:] + y[cy:]
                k += 2
                continue
        out += x
        k += 1
    return out


def _party_gold(ps: list[Party], in_text: bool, written: object = None) -> list[dict[str, Any]]:
    """Parties in the gold's shape. Someone the authority does not know is named by the words
    the document states the role with (`written`: those words where a layout uses other ones
    than the header form, e.g. `Cde. KORVANOV` on an archive page)."""
    forms = written if isinstance(written, list) else [p.written for p in ps]
    return [{"name": p.gold if p.linked else form, "as_written": form, "in_text": in_text}
            for p, form in zip(ps, forms, strict=True)]


def gold_document(rows: list[Row], lo: int, hi: int, spec: Spec, first: int = 1,
                  tail: bool = False) -> dict[str, Any]:
    """The gold of the document on rows[lo:hi] (line numbers from `first`); `tail`: its
    header is not among them, so only what its lines state counts as in the text."""
    span = rows[lo:hi]
    while len(span) > 1 and not span[-1].text.strip():
        span.pop()
    mine = [r for r in span if r.doc == span[0].doc]
    signer = spec.authors[0] if spec.authors else None
    signed = signer is not None and signer.linked and signer.sign_links and any(
        r.kind == "sign" for r in mine)
    g: dict[str, Any] = {"lines": [first + lo, first + lo + len(span) - 1]}
    if tail:
        g["starts_mid_document"] = True
    g["date"] = {"value": gold_date(spec),
                 "in_text": not tail or any(r.kind == "dateline" for r in mine)}
    g["type"] = {"value": spec.type, "in_text": not tail}
    written = spec.extra.get("written", {})
    assert isinstance(written, dict)
    g["authors"] = _party_gold(spec.authors, not tail or signed, written.get("authors"))
    if spec.type in TALKS:  # `Roshchin with Zhou Enlai`: the other side took part, unaddressed
        g["participants"] = _party_gold(spec.authors + spec.recipients, not tail)
    else:
        g["recipients"] = _party_gold(spec.recipients, not tail, written.get("recipients"))
    if spec.via:
        g["via"] = _party_gold(spec.via, not tail)
    g["refs"] = [{"value": r.ref[0], "role": r.ref[1], "line": first + lo + k}
                 for k, r in enumerate(span) if r.ref]
    listed = [k for k, r in enumerate(span) if r.kind == "copies"]
    if listed:
        text = " ".join(span[k].text for k in listed)[len("Copies: "):].rstrip(".")
        g["copies"] = {"lines": [first + lo + listed[0], first + lo + listed[-1]],
                       "to": [c.strip() for c in text.split(",")]}
    names = dict.fromkeys(n for r in span if r.kind == "body" for n in r.people)
    if spec.type in TALKS and not tail:  # the other side, named in the header
        names.update(dict.fromkeys(p.gold for p in spec.recipients if p.linked))
    g["people_mentioned"] = [{"name": n} for n in names]
    return g


def compilation_gold(rows: list[Row], specs: list[Spec], first: int = 1) -> list[dict[str, Any]]:
    """The gold documents of a compilation's rows (see the module's conventions)."""
    starts: list[tuple[int, bool]] = []
    for k, r in enumerate(rows):
        before = rows[k - 1] if k else None
        if r.kind == "header" and (before is None or before.kind != "header"
                                   or before.doc != r.doc):
            starts.append((k, False))
        elif before is None or (r.kind != "header" and before.doc != r.doc
                                and before.kind in CLOSING_KINDS):
            starts.append((k, True))
    out = []
    for n, (lo, tail) in enumerate(starts):
        hi = starts[n + 1][0] if n + 1 < len(starts) else len(rows)
        spec = specs[rows[lo].doc]
        g = gold_document(rows, lo, hi, spec, first, tail)
        g["id"] = f"{spec.number}" + (" (tail)" if tail else "")
        out.append(g)
    return out


def start_day(rng: random.Random, first: int = 1945, last: int = 1991) -> date:
    """The first day a file covers: most often around the Korean War, any year 1945–1991."""
    years = list(range(first, last + 1))
    weights = [0.25 + 8 * 2.718 ** -(((y - 1951) / 3.5) ** 2) for y in years]
    year = rng.choices(years, weights=weights)[0]
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def compilation(world: World, rng: random.Random, n: int, interleaved: bool, noise: float,
                width: int) -> tuple[list[Row], list[Spec]]:
    """The rows and documents of one compilation of `n` documents, in date order."""
    day = start_day(rng)
    number = rng.randint(1, 400)
    numbers: list[str] = []
    specs: list[Spec] = []
    for k in range(n):
        specs.append(soviet_spec(world, rng, min(day, LAST_DAY), number + k, noise, numbers))
        day += timedelta(days=rng.choice((0, 1, 1, 2, 3, 5)))
    docs = [compilation_rows(s, k, width, rng, HYPHEN_RATE) for k, s in enumerate(specs)]
    rows = interleave(docs, rng, 0.15) if interleaved else [r for d in docs for r in d]
    return rows, specs
