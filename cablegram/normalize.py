"""Normalize: join words hyphenated across line ends, keeping every line where it was."""

from __future__ import annotations

import re

# `pris-` / `oners, and` → `prisoners,` / `and`: the rest of the word moves up a line, so the
# text keeps its number of lines and line N still holds (the start of) what line N held.
_HYPHENATED = re.compile(r"(?<=[A-Za-z])-\n([a-z][\w’'\-]*[.,;:!?)\]]*) ?")


def dehyphenate(text: str) -> str:
    """Join words split by a hyphen at a line end (a lower-case continuation only)."""
    return _HYPHENATED.sub(lambda m: m.group(1) + "\n", text)
