"""CMIF (Correspondence Metadata Interchange Format) for correspSearch.

One TEI file whose header lists a `correspDesc` per letter-like document (letters, telegrams,
cables: LETTER_TYPES): who sent it, where and when, and who received it, with Wikidata URIs
for people, organisations and places where the authority file has them. CMIF allows only
`sent` and `received` actions and dates of the forms YYYY, YYYY-MM and YYYY-MM-DD, so
intermediaries, copies and clock times are left to the TEI export. `check_cmif` tests a file
against the format's documented rules (no registry package ships the CMIF schema).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from lxml import etree

from cablegram.authority.lookup import Authority
from cablegram.export.tei import (
    PUBLISHER,
    TEI_NS,
    XML_NS,
    base_of,
    date_attrs,
    el,
    events,
    name_element,
    ncname,
    serialize,
)
from cablegram.web import urls

# A document is letter-like when its type contains one of these words (case-insensitive):
# correspondence that went from someone to someone. Memoranda, records of conversation,
# reports, directives, notes and editorial notes are not, nor is a document with no type.
LETTER_TYPES = ("letter", "telegram", "cable", "cablegram", "airgram", "telex", "radiogram",
                "dispatch", "despatch", "postcard", "note verbale")
# What correspSearch requires of every CMIF file's licence (fixed by the format).
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_TEXT = "This file is licensed under the terms of the Creative Commons License CC-BY 4.0"
# Where the file says it lives when no public base URL is given.
LOCAL_FILE_URI = "cablegram:export/cmif.xml"
FILE_PATH = "/export/cmif.xml"
# Mention lists → CMIF action: authors sent it; recipients and final addressees received it.
ACTIONS = (("sent", ("authors",)), ("received", ("recipients", "for")))
ALLOWED_ACTIONS = frozenset({"sent", "received"})
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
_CMIF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LETTER = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in LETTER_TYPES) + r")s?\b", re.I)
_NS = {"t": TEI_NS}


def is_letter_like(record: dict[str, Any]) -> bool:
    """Whether a record is correspondence by its type (LETTER_TYPES)."""
    return bool(record.get("type") and _LETTER.search(str(record["type"])))


def letters(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The letter-like records, enclosures included, each once, in archive order."""
    out: dict[str, dict[str, Any]] = {}

    def visit(record: dict[str, Any]) -> None:
        """Keep a letter-like record, then look into its enclosures."""
        if record.get("id") and record["id"] not in out and is_letter_like(record):
            out[record["id"]] = record
        for enc in record.get("enclosures") or []:
            visit(enc)

    for record in records:
        visit(record)
    return list(out.values())


def _day(value: object) -> str | None:
    """The YYYY-MM-DD part of a stored date-time, when it has one."""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ]|$)", str(value)) if value else None
    return m.group(1) if m and date_attrs(m.group(1)) else None


def _action(desc: Any, record: dict[str, Any], kind: str, keys: tuple[str, ...],
            authority: Authority) -> None:
    """One correspAction: names (persName 'Unknown' when none is known), place, date."""
    action = el(desc, "correspAction", type=kind)
    mentions = [m for k in keys for m in record.get(k) or []]
    for m in mentions:
        name_element(action, m, authority, local=False)
    if not mentions:
        el(action, "persName", "Unknown")
    ev = events(record)[kind]
    if ev.get("place"):
        name_element(action, ev["place"], authority, local=False, default="place")
    when = record.get("date") if kind == "sent" else _day(ev.get("time"))
    attrs = {k: v for k, v in date_attrs(when).items() if _CMIF_DATE.match(v)}
    if attrs:
        el(action, "date", **attrs)


def urls_base(base_url: str) -> str:
    """The public address of the reading room, without a trailing slash."""
    return base_url.rstrip("/")


