"""Export: archive records out in standard formats.

Each exporter is a function `(records, authority) -> str` over the records of
`Archive.records(query)`; FORMATS names them for the CLI (`cablegram export --format`)
and the reading room's download links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from cablegram.authority.lookup import Authority
from cablegram.errors import InputError

Records = Iterable[dict[str, Any]]
Exporter = Callable[[Records, Authority], str]


@dataclass(frozen=True)
class Format:
    """One export format: its name, file kind and the function that writes it."""

    name: str
    media_type: str
    extension: str
    target: str  # "module:function", imported when first used
    help: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("jsonl", "application/x-ndjson", ".jsonl", "cablegram.export.jsonl:export_jsonl",
           "lossless; `cablegram ingest` of it rebuilds the archive"),
    Format("csv", "text/csv", ".csv", "cablegram.export.csv:export_documents",
           "one row per document with the main fields"),
    Format("csv-agents", "text/csv", ".csv", "cablegram.export.csv:export_agents",
           "one row per (document, agent, role), for network analysis"),
    Format("tei", "application/tei+xml", ".xml", "cablegram.export.tei:export_collection",
           "TEI P5: one teiCorpus with a TEI file per document"),
    Format("cmif", "application/tei+xml", ".xml", "cablegram.export.cmif:export_cmif",
           "CMIF for correspSearch: the letter-like documents"),
    Format("chicago-note", "text/plain", ".txt", "cablegram.export.citation:chicago_notes",
           "Chicago notes, one per line"),
    Format("chicago", "text/plain", ".txt", "cablegram.export.citation:chicago_bibliography",
           "Chicago bibliography entries"),
    Format("bibtex", "application/x-bibtex", ".bib", "cablegram.export.citation:bibtex",
           "BibTeX entries"),
    Format("ris", "application/x-research-info-systems", ".ris",
           "cablegram.export.citation:ris", "RIS records"),
    Format("csl-json", "application/vnd.citationstyles.csl+json", ".json",
           "cablegram.export.citation:csl_json", "CSL-JSON items"),
)}


def exporter(name: str) -> tuple[Format, Exporter]:
    """The format called `name` and its writer; a clear error for unknown names."""
    fmt = FORMATS.get(name)
    if fmt is None:
        raise InputError(f"No export format '{name}'. Choose one of: {', '.join(FORMATS)}.")
    module, func = fmt.target.split(":")
    write: Exporter = getattr(import_module(module), func)
    return fmt, write
