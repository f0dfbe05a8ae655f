"""Reader for TEI P5 XML in the FRUS style: each `div type="document"` becomes a part.

The reader renders the volume as plain text, one line per printed line or paragraph, laid out
as a printed book shows it (number, head, source note, dateline, classification, a blank line,
body, signature; footnotes kept out of the text), with a map from each line back to its
element in the XML. Beside the text it returns, per document, the fields the markup states
(`parts`), which the extract stage turns into Documents (cablegram/extract/tei.py).

XML is parsed with DTDs, entity expansion and network access off; a file that declares
entities is refused before it is parsed (billion laughs, external entities).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from lxml import etree

from cablegram.errors import UnreadableFileError, UnsupportedFormatError
from cablegram.model import SourceText

EXTENSIONS = (".xml", ".tei")
MEDIA_TYPE = "application/tei+xml"
TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ROOTS = ("TEI", "teiCorpus")
INDENT = "    "  # a nested list, a quoted block: four spaces per level
LOCAL_NAMES = 512  # element tags whose local name is kept

# A head that opens an editorial note rather than a document (also `div/@subtype`).
EDITORIAL_HEAD = re.compile(r"^Editorial\s+Note\b", re.I)
EDITORIAL_SUBTYPES = ("editorial-note",)
# Elements whose content is never part of the text: page and column breaks, printed running
# heads (forme work), editorial apparatus.
SILENT = frozenset({"pb", "cb", "milestone", "fw", "anchor", "index"})
# Elements that break a line of text into blocks when they sit inside a paragraph or an item.
NESTED_BLOCKS = frozenset({"list", "table", "p", "lg", "listBibl"})
# Elements that become separate lines, with a space around them when read as running text.
SPACED = frozenset({"p", "item", "label", "list", "row", "cell", "l", "lg", "head", "ab",
                    "dateline"})
# The children of a document div that make up its apparatus, not its body.
APPARATUS = frozenset({"head", "opener", "closer", "dateline"})
# Where a document's dateline may stand, in order of preference.
DATELINE_PLACES = ("opener", "div", "closer")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[(?P<subset>.*?)\]\s*)?>", re.S)
_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_LIBXML_WHERE = re.compile(r",\s*line \d+, column \d+$")
_SPACES = re.compile(r"\s+")
_PRETTY_START = re.compile(r"^\s*\n\s*")
_PRETTY_END = re.compile(r"\s*\n\s*$")


def local(el: Any) -> str:
    """The local name of an element (`{ns}div` → `div`); '' for comments and PIs."""
    tag = el.tag
    return _local_name(tag) if isinstance(tag, str) else ""


@lru_cache(maxsize=LOCAL_NAMES)
def _local_name(tag: str) -> str:
    """The local name in an element's tag (kept: a volume uses a few dozen tags)."""
    return etree.QName(tag).localname


def clean(text: str) -> str:
    """Collapse runs of white space into one space and trim."""
    return _SPACES.sub(" ", text).strip()


def _refuse_entities(name: str, data: bytes) -> None:
    """Refuse a file whose DOCTYPE declares entities, before any parser sees it."""
    doctype = _DOCTYPE.search(_utf16(data) or data)
    if doctype and _DECLARATION.search(doctype.group("subset") or b""):
        raise UnreadableFileError(
            f"{name}: the XML declares entities in its DOCTYPE; Cablegram refuses them "
            "(they can expand without limit or read other files). Remove the DOCTYPE's "
            "internal subset (the `[...]` with `<!ENTITY ...>`) and ingest it again.")


