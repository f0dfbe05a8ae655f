"""A seeded generator of synthetic diplomatic correspondence, for the search benchmark.

It writes `cablegram.model.Document` objects directly (no extraction pipeline): telegrams,
cables, letters and memoranda dated 1945–1991, exchanged by the people of the shipped authority
file under their real ids, names, spellings and pseudonyms (Filippov [Stalin] in 1949–1953),
with via, copy lists, participants, places and organisations as linked mentions carrying the
line they stand on. The words follow a Zipf-like distribution over a vocabulary of a few hundred
real words and tens of thousands of invented ones, so a common word hits most documents and a
rare one a few dozen. Lengths run from 200 bytes to 10 KB (about 2 KB on average). Documents
come grouped in sources, one per synthetic file of a collection, each around one year.

The same seed, size and GENERATOR_VERSION give the same archive, byte for byte.
"""

from __future__ import annotations

import hashlib
import math
import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from synthetic_layout import source_documents
from vocabulary import CONTENT_WORDS, FUNCTION_WORDS, PHRASES, SYLLABLES

from cablegram.authority.lookup import Authority, Record
from cablegram.model import Document, Mention
from cablegram.store.sqlite import SourceInfo

GENERATOR_VERSION = "2"
DEFAULT_SEED = 1950
FIRST_YEAR, LAST_YEAR = 1945, 1991
TAIL_WORDS = 40_000  # invented words after the real ones: the long tail of rare terms
# Zipf exponent of the words: 70 % of the running words are real ones; a word of rank 15 000
# is in about 110 documents of 100 000, the last invented one in about 35.
WORD_EXPONENT = 1.15
PHRASE_SHARE = 0.06  # sentences holding a stock phrase ("air cover" is in about 12 % of documents)
VOCABULARY_SEED = 7  # the vocabulary is the same whatever the document seed
MIN_BYTES, MAX_BYTES, MEDIAN_BYTES = 200, 10_000, 1_500
FRAME_BYTES = 300  # heading, dateline, address, signature, numbers: at most about this
DOCS_PER_SOURCE = 33  # average; a few thousand sources for 100 000 documents
COLLECTIONS = {"foreign-ministry": 35, "party-archive": 25, "state-department": 20,
               "military-archive": 12, "embassy-files": 8}
PRECISIONS = {"day": 85, "month": 8, "year": 4, "none": 3}
# The most active people first (the rest follow in file order): a Zipf-like share of roles.
CORE_PEOPLE = ("stalin", "mao", "zhou-enlai", "kim-il-sung", "shtykov", "roshchin", "molotov",
               "vyshinsky", "gromyko", "truman", "acheson", "macarthur", "syngman-rhee",
               "peng-dehuai", "razuvaev", "liu-shaoqi", "dulles", "eisenhower", "khrushchev",
               "panikkar", "nehru", "muccio", "kennan", "bevin", "pak-heon-yeong")
INTERMEDIARIES = ("roshchin", "shtykov", "razuvaev", "panyushkin", "kovalev", "zakharov",
                  "panikkar", "muccio", "kirk", "bohlen", "gascoigne", "wu-xiuquan", "shi-zhe")
CORE_PLACES = ("moscow", "beijing", "pyongyang", "seoul", "washington", "korea", "tokyo",
               "london", "shenyang", "andong", "yalu", "38th-parallel", "kaesong", "panmunjom",
               "new-york", "manchuria", "taiwan", "port-arthur", "incheon", "new-delhi")
CABLE_OFFICES = ("moscow", "beijing", "pyongyang", "seoul", "washington", "tokyo", "london",
                 "new-delhi", "new-york", "shenyang")


@dataclass
class Person:
    """An authority record as the generator uses it: weight, active years, pseudonyms."""

    record: Record
    first: int
    last: int


def _weights(n: int, exponent: float = 1.0, shift: float = 2.7) -> list[float]:
    """Zipf–Mandelbrot weights of ranks 1..n."""
    return [1.0 / (rank + shift) ** exponent for rank in range(1, n + 1)]


def _invented_words(taken: set[str]) -> list[str]:
    """TAIL_WORDS invented words of two to four syllables, none a real word or known name."""
    rng = random.Random(VOCABULARY_SEED)
    out: dict[str, None] = {}
    while len(out) < TAIL_WORDS:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in taken and len(word) >= 5:
            out[word] = None
    return list(out)


def _years(record: Record) -> tuple[int, int]:
    """The years a person is plausibly active: around their offices and pseudonyms."""
    spans = [(str(e.get("from") or FIRST_YEAR)[:4], str(e.get("to") or LAST_YEAR)[:4])
             for e in [*record.offices, *record.pseudonyms]]
    if not spans:
        return FIRST_YEAR, LAST_YEAR
    first = min(int(a) for a, _ in spans) - 3
    last = max(int(b) for _, b in spans) + 3
    return max(first, FIRST_YEAR), min(last, LAST_YEAR)


