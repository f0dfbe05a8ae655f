"""Archive pages, in the two layouts a digital archive has used for them.

Current layout: a date line, a title, a credit, the document, a summary, then page furniture
(`Source`, `Rights`, `Type`, `Language`, `Record ID` with their values).
Older layout: a search banner, the date, a citation block (a summary and the citation string
`"<title>," <date>, <Name> Digital Archive, <archival source>.`), a language label
(`English HTML`), then the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cablegram.extract import patterns as P
from cablegram.extract.dates import whole_date
from cablegram.model import PAGE_KEYS, Document, Line

YEAR_ONLY = re.compile(r"^(?:1[89]|20)\d\d$")


@dataclass
class Page:
    """The parts of an archive page: its metadata and the lines of the document it shows."""

    meta: dict[str, str | None]
    document: list[Line]


def _nonblank(lines: list[Line]) -> list[Line]:
    """Drop empty lines."""
    return [ln for ln in lines if ln.text.strip()]


def _whole_date(text: str) -> str | None:
    """The ISO date when a line is nothing but a full date (or a bare year), else None."""
    text = text.strip().rstrip(".")
    hit = whole_date(text)
    if hit:
        return hit.value
    return text if YEAR_ONLY.match(text) else None


def _date_line(body: list[Line]) -> int | None:
    """Index of the current layout's date line: a date within the first lines of the page."""
    return next((i for i, ln in enumerate(body[: P.PAGE_LEAD + 1])
                 if whole_date(ln.text.strip())), None)


def _citation(body: list[Line]) -> int | None:
    """Index of the older layout's citation string, when a language label follows it."""
    cite = next((i for i, ln in enumerate(body) if P.OLD_PAGE_CITATION.match(ln.text.strip())),
                None)
    if cite is None:
        return None
    labels = [P.OLD_PAGE_LANGUAGE.match(ln.text.strip()) is not None for ln in body]
    first = next((i for i in range(cite + 1, len(body)) if labels[i]), None)
    if first is None or all(labels[first:]):
        return None  # no language label, or no document after it
    return cite


def page_layout(lines: list[Line]) -> str | None:
    """`older` or `current` when the text is an archive page of that layout, else None."""
    body = _nonblank(lines)
    if len(body) < 4:
        return None
    if _citation(body) is not None:
        return "older"
    start = _date_line(body)
    if start is None or len(body) - start < 4:
        return None
    labels = {ln.text.strip() for ln in body[start:]} & set(P.PAGE_FURNITURE)
    return "current" if len(labels) >= 2 else None


def looks_like_page(lines: list[Line]) -> bool:
    """Whether a text is an archive page, in either layout."""
    return page_layout(lines) is not None


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


def _span(lines: list[Line], first: Line, last: Line) -> list[Line]:
    """The lines (blank ones included) from `first` to `last`."""
    return [ln for ln in lines if first.number <= ln.number <= last.number]


def _split_current(lines: list[Line]) -> Page:
    """Split a page of the current layout into its metadata and its document's lines."""
    body = _nonblank(lines)
    top = _date_line(body) or 0
    body = body[top:]
    meta: dict[str, str | None] = {k: None for k in PAGE_KEYS}
    meta["date"] = _whole_date(body[0].text)
    meta["title"] = body[1].text.strip()
    pos = 2
    if P.PAGE_CREDIT.match(body[2].text.strip()):
        meta["credit"] = body[2].text.strip()
        pos = 3
    while pos < len(body) - 1 and P.PAGE_TAB.match(body[pos].text.strip()):
        pos += 1
    first = next(i for i, ln in enumerate(body) if i >= pos and ln.text.strip() in P.PAGE_FURNITURE)
    if first - 1 > pos:
        meta["summary"] = body[first - 1].text.strip()
        doc_end = first - 1
    else:
        doc_end = first
    meta.update(_furniture_values(body[first:]))
    return Page(meta, _span(lines, body[pos], body[max(doc_end - 1, pos)]))


