"""The original bytes of an ingested file, served as plain text so a browser never runs them."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from cablegram.errors import NotFoundError
from cablegram.web.views import archive_of

SHA256 = re.compile(r"[0-9a-f]{64}")
router = APIRouter()


@router.get("/originals/{sha256}")
async def original(request: Request, sha256: str) -> FileResponse:
    """The stored original with this SHA-256 (text as text/plain); 404 when there is none."""
    digest = sha256.lower()
    if not SHA256.fullmatch(digest):
        raise NotFoundError(f"'{sha256[:80]}' is not a SHA-256 hash (64 hexadecimal "
                            "characters). Follow the link on a document's page instead.")
    archive = archive_of(request)
    path = archive.original_path(digest)
    source = archive.store.source(digest)
    if source is None or not path.is_file():
        raise NotFoundError(f"No original file with SHA-256 {digest} is kept in this archive.")
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
