"""Readers turn the bytes of a file into text with a map back to the original."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from cablegram.errors import UnsupportedFormatError
from cablegram.model import SourceText

Reader = Callable[[str, bytes], SourceText]

# File extension → "module:function" of its reader, imported when first needed.
READERS: dict[str, str] = {
    ".txt": "cablegram.readers.text:read_text",
    ".text": "cablegram.readers.text:read_text",
    ".pdf": "cablegram.readers.pdf:read_pdf",
    ".xml": "cablegram.readers.tei:read_tei",
    ".tei": "cablegram.readers.tei:read_tei",
    ".html": "cablegram.readers.html:read_html",
    ".htm": "cablegram.readers.html:read_html",
}
SUPPORTED = tuple(READERS)


def is_supported(path: Path) -> bool:
    """Whether some reader handles this file (by its extension)."""
    return path.suffix.lower() in READERS


def reader_for(name: str) -> Reader:
    """The reader function for file `name`, by its extension."""
    target = READERS.get(Path(name).suffix.lower())
    if target is None:
        raise UnsupportedFormatError(
            f"{name}: no reader for '{Path(name).suffix or 'files without extension'}'. "
            f"Supported: {', '.join(SUPPORTED)}.")
    module, func = target.split(":")
    reader: Reader = getattr(import_module(module), func)
    return reader


def read_source(name: str, data: bytes) -> SourceText:
    """Read the bytes of file `name` with the reader for its kind."""
    return reader_for(name)(name, data)
