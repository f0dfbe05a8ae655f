"""Authority records (people, places, organisations) and the name index built from them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cablegram.errors import InputError
from cablegram.regexes import trie

KINDS = {"people.yaml": "person", "places.yaml": "place", "organizations.yaml": "organization"}
_STOP = {"the", "of", "to", "in", "at", "a", "and"}
# Words that make a different office of the same title: the Acting or Deputy Secretary of State.
_MODIFIERS = {"acting", "deputy", "assistant", "under", "vice", "former", "first", "second",
              "third", "counselor", "charge", "chargé"}


_INITIAL = re.compile(r"^[A-Z]\.$")


_DOTS_HYPHENS = re.compile(r"[.\-]")
_SPACE_RUNS = re.compile(r"\s+")
# Characters around a name in running text that make it part of a longer word.
_NAME_EDGE = r"[\w’'-]"
NAME_KEY_CACHE = 1 << 16  # folded names kept (the same names recur in every document)


@lru_cache(maxsize=NAME_KEY_CACHE)
def name_key(text: str) -> str:
    """Fold a name for lookup: no accents, no case, no dots, hyphens as spaces."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    if not text.isascii():
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = _DOTS_HYPHENS.sub(" ", text.casefold())
    return _SPACE_RUNS.sub(" ", text).strip(" ,;:'")


def name_pattern(forms: set[str]) -> re.Pattern[str]:
    """One regex finding any of the forms in running text, as written, not inside a longer
    word; at each place the longest form wins. A trie, so matching costs the same however
    many forms there are. It opens on the forms' first letters, one plain alternative each
    (the letter not inside a word is tested right after it), so the regex engine skips
    straight to the places where one of those letters stands."""
    if not forms:
        return re.compile(rf"(?<!{_NAME_EDGE})(?!{_NAME_EDGE})")
    rests: dict[str, set[str]] = {}
    for form in forms:
        rests.setdefault(form[0], set()).add(form[1:])
    alts = [rf"{re.escape(c)}(?<!{_NAME_EDGE}{re.escape(c)})(?:{trie(rests[c])})"
            for c in sorted(rests)]
    return re.compile(rf"(?:{'|'.join(alts)})(?!{_NAME_EDGE})")


@dataclass
class Record:
    """One authority record."""

    id: str
    name: str
    kind: str
    short: str
    wikidata: str | None = None
    variants: list[str] = field(default_factory=list)
    pseudonyms: list[dict[str, Any]] = field(default_factory=list)
    offices: list[dict[str, Any]] = field(default_factory=list)
    tz: str | None = None


def _parse_record(raw: Any, kind: str, origin: str) -> Record:
    """Validate one YAML entry and make it a Record."""
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("name"):
        raise InputError(f"{origin}: every entry needs an 'id' and a 'name' (got {raw!r}).")
    unknown = set(raw) - {"id", "name", "short", "wikidata", "variants", "pseudonyms",
                          "offices", "tz", "note"}
    if unknown:
        raise InputError(f"{origin}: entry {raw['id']!r} has unknown keys {sorted(unknown)}.")
    for key, needed in (("pseudonyms", "name"), ("offices", "title")):
        items = raw.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) and i.get(needed)
                                                  for i in items):
            raise InputError(f"{origin}: entry {raw['id']!r}: every item of '{key}' needs "
                             f"a '{needed}'.")
    if not isinstance(raw.get("variants", []), list):
        raise InputError(f"{origin}: entry {raw['id']!r}: 'variants' must be a list.")
    return Record(
        id=str(raw["id"]), name=str(raw["name"]), kind=kind,
        short=str(raw.get("short") or raw["name"]), wikidata=raw.get("wikidata"),
        variants=[str(v) for v in raw.get("variants", [])],
        pseudonyms=list(raw.get("pseudonyms", [])), offices=list(raw.get("offices", [])),
        tz=raw.get("tz"),
    )


