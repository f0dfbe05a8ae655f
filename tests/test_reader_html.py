"""HTML: archive pages in both layouts, generic articles, and markup that must stay text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.extract.page import page_layout
from cablegram.model import SourceText
from cablegram.pipeline import extract_file
from cablegram.readers import read_source
from cablegram.readers.html import read_html
from cablegram.web import urls
from cablegram.web.app import create_app
from tests.conftest import SAMPLES

PAGES = SAMPLES / "pages-html"
CURRENT = PAGES / "cable-razuvaev-1951-06-02.html"
OLDER = PAGES / "telegram-razuvaev-1951-03-14-older-layout.html"
FURNITURE = ["sampleTracker", "sampleOldSite", "font-family", "Skip to", "Collections",
             "cookies", "Share", "Cablegram Sample Digital Archive", "display: none"]

# An older-layout page saved as plain text: site name, banner, title, date, citation block
# (with an `Original Language` label), two language labels, the document, related documents.
OLDER_TEXT = "\n".join([
    "Sample Digital Archive",
    "Search in Digital Archive",
    "Letter, Kim Il Sung to Filippov [Stalin], on Winter Clothing for the Army",
    "November 2, 1951",
    "Summary",
    "Letter from Kim Il Sung asking for winter uniforms and boots for six divisions before "
    "the cold sets in.",
    '"Letter, Kim Il Sung to Filippov [Stalin], on Winter Clothing for the Army," November 2,'
    " 1951, History and Public Policy Program Digital Archive, Sample Presidential Archive, "
    "fond 45, opis 1, delo 348, listy 70-71.",
    "Original Language",
    "Korean",
    "English HTML",
    "Moscow - the Kremlin",
    "DEAR",
    "Comrade FILIPPOV",
    "The winter is coming early this year, and six divisions of the People's Army still have "
    "only summer uniforms.",
    "We ask you to send sixty thousand sets of winter clothing and boots before the first "
    "snow on the passes.",
    "With respect,",
    "KIM IL SUNG",
    "Pyongyang, 31 October 1951.",
    "Related Documents",
    "Telegram from Razuvaev on the Supply of Fuel",
    "",
])


def contract(path: Path) -> dict[str, Any]:
    """The one document of a page, in its contract form."""
    (doc,) = [d.to_contract() for d in extract_file(path)]
    return doc


def names(doc: dict[str, Any], key: str) -> list[str | None]:
    """Authority ids of the mentions under `key`."""
    return [m["id"] for m in doc[key]]


def test_current_layout_page_metadata_and_document() -> None:
    doc = contract(CURRENT)
    page = doc["page"]
    assert page["title"] == ("Cable No. 31207, Razuvaev to Vasilevsky, on the Training of "
                             "Korean Pilots at Andong")
    assert page["date"] == "1951-06-02" and page["record_id"] == "900215"
    assert page["credit"].startswith("This document was made possible")
    assert page["summary"].startswith("Cable from Razuvaev on the training")
    assert page["source"].startswith("Sample Archive of the Ministry of Defence, fond 16")
    assert page["rights"].startswith("Sample data written by the Cablegram authors")
    assert (page["type"], page["language"]) == ("Cable", "Russian")
    assert doc["type"] == "cable" and doc["date"] == "1951-06-02"
    assert names(doc, "authors") == ["razuvaev"] and names(doc, "recipients") == ["vasilevsky"]
    assert names(doc, "copies_to") == ["stalin", "bulganin"]
    assert doc["sent"] == "1951-06-02T19:20" and "by wire" in doc["handling"]
    assert doc["warnings"] == []
    text = doc["text"]
    assert text.startswith("CABLE Nº 31207/sh\nfrom PYONGYANG sent at 1920 2 June 1951\n")
    assert text.endswith("Copy Nº 2 to Cde. Bulganin")
    for junk in [*FURNITURE, "Translation - English", "ТЕЛЕГРАММА", "Andong (China)",
                 "Record ID", page["summary"], page["credit"]]:
        assert junk not in text, junk


def test_older_layout_page_metadata_and_date_warning() -> None:
    doc = contract(OLDER)
    page = doc["page"]
    assert page["title"] == ("Ciphered Telegram No. 2231, Razuvaev to Vasilevsky, on "
                             "Anti-Aircraft Cover for the Chongchon Crossings")
    assert page["date"] == "1952-03-14" and page["record_id"] == "900311"
    assert page["summary"].startswith("Telegram from Razuvaev reporting") \
        and page["summary"].endswith("to cover the crossings.")
    assert page["source"] == ("Sample Archive of the Ministry of Defence, fond 5, opis 918, "
                              "delo 12, listy 40-41.")
    assert page["credit"] == "Translated by the Cablegram Sample Translators."
    assert page["language"] == "English" and page["rights"] is None
    assert doc["type"] == "ciphered telegram" and doc["date"] == "1951-03-14"
    assert names(doc, "authors") == ["razuvaev"] and names(doc, "recipients") == ["vasilevsky"]
    assert doc["received"] == "1951-03-15T01:05"
    (warning,) = doc["warnings"]
    assert "1952-03-14" in warning and "1951-03-14" in warning and "both are kept" in warning
    text = doc["text"]
    assert text.startswith("CIPHERED TELEGRAM Nº 2231\n") and text.endswith("Nº 0612")
    for junk in [*FURNITURE, "Search in", "Get citation", "English HTML", "Russian PDF",
                 "Related Documents", "Supply of Fuel", "Digital Archive", "Citation"]:
        assert junk not in text, junk


def test_older_layout_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "older.txt"
    path.write_text(OLDER_TEXT, "utf-8")
    doc = contract(path)
    page = doc["page"]
    assert page["title"] == "Letter, Kim Il Sung to Filippov [Stalin], on Winter Clothing " \
                            "for the Army"
    assert page["date"] == "1951-11-02" and page["language"] == "Korean"
    assert page["summary"].startswith("Letter from Kim Il Sung asking") and page["credit"] is None
    assert page["source"] == "Sample Presidential Archive, fond 45, opis 1, delo 348, listy 70-71."
    assert doc["type"] == "letter" and doc["date"] == "1951-10-31" and doc["warnings"] == []
    assert names(doc, "authors") == ["kim-il-sung"] and names(doc, "recipients") == ["stalin"]
    assert (doc["start_line"], doc["end_line"]) == (11, 18)
    assert "Related Documents" not in doc["text"] and "Search in" not in doc["text"]


def test_html_and_its_text_read_the_same(tmp_path: Path) -> None:
    for page in (CURRENT, OLDER):
        saved = tmp_path / (page.stem + ".txt")
        saved.write_text(read_html(page.name, page.read_bytes()).text, "utf-8")
        from_html, from_text = contract(page), contract(saved)
        for key in ("page", "date", "type", "authors", "recipients", "warnings", "text",
                    "start_line", "end_line"):
            assert from_html[key] == from_text[key], (page.name, key)


def test_each_line_knows_its_element() -> None:
    src = read_source(CURRENT.name, CURRENT.read_bytes())
    assert (src.reader, src.media_type, src.encoding) == ("html", "text/html", "utf-8")
    lines = src.text.split("\n")
    assert src.origins is not None and len(src.origins) == len(lines)
    at = dict(zip(lines, src.origins, strict=True))
    assert at["June 2, 1951"] == "#content > p.date"
    assert at["CABLE Nº 31207/sh"] == "#translation > p[1]"
    assert at["received at 2245 2 June 1951"] == "#translation > p[2]"  # after a <br>
    assert page_layout(src.lines()) == "current"


ARTICLE = """<!doctype html><html><head><title>On the Andong airfields</title>
<style>.lead { color: red }</style><script>track("article")</script></head>
<body><header><h1>Sample History Blog</h1></header>
<nav><a href="/">Home</a> <a href="/archive">Older posts</a></nav>
<div class="layout"><aside class="sidebar"><h3>Popular posts</h3><ul><li>Ten maps of Korea</li>
</ul></aside>
<article><h1>How the Andong airfields were built</h1>
<p class="lead">The airfields near <em>Andong</em> were laid out in the autumn of 1950.</p>
<p>Their runways were short, and pilots in training had to land with great care.<br>
Night flying began only in the following spring.</p>
<script>document.write("inline article script")</script>
<pre>Runway   Length
North    1,800 m</pre></article>
<section class="comments"><p>First comment from a reader.</p></section></div>
<footer>Written for Cablegram tests.</footer></body></html>"""


def test_generic_article_keeps_main_text_only() -> None:
    src = read_html("blog.html", ARTICLE.encode())
    assert src.text.split("\n") == [
        "How the Andong airfields were built",
        "The airfields near Andong were laid out in the autumn of 1950.",
        "Their runways were short, and pilots in training had to land with great care.",
        "Night flying began only in the following spring.",
        "Runway   Length", "North    1,800 m"]
    for junk in ("Sample History Blog", "Older posts", "Popular posts", "First comment",
                 "Written for", "track(", "inline article script", "color: red"):
        assert junk not in src.text


def test_page_without_article_uses_its_densest_block() -> None:
    html = ("<html><body><div id='menu'><p>Home</p><p>About</p></div>"
            "<div id='story'><p>Shtykov reported that the harvest in the North was poor.</p>"
            "<p>The grain reserves would last only until March.</p></div>"
            "<div id='side'><p>Links</p></div></body></html>")
    src = read_html("story.html", html.encode())
    assert src.text == ("Shtykov reported that the harvest in the North was poor.\n"
                        "The grain reserves would last only until March.")
    assert src.origins == ["#story > p[1]", "#story > p[2]"]


def test_declared_and_detected_charsets() -> None:
    body = ("<html><head><meta charset='windows-1251'></head><body><article>"
            "<p>Товарищу Штыкову. Передайте Ким Ир Сену, что зимнее обмундирование "
            "будет отправлено до конца месяца.</p></article></body></html>")
    src = read_html("ru.html", body.encode("cp1251"))
    assert "Штыкову" in src.text and "обмундирование" in src.text
    assert (src.encoding, src.media_type) == ("windows-1251", "text/html; charset=windows-1251")
    undeclared = body.replace("<meta charset='windows-1251'>", "")
    src = read_html("ru.htm", undeclared.encode("cp1251"))
    assert "Ким Ир Сену" in src.text and src.encoding == "windows-1251"
    latin = read_html("fr.html", b"<meta charset=iso-8859-1><p>T\xe9l\xe9gramme re\xe7u</p>")
    assert latin.text == "Télégramme reçu" and latin.encoding == "windows-1252"


def test_empty_page_gives_no_documents(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>x()</script></head><body> </body></html>", "utf-8")
    assert extract_file(path) == []


HOSTILE = """<html><head><script>alert("head")</script></head><body>
<p>May 5, 1951</p>
<h1>Telegram &lt;b&gt;No. 77&lt;/b&gt;, Shtykov to Vyshinsky</h1>
<div>
<p>TELEGRAM Nº 77</p>
<p>to Cde. VYSHINSKY</p>
<p>The text reads &lt;script&gt;alert("text")&lt;/script&gt;
and &lt;img src=x onerror=alert(4)&gt; here.</p>
<script>alert("body")</script>
<p>SHTYKOV</p>
</div>
<p>Summary with &lt;img src=y onerror=alert(5)&gt; in it.</p>
<h3>Source</h3><p>Sample &lt;iframe src=z&gt; Archive, fond 1.</p>
<h3>Record ID</h3><p>900999</p>
</body></html>"""


@pytest.fixture()
def hostile(empty_archive: Archive, tmp_path: Path) -> tuple[TestClient, dict[str, Any]]:
    """A reading room over one archive page full of markup, and its stored document."""
    path = tmp_path / "hostile.html"
    path.write_text(HOSTILE, "utf-8")
    empty_archive.ingest_file(path, "hostile")
    (row,) = empty_archive.overview()["latest"]
    return TestClient(create_app(empty_archive.root)), empty_archive.document(row["id"])


def test_markup_in_a_page_is_shown_as_text(hostile: tuple[TestClient, dict[str, Any]]) -> None:
    client, doc = hostile
    assert '<script>alert("text")</script>' in doc["text"]
    assert 'alert("body")' not in doc["text"] and 'alert("head")' not in doc["text"]
    assert doc["page"]["summary"] == "Summary with <img src=y onerror=alert(5)> in it."
    page = client.get(urls.document(doc["id"])).text
    ld_json = '<script type="application/ld+json">'  # the page's one script: data, never run
    assert page.count("<script") == page.count(ld_json) == page.count("</script>") == 1
    head, _, rest = page.partition(ld_json)
    html = head + rest.partition("</script>")[2]
    for raw in ("<script", "<img", "<iframe", "<b>No. 77"):
        assert raw not in html, raw
    for shown in ("&lt;script&gt;alert(", "&lt;img src=x onerror=alert(4)&gt;",
                  "&lt;img src=y onerror=alert(5)&gt;", "&lt;iframe src=z&gt;"):
        assert shown in html, shown


def test_reader_is_registered_for_html() -> None:
    src: SourceText = read_source("page.HTM", b"<p>One line.</p>")
    assert src.reader == "html" and src.text == "One line."
