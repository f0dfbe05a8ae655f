"""Cable apparatus: printed numbers, transmission times, handling marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cablegram.extract import patterns as P
from cablegram.extract.dates import find_dates, has_digit, parse_time
from cablegram.model import Line, Ref
from cablegram.regexes import may_hold

# Every reference has a digit (`Nº 3`) but an incoming stamp, which says so (`Incoming Nº x`):
# a line with neither is not looked at further.
_STAMP = "Incoming"


def find_refs(lines: list[Line]) -> list[Ref]:
    """Return every printed reference number with its role, in reading order."""
    refs: list[Ref] = []
    for ln in lines:
        if not (has_digit(ln.text) or _STAMP in ln.text) or not P.REFERENCE_HINT.search(ln.text):
            continue
        text = ln.text.strip()
        taken: list[tuple[int, int]] = []
        for role, pattern in P.REFERENCES:
            for m in pattern.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                refs.append(Ref(_clean_ref(m.group("value")), role, ln.number))
    return refs


def _clean_ref(value: str) -> str:
    """Normalise spacing of a reference (`No.439/sh.` → `No. 439/sh`)."""
    value = re.sub(r"^(N[oº°]\.?)\s*", lambda m: m.group(1) + " ", value.strip())
    return value.rstrip(".")


def find_handling(lines: list[Line]) -> list[str]:
    """Return handling marks (`Only by ciphered telegraph`, `extremely urgent`) as written."""
    out = []
    for ln in lines:
        text = ln.text.strip()
        if P.ANY_HANDLING.match(text):
            out.append(text.rstrip("."))
    return out


@dataclass
class Transmission:
    """Sent and received times as ISO strings, and the lines they came from."""

    sent: str | None = None
    received: str | None = None
    lines: dict[str, Line] = field(default_factory=dict)
    dated: list[tuple[int, str, str]] = field(default_factory=list)  # (line, date, text)


def stamp(time_raw: str, rest: str, year: int | None) -> tuple[str | None, str | None]:
    """Combine a time and the date that follows it on the line (year supplied if missing)."""
    time = parse_time(time_raw if ":" in time_raw or len(time_raw) != 4
                      else f"{time_raw[:2]}:{time_raw[2:]}")
    if time is None:
        return None, None
    dates = [d for d in find_dates(rest, year) if d.precision == "day"]
    if not dates:
        return time, None
    return f"{dates[0].value}T{time}", dates[0].value


def find_transmission(lines: list[Line], year: int | None) -> Transmission:
    """Read `sent at 2035 30 September 1950`, `Sent 18:40`, `Received 8.7.50 11:15`."""
    tr = Transmission()
    for ln in lines:
        if not may_hold(ln.text, P.TRANSMISSION_WORDS):
            continue
        for key, patterns in P.TRANSMISSION.items():
            m = next((m for p in patterns if (m := p.search(ln.text))), None)
            if not m:
                continue
            value, day = stamp(m.group("time"), m.group("rest"), year)
            if value is None:
                continue
            if getattr(tr, key) is None:
                setattr(tr, key, value)
                tr.lines[key] = ln
            if day:
                tr.dated.append((ln.number, day, ln.text.strip()))
    return tr
