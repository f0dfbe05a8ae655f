"""The document page and its JSON twin: everything extracted, the text with source lines."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.export.citation import bibtex_entry, chicago_note, csl_item, ris_record
from cablegram.model import MENTION_KEYS
from cablegram.relate import ref_key, reply_keys
from cablegram.web import urls
from cablegram.web.app import create_app
from cablegram.web.display import line_ranges, numbered_lines, same_name, station, timestamp
from cablegram.web.marks import marked, mention_marks
from cablegram.web.views import environment
from tests.conftest import e

Doc = dict[str, Any]
BASE = "http://testserver"  # the TestClient's origin: page URLs in citations are absolute
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
NAME_MARK = re.compile(r'<mark class="m-[a-z]+(?: unlinked)?">(?:<a href="[^"<>]*" '
                       r'title="[^"<>]*">)?|</a></mark>|</mark>')




@pytest.fixture(scope="module")
def documents(sample_archive: Archive) -> list[Doc]:
    """Every document of the sample archive, as stored."""
    listed = sample_archive.overview(latest=100_000)["latest"]
    return [sample_archive.document(d["id"]) for d in listed]


class Head(HTMLParser):
    """The meta tags and JSON-LD of a page, read as a browser reads them."""

    def __init__(self) -> None:
        """Start with nothing read."""
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep meta tags with a name, and note where a script starts."""
        found = dict(attrs)
        if tag == "meta" and found.get("name"):
            self.meta.append((found["name"] or "", found.get("content") or ""))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        """A script ends at the first </script>, whatever it is inside."""
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        """Collect the text of a script."""
        if self._in_script:
            self.scripts[-1] += data

    @property
    def json_ld(self) -> Any:
        """The page's one script, parsed as JSON."""
        assert len(self.scripts) == 1, self.scripts
        return json.loads(self.scripts[0])

    def values(self, name: str) -> list[str]:
        """The content of every meta tag with this name."""
        return [content for n, content in self.meta if n == name]


def head_of(page: str) -> Head:
    """Read a page's meta tags and scripts."""
    head = Head()
    head.feed(page)
    head.close()
    return head


def first(documents: list[Doc], test: Callable[[Doc], Any]) -> Doc:
    """The first document that passes `test` (the samples are made to have one)."""
    found = [d for d in documents if test(d)]
    assert found, "the samples should hold such a document"
    return found[0]


def test_the_page_of_a_search_hit(client: TestClient, sample_archive: Archive) -> None:
    hit = client.get(urls.search_json("volunteers")).json()["hits"][0]
    doc = sample_archive.document(hit["id"])
    r = client.get(hit["url"])
    assert r.status_code == 200
    page = r.text
    assert e(doc["title"]) in page
    assert doc["date"] in page
    assert doc["source_file"]["name"] in page
    assert doc["source_file"]["sha256"] in page
    start, end = doc["start_line"], doc["end_line"]
    assert f'<tr id="L{start}"><td class="ln"><a href="#L{start}">{start}</a></td>' in page
    assert f'id="L{end}"' in page and f'id="L{end + 1}"' not in page
    assert f"lines {start}–{end}" in page
    assert f'href="{urls.original(doc["source_file"]["sha256"])}"' in page
    assert f'href="{urls.document_json(doc["id"])}"' in page
    assert "Traceback" not in page


def test_the_json_twin_is_the_stored_document_with_urls(client: TestClient,
                                                        documents: list[Doc]) -> None:
    for doc in documents[:5]:
        data = client.get(urls.document_json(doc["id"])).json()["document"]
        for rel in (r for group in data["relations"].values() for r in group):
            if isinstance(rel, dict):
                assert rel.pop("url") == urls.document(rel["id"])
        for key, value in doc.items():
            if key != "enclosures":
                assert data[key] == value, key
        assert data["url"] == urls.document(doc["id"])
        assert data["original_url"] == urls.original(doc["source_file"]["sha256"])


def test_text_lines_carry_their_source_line_numbers(client: TestClient,
                                                    documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["start_line"] > 20)
    page = client.get(urls.document(doc["id"])).text
    for i, line in enumerate(doc["text"].split("\n")):
        n = doc["start_line"] + i
        row = f'<tr id="L{n}"><td class="ln"><a href="#L{n}">{n}</a></td><td class="tx">'
        assert row in page
        cell = page.split(row, 1)[1].split("</td></tr>", 1)[0]
        assert NAME_MARK.sub("", cell) == e(line)  # the line, escaped, names marked


