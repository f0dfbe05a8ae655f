"""Downloads: one document, a search's result set or the whole archive in an export format.

`/export.{format}?id=ID` (repeatable), `/export.{format}?q=QUERY`, or `/export.{format}`
for everything. Served as an attachment with the format's media type and a file name.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from cablegram.errors import NotFoundError
from cablegram.export import FORMATS
from cablegram.web.views import archive_of

_UNSAFE = re.compile(r"[^A-Za-z0-9._]+")
router = APIRouter()


def download_name(extension: str, q: str | None = None, ids: list[str] | None = None) -> str:
    """The file name offered for a download: by document id, by query, or the archive."""
    if ids:
        stem = ids[0] if len(ids) == 1 else f"{len(ids)}-documents"
    elif q and q.strip():
        stem = "search-" + q
    else:
        stem = "archive"
    slug = _UNSAFE.sub("-", stem).strip("-.")[:60] or "export"
    return f"cablegram-{slug}{extension}"


@router.get("/export.{name}")
async def download(request: Request, name: str, q: str | None = None,
                   id: list[str] = Query(default=[])) -> Response:  # noqa: B008
    """The selection in export format `name`; 404 for an unknown format or document."""
    if name not in FORMATS:
        raise NotFoundError(f"There is no export format '{name[:40]}'. Formats: "
                            f"{', '.join(FORMATS)}.")
    fmt, body = archive_of(request).export(name, q if not id else None, id or None,
                                           str(request.base_url))
    filename = download_name(fmt.extension, q, id)
    return Response(body, media_type=f"{fmt.media_type}; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})