def _in_span(entry: dict[str, object], day: str) -> bool:
    """Whether an ISO date lies within a pseudonym's from/to (year or year-month)."""
    lo, hi = str(entry.get("from") or "0000"), str(entry.get("to") or "9999")
    return lo <= day[:len(lo)] and day[:len(hi)] <= hi


class Generator:
    """Deterministic synthetic sources: the same seed gives the same documents."""

    def __init__(self, authority: Authority, seed: int = DEFAULT_SEED) -> None:
        """Prepare the vocabulary, people, places and organisations for `seed`."""
        self.rng = random.Random(seed)
        self.authority = authority
        real = list(dict.fromkeys([*FUNCTION_WORDS, *CONTENT_WORDS]))
        taken = set(real) | {w for key in authority.names for w in key.split()}
        self.vocabulary = real + _invented_words(taken)
        self.cumulative = list(accumulate(_weights(len(self.vocabulary), WORD_EXPONENT)))
        self.phrases = list(PHRASES)
        self.phrase_weights = list(accumulate(_weights(len(PHRASES), shift=1.0)))
        self._people(authority)
        self.places = self._ranked("place", CORE_PLACES)
        self.place_weights = list(accumulate(_weights(len(self.places))))
        self.organizations = self._ranked("organization", ())
        self.organization_weights = list(accumulate(_weights(len(self.organizations))))
        self.numbers: list[str] = []  # recent telegram numbers, for replies
        self.years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        self.year_weights = list(accumulate(
            1 + 8 * math.exp(-(((y - 1951) / 2.5) ** 2)) for y in self.years))

    def choose(self, table: dict[str, int]) -> str:
        """One key of a {value: weight} table."""
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def _ranked(self, kind: str, first: tuple[str, ...]) -> list[Record]:
        """Records of a kind, the given ids first, the rest in file order."""
        records = [r for r in self.authority.records.values() if r.kind == kind]
        head = [self.authority.records[i] for i in first]
        return head + [r for r in records if r.id not in first]

    def _people(self, authority: Authority) -> None:
        """People by year: for each year, the active ones and their cumulative weights."""
        people = [Person(r, *_years(r)) for r in self._ranked("person", CORE_PEOPLE)]
        weights = _weights(len(people))
        self.by_year: dict[int, tuple[list[Person], list[float]]] = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            active = [(p, w) for p, w in zip(people, weights, strict=True)
                      if p.first <= year <= p.last]
            self.by_year[year] = ([p for p, _ in active],
                                  list(accumulate(w for _, w in active)))
        self.intermediaries = [authority.records[i] for i in INTERMEDIARIES]

    # --- names as written ---

    def person(self, year: int) -> Record:
        """A person active in `year`, the frequent ones more often."""
        people, cumulative = self.by_year[year]
        return people[bisect(cumulative, self.rng.random() * cumulative[-1])].record

    def people(self, year: int, n: int, besides: list[Record]) -> list[Record]:
        """`n` different people active in `year`, none of `besides`."""
        out: list[Record] = []
        seen = {r.id for r in besides}
        for _ in range(n * 4):
            if len(out) == n:
                return out
            r = self.person(year)
            if r.id not in seen:
                seen.add(r.id)
                out.append(r)
        # Unlucky draws (the busiest people again and again): take the next active ones.
        more = [p.record for p in self.by_year[year][0] if p.record.id not in seen]
        return out + more[:n - len(out)]

    def written(self, record: Record, day: str | None) -> tuple[str, str]:
        """How a document writes a name (a pseudonym when one was in use, else a spelling,
        sometimes in capitals or with `Cde.`), and the label of titles (`Filippov [Stalin]`)."""
        rng = self.rng
        valid = [p for p in record.pseudonyms if day and _in_span(p, day)]
        if valid and rng.random() < 0.6:
            name = str(rng.choice(valid)["name"])
            return (name.upper() if rng.random() < 0.4 else name), f"{name} [{record.short}]"
        roll = rng.random()
        if roll < 0.55:
            form = record.short
        elif roll < 0.75:
            form = record.short.upper()
        elif roll < 0.9 or not record.variants:
            form = record.name
        else:
            form = rng.choice(record.variants)
        return form, record.short

    def mention(self, record: Record, day: str | None) -> tuple[str, Mention]:
        """A linked mention (its line set when the text is laid out) and its title label."""
        form, label = self.written(record, day)
        return label, Mention(form, None, record.id, record.name)

    def place_mention(self) -> Mention:
        """A linked place, written by its name, a variant or in capitals."""
        r = self.places[bisect(self.place_weights, self.rng.random() * self.place_weights[-1])]
        roll = self.rng.random()
        form = r.name.upper() if roll < 0.2 else (
            self.rng.choice(r.variants) if roll < 0.3 and r.variants else r.name)
        return Mention(form, None, r.id, r.name)

    def organization_mention(self) -> Mention:
        """A linked organisation by its name or a variant."""
        weights = self.organization_weights
        r = self.organizations[bisect(weights, self.rng.random() * weights[-1])]
        form = self.rng.choice(r.variants) if r.variants and self.rng.random() < 0.5 else r.name
        return Mention(form, None, r.id, r.name)

    # --- text ---

    def words(self, n: int) -> list[str]:
        """`n` words drawn from the Zipf-like vocabulary."""
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=n)

    def body(self, chars: int, names: list[Mention]) -> list[tuple[str, Mention | None]]:
        """Sentences of about `chars` characters as pieces; the names are set among them."""
        rng = self.rng
        words: list[str] = []
        while (room := chars - sum(len(w) + 1 for w in words)) > 0:  # about 6 characters a word
            words += self.words(max(2, room // 6))
        pieces: list[tuple[str, Mention | None]] = []
        i = 0
        while i < len(words):
            sentence = words[i:i + rng.randint(6, 24)]
            i += len(sentence)
            if rng.random() < PHRASE_SHARE:
                phrase = self.phrases[bisect(self.phrase_weights,
                                             rng.random() * self.phrase_weights[-1])]
                sentence.insert(rng.randrange(len(sentence) + 1), phrase)
            if rng.random() < 0.04:
                pieces.append((f"{rng.randint(1, 9)}.", None))
            sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
            sentence[-1] += "."
            pieces += [(w, None) for w in sentence]
        for mention in names:
            at = rng.randrange(len(pieces) + 1)
            pieces.insert(at, (mention.as_written, mention))
        return pieces

    def length(self) -> int:
        """Characters of running text: the document (log-normal around MEDIAN_BYTES, within
        the bounds) less what its heading, address and signature take."""
        size = int(math.exp(self.rng.gauss(math.log(MEDIAN_BYTES), 0.8)))
        return max(min(max(size, MIN_BYTES), MAX_BYTES) - FRAME_BYTES, MIN_BYTES - 50)

    def date(self, centre: int) -> tuple[str | None, str | None]:
        """A date near `centre` (a year) at some precision, as stored, and its precision."""
        rng = self.rng
        year = min(max(centre + rng.choice((-1, 0, 0, 0, 1)), FIRST_YEAR), LAST_YEAR)
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        precision = self.choose(PRECISIONS)
        if precision == "none":
            return None, None
        text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(year)}
        return text[precision], precision

    def year(self) -> int:
        """A year of 1945–1991, most often around the Korean War."""
        return self.rng.choices(self.years, cum_weights=self.year_weights)[0]

    def transmission(self, day: str, first_line: int) -> dict[str, Any]:
        """Sent and received times with places, zones and UTC, channel and transit minutes."""
        rng = self.rng
        origin, target = (self.authority.records[p] for p in rng.sample(CABLE_OFFICES, 2))
        local = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(origin.tz or "UTC"))
        sent = (local + timedelta(minutes=rng.randrange(24 * 60))).astimezone(UTC)
        minutes = rng.randint(25, 900)
        ends = []
        for place, at in ((origin, sent), (target, sent + timedelta(minutes=minutes))):
            there = at.astimezone(ZoneInfo(place.tz or "UTC"))
            ends.append({"local": there.strftime("%Y-%m-%dT%H:%M"), "place": place.name,
                         "place_id": place.id, "tz": place.tz,
                         "utc": at.strftime("%Y-%m-%dT%H:%MZ"), "line": first_line})
        return {"sent": ends[0], "received": ends[1], "registered": None,
                "from_place": ends[0]["place"], "to_place": ends[1]["place"], "channel": "wire",
                "priority": "extremely urgent" if rng.random() < 0.2 else None,
                "minutes": minutes}

    # --- sources ---

    def sources(self, size: int) -> Iterator[tuple[SourceInfo, list[Document]]]:
        """Sources holding `size` documents in all (enclosures counted)."""
        made = 0
        serial = 0
        while made < size:
            serial += 1
            count = min(size - made, max(1, int(self.rng.expovariate(1 / DOCS_PER_SOURCE))))
            collection = self.choose(COLLECTIONS)
            centre = self.year()
            name = f"{collection}-{centre}-{serial:05d}.txt"
            docs, text = source_documents(self, name, count, centre)
            data = text.encode("utf-8")
            sha = hashlib.sha256(data).hexdigest()
            made += sum(1 + len(d.enclosures) for d in docs)
            yield SourceInfo(sha, name, f"synthetic/{collection}/{name}", "text/plain",
                             len(data), "text", collection), docs

