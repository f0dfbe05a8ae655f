"""TEI P5 export: one document as a `TEI` file, a set of documents as a `teiCorpus`.

Everything is built with lxml elements, never by joining strings, so document text is always
escaped; characters XML 1.0 cannot carry (NUL, other C0 controls, lone surrogates) are dropped.
The header holds the title, the source file and archive page, the printed references, the
correspondence (`correspDesc`: sent, transmitted via, received, copies, with times) and the
people, places and organisations named; the body holds the text, one `<p>` per paragraph with
an `<lb n="…"/>` for every input line, handling marks, footnotes and enclosures.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from lxml import etree

from cablegram.authority.lookup import Authority
from cablegram.errors import InputError
from cablegram.web import urls

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
WIKIDATA_URI = "http://www.wikidata.org/entity/{}"
# Our own URIs, for records without a Wikidata id and for documents (no public base URL).
LOCAL_URI = "cablegram:{kind}/{id}"
DOCUMENT_URI = "cablegram:document/{id}"
PUBLISHER = "Cablegram"

# Roles of a document's correspondents → correspAction @type and @subtype, in output order.
CORRESP_ACTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("authors", "sent", None),
    ("via", "transmitted", None),
    ("recipients", "received", None),
    ("for", "received", "final-addressee"),
    ("copies_to", "received", "copy"),
)
# Which times of the cable apparatus go with which correspAction.
ACTION_TIMES = {"sent": ("sent",), "received": ("received", "registered")}
# Details of the transmission written as notes of the sending action: key → note text.
TRANSMISSION_NOTES = {"channel": "{}", "priority": "{}", "minutes": "{} minutes in transit"}
# Mention lists that name people, places and organisations, and the header list each goes to.
ENTITY_KEYS = ("authors", "recipients", "via", "for", "copies_to", "participants", "people",
               "places", "organizations")
ENTITY_LISTS = {"person": ("particDesc", "listPerson", "person", "persName"),
                "organization": ("particDesc", "listOrg", "org", "orgName"),
                "place": ("settingDesc", "listPlace", "place", "placeName")}
# Language names as archive pages write them → ISO 639-1 codes for <language @ident>.
LANGUAGES = {"russian": "ru", "english": "en", "chinese": "zh", "korean": "ko", "japanese": "ja",
             "french": "fr", "german": "de", "polish": "pl", "czech": "cs", "mongolian": "mn"}
# Paragraphs: a blank line always ends one. Text is "hard-wrapped" when no line is longer than
# `wrapped_width`; there a line ends a paragraph when it ends a sentence and is shorter than
# `short_line` times the longest line. In text that is not wrapped every line is a paragraph.
PARAGRAPHS: dict[str, Any] = {"wrapped_width": 90, "short_line": 0.8,
                              "sentence_end": re.compile(r"[.:!?;)\]]\s*$")}

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NOT_NAME = re.compile(r"[^\w.-]")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
_TIME = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})[T ])?(\d{1,2}):(\d{2})(?::(\d{2}))?"
                   r"(Z|[+-]\d{2}:\d{2})?$")
_ATTR = {"xml_id": f"{{{XML_NS}}}id", "xml_lang": f"{{{XML_NS}}}lang"}


def xml_text(value: object) -> str:
    """The value as a string XML can carry: characters XML 1.0 forbids are dropped."""
    return _NOT_XML.sub("", str(value))


def el(parent: Any, tag: str, text: object = None, **attrs: object) -> Any:
    """Append a TEI element with text and attributes (None values are left out)."""
    node = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}") if parent is not None \
        else etree.Element(f"{{{TEI_NS}}}{tag}", nsmap={None: TEI_NS})
    for key, value in attrs.items():
        if value is not None:
            node.set(_ATTR.get(key, key), xml_text(value))
    if text is not None:
        node.text = xml_text(text)
    return node


def ncname(prefix: str, value: str) -> str:
    """An xml:id: the prefix, then the value with characters an XML name cannot hold as `_`."""
    return f"{prefix}-{_NOT_NAME.sub('_', xml_text(value))}"


def token(value: str) -> str:
    """A TEI data.enumerated value from a label: `cable number` → `cable-number`."""
    return re.sub(r"[^\w.-]+", "-", xml_text(value).strip().lower()).strip("-") or "other"


def serialize(root: Any) -> str:
    """The XML declaration and the tree, indented, as text."""
    etree.cleanup_namespaces(root)
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode", xml_declaration=False) \
        .join(['<?xml version="1.0" encoding="UTF-8"?>\n', "\n"])


def entity_uri(entity_id: str | None, authority: Authority, local: bool = True) -> str | None:
    """Wikidata URI of an authority record; else our own URI (`cablegram:person/stalin`)."""
    if not entity_id:
        return None
    record = authority.get(entity_id)
    if record is not None and record.wikidata:
        return WIKIDATA_URI.format(quote(record.wikidata, safe=""))
    if not local:
        return None
    kind = record.kind if record is not None else "entity"
    return LOCAL_URI.format(kind=kind, id=quote(entity_id, safe=""))


def base_of(record: dict[str, Any]) -> str | None:
    """The reading room's address, when the record carries its page's URL (`url`, set by
    `cablegram export --base-url`)."""
    url, own = record.get("url"), urls.document(str(record.get("id")))
    return url[: -len(own)] if isinstance(url, str) and url.endswith(own) else None


def document_uri(doc_id: str, record: dict[str, Any] | None = None) -> str:
    """A document's page under the record's base address, else our own URI for it."""
    base = base_of(record) if record else None
    return base + urls.document(doc_id) if base else DOCUMENT_URI.format(id=quote(doc_id, safe=""))


def mention_kind(mention: dict[str, Any], authority: Authority, default: str) -> str:
    """person, place or organization: what the linked record is, else `default`."""
    record = authority.get(mention["id"]) if mention.get("id") else None
    return record.kind if record is not None else default


def name_element(parent: Any, mention: dict[str, Any], authority: Authority,
                 local: bool = True, default: str = "person") -> Any:
    """persName/orgName/placeName for a mention: the linked name, @ref to its record."""
    kind = mention_kind(mention, authority, default)
    tag = ENTITY_LISTS.get(kind, ENTITY_LISTS["person"])[3]
    label = mention.get("name") or mention.get("as_written") or "Unknown"
    return el(parent, tag, label, ref=entity_uri(mention.get("id"), authority, local))


def date_attrs(value: str | None) -> dict[str, str]:
    """@when (or @from/@to for `A/B`) for an ISO date TEI accepts; {} for anything else."""
    if not value:
        return {}
    if "/" in value:
        lo, _, hi = value.partition("/")
        attrs = {"from": date_attrs(lo).get("when"), "to": date_attrs(hi).get("when")}
        return {k: v for k, v in attrs.items() if v}
    if _PARTIAL.match(value):
        return {"when": value}
    if _DAY.match(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return {}
        return {"when": value}
    return {}


def time_value(value: object, day: str | None) -> str | None:
    """An xsd:dateTime (or xsd:time) for a time as stored: `21:15` on a day, `…T01:20`."""
    m = _TIME.match(str(value).strip()) if value else None
    if not m or int(m.group(2)) > 23 or int(m.group(3)) > 59:
        return None
    date = m.group(1) or (day if day and _DAY.match(day) else None)
    clock = f"{int(m.group(2)):02d}:{m.group(3)}:{m.group(4) or '00'}{m.group(5) or ''}"
    if date and not date_attrs(date):
        return None
    return f"{date}T{clock}" if date else clock


def events(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Sent, received and registered: local time, UTC, place (as a mention) and who registered
    it, from the record's transmission (cablegram/extract/transmission.py) and its times."""
    tr = record.get("transmission") if isinstance(record.get("transmission"), dict) else {}
    out: dict[str, dict[str, Any]] = {}
    for key, fallback in (("sent", "from_place"), ("received", "to_place"), ("registered", "")):
        raw = tr.get(key) if tr else None
        ev: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {"local": raw}
        ev["time"] = ev.get("local") or ev.get("time") or record.get(key)
        place = ev.get("place") or (tr.get(fallback) if tr and fallback else None)
        if isinstance(place, str) and place.strip():
            same = place == ev.get("place")
            ev["place"] = {"as_written": place, "name": place,
                           "id": ev.get("place_id") if same else None}
        out[key] = ev
    return out


