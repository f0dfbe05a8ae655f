"""OAI-PMH metadata formats: a document record as simple Dublin Core (oai_dc) or TEI.

Each builder takes a record (as `Archive.document` gives it) and the request's `Site`, and
returns an lxml element for the record's <metadata>. Values are set as element text, never
pasted into markup, so any text in a document gives well-formed XML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Protocol

from lxml import etree

from cablegram.archive import Archive
from cablegram.web import urls

XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
TEI = "http://www.tei-c.org/ns/1.0"
SCHEMA_LOCATION = f"{{{XSI}}}schemaLocation"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
OAI_DC_XSD = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
TEI_XSD = "https://www.tei-c.org/release/xml/tei/custom/schema/xsd/tei_all.xsd"
_NOT_NAME = re.compile(r"[^\w.-]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Site(Protocol):
    """What a builder needs of the request: the archive, the site root and identifiers."""

    archive: Archive
    site_url: str

    def identifier(self, doc_id: str) -> str:
        """The oai: identifier of a document."""


def clean(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


def sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    """Append a child element, with text if given."""
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = clean(text)
    return child


def _unique(values: Iterable[str | None]) -> list[str]:
    """Non-empty values, first occurrence kept."""
    return list(dict.fromkeys(v for v in values if v))


def dc_fields(record: dict[str, Any], ctx: Site) -> list[tuple[str, str]]:
    """The Dublin Core elements of a document record, as (element, value) in order."""
    page = record.get("page") or {}
    parent = record.get("parent_id")
    creators = _unique(m.get("name") or m.get("as_written") for m in record.get("authors") or [])
    values: list[tuple[str, str | None]] = [
        ("title", record.get("title")),
        *(("creator", name) for name in creators),
        ("date", record.get("date")),
        ("type", record.get("type")),
        ("type", "Text"),  # DCMI Type Vocabulary
        ("identifier", ctx.site_url + urls.document(record["id"])),
        ("identifier", ctx.identifier(record["id"])),
        ("description", page.get("summary")),
        ("language", record.get("language") or page.get("language")),
        ("source", page.get("source")),
        ("source", (record.get("source_file") or {}).get("name")),
        ("rights", page.get("rights")),
        ("relation", ctx.site_url + urls.document(parent) if parent else None),
    ]
    return [(name, value) for name, value in values if value]


def oai_dc_root() -> etree._Element:
    """An empty oai_dc:dc element."""
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(SCHEMA_LOCATION, f"{OAI_DC} {OAI_DC_XSD}")
    return root


def oai_dc(record: dict[str, Any], ctx: Site) -> etree._Element:
    """A document record in simple Dublin Core (oai_dc)."""
    root = oai_dc_root()
    for name, value in dc_fields(record, ctx):
        sub(root, f"{{{DC}}}{name}", value)
    return root


def scope_ids(root: etree._Element, doc_id: str) -> etree._Element:
    """Keep xml:ids unique in a response that holds many records: every id of this record's
    tree that does not end in the record's own id gets `.<id>` appended, and the `#id`
    pointers to it follow (a page may hold a cable and its enclosure, or two records that
    both list the same person)."""
    suffix = "." + _NOT_NAME.sub("_", doc_id)
    renamed = {}
    for node in root.iter(etree.Element):
        old = node.get(XML_ID)
        if old and not (old == doc_id or old.endswith("-" + doc_id)):
            renamed[old] = old + suffix
            node.set(XML_ID, renamed[old])
    for node in root.iter(etree.Element) if renamed else ():
        for name, value in node.attrib.items():
            if "#" in value:
                node.set(name, " ".join("#" + renamed[t[1:]] if t[1:] in renamed and
                                        t.startswith("#") else t for t in value.split()))
    return root


def tei(record: dict[str, Any], ctx: Site) -> etree._Element:
    """A document record as a TEI P5 document (written by cablegram.export.tei)."""
    write = import_module("cablegram.export.tei").tei_document
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(write(record, ctx.archive.authority).encode("utf-8"), parser)
    return scope_ids(root, record["id"])


@dataclass(frozen=True)
class MetadataFormat:
    """A metadata format a record can be disseminated in."""

    prefix: str
    schema: str
    namespace: str
    build: Callable[[dict[str, Any], Site], etree._Element]
    requires: str | None = None  # "module:function" that must exist for it to be offered


METADATA_FORMATS = (
    MetadataFormat("oai_dc", OAI_DC_XSD, OAI_DC, oai_dc),
    MetadataFormat("tei", TEI_XSD, TEI, tei, requires="cablegram.export.tei:tei_document"),
)


def available_formats() -> list[MetadataFormat]:
    """The formats offered: those whose writer can be imported."""
    out = []
    for fmt in METADATA_FORMATS:
        if fmt.requires:
            module, func = fmt.requires.split(":")
            try:
                if not hasattr(import_module(module), func):
                    continue
            except ImportError:
                continue
        out.append(fmt)
    return out
