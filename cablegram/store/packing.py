"""How a document is kept in the store, and rebuilt from it exactly.

A document row keeps only what no other row holds. Its `data` is the extract contract less
what the columns, the roles and refs rows and the source's name already say, less the values
every document has by default (null, [], one run of lines): JSON of `{"keep": {key: value},
"candidates": [[role, position, candidates], ...]}`, deflated with DICTIONARY. A contract of
another shape (keys missing, added or out of order, values of another type: a hand-edited
export) is kept whole instead, `{"whole": contract}`, so nothing is ever lost.

Its text is read from the original file when it is there, byte for byte, as the text reader
gives it (UTF-8, any line breaks): the row then holds the byte range of its lines
(`text_start`, `text_end`) and no text. This is checked when the row is made, so a text that
would not come back exactly is stored (zlib-compressed UTF-8) instead.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import zlib
from itertools import accumulate, repeat
from operator import add
from pathlib import Path
from typing import Any

from cablegram.errors import ArchiveError
from cablegram.model import MENTION_KEYS, Document

LEVEL = 9  # zlib: rows are written once, by the ingest workers, and read many times
KEYS = tuple(k for k in Document("", 0, 0).to_contract() if k != "text")  # stored, in order
DEFAULTS = Document("", 0, 0).to_contract()
# Contract keys held by a column of `documents`: key → (column position in the row tuple
# of `document_rows`, the type the contract value must have for the column to hold it).
COLUMNS: dict[str, tuple[int, tuple[type, ...]]] = {
    "start_line": (3, (int,)), "end_line": (4, (int,)), "number": (5, (str, type(None))),
    "title": (6, (str,)), "type": (7, (str, type(None))), "date": (8, (str, type(None))),
    "date_precision": (9, (str, type(None))), "sent": (10, (str, type(None))),
    "received": (11, (str, type(None))), "fragment": (12, (bool,)),
}
MENTION_FIELDS = ("as_written", "id", "name", "line", "candidates")
REF_FIELDS = ("value", "role", "line")
TEXT_READER = "text"  # the reader whose lines are the file's own lines
_BREAK = re.compile(rb"\r\n|\r|\n")
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps with these
# What `data` usually says, given to deflate as its preset dictionary: a row of a few hundred
# bytes then takes about a third less. Every stored row depends on these exact bytes: change
# them only with a new SCHEMA_VERSION (tests/test_store_packing.py holds their hash).
DICTIONARY = json.dumps({"keep": {
    "fragments": [[1, 2]], "origin": "p. 1, col. 1, l. 1 \u2013 p. 1, col. 2, l. 3",
    "number": None, "title": None, "date_source": "dateline", "registered": None,
    "transmission": {
        "sent": {"local": "1950-01-01T00:00", "place": None, "place_id": None, "tz": None,
                 "utc": "1950-01-01T00:00Z", "line": 1},
        "received": {"local": "1950-01-01T00:00", "place": None, "place_id": None,
                     "tz": None, "utc": None, "line": 1},
        "registered": None, "from_place": None, "to_place": None, "channel": "wire",
        "priority": None, "minutes": None, "by": None},
    "language": None, "signature": None, "handling": ["by wire", "top secret", "urgent"],
    "page": {"title": "", "date": "", "summary": "", "source": "", "rights": "", "type": "",
             "record_id": "", "credit": "", "language": ""},
    "warnings": ["received before it was sent"], "notes": []},
    "candidates": [["people", 0, [{"id": "", "name": ""}]]]}, separators=(",", ":")).encode()


def compress_text(text: str) -> bytes:
    """A stored text: zlib-compressed UTF-8."""
    return zlib.compress(text.encode("utf-8"), LEVEL)


def decompress_text(blob: bytes) -> str:
    """The text of `compress_text`."""
    return zlib.decompress(blob).decode("utf-8")


def _deflate(value: Any) -> bytes:
    """A value as `data`: compact JSON, deflated with DICTIONARY."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY,
                              DICTIONARY)
    raw = _JSON.encode(value).encode("utf-8")
    return packer.compress(raw) + packer.flush()


def _inflate(blob: bytes) -> Any:
    """The value of `_deflate`."""
    unpacker = zlib.decompressobj(-15, DICTIONARY)
    return json.loads(unpacker.decompress(blob) + unpacker.flush())


