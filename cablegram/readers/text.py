"""Reader for plain-text files: UTF-8, or a legacy 8-bit encoding detected from the bytes."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from cablegram.errors import UnreadableFileError
from cablegram.model import SourceText

EXTENSIONS = (".txt", ".text")

# Encodings tried when the bytes are not UTF-8, by charset-normalizer, which picks the one
# whose decoded text reads most like a language. Only 8-bit encodings our material comes in:
# Russian (Windows and KOI8) and Western European (Windows-1252 covers Latin-1's letters).
CANDIDATES = ["cp1251", "koi8_r", "cp1252", "latin_1"]
# Byte-order marks and the codec they announce; checked before anything else.
BOMS = [
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
]
# Python codec name → the charset name of a media type (`text/plain; charset=windows-1251`).
CHARSET_NAMES = {
    "utf_8": "utf-8", "utf_8_sig": "utf-8", "utf_16": "utf-16", "cp1251": "windows-1251",
    "cp1252": "windows-1252", "iso8859_1": "iso-8859-1", "koi8_r": "koi8-r",
    "cp866": "ibm866", "iso8859_5": "iso-8859-5",
}  # fmt: skip
KNOWN = ["Windows-1251", "KOI8-R", "Windows-1252", "Latin-1"]  # CANDIDATES, as people say them
# Charsets a page may declare that are read as Windows-1252, as browsers do.
READ_AS_CP1252 = {"iso8859_1", "ascii"}
CONTROL_SHARE = 0.05  # more control characters than this (not tab/newline) means binary
SNIFF = 4096  # bytes looked at for NUL bytes and declarations
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters but tab and line ends


def codec_name(label: str) -> str | None:
    """The normalized Python codec name for an encoding label (`Windows-1251` → `cp1251`)."""
    try:
        return codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except (LookupError, ValueError):
        return None


def charset_name(codec: str) -> str:
    """The media-type charset name of a Python codec (`cp1251` → `windows-1251`)."""
    return CHARSET_NAMES.get(codec, codec.replace("_", "-"))


def media_type(base: str, codec: str) -> str:
    """`base` with the charset appended when it is not UTF-8 (UTF-8 is the default)."""
    charset = charset_name(codec)
    return base if charset == "utf-8" else f"{base}; charset={charset}"


def _binary(name: str) -> UnreadableFileError:
    """The error for a file that is not text."""
    return UnreadableFileError(
        f"{name}: looks like a binary file, not text. Give a .txt file (UTF-8, Windows-1251, "
        "KOI8-R or Latin-1), or a PDF, HTML or TEI file with its own extension.")


def _try(data: bytes, codec: str) -> str | None:
    """The bytes decoded with `codec`, or None when they are not valid in it."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(name: str, data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes with the most plausible of CANDIDATES."""
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None or best.encoding is None:
        raise UnreadableFileError(
            f"{name}: looks like a binary file, or text in an encoding Cablegram does not "
            f"recognise (it reads UTF-8, {', '.join(KNOWN)}). Convert the text to UTF-8 "
            "(e.g. `iconv -f <encoding> -t utf-8`) and try again.")
    codec = codec_name(best.encoding) or best.encoding
    return str(best), codec


def decode(name: str, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes: BOM, then a declared charset, then UTF-8, then detection.

    Returns the text and the Python codec used; raises UnreadableFileError for binary data.
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            text = _try(data, codec)
            if text is not None:
                return _checked(name, text), codec
    if b"\x00" in data[:SNIFF]:
        raise _binary(name)
    declared_codec = codec_name(declared) if declared else None
    if declared_codec in READ_AS_CP1252 and _try(data, "cp1252") is not None:
        declared_codec = "cp1252"
    for codec in filter(None, [declared_codec, "utf_8"]):
        text = _try(data, codec)
        if text is not None:
            return _checked(name, text), codec
    text, codec = _detect(name, data)
    return _checked(name, text), codec


def _checked(name: str, text: str) -> str:
    """The text, unless it holds so many control characters that it must be binary."""
    sample = text[:SNIFF]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > CONTROL_SHARE:
        raise _binary(name)
    return text


def read_text(name: str, data: bytes) -> SourceText:
    """Decode a text file into a SourceText; line breaks become \\n, line numbers unchanged."""
    text, codec = decode(name, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(name=name, text=text, media_type=media_type("text/plain", codec),
                      reader="text", encoding=charset_name(codec))
