"""Relate: links between documents that follow from their printed numbers.

A reference such as `To your No. 1112-1126` is a reply to the documents numbered so; the
links are found when a document is read, so they are never stale after an ingest.
"""

from __future__ import annotations

import re

NUMBER_ROLES = ("telegram number", "cable number", "outgoing number")
REPLY_ROLES = ("in reply to",)
MAX_RANGE = 200  # `No. 1112-1126` is expanded; a wider "range" is more likely a misreading
_PREFIX = re.compile(r"^(?:N[oº°]\.?|Nos?\.?)\s*", re.I)
_RANGE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")


def ref_key(value: str) -> str:
    """The comparable form of a printed number: `No. 439/sh.` → `439/sh`."""
    return _PREFIX.sub("", value.strip()).rstrip(".").lower().replace(" ", "")


def reply_keys(value: str) -> list[str]:
    """The numbers a reply reference points to, a range expanded: `No. 1112-1114` → 3 keys."""
    key = ref_key(value)
    m = _RANGE.match(key)
    if m and 0 <= int(m.group(2)) - int(m.group(1)) <= MAX_RANGE:
        return [str(n) for n in range(int(m.group(1)), int(m.group(2)) + 1)]
    return [key]
