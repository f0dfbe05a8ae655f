"""Citations of archive documents: Chicago notes and bibliography, BibTeX, RIS, CSL-JSON.

`citation_fields` reduces a record to what a citation needs; one function per style cites
one record (for a citation box on a document page), and the registry functions of FORMATS
cite many. A record's `url` (set by Archive.export when a base URL is known) is cited as
the address of its page in the reading room.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from cablegram.authority.lookup import Authority

ARCHIVE_NAME = "Cablegram archive"
UNTITLED = "Untitled document"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                 "dec")
# Document type → CSL item type; anything else is a "document".
CSL_TYPES = {
    "letter": "letter",
    "handwritten letter": "letter",
    "note": "letter",
    "telegram": "letter",
    "ciphered telegram": "letter",
    "circular telegram": "letter",
    "cable": "letter",
    "report": "report",
}
# Characters BibTeX/LaTeX treat specially inside a braced value, and what stands for each.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
    "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(c) for c in BIBTEX_ESCAPES))
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_SPACE = re.compile(r"\s+")


def _clean(text: Any) -> str:
    """A value on one line: runs of whitespace (newlines included) become one space."""
    return _SPACE.sub(" ", str(text)).strip() if text is not None else ""


def _names(mentions: list[dict[str, Any]] | None) -> list[str]:
    """Linked names of the agents in a role, else the words as written; no duplicates."""
    out: list[str] = []
    for m in mentions or []:
        name = _clean(m.get("name") or m.get("as_written"))
        if name and name not in out:
            out.append(name)
    return out


def date_parts(date: str | None) -> list[list[int]]:
    """An ISO date or range (`1950-10-01/1950-10-15`) as CSL date-parts; [] if none."""
    parts: list[list[int]] = []
    for piece in (date or "").split("/")[:2]:
        m = _ISO_DATE.fullmatch(piece.strip())
        if m:
            parts.append([int(g) for g in m.groups() if g])
    return parts


def _human_date(parts: list[int]) -> str:
    """[1950, 10, 2] → `October 2, 1950`; [1950, 10] → `October 1950`; [1950] → `1950`."""
    if len(parts) == 3 and 1 <= parts[1] <= 12:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2 and 1 <= parts[1] <= 12:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def citation_fields(record: dict[str, Any], url: str | None = None) -> dict[str, Any]:
    """What every citation style needs from a record, cleaned to one line per value.

    `repository` is the archive page's own source line (or credit) for archive pages, else
    the Cablegram archive; `location` is the file and lines the document came from."""
    page = record.get("page") or {}
    src = record.get("source_file") or {}
    repository = _clean(page.get("source") or page.get("credit")).rstrip(".")
    parts = date_parts(record.get("date"))
    location = None
    if not repository:
        name = _clean(src.get("name") or record.get("source"))
        location = f"{name}, lines {record.get('start_line')}–{record.get('end_line')}"
    return {
        "id": record.get("id"), "title": _clean(record.get("title")) or UNTITLED,
        "authors": _names(record.get("authors")),
        "recipients": _names(record.get("recipients")),
        "date": record.get("date"), "date_parts": parts,
        "date_text": "–".join(_human_date(p) for p in parts) or "n.d.",
        "type": _clean(record.get("type")) or None, "number": record.get("number"),
        "language": record.get("language"),
        "repository": repository or ARCHIVE_NAME, "location": location,
        "collection": None if repository else (_clean(src.get("collection")) or None),
        "record_id": _clean(page.get("record_id")) or None,
        "url": url or record.get("url"),
    }


def _join(parts: Iterable[str | None], sep: str) -> str:
    """Join the non-empty parts and end with a period, never doubling one (`n.d.`)."""
    kept = [p for p in parts if p]
    text = sep.join(p.rstrip(".") if sep.startswith(".") else p for p in kept[:-1])
    last = kept[-1].rstrip(".") if kept else ""
    text = sep.join(t for t in (text, last) if t)
    return text + "." if text else ""


def _and_list(names: list[str]) -> str | None:
    """`A`, `A and B`, `A, B, and C` (Chicago's serial comma); None for no names."""
    if len(names) < 3:
        return " and ".join(names) or None
    return ", ".join(names[:-1]) + ", and " + names[-1]


def chicago_note(record: dict[str, Any], url: str | None = None) -> str:
    """A Chicago full note for one archival document: title, date, where, archive, URL."""
    f = citation_fields(record, url)
    return _join([f["title"], f["date_text"], f["location"], f["collection"],
                  f["repository"], f["url"]], ", ")


def chicago_entry(record: dict[str, Any], url: str | None = None) -> str:
    """A Chicago bibliography entry for one archival document (authors first)."""
    f = citation_fields(record, url)
    where = ", ".join(p for p in (f["location"], f["collection"]) if p) or None
    return _join([_and_list(f["authors"]), f["title"], f["date_text"], where,
                  f["repository"], f["url"]], ". ")


def bibtex_escape(text: Any) -> str:
    """Text safe inside a braced BibTeX value: LaTeX specials escaped, on one line."""
    return _BIBTEX_SPECIAL.sub(lambda m: BIBTEX_ESCAPES[m.group()], _clean(text))


def bibtex_key(record: dict[str, Any]) -> str:
    """The citation key of a record: `cablegram-` and its id (safe characters only)."""
    return "cablegram-" + re.sub(r"[^A-Za-z0-9_:-]+", "-", str(record.get("id") or "x"))


def bibtex_entry(record: dict[str, Any], url: str | None = None) -> str:
    """A BibTeX @misc entry (names braced whole: no first/last guessing)."""
    f = citation_fields(record, url)
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(f["title"]) + "}")]
    if f["authors"]:
        fields.append(("author", " and ".join("{" + bibtex_escape(a) + "}"
                                              for a in f["authors"])))
    if f["date_parts"]:
        first = f["date_parts"][0]
        fields.append(("date", bibtex_escape(f["date"])))
        fields.append(("year", str(first[0])))
        if len(first) > 1 and 1 <= first[1] <= 12:
            fields.append(("month", BIBTEX_MONTHS[first[1] - 1]))
    fields.append(("howpublished", bibtex_escape(f["repository"])))
    note = "; ".join(p for p in (f["location"], f["collection"] and
                                 f"collection {f['collection']}") if p)
    if note:
        fields.append(("note", bibtex_escape(note).replace("–", "--")))
    if f["url"]:
        fields.append(("url", re.sub(r"[{}\\\s]", lambda m: f"%{ord(m.group()):02X}",
                                     f["url"])))
    body = ",\n".join(f"  {k} = {v}" if k == "month" else f"  {k} = {{{v}}}"
                      for k, v in fields)
    return f"@misc{{{bibtex_key(record)},\n{body}\n}}\n"


