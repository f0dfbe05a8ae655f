"""Titles in the house style.

`Ciphered Telegram No. 3172, Filippov [Stalin] to Zhou Enlai (via Roshchin)`
"""

from __future__ import annotations

from cablegram.authority.lookup import Authority
from cablegram.link import display_name
from cablegram.model import Document, Mention

NUMBER_ROLES = ("telegram number", "cable number")
SMALL_WORDS = {"of", "on", "to", "and", "the", "in", "with"}


def _names(authority: Authority, mentions: list[Mention]) -> str:
    """Join display names: `A`, `A and B`, `A, B and C`."""
    names = list(dict.fromkeys(display_name(authority, m) for m in mentions))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def build_title(doc: Document, authority: Authority) -> str:
    """Build a document's title from its fields; never from words the text does not hold."""
    kind = doc.type or ("fragment" if doc.fragment else "document")
    head = " ".join(w if w in SMALL_WORDS else w.capitalize() for w in kind.split())
    number = next((r.value for r in doc.refs if r.role in NUMBER_ROLES), None)
    if number:
        head += " " + number
    ms = doc.mentions
    parts = [head]
    if ms["authors"] and ms["recipients"]:
        parts.append(f"{_names(authority, ms['authors'])} to {_names(authority, ms['recipients'])}")
    elif ms["authors"]:
        parts.append(f"from {_names(authority, ms['authors'])}")
    elif ms["recipients"]:
        parts.append(f"to {_names(authority, ms['recipients'])}")
    title = ", ".join(parts)
    if ms["via"]:
        title += f" (via {_names(authority, ms['via'])})"
    if len(parts) == 1:
        title += f", {doc.date}" if doc.date else f", lines {doc.start_line}–{doc.end_line}"
    return title
