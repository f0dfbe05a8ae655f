"""Archive pages: a date line, a title, a credit, the document, a summary, then page furniture."""

from __future__ import annotations

from dataclasses import dataclass

from cablegram.extract import patterns as P
from cablegram.extract.dates import whole_date
from cablegram.model import PAGE_KEYS, Line


@dataclass
class Page:
    """The parts of an archive page: its metadata and the lines of the document it shows."""

    meta: dict[str, str | None]
    document: list[Line]


def _nonblank(lines: list[Line]) -> list[Line]:
    """Drop empty lines."""
    return [ln for ln in lines if ln.text.strip()]


def _whole_date(text: str) -> str | None:
    """The ISO date when a line is nothing but a full date, else None."""
    hit = whole_date(text)
    return hit.value if hit else None


def looks_like_page(lines: list[Line]) -> bool:
    """Whether a text is an archive page: a date line first and page furniture at the end."""
    body = _nonblank(lines)
    if len(body) < 4 or _whole_date(body[0].text.strip()) is None:
        return False
    labels = {ln.text.strip() for ln in body} & set(P.PAGE_FURNITURE)
    return len(labels) >= 2


def _furniture_values(furniture: list[Line]) -> dict[str, str | None]:
    """Read `Label` lines followed by their value lines (Source, Rights, Type, Record ID ...)."""
    values: dict[str, str | None] = {}
    label: str | None = None
    for ln in furniture:
        text = ln.text.strip()
        if text in P.PAGE_FURNITURE:
            label = P.PAGE_LABELS.get(text)
            if label:
                values.setdefault(label, None)
            continue
        if label:
            values[label] = f"{values[label]} {text}".strip() if values.get(label) else text
    return values


def split_page(lines: list[Line]) -> Page:
    """Split an archive page into its metadata and the lines of its document."""
    body = _nonblank(lines)
    meta: dict[str, str | None] = {k: None for k in PAGE_KEYS}
    meta["date"] = _whole_date(body[0].text.strip())
    meta["title"] = body[1].text.strip()
    pos = 2
    if P.PAGE_CREDIT.match(body[2].text.strip()):
        meta["credit"] = body[2].text.strip()
        pos = 3
    first = next(i for i, ln in enumerate(body) if i >= pos and ln.text.strip() in P.PAGE_FURNITURE)
    if first - 1 > pos:
        meta["summary"] = body[first - 1].text.strip()
        doc_end = first - 1
    else:
        doc_end = first
    meta.update(_furniture_values(body[first:]))
    start, end = body[pos].number, body[doc_end - 1].number
    return Page(meta, [ln for ln in lines if start <= ln.number <= end])
