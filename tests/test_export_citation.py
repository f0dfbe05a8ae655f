"""Citations: Chicago notes and bibliography, BibTeX, RIS and CSL-JSON of archive records."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.export import exporter
from cablegram.export.citation import (
    bibtex_entry,
    bibtex_escape,
    chicago_entry,
    chicago_note,
    citation_fields,
    csl_item,
    date_parts,
    ris_record,
)

Rec = dict[str, Any]
URL = "https://archive.example.org/documents/x-1"
HOSTILE_TITLE = 'Letter on "{Braces}", 100% & #7 $ ~ ^ _x \\ back,\nnew line <script>'


@pytest.fixture(scope="module")
def records(sample_archive: Archive) -> list[Rec]:
    """Every record of the sample archive."""
    return list(sample_archive.records())


@pytest.fixture(scope="module")
def letter(records: list[Rec]) -> Rec:
    """A dated letter from a compilation, with a linked author and a recipient."""
    return next(r for r in records if r["type"] == "letter" and not r["page"]
                and r["authors"] and r["recipients"] and r["date_precision"] == "day")


@pytest.fixture(scope="module")
def page(records: list[Rec]) -> Rec:
    """A document read off an archive page that names its archival source."""
    return next(r for r in records if (r["page"] or {}).get("source"))


def with_title(record: Rec, title: str) -> Rec:
    """A copy of `record` with another title."""
    return {**record, "title": title}


def human(date: str) -> str:
    """`1950-08-09` → `August 9, 1950`."""
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    y, m, d = (int(p) for p in date.split("-"))
    return f"{months[m - 1]} {d}, {y}"


def test_chicago_note_of_a_document_in_a_compilation(letter: Rec) -> None:
    note = chicago_note(letter, URL)
    src = letter["source_file"]
    assert note.startswith(letter["title"] + ", " + human(letter["date"]) + ", ")
    assert f"{src['name']}, lines {letter['start_line']}–{letter['end_line']}" in note
    assert f", {src['collection']}, Cablegram archive, {URL}." in note
    assert note.endswith(".") and "\n" not in note and ".." not in note


def test_chicago_note_of_an_archive_page_cites_its_archive(page: Rec) -> None:
    note = chicago_note(page)
    archive = page["page"]["source"].rstrip(".")
    assert note == f"{page['title']}, {human(page['date'])}, {archive}."
    assert "Cablegram archive" not in note and ".txt" not in note


def test_chicago_bibliography_entry_starts_with_the_authors(letter: Rec) -> None:
    entry = chicago_entry(letter, URL)
    author = letter["authors"][0]["name"]
    assert entry.startswith(f"{author}. {letter['title']}. {human(letter['date'])}. ")
    assert entry.endswith(f"Cablegram archive. {URL}.")
    several = {**letter, "authors": [{"name": n, "as_written": n} for n in "ABC"]}
    assert chicago_entry(several).startswith("A, B, and C. ")
    two = {**letter, "authors": [{"name": n, "as_written": n} for n in "AB"]}
    assert chicago_entry(two).startswith("A and B. ")


@pytest.mark.parametrize(("date", "text", "parts"), [
    ("1950-10-02", "October 2, 1950", [[1950, 10, 2]]),
    ("1950-10", "October 1950", [[1950, 10]]),
    ("1950", "1950", [[1950]]),
    ("1950-10-01/1950-10-15", "October 1, 1950–October 15, 1950",
     [[1950, 10, 1], [1950, 10, 15]]),
    (None, "n.d.", []),
])
def test_dates_at_each_precision(letter: Rec, date: str | None, text: str,
                                 parts: list[list[int]]) -> None:
    record = {**letter, "date": date}
    assert date_parts(date) == parts
    assert citation_fields(record)["date_text"] == text
    assert f", {text}, " in chicago_note(record)
    item = csl_item(record)
    assert item.get("issued") == ({"date-parts": parts} if parts else None)


def test_bibtex_entry(letter: Rec) -> None:
    entry = bibtex_entry(letter, URL)
    assert entry.startswith(f"@misc{{cablegram-{letter['id']},\n")
    assert f"  title = {{{{{letter['title']}}}}}," in entry
    assert f"  author = {{{{{letter['authors'][0]['name']}}}}}," in entry
    assert f"  year = {{{letter['date'][:4]}}}," in entry
    assert re.search(r"\n  month = [a-z]{3},\n", entry)
    assert "  howpublished = {Cablegram archive}," in entry
    assert f"lines {letter['start_line']}--{letter['end_line']}" in entry
    assert entry.endswith(f"  url = {{{URL}}}\n}}\n")


def _braces_balance(text: str) -> bool:
    """Whether the unescaped braces of a BibTeX text pair up."""
    depth = 0
    for m in re.finditer(r"\\.|[{}]", text):
        if m.group() == "{":
            depth += 1
        elif m.group() == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def test_bibtex_escapes_hostile_text(letter: Rec) -> None:
    entry = bibtex_entry(with_title(letter, HOSTILE_TITLE))
    assert (r'Letter on "\{Braces\}", 100\% \& \#7 \$ \textasciitilde{} '
            r"\textasciicircum{} \_x \textbackslash{} back, new line <script>") in entry
    assert _braces_balance(entry)
    assert entry.count("\n") == len(entry.strip().split("\n"))  # one field a line
    assert bibtex_escape("a\nb  c") == "a b c"
    odd = bibtex_entry({**letter, "id": 'x"}, y'})
    assert odd.startswith("@misc{cablegram-x-y,")


def test_ris_record(letter: Rec) -> None:
    ris = ris_record(letter, URL)
    lines = ris.split("\n")
    assert lines[0] == "TY  - GEN" and lines[-2] == "ER  - " and lines[-1] == ""
    assert f"TI  - {letter['title']}" in lines
    assert f"AU  - {letter['authors'][0]['name']}" in lines
    assert f"DA  - {letter['date'].replace('-', '/')}" in lines
    assert "DB  - Cablegram archive" in lines and f"UR  - {URL}" in lines
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])


def test_ris_keeps_hostile_text_on_its_line(letter: Rec) -> None:
    ris = ris_record(with_title(letter, HOSTILE_TITLE + "\nER  - \nTY  - BOOK"))
    lines = ris.split("\n")
    assert sum(1 for line in lines if line.startswith("TY  - ")) == 1
    assert sum(1 for line in lines if line.startswith("ER  - ")) == 1
    title = next(line for line in lines if line.startswith("TI  - "))
    assert "<script> ER - TY - BOOK" in title


def test_csl_item(letter: Rec, page: Rec) -> None:
    item = csl_item(letter, URL)
    assert item["id"] == letter["id"] and item["type"] == "letter"
    assert item["title"] == letter["title"]
    assert item["author"] == [{"literal": letter["authors"][0]["name"]}]
    assert item["recipient"][0]["literal"] == (letter["recipients"][0]["name"]
                                               or letter["recipients"][0]["as_written"])
    assert item["archive"] == "Cablegram archive" and item["URL"] == URL
    assert item["archive_location"].startswith(letter["source_file"]["name"] + ", lines ")
    assert csl_item(page)["archive"] == page["page"]["source"].rstrip(".")
    assert csl_item({**letter, "type": "memorandum of conversation"})["type"] == "document"
    assert csl_item({**letter, "type": "report"})["type"] == "report"


def test_registry_functions_cite_every_record(records: list[Rec]) -> None:
    auth = default_authority()
    many = records[:6]
    for name in ("chicago-note", "chicago", "bibtex", "ris", "csl-json"):
        fmt, write = exporter(name)
        text = write(many, auth)
        for rec in many:
            assert rec["title"] in text, name
    _, notes = exporter("chicago-note")
    assert notes(many, auth).splitlines() == [chicago_note(r) for r in many]
    _, bib = exporter("chicago")
    entries = bib(many, auth).splitlines()
    assert entries == sorted(entries, key=str.casefold) and len(entries) == len(many)
    _, bibtex = exporter("bibtex")
    assert bibtex(many, auth).count("@misc{") == len(many)
    _, ris = exporter("ris")
    assert ris(many, auth).count("ER  - \n") == len(many)
    _, csl = exporter("csl-json")
    items = json.loads(csl(many, auth))
    assert [i["id"] for i in items] == [r["id"] for r in many]


def test_hostile_title_survives_csl_json(letter: Rec) -> None:
    _, write = exporter("csl-json")
    items = json.loads(write([with_title(letter, HOSTILE_TITLE)], default_authority()))
    assert items[0]["title"] == HOSTILE_TITLE.replace("\n", " ")


def test_export_with_a_base_url_cites_the_page(sample_archive: Archive, letter: Rec) -> None:
    _, text = sample_archive.export("chicago-note", ids=[letter["id"]],
                                    base_url="https://reading.example.org/")
    assert text.strip().endswith(f"https://reading.example.org/documents/{letter['id']}.")
    _, plain = sample_archive.export("chicago-note", ids=[letter["id"]])
    assert "https://" not in plain
