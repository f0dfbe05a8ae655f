"""Check authority files: what the loader rejects, plus dates, zones, IDs and shared names."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cablegram.authority.lookup import KINDS, load_file, name_key, read_authority_files
from cablegram.errors import InputError

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WIKIDATA = re.compile(r"^Q\d+$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

# Bare names that many people share: they may never be a variant, short form or pseudonym.
BARE_SURNAMES = frozenset({
    "kim", "pak", "park", "li", "lee", "yi", "ri", "choe", "choi", "chang", "jang", "zhang",
    "wang", "chen", "liu", "wu", "huang", "hong", "song", "sun", "ho", "he", "han", "kang",
    "menon", "smith", "johnson",
})
# Ordinary English words that are also names: as a name form they would match running text.
COMMON_WORDS = frozenset({
    "lie", "may", "will", "long", "joy", "hull", "lamb", "gross", "wake", "young", "younger",
    "merchant", "grant", "general", "premier", "marshal", "minister", "chairman",
})


@dataclass
class _Form:
    """One name form of one entry, for the shared-name check."""

    record: str
    origin: str  # the file name for shipped files, the path for the user's
    dates: tuple[str, str] | None  # a pseudonym's (from, to); None for names used at any date


def _data_files() -> list[tuple[str, str, str]]:
    """(label, file name, text) of each shipped authority file."""
    data_dir = resources.files("cablegram.authority") / "data"
    return [(str(data_dir / f), f, (data_dir / f).read_text(encoding="utf-8")) for f in KINDS]


def _user_files(extra: list[Path]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(label, file name, text) of each readable user file, and problems for the others."""
    files: list[tuple[str, str, str]] = []
    problems: list[str] = []
    for path in extra:
        try:
            files.append((str(path), path.name, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot read authority file ({exc}).")
    return files, problems


def _date_bounds(value: Any) -> tuple[str, str] | None:
    """Earliest and latest ISO day a from/to value covers, or None when it is malformed."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), value.isoformat()
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    m = _DATE.match(str(value))
    if m is None:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        if day:
            dt.date(int(year), int(month), int(day))
            return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
        if month:
            if not 1 <= int(month) <= 12:
                return None
            return f"{year}-{month}-01", f"{year}-{month}-31"
    except ValueError:
        return None
    return f"{year}-01-01", f"{year}-12-31"


def _check_dated(entry: Any, what: str, key: str, where: str) -> tuple[list[str], tuple[str, str]]:
    """Problems of one office or pseudonym, and the span of days it covers."""
    if not isinstance(entry, dict) or not entry.get(key):
        return [f"{where}: every {what} needs a '{key}' (got {entry!r})."], ("0000", "9999")
    problems = []
    unknown = set(entry) - {key, "from", "to", "note"}
    if unknown:
        problems.append(f"{where}: {what} {entry[key]!r} has unknown keys {sorted(unknown)}.")
    lo, hi = "0000-01-01", "9999-12-31"
    bounds = {}
    for end in ("from", "to"):
        if entry.get(end) is None:
            continue
        span = _date_bounds(entry[end])
        if span is None:
            problems.append(f"{where}: {what} {entry[key]!r} has a malformed '{end}' date "
                            f"{entry[end]!r}; write YYYY or YYYY-MM.")
        else:
            bounds[end] = span
    if "from" in bounds:
        lo = bounds["from"][0]
    if "to" in bounds:
        hi = bounds["to"][1]
    if "from" in bounds and "to" in bounds and bounds["from"][0] > bounds["to"][1]:
        problems.append(f"{where}: {what} {entry[key]!r} ends ({entry['to']}) before it "
                        f"starts ({entry['from']}).")
    return problems, (lo, hi)


def _check_entry(raw: Any, kind: str, label: str, origin: str,
                 forms: dict[str, list[_Form]]) -> list[str]:
    """Problems of one entry beyond what the loader checks; record its name forms."""
    problems: list[str] = []
    try:  # the loader's own validation, one entry at a time so that every bad entry shows
        load_file(Path(label), yaml.safe_dump([raw], allow_unicode=True))
    except InputError as exc:
        return [str(exc)]
    rid = str(raw["id"])
    where = f"{label}: {rid}"
    if not _ID.match(rid):
        problems.append(f"{where}: the id should be a lowercase-hyphen slug (like 'zhou-enlai').")
    if raw.get("wikidata") is not None and not _WIKIDATA.match(str(raw["wikidata"])):
        problems.append(f"{where}: wikidata {raw['wikidata']!r} is not a Q-number (like Q855).")
    if raw.get("tz") is not None and str(raw["tz"]) not in zoneinfo.available_timezones():
        problems.append(f"{where}: tz {raw['tz']!r} is not an IANA time zone (like Asia/Seoul).")
    if kind == "person" and raw.get("tz") is not None:
        problems.append(f"{where}: only places have a time zone.")
    if kind != "person":
        for key in ("offices", "pseudonyms"):
            if raw.get(key):
                problems.append(f"{where}: only people have {key}; this entry is a {kind}.")
    variants = raw.get("variants", [])
    if not isinstance(variants, list):
        problems.append(f"{where}: 'variants' should be a list of names.")
        variants = []
    named = [str(raw["name"]), *(str(v) for v in variants)]
    if raw.get("short"):
        named.append(str(raw["short"]))
    for n in named:
        forms.setdefault(name_key(n), []).append(_Form(rid, origin, None))
    for n in named[1:]:
        problems += _bad_form(n, where)
    offices = raw.get("offices", [])
    for office in offices if isinstance(offices, list) else [offices]:
        problems += _check_dated(office, "office", "title", where)[0]
    pseudonyms = raw.get("pseudonyms", [])
    for p in pseudonyms if isinstance(pseudonyms, list) else [pseudonyms]:
        found, span = _check_dated(p, "pseudonym", "name", where)
        problems += found
        if isinstance(p, dict) and p.get("name"):
            problems += _bad_form(str(p["name"]), where)
            forms.setdefault(name_key(str(p["name"])), []).append(_Form(rid, origin, span))
    return problems


def _bad_form(name: str, where: str) -> list[str]:
    """A problem when a name form is a bare shared surname or an ordinary word."""
    key = name_key(name)
    if key in BARE_SURNAMES:
        return [f"{where}: {name!r} alone is shared by many people; give the full name."]
    if key in COMMON_WORDS:
        return [f"{where}: {name!r} is an ordinary word; give the full name."]
    return []


def _ambiguous(forms: dict[str, list[_Form]]) -> list[str]:
    """One warning per name form that two records share at some date."""
    out = []
    for key, entries in sorted(forms.items()):
        clash: set[tuple[str, str]] = set()
        for i, a in enumerate(entries):
            for b in entries[i + 1:]:
                if a.record == b.record:
                    continue
                if a.dates and b.dates and (a.dates[1] < b.dates[0] or b.dates[1] < a.dates[0]):
                    continue  # a cover name used by two people at different times
                clash |= {(a.record, a.origin), (b.record, b.origin)}
        if clash:
            who = ", ".join(f"{rid} ({origin})" for rid, origin in sorted(clash))
            out.append(f"ambiguous: {key!r} names {who}")
    return out


def check_authority(extra: list[Path] | None = None) -> list[str]:
    """Return readable problems in the shipped authority files and the user's extra files."""
    files = _data_files()
    shipped = len(files)
    user, problems = _user_files(extra or [])
    files += user
    forms: dict[str, list[_Form]] = {}
    ids: dict[str, list[str]] = {}
    for n, (label, fname, text) in enumerate(files):
        origin = fname if n < shipped else label
        kind = KINDS.get(fname)
        if kind is None:
            problems.append(f"{label}: authority files are named {', '.join(KINDS)}.")
            continue
        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            problems.append(f"{label}: not valid YAML ({exc}).")
            continue
        if not isinstance(data, list):
            problems.append(f"{label}: expected a list of entries.")
            continue
        for raw in data:
            problems += _check_entry(raw, kind, label, origin, forms)
            if isinstance(raw, dict) and raw.get("id"):
                ids.setdefault(str(raw["id"]), []).append(label)
    for rid, where in ids.items():
        if len(where) > 1:
            for label, n in Counter(where).items():
                others = sorted({w for w in where if w != label})
                also = f" (also in {', '.join(others)})" if others else ""
                times = f" {n} times" if n > 1 else ""
                problems.append(f"{label}: {rid}: duplicate id{times}{also}; make each id unique.")
    return problems + _ambiguous(forms)


def authority_counts(extra: list[Path] | None = None) -> dict[str, int]:
    """Return how many people, places and organisations the authority files hold."""
    counts = dict.fromkeys(KINDS.values(), 0)
    for record in read_authority_files(extra):
        counts[record.kind] += 1
    return counts
