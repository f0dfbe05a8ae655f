"""Our own date grammar: the forms diplomatic documents print, and nothing else."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from cablegram.extract.patterns import DATE_FORMS, MONTHS, ROMAN_MONTHS

# Every date form has a digit (a day or a year): text without one holds no date.
_DIGIT = re.compile(r"\d")
DATE_CACHE = 1 << 14  # texts whose dates are kept
_DOTTED = ("roman", "numeric")  # forms that write a date with dots (3.VII.1950, 8.7.50)


@dataclass(frozen=True)
class DateHit:
    """A date found in text: ISO value to its precision, and where it was found."""

    value: str
    precision: str  # day | month | year
    start: int
    end: int
    has_year: bool = True


def _year(raw: str) -> int:
    """Expand a two-digit year into the twentieth century (archives of 1900-1999)."""
    y = int(raw)
    return 1900 + y if y < 100 else y


def _month(raw: str) -> int | None:
    """Return the month number of a name, abbreviation or Roman numeral."""
    if raw in ROMAN_MONTHS:
        return ROMAN_MONTHS[raw]
    if raw.isdigit():
        return int(raw)
    return MONTHS.get(raw.lower().rstrip("."))


def _build(m: re.Match[str], default_year: int | None) -> tuple[str, str, bool] | None:
    """Turn a match into (iso, precision, has_year), or None when it is no real date."""
    groups = m.groupdict()
    month = _month(groups["month"] or "")
    if month is None or not 1 <= month <= 12:
        return None
    has_year = groups.get("year") is not None
    year = _year(groups["year"]) if has_year else default_year
    if year is None:
        return None
    if groups.get("day") is None:
        return f"{year:04d}-{month:02d}", "month", has_year
    day = int(groups["day"])
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", "day", has_year


def has_digit(text: str) -> bool:
    """Whether a text has a digit, as every date form needs (a day or a year)."""
    return _DIGIT.search(text) is not None


def clear_dates() -> None:
    """Forget the dates found so far (they are kept for texts read again)."""
    _dates.cache_clear()


def find_dates(text: str, default_year: int | None = None) -> list[DateHit]:
    """Return every date in `text`, left to right, without overlaps.

    Day-month forms without a year are returned only when `default_year` is given.
    """
    return list(_dates(text, default_year)) if has_digit(text) else []


@lru_cache(maxsize=DATE_CACHE)
def _dates(text: str, default_year: int | None) -> tuple[DateHit, ...]:
    """The dates of find_dates, as a tuple (kept: the same lines are read by several
    extractors)."""
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    dotted = "." in text
    for kind, pattern in DATE_FORMS:
        if kind in ("dm", "md") and default_year is None:
            continue
        if kind in _DOTTED and not dotted:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if kind == "roman" and not m.group("month"):
                continue
            built = _build(m, default_year)
            if built is None:
                continue
            value, precision, has_year = built
            hits.append(DateHit(value, precision, m.start(), m.end(), has_year))
            taken.append((m.start(), m.end()))
    return tuple(sorted(hits, key=lambda h: h.start))


def whole_date(text: str) -> DateHit | None:
    """The date when a line is nothing but one date (`29 September 1950`), else None."""
    text = text.strip().rstrip(".")
    if not text or not _DIGIT.match(text[-1]):  # every date form without a day-month ends in
        return None  # its year
    hits = find_dates(text)
    if len(hits) == 1 and hits[0].start == 0 and hits[0].end >= len(text):
        return hits[0]
    return None


def first_date(text: str, default_year: int | None = None) -> DateHit | None:
    """Return the first date in `text`, or None."""
    hits = find_dates(text, default_year)
    return hits[0] if hits else None


_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.]?(?P<m>\d{2}))?(?:\s*(?P<ampm>[ap])\.?\s*m\.?)?$", re.I
)


def parse_time(raw: str) -> str | None:
    """Read `2035`, `18:40`, `4 p. m.` or `1:23 p. m.` as HH:MM, or None."""
    m = _TIME.match(raw.strip())
    if not m:
        return None
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    ampm = (m.group("ampm") or "").lower()
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"