def _utf16(data: bytes) -> bytes:
    """The bytes re-encoded as UTF-8 when they are UTF-16 (else empty)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    return b""


def parse_xml(name: str, data: bytes) -> Any:
    """Parse XML safely (no DTD, no entities, no network); errors name the file and the spot."""
    _refuse_entities(name, data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        raise UnreadableFileError(
            f"{name}: not well-formed XML (line {line}, column {column}: "
            f"{_LIBXML_WHERE.sub('', exc.msg)}). Fix the "
            "markup (`xmllint --noout FILE` shows the spot) and ingest it again.") from exc
    if root is None:
        raise UnreadableFileError(f"{name}: the file holds no XML element.")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnreadableFileError(f"{name}: the XML declares entities; Cablegram refuses them.")
    return root


def _child_text(child: Any, out: list[str]) -> None:
    """Append the running text of one child (not its tail): notes and furniture left out."""
    tag = local(child)
    if tag == "lb":
        out.append("" if child.get("break") == "no" else " ")
    elif tag in SPACED:
        out.append(" ")
        _text_into(child, out)
        out.append(" ")
    elif tag and tag != "note" and tag not in SILENT:
        _text_into(child, out)


def _text_into(el: Any, out: list[str]) -> None:
    """Append the running text of an element and its children, without the line breaks and
    indentation that pretty-printing put at the start and end of its content."""
    parts = [el.text or ""]
    for child in el:
        _child_text(child, parts)
        parts.append(child.tail or "")
    text = "".join(parts)
    if "\n" in text:  # (both patterns need a line break)
        text = _PRETTY_END.sub("", _PRETTY_START.sub("", text))
    out.append(text)


def inline_text(el: Any) -> str:
    """The text of an element as one line: footnotes and page breaks removed (a footnote's
    own paragraphs are joined by a space)."""
    out: list[str] = []
    _text_into(el, out)
    return clean("".join(out))


Rendered = list[tuple[str, Any]]  # (line, element it came from)


def _has_block(el: Any) -> bool:
    """Whether an element holds blocks that print on their own lines."""
    return any(local(c) in NESTED_BLOCKS or _is_block_quote(c) for c in el)


def _is_block_quote(el: Any) -> bool:
    """A quotation printed as indented paragraphs (it holds paragraphs)."""
    return local(el) in ("quote", "q", "cit") and any(local(c) in ("p", "lg") for c in el)


def blocks(el: Any, indent: str = "") -> Rendered:
    """Lines of a body element: paragraphs, lists (label and item), tables, quoted blocks."""
    tag = local(el)
    if not tag or tag in SILENT or (tag == "note" and not is_inline_note(el)):
        return []
    if tag == "list":
        return _list_lines(el, indent)
    if tag in ("opener", "closer"):
        return [ln for c in el for ln in blocks(c, indent)]
    if tag == "table":
        return [(indent + "\t".join(inline_text(c) for c in row if local(c) == "cell"), row)
                for row in el if local(row) == "row"]
    if _is_block_quote(el):
        return [ln for c in el for ln in blocks(c, indent + INDENT)]
    if _has_block(el) or tag in ("div", "floatingText", "body", "postscript"):
        return _mixed(el, indent)
    line = inline_text(el)
    return [(indent + line, el)] if line else []


def _mixed(el: Any, indent: str, prefix: str = "") -> Rendered:
    """Lines of an element mixing running text and blocks: text before, between and after
    the blocks becomes lines; a block nested in a paragraph or item is indented one level."""
    nested = indent + INDENT if local(el) in ("p", "item", "cell", "ab") else indent
    out: Rendered = []
    pieces: list[str] = [el.text or ""]

    def flush() -> None:
        """Emit the running text gathered so far as a line."""
        nonlocal prefix
        line = clean(prefix + " " + "".join(pieces))
        if line:
            out.append((indent + line, el))
        pieces.clear()
        prefix = ""

    for child in el:
        tag = local(child)
        if tag in NESTED_BLOCKS or _is_block_quote(child) or tag in ("head", "opener", "closer"):
            flush()  # a quoted block brings its own indentation
            out += blocks(child, indent if _is_block_quote(child) else nested)
        else:
            _child_text(child, pieces)
        pieces.append(child.tail or "")
    flush()
    return out


def _list_lines(el: Any, indent: str) -> Rendered:
    """Lines of a list: `label item` per entry, nested lists one level further in."""
    out: Rendered = []
    label = ""
    for child in el:
        tag = local(child)
        if tag == "label":
            label = inline_text(child)
        elif tag == "item":
            out += _mixed(child, indent, label)
            label = ""
        elif tag == "head":
            out += blocks(child, indent)
    return out


def is_inline_note(note: Any) -> bool:
    """A note printed in the text (not a footnote): `rend="inline"` other than a source note."""
    return note.get("rend") == "inline" and note.get("type") != "source"


def is_footnote(note: Any) -> bool:
    """A note printed at the foot of the page."""
    return local(note) == "note" and note.get("type") != "source" and not is_inline_note(note)


def _in_footnote(el: Any) -> bool:
    """Whether an element sits inside a footnote."""
    return any(is_footnote(a) for a in el.iterancestors())


def _person_entries(root: Any) -> Iterator[Any]:
    """Entries of the volume's persons list: `list[@type="persons"]/item`, `listPerson/person`."""
    for lst in root.iter("{*}list"):
        if lst.get("type") == "persons":
            yield from (c for c in lst if local(c) == "item")
    for lst in root.iter("{*}listPerson"):
        yield from (c for c in lst if local(c) == "person")