def _event_dates(action: Any, ev: dict[str, Any], kind: str, day: str | None) -> None:
    """The <date> elements of one event: local time, and UTC when it is known."""
    local = time_value(ev.get("time"), day)
    if local:
        el(action, "date", type=kind, when=local)
    utc = time_value(ev.get("utc"), day)
    if utc and utc != local:
        el(action, "date", type=f"{kind}-utc", when=utc)


def _place_key(ev: dict[str, Any]) -> str:
    """What identifies an event's place (its id, else its name; '' when there is none)."""
    place = ev.get("place") or {}
    return str(place.get("id") or place.get("name") or place.get("as_written") or "")


def _event_place(action: Any, ev: dict[str, Any], authority: Authority) -> None:
    """The place of an event, when the transmission names one."""
    place = ev.get("place")
    if isinstance(place, dict) and (place.get("name") or place.get("as_written")):
        name_element(action, place, authority, default="place")


def corresp_desc(parent: Any, record: dict[str, Any], authority: Authority) -> Any:
    """correspDesc: who sent, transmitted, received and got copies, with dates and times."""
    desc = el(parent, "correspDesc", xml_id=ncname("cd", record["id"]),
              ref=document_uri(record["id"], record))
    evs = events(record)
    for key, kind, subtype in CORRESP_ACTIONS:
        action = el(None, "correspAction", type=kind, subtype=subtype)
        for mention in record.get(key) or []:
            name_element(action, mention, authority)
        if subtype is None:
            _action_details(action, record, kind, evs, authority)
        if len(action):
            desc.append(action)
    _context(desc, record)
    if not len(desc):
        el(desc, "note", "No correspondents or dates are known for this document.")
    return desc