def load_file(path: Path, text: str) -> list[Record]:
    """Parse one authority file; its kind comes from its name (people/places/organizations)."""
    kind = KINDS.get(path.name)
    if kind is None:
        raise InputError(f"{path}: authority files are named {', '.join(KINDS)}.")
    try:
        data = yaml.safe_load(text) or []
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc}). Fix the syntax and retry.") from exc
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a list of entries.")
    return [_parse_record(r, kind, str(path)) for r in data]


class Authority:
    """The loaded authority records and an index from folded names to records."""

    def __init__(self, records: list[Record]) -> None:
        """Index the records by every name they are known by."""
        self.records = {r.id: r for r in records}
        if len(self.records) != len(records):
            ids = [r.id for r in records]
            dupes = {i for i in ids if ids.count(i) > 1}
            raise InputError(f"authority: duplicate ids {sorted(dupes)}; make each id unique.")
        self.names: dict[str, list[tuple[Record, dict[str, Any] | None]]] = {}
        for r in records:
            for n in [r.name, r.short, *r.variants]:
                self._add(n, r, None)
            for p in r.pseudonyms:
                self._add(str(p["name"]), r, p)
        self._offices = [(r, o, office_words(str(o["title"])))
                         for r in records for o in r.offices]
        self._offices_by_word = _by_first_word(self._offices)
        # Names whose record does not depend on the date (no pseudonym with dates among them).
        self._undated = {k: es[0][0] if len(es) == 1 else None for k, es in self.names.items()
                         if all(p is None for _, p in es)}
        self._person_names = {k for k, es in self.names.items()
                              if any(r.kind == "person" for r, _ in es)}
        self._scanner = self._build_scanner()
        self.family = self._family_names()
        self._ambiguous = self._build_ambiguous_scanner()

    def _add(self, name: str, record: Record, pseudonym: dict[str, Any] | None) -> None:
        """Index one name form."""
        entries = self.names.setdefault(name_key(name), [])
        if all(e[0].id != record.id for e in entries):
            entries.append((record, pseudonym))

    def _build_scanner(self) -> re.Pattern[str]:
        """Build one regex that finds any known name in running text (case as written)."""
        forms: set[str] = set()
        for r in self.records.values():
            for n in [r.name, r.short, *r.variants, *(str(p["name"]) for p in r.pseudonyms)]:
                if len(n) >= 3:
                    forms.update({n, n.upper()})
        return name_pattern(forms)

    def _family_names(self) -> dict[str, list[Record]]:
        """People by family name: the first word of the short form (`Gromyko`; `Kim` of
        `Kim Il Sung`, `Chen` of `Chen Yun`), the last when it has initials (`John E. Hull`)."""
        out: dict[str, list[Record]] = {}
        for r in self.records.values():
            if r.kind != "person":
                continue
            words = r.short.split()  # `John E. Hull`: a middle initial puts the family last
            family = words[-1] if any(_INITIAL.match(w) for w in words) else words[0]
            family = family.split("-")[0]
            if len(family) >= 3 and family[0].isupper() and family[1:].islower():
                out.setdefault(name_key(family), []).append(r)
        return out

    def _build_ambiguous_scanner(self) -> re.Pattern[str] | None:
        """One regex for the family names that several people share, as written or in capitals."""
        forms = {n.title() for n, rs in self.family.items() if len(rs) > 1} - set(self.names)
        forms |= {f.upper() for f in forms}
        return name_pattern(forms) if forms else None

    def candidates(self, name: str) -> list[Record]:
        """The people a bare family name could stand for, when more than one shares it."""
        found = self.family.get(name_key(name), [])
        return list(found) if len(found) > 1 else []

    def scan_ambiguous(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, as written) for bare family names several people share."""
        if self._ambiguous is None:
            return []
        return [(m.start(), m.end(), m.group(0)) for m in self._ambiguous.finditer(text)]

    def get(self, record_id: str) -> Record | None:
        """Return the record with this id."""
        return self.records.get(record_id)

    def lookup(self, name: str, date: str | None = None) -> Record | None:
        """Return the one record a name denotes on a date, or None (unknown or ambiguous)."""
        key = name_key(name)
        undated = self._undated.get(key, _DATED)
        if undated is not _DATED:
            return undated
        entries = self.names.get(key, [])
        found = [r for r, p in entries if p is None or not date or _in_dates(p, date)]
        return found[0] if len(found) == 1 else None

    def is_person(self, name: str) -> bool:
        """Whether some person is known by this name (at any date)."""
        return name_key(name) in self._person_names

    def holder(self, office_text: str, date: str | None) -> Record | None:
        """Return who held the office a phrase names on a date ("Soviet ambassador to the PRC")."""
        if not date:
            return None
        words = office_words(office_text)
        found = []
        for word in (*words, ""):  # offices whose first title word (sorted) it has
            for r, o, title in self._offices_by_word.get(word, ()):
                if not title <= words or (words - title) & _MODIFIERS:  # an *Acting* Secretary
                    continue
                if _in_dates(o, date):
                    found.append(r)
        return found[0] if len({r.id for r in found}) == 1 else None

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, as written) for every known name in text, longest first."""
        return [(m.start(), m.end(), m.group(0)) for m in self._scanner.finditer(text)]