def persons(root: Any) -> dict[str, dict[str, str | None]]:
    """The volume's persons list: xml:id → name as listed and the description after it."""
    out: dict[str, dict[str, str | None]] = {}
    for entry in _person_entries(root):
        pers = next(entry.iter("{*}persName"), None)
        pid = (pers.get(XML_ID) if pers is not None else None) or entry.get(XML_ID)
        if pers is None or not pid:
            continue
        name, whole = inline_text(pers), inline_text(entry)
        rest = whole[whole.find(name) + len(name):] if name in whole else ""
        out[pid] = {"name": name, "description": rest.strip(" ,;:") or None}
    return out


def _ns(root: Any) -> str:
    """The namespace of the TEI root ('' when it has none)."""
    return etree.QName(root).namespace or ""


def _outside_notes(div: Any, tag: str) -> Iterator[Any]:
    """Elements named `tag` in a document div, outside its footnotes."""
    return (e for e in div.iter("{*}" + tag) if not _in_footnote(e))


def _persname(el: Any, people: dict[str, dict[str, str | None]]) -> dict[str, Any]:
    """A persName as the markup gives it, its @corresp resolved through the persons list."""
    corresp = el.get("corresp")
    listed = people.get((corresp or "").lstrip("#")) if corresp else None
    return {"text": inline_text(el), "corresp": corresp, "type": el.get("type"),
            "name": listed["name"] if listed else None,
            "description": listed["description"] if listed else None}


def _datelines(div: Any) -> list[Any]:
    """The datelines of a document: the opener's first, then one on its own, then the
    closer's; else any outside the footnotes."""
    found = list(_outside_notes(div, "dateline"))
    placed = [d for d in found if local(d.getparent()) in DATELINE_PLACES]
    return sorted(placed, key=lambda d: DATELINE_PLACES.index(local(d.getparent()))) or found


def _dates(div: Any) -> dict[str, Any]:
    """The dates the markup gives: dateline `date/@when`, `@notBefore`/`@notAfter`, and the
    FRUS `doc-dateTime-min/max` of the div."""
    dates = [d for line in _datelines(div) for d in line.iter("{*}date")]
    whens = [d.get("when") for d in dates if d.get("when")]
    return {
        "date_when": whens,
        "date": whens[0] if whens else None,
        "notBefore": next((d.get("notBefore") for d in dates if d.get("notBefore")), None),
        "notAfter": next((d.get("notAfter") for d in dates if d.get("notAfter")), None),
        "doc_dateTime_min": div.get(f"{{{FRUS_NS}}}doc-dateTime-min"),
        "doc_dateTime_max": div.get(f"{{{FRUS_NS}}}doc-dateTime-max"),
    }


def signature(closer: Any) -> str | None:
    """The closer's text when it holds a signature and nothing else but brackets."""
    signed = [c for c in closer if local(c) == "signed"]
    whole = inline_text(closer)
    if len(signed) == 1 and whole.strip("[] ") == inline_text(signed[0]).strip("[] "):
        return whole
    return None