def _same(a: Any, b: Any) -> bool:
    """Whether two JSON values are the same, strictly: of one type (True is not 1, 1.0 is not
    1) and, for objects, with their keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return tuple(a) == tuple(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _line(value: Any) -> bool:
    """Whether a line number is of the type the store keeps (an int, or null)."""
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _from_rows(mentions: Any, rows: list[tuple[Any, ...]]) -> list[list[Any]] | None:
    """The candidates of mentions (`[position, candidates]`, non-empty only) when `rows`
    (as_written, id, name, line) hold everything else of them, else None (types checked
    too: the store's columns would change another type)."""
    if not isinstance(mentions, list) or len(mentions) != len(rows):
        return None
    found: list[list[Any]] = []
    if not rows:  # no mentions in this role (most roles)
        return found
    for i, (m, row) in enumerate(zip(mentions, rows, strict=True)):
        if type(m) is not dict or tuple(m) != MENTION_FIELDS:
            return None
        written, agent, name, line, candidates = m.values()  # in MENTION_FIELDS order
        if (written, agent, name, line) != row or type(written) is not str \
                or type(candidates) is not list \
                or not (agent is None or type(agent) is str) \
                or not (name is None or type(name) is str) \
                or not (line is None or type(line) is int):
            return None
        if candidates:
            found.append([i, candidates])
    return found


def _refs_from_rows(refs: Any, rows: list[tuple[Any, ...]]) -> bool:
    """Whether the refs rows (value, role, line) hold these references exactly."""
    return isinstance(refs, list) and len(refs) == len(rows) and all(
        isinstance(r, dict) and tuple(r) == REF_FIELDS and isinstance(r["value"], str)
        and isinstance(r["role"], str) and _line(r["line"]) and (r["value"], r["role"],
                                                                  r["line"]) == row
        for r, row in zip(refs, rows, strict=True))


def _column_holds(key: str, value: Any, row: tuple[Any, ...]) -> bool:
    """Whether the document row's column for `key` gives back this contract value."""
    pos, types = COLUMNS[key]
    if type(value) not in types:
        return False
    column = bool(row[pos]) if key == "fragment" else row[pos]
    return type(column) is type(value) and column == value  # _same, for these types


def _held(key: str, value: Any, row: tuple[Any, ...], source: str) -> bool:
    """Whether a contract value (not a mention list nor the refs) is rebuilt by `unpack`
    from the document's row and its source's name."""
    if key in COLUMNS:
        return _column_holds(key, value, row)
    if key == "source":
        return isinstance(value, str) and value == source
    if key == "fragments":
        return _same(value, [[row[3], row[4]]])
    default = DEFAULTS[key]
    if default is None:
        return value is None
    if default == []:
        return type(value) is list and not value
    return _same(value, default)


# How `pack` tells whether a contract key's value is held elsewhere, key by key in KEYS order:
# "mentions" (roles rows), "refs" (refs rows), "column" (`_column_holds`), "none" / "empty"
# (the default null / []: the quick cases of `_held`) or "other" (`_held`).
_HOW = tuple("mentions" if k in MENTION_KEYS else "refs" if k == "refs"
             else "column" if k in COLUMNS else "other" if k in ("source", "fragments")
             else "none" if DEFAULTS[k] is None else "empty" if DEFAULTS[k] == [] else "other"
             for k in KEYS)


def pack(stored: dict[str, Any], row: tuple[Any, ...], roles: list[tuple[Any, ...]],
         refs: list[tuple[Any, ...]], source: str) -> bytes:
    """The `data` of a document row: what of the contract `stored` (without text) the row
    (`document_rows` layout), its roles (role, as written, id, name, line) and refs (value,
    role, line, ...) and its source's file name do not hold (see the module's docstring)."""
    if tuple(stored) != KEYS:
        return _deflate({"whole": stored})
    by_role: dict[str, list[tuple[Any, ...]]] = {k: [] for k in MENTION_KEYS}
    for r in roles:
        by_role.setdefault(r[0], []).append(tuple(r[1:5]))
    keep: dict[str, Any] = {}
    candidates: list[list[Any]] = []
    for key, how, value in zip(KEYS, _HOW, stored.values(), strict=True):
        if how == "none":
            held = value is None
        elif how == "empty":
            held = type(value) is list and not value
        elif how == "column":
            held = _column_holds(key, value, row)
        elif how == "mentions":
            found = _from_rows(value, by_role[key])
            candidates += [[key, *c] for c in found or []]
            held = found is not None
        elif how == "refs":
            held = _refs_from_rows(value, [tuple(r[:3]) for r in refs])
        else:
            held = _held(key, value, row, source)
        if not held:
            keep[key] = value
    return _deflate({"keep": keep, **({"candidates": candidates} if candidates else {})})


def unpack(blob: bytes, row: dict[str, Any], roles: list[tuple[Any, ...]],
           refs: list[tuple[Any, ...]], source: str) -> dict[str, Any]:
    """The contract (without text) stored by `pack`, from the document's `data`, its row
    (by column name), its roles (role, as written, agent id, name, line) and refs (value,
    role, line) in stored order, and its source's file name."""
    packed = _inflate(blob)
    if "whole" in packed:
        return dict(packed["whole"])
    keep = packed["keep"]
    chosen = {(role, i): c for role, i, c in packed.get("candidates", [])}
    by_role: dict[str, list[tuple[Any, ...]]] = {k: [] for k in MENTION_KEYS}
    for r in roles:
        by_role.setdefault(r[0], []).append(r[1:5])
    out: dict[str, Any] = {}
    for key in KEYS:
        if key in keep:
            out[key] = keep[key]
        elif key in COLUMNS:
            out[key] = bool(row[key]) if key == "fragment" else row[key]
        elif key in MENTION_KEYS:
            out[key] = [{"as_written": w, "id": i, "name": n, "line": ln,
                         "candidates": chosen.get((key, pos), [])}
                        for pos, (w, i, n, ln) in enumerate(by_role[key])]
        elif key == "refs":
            out[key] = [{"value": v, "role": r, "line": ln} for v, r, ln, *_ in refs]
        elif key == "source":
            out[key] = source
        elif key == "fragments":
            out[key] = [[row["start_line"], row["end_line"]]]
        else:
            default = DEFAULTS[key]
            out[key] = [] if isinstance(default, list) else default  # never shared
    return out


# --- Texts read from the original file ---


def line_starts(original: bytes) -> list[int]:
    """The byte offset where each line of a text file starts (line 1 after a UTF-8 BOM), and
    one past the end."""
    first = len(codecs.BOM_UTF8) if original.startswith(codecs.BOM_UTF8) else 0
    if b"\r" not in original:  # only `\n` breaks: each line's length and its break, summed
        lengths = map(len, original[first:].split(b"\n"))
        return list(accumulate(map(add, lengths, repeat(1)), initial=first))
    return [first, *(m.end() for m in _BREAK.finditer(original, first)), len(original) + 1]


def _line_end(original: bytes, starts: list[int], number: int) -> int:
    """The offset just past the last character of line `number` (before its line break)."""
    line = original[starts[number - 1]:starts[number]]
    cut = 2 if line.endswith(b"\r\n") else 1 if line.endswith((b"\n", b"\r")) else 0
    return starts[number - 1] + len(line) - cut


def lines_text(raw: bytes, first: int, fragments: list[list[int]]) -> str:
    """A document's text from the bytes of its lines (line `first` onwards) in the original:
    the lines of `fragments`, joined, without blank lines at either end."""
    text = raw.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(fragments) == 1 and fragments[0][0] == first \
            and text.count("\n") == fragments[0][1] - first:
        return text.strip("\n")  # one run, every line of `raw` (most documents)
    lines = text.split("\n")
    return "\n".join(lines[n - first] for a, b in fragments for n in range(a, b + 1)
                     ).strip("\n")


def _numbers(fragments: Any) -> list[int] | None:
    """The line numbers bounding the runs of `fragments` (`[[first, last], ...]`), or None
    when it is not that shape."""
    if not isinstance(fragments, list) or not all(
            isinstance(run, list) and len(run) == 2 and all(
                isinstance(n, int) and not isinstance(n, bool) for n in run)
            for run in fragments):
        return None
    return [n for run in fragments for n in run] or None


def text_span(original: bytes, starts: list[int], text: str, fragments: Any
              ) -> tuple[int, int] | None:
    """The byte range in the original of the lines `text` was read from, when reading them
    back (`lines_text`) gives `text` exactly; else None (the text is then stored)."""
    numbers = _numbers(fragments)
    if numbers is None or min(numbers) < 1 or max(numbers) >= len(starts):
        return None
    first, last = min(numbers), max(numbers)
    start, end = starts[first - 1], _line_end(original, starts, last)
    try:
        same = lines_text(original[start:end], first, fragments) == text
    except (UnicodeDecodeError, IndexError):
        return None
    return (start, end) if same else None


def kept(blob: bytes) -> dict[str, Any]:
    """The contract values a document's `data` holds itself (see `pack`): those read from no
    other row; a key left out has its default (null or [])."""
    packed = _inflate(blob)
    return dict(packed["whole"] if "whole" in packed else packed["keep"])


def fragments(blob: bytes, start_line: int, end_line: int) -> Any:
    """The runs of lines a document's text was read from, from its `data` (see `pack`)."""
    packed = _inflate(blob)
    if "whole" in packed:
        return packed["whole"].get("fragments")
    return packed["keep"].get("fragments", [[start_line, end_line]])


def span_text(raw: bytes, runs: Any) -> str:
    """The text of a document whose lines are bytes `raw` of the original (`text_span`)."""
    numbers = _numbers(runs)
    if numbers is None:
        raise ArchiveError("a document's line runs are not stored; the archive is damaged. "
                           "Ingest its file again into a new archive.")
    return lines_text(raw, min(numbers), runs)


def original_path(originals: Path, sha256: str) -> Path:
    """Where the original bytes with this hash are kept."""
    return originals / sha256[:2] / sha256


def read_original(originals: Path, sha256: str) -> bytes:
    """The whole of an original file."""
    path = original_path(originals, sha256)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"{path}: the original of source {sha256} cannot be read "
                           f"({exc.strerror or exc}); the archive is damaged. Ingest the "
                           "file again into a new archive.") from exc


def read_span(originals: Path, sha256: str, start: int, end: int) -> bytes:
    """Bytes `start` to `end` of an original file."""
    path = os.path.join(originals, sha256[:2], sha256)  # (pathlib costs more than the read)
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            raw = os.pread(fd, end - start, start)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ArchiveError(f"{path}: the original of source {sha256} cannot be read "
                           f"({exc.strerror or exc}); the archive is damaged. Ingest the "
                           "file again into a new archive.") from exc
    if len(raw) != end - start:
        raise ArchiveError(f"{path}: the original of source {sha256} is shorter than "
                           "recorded; the archive is damaged. Ingest the file again into a "
                           "new archive.")
    return raw
