"""Normalize: join words hyphenated across line ends, keeping every line where it was."""

from __future__ import annotations

import re

from cablegram.model import Line

# `pris-` / `oners, and` → `prisoners,` / `and`: the rest of the word moves up a line, so the
# text keeps its number of lines and line N still holds (the start of) what line N held.
_HYPHENATED = re.compile(r"(?<=[A-Za-z])-\n([a-z][\w’'\-]*[.,;:!?)\]]*) ?")


def dehyphenate(text: str) -> str:
    """Join words split by a hyphen at a line end (a lower-case continuation only)."""
    if "-\n" not in text:
        return text
    return _HYPHENATED.sub(lambda m: m.group(1) + "\n", text)


def join_lines(lines: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    """Join wrapped lines into one text; return it with (offset, input line) pairs."""
    text, offsets = "", []
    for ln in lines:
        part = ln.text.strip()
        if text.endswith("-") and part[:1].islower() and text[-2:-1].islower():
            text = text[:-1]  # a word broken at the line end: `Secre-` / `tary`
        elif text and not text.endswith(("-", "–")):
            text += " "
        offsets.append((len(text), ln.number))
        text += part
    return text, offsets


def line_at(offsets: list[tuple[int, int]], pos: int) -> int:
    """The input line that holds character `pos` of a joined text."""
    return max((o for o in offsets if o[0] <= pos), default=offsets[0])[1]