def _action_details(action: Any, record: dict[str, Any], kind: str,
                    evs: dict[str, dict[str, Any]], authority: Authority) -> None:
    """Places, the document's date, transmission times and notes of a main action."""
    day = record.get("date") if record.get("date_precision") == "day" else None
    places = {_place_key(evs[key]): evs[key] for key in ACTION_TIMES.get(kind, ())}
    for key, ev in places.items():
        if key:
            _event_place(action, ev, authority)
    if kind == "sent" and date_attrs(record.get("date")):
        el(action, "date", record.get("date"), **date_attrs(record.get("date")))
    for key in ACTION_TIMES.get(kind, ()):
        _event_dates(action, evs[key], key, day)
    tr = record.get("transmission")
    if kind == "sent" and isinstance(tr, dict):
        for key, text in TRANSMISSION_NOTES.items():
            if tr.get(key) not in (None, ""):
                el(action, "note", text.format(tr[key]), type=key)
    if kind == "received" and evs["registered"].get("by"):
        el(action, "note", f"Registered by {evs['registered']['by']}", type="registered-by")


def _context(desc: Any, record: dict[str, Any]) -> None:
    """correspContext: what the document answers, what answers it, what encloses it."""
    links: list[tuple[str, str, str]] = []
    relations = record.get("relations") or {}
    for key, kind in (("replies_to", "replyTo"), ("replied_by", "repliedBy")):
        for rel in relations.get(key) or []:
            links.append((kind, rel["id"], rel.get("title") or rel["id"]))
    if record.get("parent_id"):
        links.append(("enclosedIn", record["parent_id"], record["parent_id"]))
    for enc in record.get("enclosures") or []:
        if enc.get("id"):
            links.append(("encloses", enc["id"], enc.get("title") or enc["id"]))
    if not links:
        return
    ctx = el(desc, "correspContext")
    for kind, target, label in links:
        el(ctx, "ref", label, type=kind, target=document_uri(target, record))


def _entities(records: Iterable[dict[str, Any]], authority: Authority
              ) -> dict[str, dict[str, dict[str, Any]]]:
    """Every person, place and organisation named, by kind, keyed by id (or by name)."""
    found: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in ENTITY_LISTS}
    for record in records:
        for key in ENTITY_KEYS:
            default = {"places": "place", "organizations": "organization"}.get(key, "person")
            for m in record.get(key) or []:
                kind = mention_kind(m, authority, default)
                found.setdefault(kind, {}).setdefault(m.get("id") or m.get("as_written"), m)
    return found


def entity_lists(profile: Any, records: list[dict[str, Any]], authority: Authority) -> None:
    """particDesc (people, organisations) and settingDesc (places) with ids and authority."""
    found = _entities(records, authority)
    for kind, (section, list_tag, item_tag, name_tag) in ENTITY_LISTS.items():
        items = found.get(kind) or {}
        if not items:
            continue
        holder = profile.find(f"{{{TEI_NS}}}{section}")
        holder = el(profile, section) if holder is None else holder
        listing = el(holder, list_tag)
        for key, m in items.items():
            linked = bool(m.get("id"))
            item = el(listing, item_tag, xml_id=ncname(kind, key) if linked else None)
            el(item, name_tag, m.get("name") or m.get("as_written") or "Unknown",
               ref=entity_uri(m.get("id"), authority))
            record = authority.get(m["id"]) if linked else None
            if record is not None and record.wikidata:
                el(item, "idno", record.wikidata, type="wikidata")