def test_correspondents_and_mentions_with_their_lines(client: TestClient,
                                                      documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["authors"] and d["recipients"] and d["copies_to"])
    page = client.get(urls.document(doc["id"])).text
    assert "<h2>Correspondents</h2>" in page
    for key in MENTION_KEYS:
        for m in doc[key]:
            assert e(m["as_written"]) in page
            if m["line"]:
                assert f'href="#L{m["line"]}">line {m["line"]}</a>' in page
            if m["id"]:
                assert f'href="{e(urls.name_search(m["name"] or m["id"]))}"' in page


def test_references_handling_and_transmission(client: TestClient, documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["refs"] and d["handling"] and d["sent"])
    page = client.get(urls.document(doc["id"])).text
    for ref in doc["refs"]:
        assert e(ref["value"]) in page and e(ref["role"]) in page
    for mark in doc["handling"]:
        assert f"<li>{e(mark)}</li>" in page
    sent = station((doc.get("transmission") or {}).get("sent")) or timestamp(doc["sent"])
    assert f"<dt>Sent</dt><dd>{e(sent)}</dd>" in page


def test_warnings_are_flagged(client: TestClient, documents: list[Doc]) -> None:
    doc = first(documents, lambda d: any("1940" in w for w in d["warnings"]))
    page = client.get(urls.document(doc["id"])).text
    assert 'class="notice warning"' in page
    for warning in doc["warnings"]:
        assert e(warning) in page
    assert "1940" in page  # the misprinted year in telegram-roshchin-1950-10-03.txt
    quiet = first(documents, lambda d: not d["warnings"])
    assert 'class="notice warning"' not in client.get(urls.document(quiet["id"])).text


def test_archive_page_metadata(client: TestClient, documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["page"] and d["page"].get("record_id"))
    page = client.get(urls.document(doc["id"])).text
    assert "<h2>Archive page</h2>" in page
    assert f"<dt>Record ID</dt><dd>{e(doc['page']['record_id'])}</dd>" in page
    for value in doc["page"].values():
        if value:
            assert e(value) in page


def test_enclosures_link_both_ways(client: TestClient, documents: list[Doc]) -> None:
    cable = first(documents, lambda d: d["enclosures"] and d["page"])
    letter = cable["enclosures"][0]
    page = client.get(urls.document(cable["id"])).text
    assert "Encloses:" in page and f'href="{urls.document(letter["id"])}"' in page
    enclosed = client.get(urls.document(letter["id"])).text
    assert "Enclosed in:" in enclosed and f'href="{urls.document(cable["id"])}"' in enclosed
    data = client.get(urls.document_json(letter["id"])).json()["document"]
    assert data["parent"] == {"id": cable["id"], "title": cable["title"],
                              "url": urls.document(cable["id"])}


def test_fragments_are_flagged(client: TestClient, documents: list[Doc]) -> None:
    frag = first(documents, lambda d: d["fragment"])
    page = client.get(urls.document(frag["id"])).text
    assert "<strong>Fragment.</strong>" in page
    whole = first(documents, lambda d: not d["fragment"])
    assert "<strong>Fragment.</strong>" not in client.get(urls.document(whole["id"])).text


def test_empty_sections_are_left_out_and_unknowns_said() -> None:
    doc = {"id": "x-1", "parent_id": None, "parent": None, "source": "x.txt", "start_line": 3,
           "end_line": 4, "fragments": [[3, 4]], "fragment": False, "number": None,
           "title": None, "type": None, "date": None, "date_precision": None,
           "date_source": None, "sent": None, "received": None, "refs": [], "handling": [],
           "enclosures": [], "page": None, "warnings": [], "text": "one\ntwo",
           "source_file": {"name": "x.txt", "sha256": "ab" * 32, "collection": "c"},
           "url": "/documents/x-1", "original_url": None, **{k: [] for k in MENTION_KEYS}}
    page = environment().get_template("document.html").render(
        document=doc, references=[], marks={}, citations=[], meta=[], jsonld={}, json_url=None)
    assert page.count('<span class="absent">not stated</span>') == 2
    assert "Untitled document" in page
    for heading in ("Correspondents", "References", "Mentioned", "Archive page",
                    "Related documents"):
        assert f"<h2>{heading}</h2>" not in page
    for label in ("Handling", "Number", "Sent", "Received", "Format", "Ingested"):
        assert f"<dt>{label}</dt>" not in page
    assert "View the original file" not in page
    assert '<td class="tx">two</td>' in page and 'id="L4"' in page


