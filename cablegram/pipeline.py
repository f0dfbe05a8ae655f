"""Run the stages on files: read → segment → extract → link. No archive needed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cablegram.authority.lookup import Authority, default_authority
from cablegram.errors import UnreadableFileError
from cablegram.extract import extract_source
from cablegram.model import Document, SourceText
from cablegram.readers import is_supported, read_source


@dataclass
class ReadFile:
    """A file's bytes, their hash and the text a reader made of them."""

    path: Path
    data: bytes
    sha256: str
    source: SourceText


def load(path: Path) -> ReadFile:
    """Read a file from disk and decode it with the reader for its kind."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"{path}: cannot open ({exc.strerror or exc}).") from exc
    return ReadFile(path, data, hashlib.sha256(data).hexdigest(), read_source(path.name, data))


def extract_file(path: Path, authority: Authority | None = None) -> list[Document]:
    """Read one file and return its documents in reading order."""
    return extract_source(load(path).source, authority or default_authority())


def collect_files(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """Yield (file, collection) for files and folders (recursively, supported kinds only).

    A file's collection is the first folder under the folder given, else that folder's name.
    """
    for p in paths:
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file() and is_supported(x)):
                rel = f.relative_to(p).parts
                yield f, rel[0] if len(rel) > 1 else (p.resolve().name or "default")
        else:  # a missing file is reported when it is loaded
            yield p, p.resolve().parent.name or "default"
