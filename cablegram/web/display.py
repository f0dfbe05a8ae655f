"""Pure helpers that turn stored values into what a page shows (no I/O, no framework)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

from cablegram.authority.lookup import Authority
from cablegram.web import urls

DATE_SOURCES = {
    "header": "from the document's header",
    "dateline": "from the dateline",
    "signature": "from the signature block",
    "body": "from the body of the text",
    "inferred": "inferred",
}
PAGE_LABELS = {
    "title": "Title",
    "date": "Date",
    "summary": "Summary",
    "source": "Source",
    "rights": "Rights",
    "type": "Type",
    "record_id": "Record ID",
    "credit": "Credit",
    "language": "Language",
}


def _clean_ranges(ranges: Iterable[Sequence[int]], length: int) -> list[tuple[int, int]]:
    """Sort ranges, clip them to the text and merge the ones that overlap or touch."""
    spans = sorted((max(0, int(r[0])), min(length, int(r[1]))) for r in ranges if len(r) == 2)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, ranges: Iterable[Sequence[int]]) -> Markup:
    """Escape `text` and wrap its [start, end) character ranges in <mark>."""
    out: list[str] = []
    pos = 0
    for start, end in _clean_ranges(ranges, len(text)):
        out.append(str(escape(text[pos:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def numbered_lines(text: str, start_line: int,
                   fragments: Iterable[Sequence[int]] = ()) -> list[tuple[int, str]]:
    """Pair each line of a document's text with its line number in the source.

    Line i is source line `start_line + i`, unless the text is the fragments joined
    (their lengths add up to the number of lines): then the numbers follow the fragments,
    so a document interrupted by another one keeps its true line numbers.
    """
    lines = text.split("\n")
    numbers: list[int] = []
    for frag in fragments:
        if len(frag) == 2:
            numbers.extend(range(int(frag[0]), int(frag[1]) + 1))
    if len(numbers) != len(lines):
        numbers = list(range(start_line, start_line + len(lines)))
    return list(zip(numbers, lines, strict=True))


def line_range(start: int | None, end: int | None) -> str:
    """A range of lines as people write it: `line 4` or `lines 4–20`."""
    if start is None:
        return ""
    if end is None or end == start:
        return f"line {start}"
    return f"lines {start}–{end}"


def line_ranges(ranges: Iterable[Sequence[int]]) -> str:
    """Several ranges of lines: `lines 1–2, 3–25`."""
    parts = [f"{r[0]}–{r[1]}" if r[0] != r[1] else f"{r[0]}" for r in ranges if len(r) == 2]
    if not parts:
        return ""
    single = len(parts) == 1 and "–" not in parts[0]
    return ("line " if single else "lines ") + ", ".join(parts)


def date_note(precision: str | None, source: str | None) -> str:
    """How exact a date is and where it was read, e.g. `day; from the dateline`."""
    parts = []
    if precision:
        parts.append(f"precise to the {precision}" if precision != "range" else "a range")
    if source:
        parts.append(DATE_SOURCES.get(source, source))
    return "; ".join(parts)


def timestamp(value: str | None) -> str:
    """An ISO date-time for reading: `1950-10-03T03:10` becomes `1950-10-03 03:10`."""
    if not value:
        return ""
    return value.replace("T", " ", 1) if len(value) > 10 and value[10:11] == "T" else value


def station(st: dict[str, Any] | None) -> str:
    """One end of a transmission: `1950-09-30 20:35, Pyongyang (11:35 UTC)`."""
    if not st:
        return ""
    out = timestamp(st.get("local"))
    if st.get("place"):
        out += f", {st['place']}"
    if st.get("utc"):
        out += f" ({st['utc'][11:16]} UTC)"
    return out


def duration(minutes: int | None) -> str:
    """Minutes in transit as `8 h 57 min` (negative ones are shown as they are)."""
    if minutes is None:
        return ""
    sign, minutes = ("−", -minutes) if minutes < 0 else ("", minutes)
    hours, mins = divmod(minutes, 60)
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return f"{sign}{days} d {hours} h {mins} min"
    return f"{sign}{hours} h {mins} min" if hours else f"{sign}{mins} min"


def same_name(as_written: str | None, name: str | None) -> bool:
    """Whether a linked name only repeats the words as written (case and `Cde.` aside)."""
    if not as_written or not name:
        return False
    return as_written.casefold().removeprefix("cde. ").strip() == name.casefold().strip()


def file_size(size: int | None) -> str:
    """A byte count for people: `2,040 bytes`, `1.4 MB`."""
    if size is None:
        return ""
    if size < 10_000:
        return f"{size:,} bytes"
    if size < 10_000_000:
        return f"{size / 1000:,.0f} kB"
    return f"{size / 1_000_000:,.1f} MB"


def page_fields(page: dict[str, str | None] | None) -> list[tuple[str, str]]:
    """The archive page's metadata as (label, value), known keys first, empty ones out."""
    if not page:
        return []
    keys = list(PAGE_LABELS) + [k for k in page if k not in PAGE_LABELS]
    return [(PAGE_LABELS.get(k, k.replace("_", " ").capitalize()), str(page[k]))
            for k in keys if page.get(k)]


_GLOSS = re.compile(r"\s*[\[(][^\])]*[\])]")  # an editor's gloss: `Filippov (Stalin)`


def agent_link(authority: Authority, agent_id: str | None, as_written: str = ""
               ) -> dict[str, str] | None:
    """The page of a linked record (person, organisation or place) and the name to show for
    it: `Filippov [Stalin]` when the words as written are a pseudonym (as in titles, see
    link.display_name), else the preferred name. None when the id is not in the authority."""
    record = authority.get(agent_id) if agent_id else None
    if record is None:
        return None
    written = _GLOSS.sub("", as_written).casefold()
    used = [str(p["name"]) for p in record.pseudonyms if str(p["name"]).casefold() in written]
    label = f"{used[0]} [{record.short}]" if used else record.name
    return {"id": record.id, "kind": record.kind, "name": record.name, "label": label,
            "url": urls.agent(record.kind, record.id)}
