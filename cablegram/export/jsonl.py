"""JSONL: the lossless export, and reading it back for `cablegram ingest`.

One line per source: a JSON object with the source's metadata, its original bytes
(base64) and its stored documents (ids, contract, text). Ingesting the file into an empty
archive restores sources, originals, documents with the same ids, and the search index;
exporting that archive again gives the same bytes. Relations and `source_file` are left
out: the store derives them again.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cablegram.authority.lookup import Authority
from cablegram.errors import InputError, UnreadableFileError
from cablegram.model import Document

FORMAT_TAG = "cablegram-archive"
VERSION = 1
EXTENSION = ".jsonl"
# Source metadata written on each line, in this order (the `sources` table, less its row id).
SOURCE_KEYS = ("sha256", "name", "path", "media_type", "size", "reader", "collection",
               "ingested_at")
# The stored contract of a document, in stored order (text is kept apart); anything else
# in a record (`source_file`, `relations`, a page `url`) is derived and not exported.
CONTRACT_KEYS = tuple(k for k in Document("", 0, 0).to_contract() if k != "text")
# Keys of an exported document that are not part of its stored contract.
ENTRY_KEYS = ("id", "parent_id", "text")
# Keys a record's `source_file` must carry for a lossless export (see Archive.export).
ORIGINAL_KEY = "original_base64"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class ExportedSource:
    """One line of an export, checked: what the store needs to restore a source."""

    line: int
    meta: dict[str, Any]
    data: bytes
    # (id, parent_id, document, stored contract without text) in stored order
    documents: list[tuple[str, str | None, Document, dict[str, Any]]] = field(
        default_factory=list)


def _entry(record: dict[str, Any]) -> dict[str, Any]:
    """One record as it is written on its source's line (enclosures as ids)."""
    out = {"id": record["id"], "parent_id": record.get("parent_id")}
    out.update((k, record[k]) for k in CONTRACT_KEYS if k in record)
    out["enclosures"] = [e["id"] for e in record.get("enclosures") or [] if e]
    out["text"] = record.get("text") or ""
    return out


def _source_meta(record: dict[str, Any]) -> dict[str, Any]:
    """The metadata of a record's source; an error if the archive did not provide it."""
    src = record.get("source_file") or {}
    missing = [k for k in (*SOURCE_KEYS, ORIGINAL_KEY) if k not in src]
    if missing:
        raise InputError(f"document {record.get('id')}: the JSONL export needs "
                         f"{', '.join(missing)} of its source; export through "
                         "Archive.export('jsonl') (as the CLI and reading room do).")
    return {k: src[k] for k in SOURCE_KEYS}


def export_jsonl(records: Iterable[dict[str, Any]], authority: Authority) -> str:
    """One JSON line per source: metadata, original bytes (base64) and stored documents."""
    lines: dict[str, dict[str, Any]] = {}
    for record in records:
        sha = (record.get("source_file") or {}).get("sha256", "")
        if sha not in lines:
            lines[sha] = {"format": FORMAT_TAG, "version": VERSION,
                          "source": _source_meta(record),
                          "original": record["source_file"][ORIGINAL_KEY], "documents": []}
        lines[sha]["documents"].append(_entry(record))
    return "".join(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for obj in lines.values())


class _LineError(Exception):
    """A problem with one line; turned into an InputError naming file and line."""


def _check_meta(meta: Any) -> dict[str, Any]:
    """The `source` object of a line, with every key of the right type."""
    if not isinstance(meta, dict):
        raise _LineError("'source' must be an object")
    for key in SOURCE_KEYS:
        want = int if key == "size" else str
        if not isinstance(meta.get(key), want) or isinstance(meta.get(key), bool):
            raise _LineError(f"source.{key} is missing or not "
                             f"{'a number' if want is int else 'text'}")
    if not _SHA256.fullmatch(meta["sha256"]):
        raise _LineError("source.sha256 is not 64 lowercase hexadecimal characters")
    return {k: meta[k] for k in SOURCE_KEYS}


def _check_original(meta: dict[str, Any], encoded: Any) -> bytes:
    """Decode the original bytes and check them against the recorded hash and size."""
    if not isinstance(encoded, str):
        raise _LineError("'original' (the file's bytes, base64) is missing")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _LineError(f"'original' is not valid base64 ({exc})") from exc
    if hashlib.sha256(data).hexdigest() != meta["sha256"] or len(data) != meta["size"]:
        raise _LineError("the original bytes do not match source.sha256 and source.size "
                         "(the file was changed or cut)")
    return data


def _check_document(entry: Any, seen: set[str]) -> tuple[str, str | None, Document,
                                                           dict[str, Any]]:
    """One exported document: its id, parent (if exported before it) and stored contract."""
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) \
            or not isinstance(entry.get("text"), str):
        raise _LineError("each document needs a string 'id' and 'text'")
    doc_id = entry["id"]
    if doc_id in seen:
        raise _LineError(f"document id {doc_id} appears twice")
    parent = entry.get("parent_id")
    contract = {k: v for k, v in entry.items() if k not in ENTRY_KEYS}
    contract["enclosures"] = []
    try:
        doc = Document.from_contract({**contract, "text": entry["text"]})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _LineError(f"document {doc_id} is not a stored document ({exc!r})") from exc
    if not isinstance(doc.start_line, int) or not isinstance(doc.end_line, int):
        raise _LineError(f"document {doc_id}: start_line and end_line must be numbers")
    return doc_id, parent if parent in seen else None, doc, contract


def _check_line(number: int, raw: bytes) -> ExportedSource:
    """Parse and check one line of an export."""
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _LineError(f"not valid JSON ({exc})") from exc
    if not isinstance(obj, dict) or obj.get("format") != FORMAT_TAG:
        raise _LineError("not a Cablegram export (no \"format\": \"cablegram-archive\"); "
                         "only files written by `cablegram export --format jsonl` can be "
                         "ingested as .jsonl")
    if obj.get("version") != VERSION:
        raise _LineError(f"export version {obj.get('version')!r} is not {VERSION}; use the "
                         "Cablegram version that wrote it")
    meta = _check_meta(obj.get("source"))
    found = ExportedSource(number, meta, _check_original(meta, obj.get("original")))
    if not isinstance(obj.get("documents"), list):
        raise _LineError("'documents' must be a list")
    seen: set[str] = set()
    for entry in obj["documents"]:
        found.documents.append(_check_document(entry, seen))
        seen.add(found.documents[-1][0])
    return found


def read_export(path: Path) -> list[ExportedSource]:
    """Read and check a whole export before anything is written; errors name file and line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"{path}: cannot open ({exc.strerror or exc}).") from exc
    out: list[ExportedSource] = []
    ids: dict[str, int] = {}
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            found = _check_line(number, line)
            for doc_id, *_ in found.documents:
                if doc_id in ids:
                    raise _LineError(f"document id {doc_id} is also on line {ids[doc_id]}")
                ids[doc_id] = number
        except _LineError as exc:
            raise InputError(f"{path}, line {number}: {exc}. Nothing was ingested from "
                             "this file.") from None
        out.append(found)
    return out


def encode_original(data: bytes) -> str:
    """The original bytes of a source as they are written in an export."""
    return base64.b64encode(data).decode("ascii")
