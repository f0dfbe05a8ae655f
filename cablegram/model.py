"""Dataclasses passed between the stages, and their JSON form (the `extract` contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from typing import Any

MENTION_KEYS = (
    "authors",
    "recipients",
    "via",
    "for",
    "copies_to",
    "participants",
    "people",
    "places",
    "organizations",
)
# How each role is labelled to readers (web and CLI).
ROLE_LABELS = {
    "authors": "From",
    "recipients": "To",
    "via": "Via",
    "for": "For",
    "copies_to": "Copies to",
    "participants": "Participants",
    "people": "People",
    "places": "Places",
    "organizations": "Organizations",
}
PAGE_KEYS = (
    "title",
    "date",
    "summary",
    "source",
    "rights",
    "type",
    "record_id",
    "credit",
    "language",
)


@dataclass(slots=True)
class Line:
    """One line of normalized text and the 1-based line of the input it came from."""

    text: str
    number: int


@dataclass
class SourceText:
    """What a reader yields: the decoded text of one file, as lines."""

    name: str
    text: str
    media_type: str
    reader: str
    # Where each line of `text` sits in the original (e.g. "p. 2, col. 1, l. 14"), when the
    # reader's text is not the file's own lines (PDF, HTML); None for plain text.
    origins: list[str] | None = None
    # Documents a structured reader found in markup (TEI), as raw fields with line spans;
    # the extract stage turns them into Documents. None when the text must be segmented.
    parts: list[dict[str, Any]] | None = None
    # The encoding the bytes were decoded from, when the reader had to detect it.
    encoding: str | None = None

    def lines(self) -> list[Line]:
        """Return the input lines, numbered from 1."""
        return list(map(Line, self.text.split("\n"), count(1)))


@dataclass
class Mention:
    """A name as written in a document, with the authority record it links to, if any."""

    as_written: str
    line: int | None = None
    id: str | None = None
    name: str | None = None
    # Who this mention may stand for ({"id", "name"}), when it is ambiguous (`Kim`) and unlinked.
    candidates: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract form."""
        return {"as_written": self.as_written, "id": self.id, "name": self.name,
                "line": self.line, "candidates": list(self.candidates)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mention:
        """Build from the contract form."""
        return cls(d["as_written"], d.get("line"), d.get("id"), d.get("name"),
                   list(d.get("candidates") or []))


@dataclass
class Ref:
    """A number printed on a document, with its role (telegram number, in reply to, ...)."""

    value: str
    role: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the contract form."""
        return {"value": self.value, "role": self.role, "line": self.line}


@dataclass
class Document:
    """One document found in a source, with everything read off it."""

    source: str
    start_line: int
    end_line: int
    fragments: list[tuple[int, int]] = field(default_factory=list)
    fragment: bool = False
    # Where the first and last lines sit in the original, for readers whose text is not the
    # file's own lines (`p. 1, col. 2, l. 3 – p. 2, col. 1, l. 9`); None for plain text.
    origin: str | None = None
    number: str | None = None
    title: str | None = None
    type: str | None = None
    date: str | None = None
    date_precision: str | None = None
    date_source: str | None = None
    sent: str | None = None
    received: str | None = None
    registered: str | None = None
    # Times with place, zone and UTC, channel, priority and the minutes in transit (see
    # cablegram/extract/transmission.py); None when the document states none of them.
    transmission: dict[str, Any] | None = None
    language: str | None = None
    signature: str | None = None
    mentions: dict[str, list[Mention]] = field(
        default_factory=lambda: {k: [] for k in MENTION_KEYS}
    )
    refs: list[Ref] = field(default_factory=list)
    handling: list[str] = field(default_factory=list)
    enclosures: list[Document] = field(default_factory=list)
    page: dict[str, str | None] | None = None
    warnings: list[str] = field(default_factory=list)
    # Footnotes and editorial notes printed with the document, kept apart from its text.
    notes: list[str] = field(default_factory=list)
    text: str = ""

    def to_contract(self) -> dict[str, Any]:
        """Return the JSON object of GUIDE §4: every key present, null or [] when unknown."""
        out: dict[str, Any] = {
            "source": self.source,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "fragments": [list(f) for f in self.fragments],
            "fragment": self.fragment,
            "origin": self.origin,
            "number": self.number,
            "title": self.title,
            "type": self.type,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            "sent": self.sent,
            "received": self.received,
            "registered": self.registered,
            "transmission": self.transmission,
            "language": self.language,
            "signature": self.signature,
        }
        for key in MENTION_KEYS:
            out[key] = [m.to_dict() for m in self.mentions.get(key, [])]
        out["refs"] = [r.to_dict() for r in self.refs]
        out["handling"] = list(self.handling)
        out["enclosures"] = [e.to_contract() for e in self.enclosures]
        out["page"] = dict(self.page) if self.page is not None else None
        out["warnings"] = list(self.warnings)
        out["notes"] = list(self.notes)
        out["text"] = self.text
        return out

    @classmethod
    def from_contract(cls, d: dict[str, Any]) -> Document:
        """Rebuild a document from its contract form."""
        doc = cls(
            source=d["source"],
            start_line=d["start_line"],
            end_line=d["end_line"],
            fragments=[(a, b) for a, b in d.get("fragments", [])],
            fragment=bool(d.get("fragment")),
            origin=d.get("origin"),
            number=d.get("number"),
            title=d.get("title"),
            type=d.get("type"),
            date=d.get("date"),
            date_precision=d.get("date_precision"),
            date_source=d.get("date_source"),
            sent=d.get("sent"),
            received=d.get("received"),
            registered=d.get("registered"),
            transmission=d.get("transmission"),
            language=d.get("language"),
            signature=d.get("signature"),
            refs=[Ref(r["value"], r["role"], r.get("line")) for r in d.get("refs", [])],
            handling=list(d.get("handling", [])),
            enclosures=[cls.from_contract(e) for e in d.get("enclosures", [])],
            page=d.get("page"),
            warnings=list(d.get("warnings", [])),
            notes=list(d.get("notes", [])),
            text=d.get("text", ""),
        )
        doc.mentions = {k: [Mention.from_dict(m) for m in d.get(k, [])] for k in MENTION_KEYS}
        return doc
