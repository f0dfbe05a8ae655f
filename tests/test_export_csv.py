"""CSV exports: documents and (document, agent, role) rows; formulas never run."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.export.csv import (
    AGENT_COLUMNS,
    DOCUMENT_COLUMNS,
    export_agents,
    export_documents,
    safe_cell,
)

Row = dict[str, str]
LEADING = ["id", "collection", "source", "lines", "number", "date", "date_precision", "type",
           "title", "authors", "recipients", "via", "for", "copies_to", "sent", "received",
           "refs", "handling", "fragment"]


def read(text: str) -> list[Row]:
    """Parse a CSV export back into rows."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def hostile(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record whose text fields were edited into trouble."""
    out = dict(record)
    out["title"] = '=HYPERLINK("http://x","click"), a "quoted" title,\nnext line <script>'
    out["number"] = "+44"
    out["handling"] = ["-urgent", "@once", "\tindented"]
    out["authors"] = [{"as_written": "@Someone, with comma", "id": None, "name": None,
                       "line": 3, "candidates": []}]
    out["recipients"] = [{"as_written": "Cde. X", "id": "stalin", "name": "Joseph Stalin",
                          "line": 4, "candidates": []}]
    return out


@pytest.fixture(scope="module")
def records(sample_archive: Archive) -> list[dict[str, Any]]:
    """Every record of the sample archive."""
    return list(sample_archive.records())


def test_documents_csv_has_one_row_per_document(records: list[dict[str, Any]]) -> None:
    text = export_documents(records, default_authority())
    assert text.startswith(",".join(LEADING) + ",")
    assert list(DOCUMENT_COLUMNS)[:len(LEADING)] == LEADING
    rows = read(text)
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    for row, rec in zip(rows, records, strict=True):
        assert row["title"] == rec["title"]
        assert row["date"] == (rec["date"] or "")
        assert row["lines"] == f"{rec['start_line']}–{rec['end_line']}"
        assert row["collection"] == rec["source_file"]["collection"]
        assert row["fragment"] == ("true" if rec["fragment"] else "false")
        for m in rec["authors"]:
            assert (m["name"] or m["as_written"]) in row["authors"]
        for r in rec["refs"]:
            assert f"{r['value']} ({r['role']})" in row["refs"]


def test_a_cable_with_copies_and_references(records: list[dict[str, Any]]) -> None:
    rec = next(r for r in records if r["copies_to"] and r["refs"] and r["via"] == [])
    row = next(r for r in read(export_documents([rec], default_authority())))
    names = [m["name"] or m["as_written"] for m in rec["copies_to"]]
    assert row["copies_to"] == "; ".join(names)
    assert row["sha256"] == rec["source_file"]["sha256"]


def test_agents_csv_has_one_row_per_document_agent_and_role(
        records: list[dict[str, Any]]) -> None:
    rows = read(export_agents(records, default_authority()))
    assert list(rows[0]) == list(AGENT_COLUMNS)
    keys = [(r["document_id"], r["role"], r["agent_id"] or r["as_written"].casefold())
            for r in rows]
    assert len(keys) == len(set(keys))
    assert "places" not in {r["role"] for r in rows}
    linked = [r for r in rows if r["role"] == "authors" and r["agent_id"] == "stalin"]
    assert linked and all(r["name"] == "Joseph Stalin" for r in linked)
    assert all(r["line"].isdigit() for r in rows if r["line"])
    letter = next(r for r in records if r["via"])
    mine = [r for r in rows if r["document_id"] == letter["id"]]
    assert {"authors", "recipients", "via"} <= {r["role"] for r in mine}
    assert all(r["date"] == (letter["date"] or "") for r in mine)


@pytest.mark.parametrize("value", ["=1+1", "+44", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(("value", "cell"), [
    ("Stalin", "Stalin"), ("1950-10-02", "1950-10-02"), (None, ""), (True, "true"),
    (12, 12), ("a=b", "a=b"), ("'quoted'", "'quoted'"),
])
def test_other_cells_are_left_alone(value: object, cell: object) -> None:
    assert safe_cell(value) == cell


def test_hostile_text_round_trips_without_formulas(records: list[dict[str, Any]]) -> None:
    bad = hostile(records[1])
    text = export_documents([bad], default_authority())
    row = read(text)[0]
    assert row["title"] == "'" + bad["title"]  # quotes, comma and newline kept, formula not
    assert row["number"] == "'+44"
    assert row["handling"] == "'-urgent; @once; \tindented"
    assert row["authors"] == "'@Someone, with comma"
    assert row["recipients"] == "Joseph Stalin"
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@"))
    agents = read(export_agents([bad], default_authority()))
    author = next(r for r in agents if r["role"] == "authors")
    assert author["as_written"] == "'@Someone, with comma" and author["agent_id"] == ""


def test_csv_of_a_query_holds_only_its_hits(sample_archive: Archive) -> None:
    fmt, text = sample_archive.export("csv", query="volunteers")
    hits = sample_archive.search("volunteers", limit=100)
    assert fmt.media_type == "text/csv"
    assert {r["id"] for r in read(text)} == {h["id"] for h in hits["hits"]}
    assert len(read(text)) == hits["total"]
