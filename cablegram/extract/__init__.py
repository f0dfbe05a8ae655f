"""Extract: read documents and their metadata out of a source's text."""

from __future__ import annotations

from cablegram.authority.lookup import Authority, name_key
from cablegram.book import book_layout, build_book, is_book
from cablegram.extract.dates import clear_dates
from cablegram.extract.document import build_document, build_page
from cablegram.extract.page import page_layout
from cablegram.extract.tei import build_tei
from cablegram.link import resolve
from cablegram.model import Document, SourceText
from cablegram.segment import segment_compilation


def extract_source(src: SourceText, authority: Authority) -> list[Document]:
    """Split a source into documents and read each one, in reading order."""
    docs = _documents(src, authority)
    if src.origins:
        _place(docs, src.origins)
    return docs


def _documents(src: SourceText, authority: Authority) -> list[Document]:
    """The documents of a source, by the kind of text it is."""
    if src.parts is not None:  # a structured reader (TEI) found the documents in markup
        return build_tei(src, authority)
    lines = src.lines()
    if not any(ln.text.strip() for ln in lines):
        return []
    layout = book_layout(lines)
    if is_book(layout):
        return build_book(src.name, lines, authority, layout)
    page = page_layout(lines)
    if page is not None:
        return [build_page(src.name, lines, authority, page)]
    segments = segment_compilation(lines, authority)
    return [build_document(src.name, seg, authority) for seg in segments]


def _place(docs: list[Document], origins: list[str]) -> None:
    """Say where each document's first and last lines are in the original (page, column)."""
    for doc in docs:
        first, last = origins[doc.start_line - 1], origins[doc.end_line - 1]
        doc.origin = first if first == last else f"{first} – {last}"
        _place(doc.enclosures, origins)


def clear_caches() -> None:
    """Empty the small caches extraction keeps (folded names, the dates of a line, resolved
    names), e.g. so that a benchmark's repeated run costs what new files do."""
    name_key.cache_clear()
    clear_dates()
    resolve.cache_clear()