def _header(record: dict[str, Any], authority: Authority, lists: bool) -> Any:
    """The teiHeader of one document (with the people, places and organisations if `lists`)."""
    header = el(None, "teiHeader")
    file_desc = el(header, "fileDesc")
    el(el(file_desc, "titleStmt"), "title", record.get("title") or f"Document {record['id']}")
    pub = el(file_desc, "publicationStmt")
    el(pub, "publisher", PUBLISHER)
    el(pub, "idno", record["id"], type="cablegram")
    if base_of(record):
        el(pub, "idno", document_uri(record["id"], record), type="URL")
    page = record.get("page") or {}
    if page.get("rights"):
        el(el(pub, "availability"), "p", page["rights"])
    notes = [("warning", w) for w in record.get("warnings") or []]
    if record.get("fragment"):
        notes.insert(0, ("fragment", "A fragment: the start or end of this document is "
                                     "missing in the source."))
    if notes:
        stmt = el(file_desc, "notesStmt")
        for kind, text in notes:
            el(stmt, "note", text, type=kind)
    _source_desc(el(file_desc, "sourceDesc"), record)
    _profile(el(header, "profileDesc"), record, authority, lists)
    return header


def _source_desc(source: Any, record: dict[str, Any]) -> None:
    """The source file (name, hash, lines, collection), printed numbers and archive page."""
    bibl = el(source, "bibl", type="document")
    el(bibl, "title", record.get("title") or f"Document {record['id']}")
    if date_attrs(record.get("date")):
        el(bibl, "date", record["date"], **date_attrs(record["date"]))
    for ref in record.get("refs") or []:
        el(bibl, "idno", ref["value"], type=token(ref.get("role") or "reference"),
           n=ref.get("line"))
    sf = record.get("source_file") or {}
    file_bibl = el(bibl, "relatedItem", type="source-file")
    inner = el(file_bibl, "bibl")
    el(inner, "title", sf.get("name") or record.get("source") or "unknown source")
    if sf.get("sha256"):
        el(inner, "idno", sf["sha256"], type="sha256")
    if sf.get("collection"):
        el(inner, "idno", sf["collection"], type="collection")
    el(inner, "citedRange", unit="line", **{"from": record.get("start_line"),
                                            "to": record.get("end_line")})
    page = record.get("page")
    if page:
        _page_bibl(el(el(bibl, "relatedItem", type="archive-page"), "bibl"), page)


def _page_bibl(bibl: Any, page: dict[str, Any]) -> None:
    """What an archive page says about its document: title, date, record id, holding, credit."""
    el(bibl, "title", page.get("title") or "Archive page")
    if date_attrs(page.get("date")):
        el(bibl, "date", page["date"], **date_attrs(page["date"]))
    if page.get("record_id"):
        el(bibl, "idno", page["record_id"], type="record")
    for key in ("source", "type", "language", "credit"):
        if page.get(key):
            el(bibl, "note", page[key], type=key)


def _profile(profile: Any, record: dict[str, Any], authority: Authority, lists: bool) -> None:
    """Summary, language, document type, the correspondence and the entities named."""
    page = record.get("page") or {}
    if page.get("summary"):
        el(el(profile, "abstract"), "p", page["summary"])
    language = record.get("language") or page.get("language")
    code = LANGUAGES.get(str(language).strip().lower()) if language else None
    if code is None and language and re.fullmatch(r"[a-z]{2,3}", str(language)):
        code = str(language)
    if code:
        el(el(profile, "langUsage"), "language", language, ident=code)
    if record.get("type"):
        el(el(el(profile, "textClass"), "keywords"), "term", record["type"], type="document-type")
    docs = [record, *_all_enclosures(record)]
    for doc in docs:
        corresp_desc(profile, doc, authority)
    if lists:
        entity_lists(profile, docs, authority)


