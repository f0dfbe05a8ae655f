"""The originals: the bytes of an ingested file, served as plain text so a browser never runs
them, and a range of lines of its text as read (the lines a document came from), numbered."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from cablegram.archive import Archive
from cablegram.errors import NotFoundError, QueryError
from cablegram.readers import read_source
from cablegram.web import urls
from cablegram.web.views import archive_of, html_page, json_page

SHA256 = re.compile(r"[0-9a-f]{64}")
LINE_NUMBER = re.compile(r"[0-9]{1,9}")
MAX_LINES = 10_000  # lines shown at once; the whole file is at urls.original
CONTEXT = 20  # lines added by the "earlier" and "later" links
router = APIRouter()


def _stored(archive: Archive, sha256: str) -> tuple[str, dict[str, Any], Path]:
    """The hash, source row and path of a kept original; NotFoundError when there is none."""
    digest = sha256.lower()
    if not SHA256.fullmatch(digest):
        raise NotFoundError(f"'{sha256[:80]}' is not a SHA-256 hash (64 hexadecimal "
                            "characters). Follow the link on a document's page instead.")
    path = archive.original_path(digest)
    source = archive.store.source(digest)
    if source is None or not path.is_file():
        raise NotFoundError(f"No original file with SHA-256 {digest} is kept in this archive.")
    return digest, source, path


@router.get("/originals/{sha256}")
async def original(request: Request, sha256: str) -> FileResponse:
    """The stored original with this SHA-256 (text as text/plain); 404 when there is none."""
    _, source, path = _stored(archive_of(request), sha256)
    media, charset = _served_as(source["media_type"])
    if media != "text/plain":  # a PDF: downloaded, never shown inside our pages
        return FileResponse(path, media_type=media, filename=source["name"],
                            content_disposition_type="attachment")
    return FileResponse(path, media_type=f"text/plain; charset={charset}",
                        filename=source["name"], content_disposition_type="inline")


def _served_as(media_type: str) -> tuple[str, str]:
    """What an original is served as: text of any kind (HTML, XML too) as plain text in the
    charset it was read in, so a browser never runs it; anything else as itself."""
    kind, _, params = media_type.partition(";")
    charset = params.split("charset=")[-1].strip() if "charset=" in params else "utf-8"
    textual = kind.startswith("text/") or kind.endswith("xml")
    return ("text/plain", charset) if textual else (kind.strip(), charset)


@lru_cache(maxsize=8)
def text_lines(path: Path, name: str) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """The lines of an original's text as its reader reads it (the lines documents are
    numbered by), and where each sits in the file when that is not its own line (PDF, HTML).
    Cached: an original's bytes never change."""
    read = read_source(name, path.read_bytes())
    return tuple(read.text.split("\n")), tuple(read.origins) if read.origins else None


def _line_number(value: str | None, label: str) -> int:
    """A line number from the query string; QueryError with what to write when it is not."""
    if value is None or not value.strip():
        raise QueryError("Say which lines to show: ?start=FIRST&end=LAST, e.g. "
                         "?start=1&end=20 (lines are numbered from 1).")
    if not LINE_NUMBER.fullmatch(value.strip()):
        raise QueryError(f"{label} must be a line number (a whole number from 1), "
                         f"not '{value[:40]}'.")
    return int(value.strip())


def _checked_range(start: int, end: int, total: int, name: str) -> None:
    """Refuse a range that is backwards, too long (QueryError) or past the end of the file
    (NotFoundError)."""
    if start < 1 or end < start:
        raise QueryError(f"Lines {start}–{end} are not a range: give 1 ≤ start ≤ end, e.g. "
                         f"?start={max(start, 1)}&end={max(start, 1) + 19}.")
    if end - start + 1 > MAX_LINES:
        raise QueryError(f"That is {end - start + 1:,} lines; ask for at most {MAX_LINES:,} at "
                         "once, or view the whole original file.")
    if end > total:
        raise NotFoundError(f"{name} has {total:,} lines as read; there is no line {end:,}. "
                            f"Ask for lines 1 to {total:,} at most.")


def lines_data(archive: Archive, sha256: str, start_text: str | None,
               end_text: str | None) -> dict[str, Any]:
    """Lines `start` to `end` of an original's text, numbered, with the file's facts."""
    digest, source, path = _stored(archive, sha256)
    start, end = _line_number(start_text, "start"), _line_number(end_text, "end")
    lines, origins = text_lines(path, source["name"])
    _checked_range(start, end, len(lines), source["name"])
    shown = [{"number": n, "text": lines[n - 1], "origin": origins[n - 1] if origins else None}
             for n in range(start, end + 1)]
    earlier, later = max(1, start - CONTEXT), min(len(lines), end + CONTEXT)
    return {
        "source": {k: source[k] for k in ("name", "sha256", "collection", "media_type", "size")},
        "start": start, "end": end, "total_lines": len(lines), "lines": shown,
        "url": urls.original_lines(digest, start, end),
        "original_url": urls.original(digest),
        "earlier_url": urls.original_lines(digest, earlier, end) if earlier < start else None,
        "later_url": urls.original_lines(digest, start, later) if later > end else None,
    }


@router.get("/originals/{sha256}/lines.json")
async def original_lines_json(request: Request, sha256: str, start: str | None = None,
                              end: str | None = None) -> JSONResponse:
    """Lines of an original's text as read, as JSON."""
    return json_page(lines_data(archive_of(request), sha256, start, end))


@router.get("/originals/{sha256}/lines", response_class=HTMLResponse)
async def original_lines(request: Request, sha256: str, start: str | None = None,
                         end: str | None = None) -> HTMLResponse:
    """Lines of an original's text as read, numbered: the lines a document came from."""
    data = lines_data(archive_of(request), sha256, start, end)
    json_url = urls.original_lines_json(data["source"]["sha256"], data["start"], data["end"])
    return html_page("original.html", data, json_url)
