"""Mentions marked in a document's text: where each name stands on its line, and the line
with those words wrapped in <mark> (escaped first, then marked; pure, no I/O)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from cablegram.model import MENTION_KEYS

# The kind of authority record a mention in each role names; correspondents (None here) are
# people unless the authority file says the linked record is an organisation.
ROLE_KINDS: dict[str, str | None] = {
    **{role: None for role in MENTION_KEYS}, "people": "person", "places": "place",
    "organizations": "organization",
}
DEFAULT_KIND = "person"


def name_pattern(as_written: str) -> re.Pattern[str] | None:
    """A pattern finding the words as written, in any case and spacing, as whole words."""
    words = as_written.split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.I)


def _spans(line: str, as_written: str) -> list[tuple[int, int]]:
    """Where the words of a mention stand on a line (every occurrence)."""
    pattern = name_pattern(as_written)
    return [(m.start(), m.end()) for m in pattern.finditer(line)] if pattern else []


def mention_marks(lines: Iterable[tuple[int, str]], doc: Mapping[str, Any],
                  kind_of: Callable[[str], str | None],
                  url_of: Callable[[str, str], str]) -> dict[str, list[dict[str, Any]]]:
    """The marks on each line (keyed by the line number as text): the [start, end) of every
    mention that has a line, its role, kind, authority id and page URL (None if unlinked).

    Marks never overlap: where two would, the one starting first (then the longer) wins."""
    by_line: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for role in MENTION_KEYS:
        for m in doc.get(role) or []:
            if m.get("line") and m.get("as_written"):
                by_line.setdefault(int(m["line"]), []).append((role, m))
    out: dict[str, list[dict[str, Any]]] = {}
    for number, line in lines:
        found = []
        for role, m in by_line.get(number, []):
            agent = m.get("id")
            kind = ROLE_KINDS.get(role) or (kind_of(agent) if agent else None) or DEFAULT_KIND
            for start, end in _spans(line, m["as_written"]):
                found.append({"start": start, "end": end, "role": role, "kind": kind,
                              "id": agent, "name": m.get("name"),
                              "url": url_of(kind, agent) if agent else None})
        kept = _without_overlaps(found)
        if kept:
            out[str(number)] = kept
    return out


def _without_overlaps(marks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Marks in reading order, each dropped that overlaps one kept before it."""
    kept: list[dict[str, Any]] = []
    for mark in sorted(marks, key=lambda k: (k["start"], -k["end"])):
        if not kept or mark["start"] >= kept[-1]["end"]:
            kept.append(mark)
    return kept


def marked(text: str, marks: Sequence[Mapping[str, Any]] | None) -> Markup:
    """Escape one line of text, then wrap each mark's words in <mark class="m-KIND">, with a
    link to the authority page when the mention is linked."""
    out: list[str] = []
    pos = 0
    for mark in sorted(marks or [], key=lambda k: int(k["start"])):
        start, end = max(pos, int(mark["start"])), min(len(text), int(mark["end"]))
        if end <= start:
            continue
        words = escape(text[start:end])
        kind = re.sub(r"[^a-z]", "", str(mark.get("kind") or DEFAULT_KIND))
        if mark.get("url"):
            title = escape(mark.get("name") or mark.get("id") or "")
            words = Markup(f'<a href="{escape(mark["url"])}" title="{title}">{words}</a>')
        else:
            kind += " unlinked"
        out.append(f"{escape(text[pos:start])}<mark class=\"m-{kind}\">{words}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
