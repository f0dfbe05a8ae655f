"""Run the stages on files: read → segment → extract → link. No archive needed."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cablegram.authority.lookup import Authority, default_authority, name_key
from cablegram.book import book_layout, build_book, is_book
from cablegram.errors import UnreadableFileError
from cablegram.extract.dates import clear_dates
from cablegram.extract.document import build_document, build_page
from cablegram.extract.page import page_layout
from cablegram.extract.tei import build_tei
from cablegram.link import clear_link_caches
from cablegram.model import Document, SourceText
from cablegram.readers import is_supported, read_source
from cablegram.segment import segment_compilation


@dataclass
class ReadFile:
    """A file's bytes, their hash and the text a reader made of them."""

    path: Path
    data: bytes
    sha256: str
    source: SourceText


def read_bytes(path: Path) -> tuple[bytes, str]:
    """A file's bytes and their SHA-256 (hex): all an ingest needs to know it has them."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"{path}: cannot open ({exc.strerror or exc}).") from exc
    return data, hashlib.sha256(data).hexdigest()


def load(path: Path) -> ReadFile:
    """Read a file from disk and decode it with the reader for its kind."""
    data, sha256 = read_bytes(path)
    return ReadFile(path, data, sha256, read_source(path.name, data))


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
    clear_link_caches()


def extract_file(path: Path, authority: Authority | None = None) -> list[Document]:
    """Read one file and return its documents in reading order."""
    return extract_source(load(path).source, authority or default_authority())


def collect_files(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """Yield (file, collection) for files and folders (recursively, supported kinds only),
    one at a time in sorted path order (only the listings of the folders on the way down
    are held, never the whole tree).

    A file's collection is the first folder under the folder given, else that folder's name.
    """
    for p in paths:
        if p.is_dir():
            default = p.resolve().name or "default"
            for f in _walk(p):
                rel = f.relative_to(p).parts
                yield f, rel[0] if len(rel) > 1 else default
        else:  # a missing file is reported when it is loaded
            yield p, p.resolve().parent.name or "default"


def _walk(folder: Path) -> Iterator[Path]:
    """Supported files under `folder`, depth first, each folder's entries sorted by name
    (the order of sorted full paths); links to folders are not followed."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = folder / entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif entry.is_file() and is_supported(path):
            yield path