def _timestamp(records: list[dict[str, Any]]) -> str:
    """When the newest source of these records was ingested (now, when none says)."""
    stamps = [str((r.get("source_file") or {}).get("ingested_at") or "") for r in records]
    stamps = [s for s in stamps if re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", s)]
    return max(stamps) if stamps else dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def export_cmif(records: Iterable[dict[str, Any]], authority: Authority, *,
                base_url: str | None = None, editor: str = PUBLISHER,
                email: str | None = None, title: str | None = None) -> str:
    """The letter-like documents as one CMIF file for correspSearch."""
    docs = letters(records)
    base = urls_base(base_url) if base_url else next(
        (b for b in (base_of(r) for r in docs) if b), None)
    root = el(None, "TEI")
    header = el(root, "teiHeader")
    file_desc = el(header, "fileDesc")
    stmt = el(file_desc, "titleStmt")
    el(stmt, "title", title or f"Cablegram: {len(docs)} letters, telegrams and cables")
    ed = el(stmt, "editor", editor)
    if email:
        el(ed, "email", email)
    pub = el(file_desc, "publicationStmt")
    el(pub, "publisher", PUBLISHER)
    el(pub, "idno", base + FILE_PATH if base else LOCAL_FILE_URI, type="url")
    el(pub, "date", when=_timestamp(docs))
    el(el(pub, "availability"), "licence", LICENCE_TEXT, target=LICENCE_URL)
    source = el(file_desc, "sourceDesc")
    bibl_ids: dict[str, str] = {}
    for record in docs:
        name = (record.get("source_file") or {}).get("collection") or "archive"
        if name not in bibl_ids:
            bibl_ids[name] = ncname("source", name)
            el(source, "bibl", f"Cablegram archive, collection {name}", type="online",
               xml_id=bibl_ids[name])
    if not bibl_ids:
        el(source, "bibl", "Cablegram archive (no letter-like documents matched)",
           type="online")
    profile = el(header, "profileDesc")
    for record in docs:
        name = (record.get("source_file") or {}).get("collection") or "archive"
        desc = el(profile, "correspDesc", key=record["id"], source="#" + bibl_ids[name],
                  ref=base + urls.document(record["id"]) if base else None)
        for kind, keys in ACTIONS:
            _action(desc, record, kind, keys, authority)
    el(el(el(root, "text"), "body"), "p")
    return serialize(root)


def check_cmif(xml: str) -> list[str]:
    """What in a CMIF file breaks the format's documented rules ([] when nothing does)."""
    root = etree.fromstring(xml.encode("utf-8"),
                            etree.XMLParser(resolve_entities=False, no_network=True))
    problems = _check_header(root)
    bibl_ids = {b.get(f"{{{XML_NS}}}id") for b in root.iterfind(".//t:sourceDesc/t:bibl", _NS)}
    for i, desc in enumerate(root.iterfind("t:teiHeader/t:profileDesc/t:correspDesc", _NS), 1):
        problems.extend(f"correspDesc {i}: {p}" for p in _check_desc(desc, bibl_ids))
    return problems


def _check_header(root: Any) -> list[str]:
    """The fileDesc rules: title, editor, publisher, URL idno, timestamp, licence, bibl."""
    problems = []
    need = {"t:teiHeader/t:fileDesc/t:titleStmt/t:title": "a title",
            "t:teiHeader/t:fileDesc/t:titleStmt/t:editor": "an editor",
            "t:teiHeader/t:fileDesc/t:publicationStmt/t:publisher": "a publisher",
            "t:teiHeader/t:fileDesc/t:publicationStmt/t:idno[@type='url']": "an idno of type url",
            "t:teiHeader/t:fileDesc/t:publicationStmt/t:date[@when]": "a date with @when",
            "t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl": "a bibl in sourceDesc"}
    for path, what in need.items():
        found = root.find(path, _NS)
        if found is None or (path.endswith(("title", "idno[@type='url']")) and
                             not (found.text or "").strip()):
            problems.append(f"the header needs {what}")
    licence = root.find(".//t:publicationStmt/t:availability/t:licence", _NS)
    if licence is None or licence.get("target") != LICENCE_URL:
        problems.append(f"the licence must be CC-BY 4.0 with target {LICENCE_URL}")
    for bibl in root.iterfind(".//t:sourceDesc/t:bibl", _NS):
        if bibl.get("type") not in ("print", "online"):
            problems.append("every sourceDesc/bibl needs @type print or online")
    return problems


def _check_desc(desc: Any, bibl_ids: set[str | None]) -> list[str]:
    """The rules of one correspDesc: actions, names, authority URIs, dates, source."""
    problems = []
    source = desc.get("source")
    if source is not None and source.lstrip("#") not in bibl_ids:
        problems.append(f"@source {source} points to no sourceDesc/bibl")
    actions = desc.findall("t:correspAction", _NS)
    if not any(a.get("type") == "sent" for a in actions):
        problems.append("no correspAction of type sent")
    for action in actions:
        if action.get("type") not in ALLOWED_ACTIONS:
            problems.append(f"correspAction type {action.get('type')!r} (only sent, received)")
        if (action.text or "").strip():
            problems.append("text directly inside correspAction")
        for child in action:
            name = etree.QName(child).localname
            if name not in ("persName", "orgName", "placeName", "date"):
                problems.append(f"<{name}> inside correspAction")
            ref = child.get("ref")
            if ref is not None and not re.match(r"^https?://\S+$", ref):
                problems.append(f"@ref {ref!r} is not an authority URL")
            for attr in DATE_ATTRS:
                value = child.get(attr)
                if name == "date" and value is not None and not _CMIF_DATE.match(value):
                    problems.append(f"date @{attr}={value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if not action.findall("t:persName", _NS) + action.findall("t:orgName", _NS):
            problems.append(f"correspAction {action.get('type')} names no one")
    return problems