def _signatures(div: Any) -> list[str]:
    """The signatures of a document, as printed (`McConaughy`, `[Henderson]`)."""
    out = []
    for closer in _outside_notes(div, "closer"):
        whole = signature(closer)
        out += [whole] if whole else [inline_text(s) for s in closer if local(s) == "signed"]
    return out


def fields(div: Any, people: dict[str, dict[str, str | None]]) -> dict[str, Any]:
    """The fields a document div states in its markup, as written (white space collapsed)."""
    head = next((c for c in div if local(c) == "head"), None)
    source = next((n for n in _outside_notes(div, "note") if n.get("type") == "source"), None)
    datelines = _datelines(div)
    openers = [c for c in div if local(c) == "opener"]
    signed = _signatures(div)
    head_text = inline_text(head) if head is not None else None
    return {
        "n": div.get("n"), "xml_id": div.get(XML_ID), "head": head_text,
        "source_note": inline_text(source) if source is not None else None,
        "dateline": inline_text(datelines[0]) if datelines else None,
        **_dates(div),
        "classification": [inline_text(s) for o in openers for s in o if local(s) == "seg"],
        "persNames": [_persname(e, people) for e in _outside_notes(div, "persName")],
        "from_to_glosses": [{"text": inline_text(g), "type": g.get("type"),
                             "target": g.get("target")}
                            for g in _outside_notes(div, "gloss") if g.get("type")],
        "placeNames": [inline_text(p) for p in _outside_notes(div, "placeName")],
        "signature": signed[0] if signed else None,
        "editorial_note": div.get("subtype") in EDITORIAL_SUBTYPES
        or bool(head_text and EDITORIAL_HEAD.match(head_text)),
        "footnotes": [{"n": n.get("n"), "xml_id": n.get(XML_ID), "text": inline_text(n)}
                      for n in div.iter("{*}note") if is_footnote(n)],
    }


class Volume:
    """The rendered text as it grows: lines, and where each came from in the XML."""

    def __init__(self) -> None:
        """Start empty."""
        self.lines: list[str] = []
        self.origins: list[str] = []

    def add(self, text: str, where: str, el: Any) -> int:
        """Append a line; return its 1-based number."""
        self.lines.append(text)
        line = getattr(el, "sourceline", None)
        self.origins.append(f"{where}, <{local(el)}>" + (f", XML line {line}" if line else ""))
        return len(self.lines)


def _apparatus(div: Any, vol: Volume, where: str) -> dict[str, Any]:
    """Render number, head, source note, datelines and classification; return their lines."""
    at: dict[str, Any] = {"classification": []}
    if div.get("n"):
        at["number"] = vol.add(f"{div.get('n')}.", where, div)
    head = next((c for c in div if local(c) == "head"), None)
    source = next((c for c in div if local(c) == "note" and c.get("type") == "source"), None)
    if head is not None:
        at["head"] = vol.add(inline_text(head), where, head)
    if source is not None:
        at["source_note"] = vol.add(inline_text(source), where, source)
    for child in div:  # a dateline in the opener, or standing on its own after the head
        items = list(child) if local(child) == "opener" else [child]
        for item in items:
            text = inline_text(item) if local(item) in ("dateline", "seg") else ""
            if text and local(item) == "dateline":
                at.setdefault("dateline", vol.add(text, where, item))
            elif text and local(child) == "opener":
                at["classification"].append(vol.add(text, where, item))
    return at


def _closer(closer: Any) -> list[tuple[str, Any, bool]]:
    """Lines of a closer, each with whether it is the signature."""
    whole = signature(closer)
    if whole is not None:  # `[<signed>Henderson</signed>]`: the closer is the signature
        return [(whole, closer, True)]
    return [(text, el, local(child) == "signed") for child in closer
            for text, el in blocks(child)]