def _read_citation(text: str, meta: dict[str, str | None]) -> None:
    """Set title, date, source, credit and record id from the citation string."""
    m = P.OLD_PAGE_CITATION.match(text)
    if m is None:
        return
    meta["title"] = m.group("title").strip()
    meta["date"] = meta["date"] or _whole_date(m.group("date"))
    source = m.group("source").strip()
    url = P.PAGE_RECORD_URL.search(source)
    if url:
        meta["record_id"] = url.group("id")
    tail = P.OLD_PAGE_CITATION_TAIL.search(source)
    if tail:
        credit = P.PAGE_RECORD_URL.sub("", tail.group("tail")).strip(" .")
        source = source[: tail.start()]
        if credit and not credit.startswith("http"):
            meta["credit"] = credit + "."
    meta["source"] = source.strip().rstrip(".") + "."


def _add(meta: dict[str, str | None], key: str, text: str) -> None:
    """Append a line to a page value."""
    meta[key] = f"{meta[key]} {text}" if meta.get(key) else text


def _read_block(block: list[Line], meta: dict[str, str | None]) -> None:
    """Read the lines of an older page's citation block: labelled values, credit, summary."""
    label: str | None = None
    for ln in block:
        text = ln.text.strip()
        if text in P.OLD_PAGE_LABELS:
            label = P.OLD_PAGE_LABELS[text]
            continue
        if P.OLD_PAGE_ACTIONS.match(text) or P.OLD_PAGE_CITATION.match(text) \
                or text in (meta.get("title"), meta.get("date")) \
                or _whole_date(text) == meta.get("date"):
            continue
        if label == "language":
            meta["language"] = text
        elif label == "credit" or P.PAGE_CREDIT.match(text):
            meta["credit"] = text if meta.get("credit") is None or label == "credit" \
                else f"{meta['credit']} {text}"
        else:
            _add(meta, "summary", text)


def _document_end(body: list[Line], start: int) -> int:
    """Index of the last line of an older page's document (before trailing page furniture)."""
    ends = set(P.PAGE_FURNITURE) | set(P.OLD_PAGE_END)
    stop = next((i for i in range(start, len(body)) if body[i].text.strip() in ends), len(body))
    return max(stop - 1, start)


def _split_older(lines: list[Line]) -> Page:
    """Split a page of the older layout into its metadata and its document's lines."""
    body = _nonblank(lines)
    meta: dict[str, str | None] = {k: None for k in PAGE_KEYS}
    cite = _citation(body) or 0
    banner = max((i for i in range(cite) if P.OLD_PAGE_BANNER.match(body[i].text.strip())),
                 default=-1)
    dated = next((i for i in range(banner + 1, cite) if _whole_date(body[i].text)), None)
    if dated is not None:
        meta["date"] = _whole_date(body[dated].text)
    _read_citation(body[cite].text.strip(), meta)
    label = next(i for i in range(cite + 1, len(body))
                 if P.OLD_PAGE_LANGUAGE.match(body[i].text.strip()))
    start = label
    while start + 1 < len(body) and P.OLD_PAGE_LANGUAGE.match(body[start + 1].text.strip()):
        start += 1
    block_start = dated + 1 if dated is not None else banner + 1
    _read_block(body[block_start:label], meta)
    language = P.OLD_PAGE_LANGUAGE.match(body[label].text.strip())
    if language and not meta.get("language"):
        meta["language"] = language.group("language")
    start += 1
    return Page(meta, _span(lines, body[start], body[_document_end(body, start)]))


def split_page(lines: list[Line], layout: str | None = None) -> Page:
    """Split an archive page (either layout) into its metadata and its document's lines;
    `layout` is page_layout(lines), when already known."""
    if (layout or page_layout(lines)) == "older":
        return _split_older(lines)
    return _split_current(lines)


def date_warnings(page: dict[str, str | None], doc: Document) -> list[str]:
    """A warning when the page's date and the document's own date disagree in year."""
    page_date, own = page.get("date"), doc.date
    if not page_date or not own or page_date[:4] == own[:4]:
        return []
    return [f"the page is dated {page_date} but the document itself is dated {own} "
            f"(from its {doc.date_source or 'text'}): both are kept; check which is right"]
