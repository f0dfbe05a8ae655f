"""Readers turn the bytes of a file into text with a map back to the original."""

from __future__ import annotations

from pathlib import Path

from cablegram.errors import UnsupportedFormatError
from cablegram.model import SourceText
from cablegram.readers.text import EXTENSIONS as TEXT_EXTENSIONS
from cablegram.readers.text import read_text

SUPPORTED = TEXT_EXTENSIONS


def is_supported(path: Path) -> bool:
    """Whether some reader handles this file (by its extension)."""
    return path.suffix.lower() in SUPPORTED


def read_source(name: str, data: bytes) -> SourceText:
    """Read the bytes of file `name` with the reader for its kind."""
    if Path(name).suffix.lower() in TEXT_EXTENSIONS:
        return read_text(name, data)
    raise UnsupportedFormatError(
        f"{name}: no reader for '{Path(name).suffix or 'files without extension'}'. "
        f"Supported: {', '.join(SUPPORTED)}."
    )
