"""How the CLI prints documents, hits and tables on a terminal."""

from __future__ import annotations

import shlex
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from cablegram.model import MENTION_KEYS, ROLE_LABELS
from cablegram.web.display import duration, numbered_lines, station


def print_table(console: Console, docs: list[dict[str, Any]]) -> None:
    """One row per document: source, lines, number, date, type, title."""
    table = Table("source", "lines", "no.", "date", "type", "title", "frag.")
    for d in docs:
        table.add_row(d["source"], f"{d['start_line']}–{d['end_line']}", d["number"] or "",
                      d["date"] or "", d["type"] or "", d["title"] or "",
                      "yes" if d["fragment"] else "")
        for e in d["enclosures"]:
            table.add_row("", f"{e['start_line']}–{e['end_line']}", "", e["date"] or "",
                          e["type"] or "", "  encloses: " + (e["title"] or ""), "")
    console.print(table)


def print_scores(console: Console, scores: list[Any]) -> None:
    """The evaluation table: one row per gold set, one column per metric."""
    from cablegram.eval import METRICS

    table = Table("gold", "docs", *METRICS)
    for s in scores:
        cells = [("–" if v is None else str(v) if isinstance(v, int) else f"{v:.2f}")
                 for v in (s.values[m] for m in METRICS)]
        table.add_row(s.name, str(s.documents), *cells)
    console.print(table)


def snippet_text(snippet: str, highlights: list[list[int]]) -> Text:
    """A snippet with its matched words in bold."""
    text = Text(snippet.replace("\n", " "))
    for start, end in highlights:
        text.stylize("bold reverse", start, end)
    return text


def print_hits(console: Console, result: dict[str, Any]) -> None:
    """Ranked hits (the search page's data): rank, id, date, title, then the snippet."""
    total, hits = result["total"], result["hits"]
    console.print(f"{total} document{'s' if total != 1 else ''} match "
                  f"[bold]{escape(result['query'])}[/bold]", highlight=False)
    for s in result.get("suggestions", []):
        console.print(f"Did you mean [bold]{escape(s['text'])}[/bold]? "
                      f"cablegram search {shlex.quote(s['query'])}", highlight=False)
    for rank, h in enumerate(hits, start=result["first"] or 1):
        head = Text(f"{rank:>3}. ")
        head.append(h["id"], style="cyan")
        head.append(f"  {h['date'] or 'no date'}  ")
        head.append(h["title"] or "", style="bold")
        console.print(head)
        console.print(Text("     ") + snippet_text(h["snippet"], h["highlights"]))
    if result.get("next_page"):
        console.print(f"… {total - result['last']} more; use --page {result['next_page']} "
                      "or --limit.")


def print_facets(console: Console, facets: list[dict[str, Any]]) -> None:
    """Each facet's values with their counts and the clause that narrows to them."""
    for facet in facets:
        table = Table(title=facet["heading"], title_justify="left", box=None)
        table.add_column("value")
        table.add_column("documents", justify="right")
        table.add_column("narrow with")
        for v in facet["values"]:
            table.add_row(Text(v["label"]), str(v["count"]), Text(v["clause"]))
        console.print(table)


def _mention(m: dict[str, Any]) -> str:
    """`as written → linked name (line N)`."""
    linked = f" → {m['name']}" if m.get("name") and m["name"] != m["as_written"] else ""
    if m.get("candidates"):
        linked = " → one of " + ", ".join(c["name"] for c in m["candidates"])
    return f"{m['as_written']}{linked}" + (f" (line {m['line']})" if m.get("line") else "")


def _transmission_rows(doc: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Sent, received and registered with places and UTC; time in transit, channel, priority."""
    tr = doc.get("transmission") or {}
    reg = tr.get("registered")
    return [("Sent", station(tr.get("sent")) or doc["sent"]),
            ("Received", station(tr.get("received")) or doc["received"]),
            ("Registered", reg and station(reg) + (f", by {reg['by']}" if reg.get("by") else "")),
            ("In transit", duration(tr.get("minutes"))),
            ("Channel", tr.get("channel")), ("Priority", tr.get("priority"))]


def print_document(console: Console, doc: dict[str, Any]) -> None:
    """All metadata of a document, then its text with source line numbers."""
    src = doc["source_file"]
    rel = doc.get("relations") or {"replies_to": [], "replied_by": [], "dangling": []}
    console.print(Text(doc["title"] or "", style="bold"))
    rows = [
        ("Id", doc["id"]), ("Number", doc["number"]), ("Type", doc["type"]),
        ("Date", doc["date"] and f"{doc['date']} ({doc['date_precision']}, from "
                                 f"{doc['date_source']})"),
        *_transmission_rows(doc),
        ("Handling", "; ".join(doc["handling"])),
        ("References", "; ".join(f"{r['value']} ({r['role']}, line {r['line']})"
                                 for r in doc["refs"])),
    ]
    rows += [(ROLE_LABELS[k], "; ".join(_mention(m) for m in doc.get(k, []))) for k in MENTION_KEYS]
    rows += [("Fragment", "yes, lines " + ", ".join(f"{a}–{b}" for a, b in doc["fragments"])
              if doc["fragment"] else None),
             ("Enclosures", ", ".join(e["id"] for e in doc["enclosures"])),
             ("Enclosed in", doc["parent_id"]),
             ("Replies to", "; ".join(f"{r['id']} {r['title']}" for r in rel["replies_to"])),
             ("Answered by", "; ".join(f"{r['id']} {r['title']}" for r in rel["replied_by"])),
             ("Not in archive", "; ".join(rel["dangling"])),
             ("Other translation", "; ".join(f"{r['id']} {r['title']}"
                                             for r in rel.get("translations", []))),
             ("In the original", doc.get("origin")),
             ("Source", f"{src['name']} lines {doc['start_line']}–{doc['end_line']} "
                        f"(collection {src['collection']}, sha256 {src['sha256'][:16]}…)")]
    for key, value in (doc.get("page") or {}).items():
        rows.append((f"Page {key}", value))
    rows += [("Warning", w) for w in doc["warnings"]]
    for label, value in rows:
        if value:
            console.print(Text(f"{label:>14}: ", style="dim") + Text(str(value)))
    console.print()
    for number, line in numbered_lines(doc["text"], doc["start_line"], doc["fragments"]):
        console.print(Text(f"{number:>5}  ", style="dim") + Text(line))
