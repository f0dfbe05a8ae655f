"""Reader for plain-text files (UTF-8)."""

from __future__ import annotations

from cablegram.errors import UnreadableFileError
from cablegram.model import SourceText

EXTENSIONS = (".txt", ".text")


def read_text(name: str, data: bytes) -> SourceText:
    """Decode UTF-8 bytes into a SourceText; line breaks become \\n, line numbers unchanged."""
    if b"\x00" in data[:4096]:
        raise UnreadableFileError(f"{name}: looks like a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"{name}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}). "
            "Convert the file to UTF-8 (e.g. `iconv -f cp1251 -t utf-8`) and ingest it again."
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(name=name, text=text, media_type="text/plain", reader="text")
