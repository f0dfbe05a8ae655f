"""The cast and the words of the synthetic collections (bench/corpus.py).

People and places come from the shipped authority file (so linking can be scored) and from a
few thousand invented minor ones that the authority does not know (they must stay unlinked).
Names are written as documents write them: short forms, full names, spelling variants,
capitals, and the cover names of ciphered correspondence on the dates they were in use (every
form is checked against the authority on the document's date, so the gold says what a reader
can link). Words follow a Zipf-like law over real words and tens of thousands of invented
ones (bench/vocabulary.py). OCR noise garbles a share of the words of printed sources.

The cast and the vocabulary depend only on WORLD_SEED, never on a collection's seed.
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from vocabulary import CONTENT_WORDS, FUNCTION_WORDS, PHRASES, SYLLABLES

from cablegram.authority.lookup import Authority, Record

WORLD_SEED = 4111
FIRST_YEAR, LAST_YEAR = 1945, 1991
TAIL_WORDS = 30_000  # invented words after the real ones: the long tail of rare terms
WORD_EXPONENT = 1.2  # about 77 % of running words are real ones
INVENTED_PEOPLE, INVENTED_PLACES = 2_600, 1_600
# Of the people running text names, this share is not in the authority; of correspondents,
# ROLE_INVENTED (more where the authority knows few people of the year).
INVENTED_SHARE, ROLE_INVENTED = 0.18, 0.06
GIVEN = {
    "ru": ("Ivan", "Pyotr", "Sergei", "Nikolai", "Mikhail", "Aleksei", "Grigorii", "Pavel",
           "Fyodor", "Boris", "Viktor", "Yuri", "Oleg", "Stepan", "Arkadii"),
    "en": ("Harold", "Walter", "Edward", "Robert", "Charles", "Arthur", "Frederick", "Ralph",
           "Howard", "Stanley", "Laurence", "Everett", "Clifford", "Warren", "Norman"),
}
SURNAME_ENDINGS = {"ru": ("ov", "ev", "in", "sky", "enko", "ovich", "ikov"),
                   "en": ("ton", "ford", "ley", "wood", "field", "man", "er", "well")}
EAST_FAMILIES = {"zh": ("Luo", "Fang", "Gu", "Tan", "Xu", "Ren", "Shao", "Pan", "Yuan", "Du"),
                 "ko": ("Cho", "Yun", "Ryu", "Han", "Sin", "Kwon", "Mun", "Chon", "Son", "Ok")}
EAST_SYLLABLES = {"zh": ("bao", "shan", "ming", "hua", "jun", "lin", "ping", "wei", "zhen",
                         "guo", "fu", "kang", "rong", "sheng", "tao", "xin", "yong", "zhi"),
                  "ko": ("chol", "sung", "min", "gil", "ho", "su", "yong", "dok", "chan", "il",
                         "bok", "hui", "jun", "man", "sik", "tae", "u", "won")}
PLACE_ENDINGS = {"ru": ("sk", "ovka", "ino", "evo", "grad"), "ko": ("ri", "dong", "gol", "ni"),
                 "zh": ("zhen", "zhou", "gou", "ying", "tun")}
OCR_SWAPS = (("rn", "m"), ("m", "rn"), ("l", "1"), ("e", "c"), ("o", "0"), ("h", "b"),
             ("u", "ii"), ("i", "í"), ("cl", "d"), ("a", "o"), ("n", "u"))
_UPPER_WORD = re.compile(r"[A-Z][A-Z’'\-]+")


def zipf_weights(n: int, exponent: float = 1.0, shift: float = 2.7) -> list[float]:
    """Zipf–Mandelbrot weights of ranks 1..n."""
    return [1.0 / (rank + shift) ** exponent for rank in range(1, n + 1)]


@dataclass
class Person:
    """Someone documents name: from the authority (`id`) or invented (`id` None)."""

    id: str | None
    name: str  # the gold name: the authority's preferred name, or the header form if invented
    short: str  # how a header writes them: `Shtykov`, `Mao Zedong`, `Korvanov`
    first: int
    last: int
    variants: list[str] = field(default_factory=list)  # other spellings (invented people)
    record: Record | None = None


@dataclass
class Place:
    """A place: from the authority (`id`) or an invented village, river or town."""

    id: str | None
    name: str
    variants: list[str] = field(default_factory=list)


def _years(record: Record) -> tuple[int, int]:
    """The years a person is plausibly active: around their offices and cover names."""
    spans = [(str(e.get("from") or 1945)[:4], str(e.get("to") or 1956)[:4])
             for e in [*record.offices, *record.pseudonyms]]
    if not spans:
        return FIRST_YEAR, 1956
    first = min(int(a) for a, _ in spans) - 3
    last = max(int(b) for _, b in spans) + 4
    return max(first, FIRST_YEAR), min(last, LAST_YEAR)


class World:
    """The vocabulary, people and places every collection draws on."""

    def __init__(self, authority: Authority) -> None:
        """Build the vocabulary and the cast (deterministic: WORLD_SEED)."""
        rng = random.Random(WORLD_SEED)
        self.authority = authority
        self.taken = {w for key in authority.names for w in key.split()}
        real = list(dict.fromkeys([*FUNCTION_WORDS, *CONTENT_WORDS]))
        self.vocabulary = real + self._invented_words(rng, set(real))
        self.cumulative = list(accumulate(zipf_weights(len(self.vocabulary), WORD_EXPONENT)))
        self.phrases = list(PHRASES)
        self.phrase_cumulative = list(accumulate(zipf_weights(len(PHRASES), shift=1.0)))
        self.known = [Person(r.id, r.name, r.short, *_years(r), record=r)
                      for r in authority.records.values() if r.kind == "person"]
        self.by_id = {p.id: p for p in self.known}
        self.invented = self._invented_people(rng)
        self.places = [Place(r.id, r.name, [v for v in r.variants if v != v.upper()])
                       for r in authority.records.values() if r.kind == "place"]
        self.places += self._invented_places(rng)
        self.place_cumulative = list(accumulate(zipf_weights(len(self.places))))
        self._by_year: dict[int, tuple[list[Person], list[float]]] = {}
        self._forms: dict[tuple[str, str], list[str]] = {}

    # --- building ---

    def _free(self, name: str, family: str) -> bool:
        """Whether an invented name is unknown to the authority, holds no known name and its
        family name is no known person's (so `Comrade Korvanov` can never be linked)."""
        a = self.authority
        key = family.lower()
        return (a.lookup(name) is None and not a.scan(name) and not a.scan_ambiguous(name)
                and key not in self.taken and key not in a.family)

    def _invented_words(self, rng: random.Random, real: set[str]) -> list[str]:
        """TAIL_WORDS invented words of two to four syllables, none a real word or a name."""
        out: dict[str, None] = {}
        while len(out) < TAIL_WORDS:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if len(word) >= 5 and word not in real and word not in self.taken:
                out[word] = None
        return list(out)

    def _surname(self, rng: random.Random, culture: str) -> str:
        """An invented family name in the manner of a culture."""
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2)))
        return (stem + rng.choice(SURNAME_ENDINGS[culture])).capitalize()

    def _invented_person(self, rng: random.Random, culture: str) -> tuple[str, str, list[str]]:
        """A full name in the header form, its family name and its other spellings."""
        if culture in EAST_FAMILIES:
            family = rng.choice(EAST_FAMILIES[culture])
            a, b = rng.sample(EAST_SYLLABLES[culture], 2)
            other = [f"{family} {a.capitalize()}-{b}"]  # Ren Sheng-tao, Cho Min-gil
            if culture == "zh":
                return f"{family} {(a + b).capitalize()}", family, other
            return f"{family} {a.capitalize()} {b.capitalize()}", family, other
        surname = self._surname(rng, culture)
        given = rng.choice(GIVEN[culture])
        return f"{given} {surname}", surname, [surname, f"{given[0]}. {surname}"]

    def _invented_people(self, rng: random.Random) -> list[Person]:
        """INVENTED_PEOPLE minor people (officers, clerks, consuls) the authority lacks."""
        out: list[Person] = []
        seen: set[str] = set()
        for _ in range(INVENTED_PEOPLE * 50):
            if len(out) == INVENTED_PEOPLE:
                break
            culture = rng.choice(("ru", "ru", "en", "zh", "ko"))
            name, family, variants = self._invented_person(rng, culture)
            if name in seen or not all(self._free(n, family) for n in [name, *variants]):
                continue
            seen.add(name)
            first = rng.randint(FIRST_YEAR, LAST_YEAR - 4)
            out.append(Person(None, name, name, first, min(first + rng.randint(4, 20),
                                                           LAST_YEAR), variants))
        return out

    def _invented_places(self, rng: random.Random) -> list[Place]:
        """INVENTED_PLACES villages, rivers and towns the authority lacks."""
        out: list[Place] = []
        seen: set[str] = set()
        for _ in range(INVENTED_PLACES * 50):
            if len(out) == INVENTED_PLACES:
                break
            culture = rng.choice(tuple(PLACE_ENDINGS))
            stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2)))
            name = (stem + rng.choice(PLACE_ENDINGS[culture])).capitalize()
            if name not in seen and self._free(name, name):
                seen.add(name)
                out.append(Place(None, name))
        return out

    # --- drawing ---

    def words(self, rng: random.Random, n: int) -> list[str]:
        """`n` words drawn from the Zipf-like vocabulary."""
        return rng.choices(self.vocabulary, cum_weights=self.cumulative, k=n)

    def phrase(self, rng: random.Random) -> str:
        """A stock phrase, the common ones more often."""
        cum = self.phrase_cumulative
        return self.phrases[bisect(cum, rng.random() * cum[-1])]

    def place(self, rng: random.Random) -> Place:
        """A place, the well-known ones (listed first) more often."""
        cum = self.place_cumulative
        return self.places[bisect(cum, rng.random() * cum[-1])]

    def _active(self, year: int) -> tuple[list[Person], list[float]]:
        """The known people active in `year` (file order gives the Zipf rank) and weights."""
        if year not in self._by_year:
            people = [p for p in self.known if p.first <= year <= p.last]
            self._by_year[year] = (people, list(accumulate(zipf_weights(len(people)))))
        return self._by_year[year]

    def person(self, rng: random.Random, year: int, invented: float = INVENTED_SHARE) -> Person:
        """Someone active in `year`: a known person, or (share `invented`) an invented one."""
        people, cum = self._active(year)
        if not people or rng.random() < invented:
            return self.invented_person(rng, year)
        return people[bisect(cum, rng.random() * cum[-1])]

    def invented_person(self, rng: random.Random, year: int) -> Person:
        """An invented person, preferring one active in `year`."""
        for _ in range(8):
            p = rng.choice(self.invented)
            if p.first <= year <= p.last:
                return p
        return p

    def forms(self, person: Person, day: str) -> list[str]:
        """The ways a text may write a known person on `day` so that the authority links
        them: the short form, the full name, variants, capitals, cover names then in use."""
        key = (person.id or person.name, day[:7])
        if key not in self._forms:
            self._forms[key] = self._valid_forms(person, day)
        return self._forms[key]

    def _valid_forms(self, person: Person, day: str) -> list[str]:
        """Every form of a known person that links to them alone on `day`."""
        r = person.record
        if r is None:
            return []
        names = [r.short, r.short.upper(), r.name, *r.variants,
                 *(str(p["name"]) for p in r.pseudonyms)]
        names += [str(p["name"]).upper() for p in r.pseudonyms]
        out = []
        for n in dict.fromkeys(names):
            rec = self.authority.lookup(n, day)
            if len(n) >= 3 and rec is not None and rec.id == r.id:
                out.append(n)
        return out

    def cover_name(self, person: Person, day: str) -> str | None:
        """The cover name a ciphered telegram would sign with on `day` (`Filippov`), if any."""
        r = person.record
        if r is None:
            return None
        valid = set(self.forms(person, day))
        names = [str(p["name"]) for p in r.pseudonyms if str(p["name"]) in valid]
        return names[0] if names else None

    def body_form(self, rng: random.Random, person: Person, day: str) -> tuple[str, bool]:
        """How running text writes someone, and whether a reader can link it."""
        if person.record is None:
            return rng.choice([person.name, *person.variants]), False
        forms = self.forms(person, day)
        if not forms:
            return person.name, False
        short = [f for f in forms if f in (person.short, person.short.upper())]
        if short and rng.random() < 0.6:
            return rng.choice(short), True
        return rng.choice(forms), True


def ocr_noise(rng: random.Random, word: str) -> str:
    """The word as a poor OCR reads it: one letter confused, doubled or lost."""
    if len(word) < 4:
        return word
    for old, new in rng.sample(OCR_SWAPS, 3):
        at = word.find(old, 1)
        if at > 0:
            return word[:at] + new + word[at + len(old):]
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1:]


def capitals(text: str) -> bool:
    """Whether a name is written in capitals (`SHTYKOV`, `KIM IL SUNG`)."""
    return all(_UPPER_WORD.fullmatch(w) for w in text.split())