def test_numbered_lines() -> None:
    assert numbered_lines("a\nb", 7) == [(7, "a"), (8, "b")]
    # a document interrupted by another keeps the true numbers of its parts
    assert numbered_lines("a\nb\nc", 10, [[10, 11], [20, 20]]) == [(10, "a"), (11, "b"),
                                                                 (20, "c")]
    # fragments that do not add up to the text fall back to start_line + i
    assert numbered_lines("a\nb\nc", 10, [[10, 11]]) == [(10, "a"), (11, "b"), (12, "c")]


def test_small_display_helpers() -> None:
    assert line_ranges([[1, 2], [3, 25]]) == "lines 1–2, 3–25"
    assert line_ranges([[5, 5]]) == "line 5"
    assert timestamp("1950-10-03T03:10") == "1950-10-03 03:10"
    assert timestamp("21:15") == "21:15"
    assert same_name("Cde. Molotov", "molotov") and not same_name("FILIPPOV", "Joseph Stalin")


@pytest.fixture()
def hostile_client(empty_archive: Archive, tmp_path: Path) -> TestClient:
    """A reading room over an archive whose one source is full of markup."""
    path = tmp_path / "hostile.txt"
    path.write_text("12. 5 July 1950, letter, Alpha to Beta\n"
                    "<script>alert(1)</script> volunteers &amp; <b>bold</b>\n"
                    "13. 6 July 1950, letter, <img src=x onerror=alert(2)> to Beta\n"
                    "The volunteers <script>alert(3)</script> arrived.\n", encoding="utf-8")
    empty_archive.ingest_file(path, "hostile")
    return TestClient(create_app(empty_archive.root))


def test_hostile_text_is_shown_as_text(hostile_client: TestClient) -> None:
    data = hostile_client.get(urls.search_json("volunteers")).json()
    assert data["total"] == 2
    assert any("<script>alert" in h["snippet"] for h in data["hits"]), "JSON keeps raw text"
    search = hostile_client.get(urls.search("volunteers")).text
    assert "&lt;script&gt;" in search and "<mark>volunteers</mark>" in search
    pages = [search] + [hostile_client.get(h["url"]).text for h in data["hits"]]
    for page in pages:
        if page is not search:
            assert head_of(page).json_ld["@type"] == "Message"
        page = LD_JSON.sub("", page)  # the page's one script: JSON-LD data, never run
        assert "<script" not in page and "<img" not in page and "<b>bold" not in page
        assert "&lt;script&gt;" in page
    assert "&amp;amp; &lt;b&gt;bold&lt;/b&gt;" in "".join(pages[1:])
    home = hostile_client.get(urls.home()).text
    assert "<script" not in home and "<td>hostile</td>" in home


def names(mentions: list[dict[str, Any]]) -> list[str]:
    """The linked names of a role (else the words as written), as citations give them."""
    out: list[str] = []
    for m in mentions:
        name = m["name"] or m["as_written"]
        if name not in out:
            out.append(name)
    return out


def test_meta_tags_and_json_ld_describe_the_document(client: TestClient,
                                                     documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["authors"] and d["recipients"] and d["copies_to"]
                and d["date_precision"] == "day")
    url = BASE + urls.document(doc["id"])
    page = client.get(urls.document(doc["id"])).text
    head = head_of(page.split("</head>", 1)[0])
    assert head.values("citation_title") == [doc["title"]]
    assert head.values("citation_author") == names(doc["authors"])
    assert head.values("citation_date") == [doc["date"].replace("-", "/")]
    assert head.values("citation_publication_date") == [doc["date"].replace("-", "/")]
    assert head.values("citation_public_url") == [url]
    assert head.values("citation_archive_id") == [doc["id"]]
    ld = head.json_ld
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "Message"
    assert ld["name"] == doc["title"] and ld["url"] == url
    assert [a["name"] for a in ld["sender"]] == names(doc["authors"])
    assert [a["name"] for a in ld["recipient"]] == names(doc["recipients"])
    assert [a["name"] for a in ld["ccRecipient"]] == names(doc["copies_to"])
    linked = next(m for m in doc["copies_to"] if m["id"])
    assert any(a["url"] == BASE + urls.person(linked["id"]) for a in ld["ccRecipient"])
    tr = doc.get("transmission") or {}
    assert ld["dateSent"] == ((tr.get("sent") or {}).get("utc") or doc["date"])
    data = client.get(urls.document_json(doc["id"])).json()
    assert data["jsonld"] == ld, "the JSON twin carries the same JSON-LD"
    assert [(t["name"], t["content"]) for t in data["meta"]] == \
           [(n, c) for n, c in head.meta if n.startswith("citation_")]