def ris_record(record: dict[str, Any], url: str | None = None) -> str:
    """An RIS record (TY  - GEN … ER  - ), one tag a line."""
    f = citation_fields(record, url)
    tags: list[tuple[str, Any]] = [("TY", "GEN"), ("ID", f["id"]), ("TI", f["title"])]
    tags += [("AU", a) for a in f["authors"]]
    if f["date_parts"]:
        first = f["date_parts"][0]
        tags += [("DA", "/".join(f"{n:02d}" for n in first)), ("PY", str(first[0]))]
    tags += [("M3", f["type"]), ("DB", f["repository"]), ("AN", f["location"]),
             ("N1", f["collection"] and f"Collection: {f['collection']}"),
             ("LA", f["language"]), ("UR", f["url"])]
    lines = [f"{tag}  - {_clean(value)}" for tag, value in tags if value]
    return "\n".join(lines) + "\nER  - \n"


def csl_item(record: dict[str, Any], url: str | None = None) -> dict[str, Any]:
    """A CSL-JSON item (names as literals; the type from CSL_TYPES)."""
    f = citation_fields(record, url)
    item: dict[str, Any] = {"id": f["id"], "type": CSL_TYPES.get(f["type"] or "", "document"),
                            "title": f["title"]}
    if f["authors"]:
        item["author"] = [{"literal": a} for a in f["authors"]]
    if f["recipients"]:
        item["recipient"] = [{"literal": r} for r in f["recipients"]]
    if f["date_parts"]:
        item["issued"] = {"date-parts": f["date_parts"]}
    optional = {"genre": f["type"], "number": f["number"], "language": f["language"],
                "archive": f["repository"], "archive_location": f["location"],
                "collection-title": f["collection"], "URL": f["url"]}
    item.update({k: _clean(v) for k, v in optional.items() if v})
    return item


def chicago_notes(records: Iterable[dict[str, Any]], authority: Authority) -> str:
    """Chicago notes, one a line, in the order of the records."""
    return "".join(chicago_note(r) + "\n" for r in records)


def chicago_bibliography(records: Iterable[dict[str, Any]], authority: Authority) -> str:
    """Chicago bibliography entries, one a line, in alphabetical order."""
    return "".join(e + "\n" for e in sorted((chicago_entry(r) for r in records),
                                            key=str.casefold))


def bibtex(records: Iterable[dict[str, Any]], authority: Authority) -> str:
    """BibTeX @misc entries, a blank line between them."""
    return "\n".join(bibtex_entry(r) for r in records)


def ris(records: Iterable[dict[str, Any]], authority: Authority) -> str:
    """RIS records, a blank line between them."""
    return "\n".join(ris_record(r) for r in records)


def csl_json(records: Iterable[dict[str, Any]], authority: Authority) -> str:
    """A CSL-JSON array of items."""
    return json.dumps([csl_item(r) for r in records], ensure_ascii=False, indent=2) + "\n"