def _body(div: Any, vol: Volume, where: str) -> tuple[list[str], dict[str, Any]]:
    """Render the body and the closer in document order; return the body lines (closers
    left out) and where the body and the signature sit."""
    rendered: list[tuple[str, Any, bool | None]] = []
    for opener in (c for c in div if local(c) == "opener"):  # a salutation, a byline
        rendered += [(t, el, None) for c in opener if local(c) not in ("dateline", "seg")
                     for t, el in blocks(c)]
    for child in div:
        if local(child) == "closer":
            rendered += _closer(child)
        elif local(child) not in APPARATUS and not (local(child) == "note"
                                                    and child.get("type") == "source"):
            rendered += [(t, el, None) for t, el in blocks(child)]
    at: dict[str, Any] = {}
    if any(kind is None for _, _, kind in rendered):
        vol.add("", where, div)
    for text, el, kind in rendered:
        line = vol.add(text, where, el)
        if kind is None:
            at.setdefault("body", [line, line])[1] = line
        elif kind:
            at.setdefault("signature", line)
    return [text for text, _, kind in rendered if kind is None], at


def _is_document(el: Any) -> bool:
    """Whether an element is a `div type="document"`."""
    return local(el) == "div" and el.get("type") == "document"


def pages(root: Any) -> dict[Any, dict[str, Any]]:
    """Per document div: the page it starts on (the last page break before it; else the
    page before the first break, marked inferred) and the page breaks inside it."""
    out: dict[Any, dict[str, Any]] = {}
    last: str | None = None
    for el in root.iter("{*}pb", "{*}div"):
        if local(el) == "pb":
            last = el.get("n") or last
        elif _is_document(el):
            out[el] = {"page_start": last, "page_start_inferred": False,
                       "pages_in_doc": [p.get("n") for p in el.iter("{*}pb")]}
    first = next((p.get("n") for p in root.iter("{*}pb") if p.get("n")), None)
    for info in out.values():
        if info["page_start"] is None and first and first.isdigit():
            info["page_start"], info["page_start_inferred"] = str(int(first) - 1), True
    return out


def _document(div: Any, vol: Volume, people: dict[str, dict[str, str | None]],
              page: dict[str, Any]) -> dict[str, Any]:
    """Render one document div into the volume; return its part (fields and line spans)."""
    where = f"div {div.get(XML_ID) or div.get('n') or div.sourceline}"
    start = len(vol.lines) + 1
    at = _apparatus(div, vol, where)
    body, more = _body(div, vol, where)
    at.update(more)
    part = fields(div, people)
    part.update(page)
    part["body"] = "\n".join(body)
    part["lines"] = at
    part["start_line"], part["end_line"] = start, len(vol.lines)
    return part


def _check_root(name: str, root: Any) -> None:
    """Refuse XML that is not TEI, saying which XML Cablegram reads."""
    if local(root) not in ROOTS or _ns(root) not in (TEI_NS, ""):
        raise UnsupportedFormatError(
            f"{name}: XML with root <{local(root) or root.tag}> "
            f"({_ns(root) or 'no namespace'}) is not TEI. Cablegram reads TEI P5 XML (root "
            f"<TEI> or <teiCorpus> in {TEI_NS}), with documents marked as "
            '<div type="document"> as in FRUS volumes; convert other XML to TEI or to text.')


def read_tei(name: str, data: bytes) -> SourceText:
    """Read a TEI file: its documents as parts, and the volume as plain text with origins."""
    root = parse_xml(name, data)
    _check_root(name, root)
    people = persons(root)
    page_info = pages(root)
    divs = [d for d in root.iter("{*}div") if _is_document(d)
            and not any(_is_document(a) for a in d.iterancestors())]
    vol = Volume()
    found: list[dict[str, Any]] = []
    for i, div in enumerate(divs):
        if i:
            vol.add("", f"between div {divs[i - 1].get(XML_ID)} and {div.get(XML_ID)}", div)
        found.append(_document(div, vol, people, page_info[div]))
    parts = found if divs else None
    if not divs:  # TEI without document divs: its text, to be segmented like any text
        text_el = next(root.iter("{*}text"), root)
        for text, el in blocks(next(text_el.iter("{*}body"), text_el)):
            vol.add(text, "text", el)
    encoding = root.getroottree().docinfo.encoding
    return SourceText(name=name, text="\n".join(vol.lines), media_type=MEDIA_TYPE,
                      reader="tei", origins=vol.origins, parts=parts, encoding=encoding)