def test_json_ld_gives_the_pseudonym_a_letter_was_signed_with(client: TestClient,
                                                               documents: list[Doc]) -> None:
    doc = first(documents, lambda d: any(m["as_written"].startswith("Filippov")
                                         for m in d["authors"]))
    ld = client.get(urls.document_json(doc["id"])).json()["jsonld"]
    stalin = next(a for a in ld["sender"] if a.get("url") == BASE + urls.person("stalin"))
    assert stalin == {**stalin, "@type": "Person", "name": "Joseph Stalin",
                      "alternateName": "Filippov"}
    assert "inLanguage" not in ld or ld["inLanguage"] == doc["language"]


def test_the_citation_box_gives_four_formats(client: TestClient, documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["authors"] and d["page"])
    url = BASE + urls.document(doc["id"])
    page = client.get(urls.document(doc["id"])).text
    assert '<section id="cite" class="cite">' in page and 'href="#cite"' in page
    expected = {"chicago": ("Chicago note", chicago_note(doc, url)),
                "bibtex": ("BibTeX", bibtex_entry(doc, url).strip()),
                "ris": ("RIS", ris_record(doc, url).strip()),
                "csl-json": ("CSL-JSON", json.dumps(csl_item(doc, url), ensure_ascii=False,
                                                    indent=2))}
    for name, (label, text) in expected.items():
        assert f'<label for="cite-{name}">{label}</label>' in page
        assert f'<textarea id="cite-{name}" readonly' in page
        assert f">{e(text)}</textarea>" in page
        assert url in text
    data = client.get(urls.document_json(doc["id"])).json()
    assert {c["format"]: (c["label"], c["text"]) for c in data["citations"]} == expected
    assert json.loads(expected["csl-json"][1]) == csl_item(doc, url)


def test_reply_references_link_the_document_they_name(client: TestClient,
                                                      documents: list[Doc]) -> None:
    reply = first(documents, lambda d: d["relations"]["replies_to"])
    ref = next(r for r in reply["refs"] if r["role"] == "in reply to")
    target = next(d for d in documents if d["id"] == reply["relations"]["replies_to"][0]["id"])
    numbers = [ref_key(r["value"]) for r in target["refs"] if r["role"] == "telegram number"]
    assert set(numbers) & set(reply_keys(ref["value"])), "the target carries the number"
    page = client.get(urls.document(reply["id"])).text
    assert f'<a class="ref-value" href="{urls.document(target["id"])}">{e(ref["value"])}</a>' \
           in page
    assert f'<a href="{urls.document(target["id"])}">{e(target["title"])}</a>' in page
    data = client.get(urls.document_json(reply["id"])).json()
    linked = next(r for r in data["references"] if r["value"] == ref["value"])
    assert [d["id"] for d in linked["documents"]] == [target["id"]]
    assert linked["documents"][0]["url"] == urls.document(target["id"])
    own = next(r for r in data["references"] if r["role"] == "outgoing number")
    assert own["documents"] == [] and f'<span class="ref-value">{e(own["value"])}</span>' in page
    plain = first(documents, lambda d: d["refs"] and not d["relations"]["replies_to"])
    assert '<a class="ref-value"' not in client.get(urls.document(plain["id"])).text


def test_names_are_marked_in_the_text_and_linked(client: TestClient,
                                                 documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["people"] and d["places"] and d["organizations"])
    page = client.get(urls.document(doc["id"])).text
    lines = dict(numbered_lines(doc["text"], doc["start_line"], doc["fragments"]))
    kinds = {"people": "person", "places": "place", "organizations": "organization"}
    data = client.get(urls.document_json(doc["id"])).json()
    checked = 0
    for role, kind in kinds.items():
        for m in doc[role]:
            line = lines.get(m["line"], "")
            if not (m["id"] and m["as_written"] in line):
                continue
            at = line.index(m["as_written"])
            covering = [k for k in data["marks"][str(m["line"])]
                        if k["start"] <= at < k["end"] and k["id"] == m["id"]]
            assert covering, m  # its own mark, or a correspondent's around the same name
            if covering[0]["role"] == role:
                assert f'<mark class="m-{kind}"><a href="{urls.agent(kind, m["id"])}" ' \
                       f'title="{e(m["name"])}">{e(m["as_written"])}</a></mark>' in page
                checked += 1
    assert checked >= 3
    for number, marks in data["marks"].items():
        for mark in marks:
            assert mark["kind"] in kinds.values()
            assert mark["url"] == (urls.agent(mark["kind"], mark["id"]) if mark["id"] else None)
            assert lines[int(number)][mark["start"]:mark["end"]].strip()


