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
    """The stored original with this SHA-256, as text/plain; 404 when there is none."""
    digest = sha256.lower()
    if not SHA256.fullmatch(digest):
        raise NotFoundError(f"'{sha256[:80]}' is not a SHA-256 hash (64 hexadecimal "
                            "characters). Follow the link on a document's page instead.")
    archive = archive_of(request)
    path = archive.original_path(digest)
    source = archive.store.source(digest)
    if source is None or not path.is_file():
        raise NotFoundError(f"No original file with SHA-256 {digest} is kept in this archive.")
    return FileResponse(path, media_type="text/plain; charset=utf-8",
                        filename=source["name"], content_disposition_type="inline")