_PLACE_ABBREVIATIONS = [
    (re.compile(r"(?<!People’s )(?<!People's )Republic of China", re.I), "ROC"),
    (re.compile(r"People[’']s Republic of China(?:\s*\[PRC\])?|\bChina\b", re.I), "PRC"),
    (re.compile(r"Democratic People[’']s Republic of Korea|\bNorth Korea\b", re.I), "DPRK"),
    (re.compile(r"\bUSSR\b|Soviet Union", re.I), "USSR"),
]


_Office = tuple[Record, dict[str, Any], frozenset[str]]  # a record, one of its offices, its words
_DATED = Record("", "", "", "")  # lookup's mark for a name whose record depends on the date


def _by_first_word(offices: list[_Office]) -> dict[str, list[_Office]]:
    """Offices by the first of their title's words in sorted order ("" for a title of none):
    a phrase names an office only if it has all its words, so that one among them."""
    out: dict[str, list[_Office]] = {}
    for office in offices:
        out.setdefault(min(office[2], default=""), []).append(office)
    return out


OFFICE_WORDS_CACHE = 1 << 12  # office phrases kept with their words (they recur)


@lru_cache(maxsize=OFFICE_WORDS_CACHE)
def office_words(text: str) -> frozenset[str]:
    """The words of an office title or phrase, countries written short, small words left out."""
    return frozenset(name_key(_expand_places(text)).split()) - _STOP


def _expand_places(text: str) -> str:
    """Write country names the short way offices use, so titles compare word by word."""
    for pattern, short in _PLACE_ABBREVIATIONS:
        text = pattern.sub(short, text)
    return text


def _in_dates(entry: dict[str, Any], date: str) -> bool:
    """Whether an ISO date falls within an office's or pseudonym's from/to (year or year-month)."""
    lo, hi = str(entry.get("from") or "0000"), str(entry.get("to") or "9999")
    d = date[: max(len(lo), len(hi))]
    return lo[: len(d)] <= d and d[: len(hi)] <= hi


def read_authority_files(extra: list[Path] | None = None) -> list[Record]:
    """Read the shipped authority files, then any the user adds."""
    records: list[Record] = []
    data_dir = resources.files("cablegram.authority") / "data"
    for fname in KINDS:
        entry = data_dir / fname
        records.extend(load_file(Path(fname), entry.read_text(encoding="utf-8")))
    for path in extra or []:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read authority file ({exc}).") from exc
        records.extend(load_file(path, text))
    return records


@lru_cache(maxsize=1)
def default_authority() -> Authority:
    """Return the authority built from the shipped files (cached)."""
    return Authority(read_authority_files())