def _all_enclosures(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The enclosures of a document, nested ones included, in reading order."""
    out: list[dict[str, Any]] = []
    for enc in record.get("enclosures") or []:
        out.extend([enc, *_all_enclosures(enc)])
    return out


def line_numbers(record: dict[str, Any]) -> list[int | None]:
    """The input line of every text line, from the fragments (None when they disagree)."""
    lines = (record.get("text") or "").split("\n")
    spans = record.get("fragments") or [[record.get("start_line"), record.get("end_line")]]
    numbers: list[int | None] = []
    for span in spans:
        if len(span) == 2 and all(isinstance(x, int) for x in span):
            numbers.extend(range(span[0], span[1] + 1))
    return numbers if len(numbers) == len(lines) else [None] * len(lines)


def paragraphs(lines: Sequence[tuple[int | None, str]]
               ) -> list[list[tuple[int | None, str]]]:
    """Cut numbered lines into paragraphs by the PARAGRAPHS rules."""
    longest = max((len(t.rstrip()) for _, t in lines), default=0)
    wrapped = longest <= PARAGRAPHS["wrapped_width"]
    out: list[list[tuple[int | None, str]]] = [[]]
    for n, text in lines:
        if not text.strip():
            out.append([])
            continue
        out[-1].append((n, text))
        short = len(text.rstrip()) < PARAGRAPHS["short_line"] * longest
        if not wrapped or (short and PARAGRAPHS["sentence_end"].search(text)):
            out.append([])
    return [p for p in out if p]


def _text_div(parent: Any, record: dict[str, Any], kind: str) -> Any:
    """The div of one document: title, handling marks, paragraphs, footnotes, enclosures."""
    div = el(parent, "div", type=kind, xml_id=ncname("doc", record["id"]),
             decls="#" + ncname("cd", record["id"]), n=record.get("number"))
    el(div, "head", record.get("title") or f"Document {record['id']}")
    for mark in record.get("handling") or []:
        el(div, "note", mark, type="handling")
    enclosures = record.get("enclosures") or []
    inside = {n for e in enclosures for n in range(e.get("start_line") or 0,
                                                   (e.get("end_line") or -1) + 1)}
    numbered = list(zip(line_numbers(record), (record.get("text") or "").split("\n"),
                        strict=True))
    own = [(n, t) for n, t in numbered if n is None or n not in inside]
    paras = paragraphs(own)
    for para in paras or [[]]:
        p = el(div, "p")
        for i, (n, text) in enumerate(para):
            lb = el(p, "lb", n=n)
            lb.tail = xml_text(text) + ("\n" if i < len(para) - 1 else "")
    for i, note in enumerate(record.get("notes") or [], start=1):
        el(div, "note", note, place="foot", n=i)
    for enc in enclosures:
        _text_div(div, enc, "enclosure")
    return div


def tei_element(record: dict[str, Any], authority: Authority, lists: bool = True) -> Any:
    """The TEI element of one document record; `lists=False` leaves the entity lists to a
    corpus header (their xml:ids must be unique in the file)."""
    root = el(None, "TEI", xml_id=ncname("tei", record["id"]))
    root.append(_header(record, authority, lists))
    _text_div(el(el(root, "text"), "body"), record, "document")
    return root


def tei_document(record: dict[str, Any], authority: Authority) -> str:
    """One document record as a TEI P5 file."""
    return serialize(tei_element(record, authority))


def top_level(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records to write: an enclosure is left out when its parent is written (nested)."""
    recs = list(records)
    ids = {r["id"] for r in recs}
    return [r for r in recs if not (r.get("parent_id") and r["parent_id"] in ids)]


def export_collection(records: Iterable[dict[str, Any]], authority: Authority) -> str:
    """Documents as one teiCorpus: a corpus header, then a TEI element per document."""
    recs = top_level(records)
    if not recs:
        raise InputError("TEI export: no documents to write; check the query or the archive "
                         "(`cablegram search` shows what it holds).")
    collections = sorted({(r.get("source_file") or {}).get("collection") or "" for r in recs})
    named = ", ".join(c for c in collections if c) or "the archive"
    corpus = el(None, "teiCorpus")
    header = el(corpus, "teiHeader")
    file_desc = el(header, "fileDesc")
    el(el(file_desc, "titleStmt"), "title", f"Cablegram export: {len(recs)} documents from "
                                            f"{named}")
    pub = el(file_desc, "publicationStmt")
    el(pub, "publisher", PUBLISHER)
    source = el(file_desc, "sourceDesc")
    for c in collections:
        el(source, "bibl", f"Collection {c}" if c else "Documents without a collection",
           type="collection")
    profile = el(header, "profileDesc")
    entity_lists(profile, [d for r in recs for d in (r, *_all_enclosures(r))], authority)
    if not len(profile):
        header.remove(profile)
    for record in recs:
        corpus.append(tei_element(record, authority, lists=False))
    return serialize(corpus)


def collection_files(records: Iterable[dict[str, Any]], authority: Authority
                     ) -> dict[str, str]:
    """One teiCorpus per collection: {collection name: XML}, for one file per collection."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        groups.setdefault((r.get("source_file") or {}).get("collection") or "", []).append(r)
    return {name: export_collection(recs, authority) for name, recs in groups.items()}