def test_an_unlinked_name_is_marked_without_a_link(client: TestClient,
                                                   documents: list[Doc]) -> None:
    doc = first(documents, lambda d: any(not m["id"] and m["line"] for m in d["people"]))
    m = next(m for m in doc["people"] if not m["id"] and m["line"])
    page = client.get(urls.document(doc["id"])).text
    assert f'<mark class="m-person unlinked">{e(m["as_written"])}</mark>' in page


def test_marks_escape_the_text_first() -> None:
    line = '<b>KIM</b> & "Kim Il Sung" met Kimball'
    doc = {"people": [{"as_written": "Kim", "id": None, "name": None, "line": 7},
                      {"as_written": "Kim Il Sung", "id": "kim-il-sung", "line": 7,
                       "name": 'Kim "Il" <Sung>'}]}
    marks = mention_marks([(7, line)], doc, lambda _: None, urls.agent)["7"]
    assert [(m["start"], m["end"]) for m in marks] == [(3, 6), (14, 25)]  # never Kimball
    assert str(marked(line, marks)) == (
        '&lt;b&gt;<mark class="m-person unlinked">KIM</mark>&lt;/b&gt; &amp; &#34;'
        '<mark class="m-person"><a href="/people/kim-il-sung" title="Kim &#34;Il&#34; '
        '&lt;Sung&gt;">Kim Il Sung</a></mark>&#34; met Kimball')
    assert str(marked("<i>", None)) == "&lt;i&gt;"
    spaced = mention_marks([(1, "MAO   ZEDONG")], {"people": [
        {"as_written": "Mao Zedong", "id": "mao", "line": 1}]}, lambda _: None, urls.agent)
    assert spaced["1"][0]["end"] == len("MAO   ZEDONG")


def test_the_page_links_the_lines_it_came_from(client: TestClient, documents: list[Doc]) -> None:
    doc = first(documents, lambda d: d["start_line"] > 20
                and d["source_file"]["media_type"].startswith("text/plain"))
    sha, start, end = doc["source_file"]["sha256"], doc["start_line"], doc["end_line"]
    page = client.get(urls.document(doc["id"])).text
    assert f'href="{e(urls.original_lines(sha, start, end))}">Show lines {start}–{end} ' \
           "of the source</a>" in page
    lines = client.get(urls.original_lines(sha, start, end)).text
    source = next(Path(__file__).parent.parent.joinpath("samples").rglob(
        doc["source_file"]["name"])).read_text(encoding="utf-8").split("\n")
    for n in range(start, end + 1):
        assert f'<tr id="L{n}"><td class="ln"><a href="#L{n}">{n}</a></td>' \
               f'<td class="tx">{e(source[n - 1])}</td></tr>' in lines
    assert f'id="L{start - 1}"' not in lines and f'id="L{end + 1}"' not in lines


@pytest.fixture()
def hostile_page_client(empty_archive: Archive, tmp_path: Path) -> TestClient:
    """A reading room over one archive page whose fields try to end the JSON-LD script."""
    path = tmp_path / "hostile-page.txt"
    path.write_text("October 8, 1950\n"
                    "Letter, Alpha</script><script>alert(5)</script> to Beta <!-- & -->\n"
                    "This document was made possible with support from the Sample Foundation\n"
                    "The text has </script><script>alert(6)</script> & </textarea> too.\n"
                    "ALPHA\n"
                    "A summary that ends </script>.\n"
                    "Document Information\nSource\n"
                    "Archive </script><script>alert(7)</script><!--, fond 1.\n"
                    "Type\nLetter\nRecord ID\n900<script>\n", encoding="utf-8")
    empty_archive.ingest_file(path, "hostile")
    return TestClient(create_app(empty_archive.root))


def test_hostile_text_cannot_leave_the_json_ld(hostile_page_client: TestClient) -> None:
    doc_id = hostile_page_client.get(urls.home_json()).json()["latest"][0]["id"]
    page = hostile_page_client.get(urls.document(doc_id)).text
    assert page.count("<script") == 1 and page.count("</script>") == 1
    assert page.count("</textarea>") == 4 and "<!--" not in page
    head = head_of(page)
    ld = head.json_ld  # parses: nothing ended the script early
    data = hostile_page_client.get(urls.document_json(doc_id)).json()
    assert ld == data["jsonld"]
    assert "</script><script>alert(7)</script>" in ld["isPartOf"]["name"]
    assert any("alert(7)" in content for _, content in head.meta)
    assert "alert(7)" in data["citations"][0]["text"]
    assert "&lt;/script&gt;&lt;script&gt;alert(6)&lt;/script&gt; &amp; &lt;/textarea&gt;" in page
