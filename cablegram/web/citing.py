"""How a document page describes itself: the citation box, Highwire `citation_*` meta tags
(read by Zotero and Google Scholar) and schema.org JSON-LD (a `Message`). Pure: the caller
gives the absolute URLs and what the authority file knows of each linked name."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from cablegram.export.citation import (
    bibtex_entry,
    chicago_note,
    citation_fields,
    csl_item,
    ris_record,
)

SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "place": "Place"}
JSONLD_ROLES = {"authors": "sender", "recipients": "recipient", "copies_to": "ccRecipient"}
MENTIONED = ("people", "places", "organizations")
_ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
# What the authority file knows of a linked id: kind, and optionally a pseudonym used here
# (`Filippov`) and the Wikidata item; given a mention, returns {} when unknown.
Describe = Callable[[dict[str, Any]], dict[str, Any]]


def citation_box(record: dict[str, Any], url: str) -> list[dict[str, str]]:
    """The citations shown on the page: label, format name and text, in four styles."""
    csl = json.dumps(csl_item(record, url), ensure_ascii=False, indent=2)
    return [
        {"format": "chicago", "label": "Chicago note", "text": chicago_note(record, url)},
        {"format": "bibtex", "label": "BibTeX", "text": bibtex_entry(record, url).strip()},
        {"format": "ris", "label": "RIS", "text": ris_record(record, url).strip()},
        {"format": "csl-json", "label": "CSL-JSON", "text": csl},
    ]


def _slashed(date: str | None) -> str | None:
    """The first date of an ISO date or range as Highwire writes it: `1950/08/25`."""
    first = (date or "").split("/")[0].strip()
    return first.replace("-", "/") if _ISO.fullmatch(first) else None


def meta_tags(record: dict[str, Any], url: str) -> list[dict[str, str]]:
    """Highwire Press `citation_*` tags (name, content), one per author."""
    f = citation_fields(record, url)
    tags = [("citation_title", f["title"])]
    tags += [("citation_author", a) for a in f["authors"]]
    date = _slashed(f["date"])
    if date:
        tags += [("citation_date", date), ("citation_publication_date", date)]
    tags += [("citation_public_url", url), ("citation_archive_id", str(f["id"])),
             ("citation_publisher", f["repository"]), ("citation_language", f["language"])]
    return [{"name": n, "content": str(c)} for n, c in tags if c]


def _agent(m: dict[str, Any], default_kind: str, describe: Describe,
           page_url: Callable[[str, str], str]) -> dict[str, Any]:
    """One name as a schema.org Person, Organization or Place."""
    known = describe(m) if m.get("id") else {}
    kind = known.get("kind") or default_kind
    out: dict[str, Any] = {"@type": SCHEMA_TYPES.get(kind, "Person"),
                           "name": m.get("name") or m.get("as_written")}
    if m.get("id"):
        out["url"] = page_url(kind, m["id"])
    if known.get("pseudonym"):
        out["alternateName"] = known["pseudonym"]
    if known.get("wikidata"):
        out["sameAs"] = f"https://www.wikidata.org/wiki/{known['wikidata']}"
    return out


def _instant(station: dict[str, Any] | None) -> str | None:
    """A transmission end as a schema.org DateTime: in UTC when known, else local time
    (a time of day without its date is no DateTime: None)."""
    st = station or {}
    value = st.get("utc") or st.get("local")
    return value if value and _ISO.fullmatch(str(value)[:10]) and len(value) > 10 else None


def json_ld(record: dict[str, Any], url: str, describe: Describe,
            page_url: Callable[[str, str], str]) -> dict[str, Any]:
    """The document as a schema.org Message: sender, recipient, ccRecipient, dateSent…"""
    f = citation_fields(record, url)
    out: dict[str, Any] = {"@context": "https://schema.org", "@type": "Message", "@id": url,
                           "url": url, "name": f["title"], "identifier": f["id"]}
    for role, prop in JSONLD_ROLES.items():
        agents = [_agent(m, "person", describe, page_url) for m in record.get(role) or []]
        if agents:
            out[prop] = agents
    transmission = record.get("transmission") or {}
    sent = _instant(transmission.get("sent"))
    date = (f["date"] or "").split("/")[0].strip()
    if sent or _ISO.fullmatch(date):
        out["dateSent"] = sent or date
    received = _instant(transmission.get("received"))
    if received:
        out["dateReceived"] = received
    if f["language"]:
        out["inLanguage"] = f["language"]
    if f["type"]:
        out["genre"] = f["type"]
    mentions = [_agent(m, kind, describe, page_url) for role, kind in
                zip(MENTIONED, ("person", "place", "organization"), strict=True)
                for m in record.get(role) or [] if m.get("id")]
    if mentions:
        out["mentions"] = list({m["url"]: m for m in mentions}.values())
    out["isPartOf"] = {"@type": "Collection", "name": f["collection"] or f["repository"]}
    return out
