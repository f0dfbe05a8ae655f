"""CSV: one row per document (the main fields), or one per (document, agent, role).

Written with the csv module (RFC 4180 quoting, CRLF rows). A text cell that a spreadsheet
would run as a formula (starting with = + - @, a tab or a carriage return) gets a leading
apostrophe, so opening an export never executes what a source contained.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from cablegram.authority.lookup import Authority

# Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Several values in one cell are joined with this.
JOIN = "; "
# Roles whose agents go into the agents CSV (places are not agents).
AGENT_ROLES = ("authors", "recipients", "via", "for", "copies_to", "participants", "people",
               "organizations")


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell: '' for None, true/false, numbers as they are, and text
    starting with a formula character prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _names(mentions: list[dict[str, Any]] | None) -> str:
    """Linked names (or the words as written when unlinked), joined."""
    return JOIN.join(m.get("name") or m.get("as_written") or "" for m in mentions or [])


def _refs(refs: list[dict[str, Any]] | None) -> str:
    """References as `value (role)`, joined."""
    return JOIN.join(f"{r.get('value')} ({r.get('role')})" for r in refs or [])


def _page(key: str) -> Callable[[dict[str, Any]], Any]:
    """A column reading one field of the archive page's own metadata."""
    return lambda d: (d.get("page") or {}).get(key)


def _lines(d: dict[str, Any]) -> str:
    """The document's lines in its source, e.g. `23–35`."""
    return f"{d.get('start_line')}–{d.get('end_line')}"


# The documents CSV: column name → how to read it off a record, in column order.
DOCUMENT_COLUMNS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "id": lambda d: d.get("id"),
    "collection": lambda d: (d.get("source_file") or {}).get("collection"),
    "source": lambda d: (d.get("source_file") or {}).get("name") or d.get("source"),
    "lines": _lines,
    "number": lambda d: d.get("number"),
    "date": lambda d: d.get("date"),
    "date_precision": lambda d: d.get("date_precision"),
    "type": lambda d: d.get("type"),
    "title": lambda d: d.get("title"),
    "authors": lambda d: _names(d.get("authors")),
    "recipients": lambda d: _names(d.get("recipients")),
    "via": lambda d: _names(d.get("via")),
    "for": lambda d: _names(d.get("for")),
    "copies_to": lambda d: _names(d.get("copies_to")),
    "sent": lambda d: d.get("sent"),
    "received": lambda d: d.get("received"),
    "refs": lambda d: _refs(d.get("refs")),
    "handling": lambda d: JOIN.join(d.get("handling") or []),
    "fragment": lambda d: bool(d.get("fragment")),
    "parent_id": lambda d: d.get("parent_id"),
    "start_line": lambda d: d.get("start_line"),
    "end_line": lambda d: d.get("end_line"),
    "date_source": lambda d: d.get("date_source"),
    "registered": lambda d: d.get("registered"),
    "language": lambda d: d.get("language"),
    "warnings": lambda d: JOIN.join(d.get("warnings") or []),
    "sha256": lambda d: (d.get("source_file") or {}).get("sha256"),
    "page_source": _page("source"),
    "page_record_id": _page("record_id"),
}
AGENT_COLUMNS = ("document_id", "date", "role", "as_written", "agent_id", "name", "line")


def _write(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV text: the header, then the rows with every cell made safe."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


def document_row(record: dict[str, Any]) -> list[Any]:
    """One record as the cells of the documents CSV (before they are made safe)."""
    return [read(record) for read in DOCUMENT_COLUMNS.values()]


def export_documents(records: Iterable[dict[str, Any]], authority: Authority) -> str:
    """One row per document with the main fields (see DOCUMENT_COLUMNS)."""
    return _write(DOCUMENT_COLUMNS, (document_row(r) for r in records))


def agent_rows(record: dict[str, Any]) -> list[list[Any]]:
    """One row per (agent, role) of a record; an agent named twice in a role counts once."""
    rows: list[list[Any]] = []
    seen: set[tuple[str, str]] = set()
    for role in AGENT_ROLES:
        for m in record.get(role) or []:
            key = (role, m.get("id") or "text:" + (m.get("as_written") or "").casefold())
            if key in seen:
                continue
            seen.add(key)
            rows.append([record.get("id"), record.get("date"), role, m.get("as_written"),
                         m.get("id"), m.get("name"), m.get("line")])
    return rows


def export_agents(records: Iterable[dict[str, Any]], authority: Authority) -> str:
    """One row per (document, agent, role), for network analysis (see AGENT_COLUMNS)."""
    return _write(AGENT_COLUMNS, (row for r in records for row in agent_rows(r)))
