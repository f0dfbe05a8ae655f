"""The search index (tantivy): derived from the store, rebuilt by `cablegram reindex`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from cablegram.normalize import dehyphenate
from cablegram.search.query import Clause, Query

ANALYZER = "cablegram"
TEXT_FIELDS = ("title", "text", "names")
INDEX_VERSION = "1"
SNIPPET_CHARS = 240


def _analyzer() -> tantivy.TextAnalyzer:
    """Words, lower-cased, accents folded, English stems: the same at index and query time."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build())


def _schema() -> tantivy.Schema:
    """The index schema: id and facets raw, text fields analysed."""
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    b.add_text_field("text", stored=True, tokenizer_name=ANALYZER)
    b.add_text_field("names", stored=False, tokenizer_name=ANALYZER)
    b.add_text_field("date", stored=True, tokenizer_name="raw")
    b.add_text_field("type", stored=True, tokenizer_name="raw")
    b.add_text_field("collection", stored=True, tokenizer_name="raw")
    return b.build()


@dataclass
class Hit:
    """One ranked result: the document id, its score and a snippet with highlight ranges."""

    id: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]]


class SearchIndex:
    """A tantivy index in a directory of the archive."""

    def __init__(self, path: Path) -> None:
        """Open the index at `path`, creating it when the directory is empty."""
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.schema = _schema()
        self.analyzer = _analyzer()
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        self.index.register_tokenizer(ANALYZER, _analyzer())

    def num_docs(self) -> int:
        """Number of documents in the index."""
        self.index.reload()
        return int(self.index.searcher().num_docs)

    def add(self, rows: Iterable[dict[str, Any]]) -> int:
        """Add (or replace) documents given as store rows; commit; return how many."""
        writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        n = 0
        for row in rows:
            writer.delete_documents_by_term("id", row["id"])
            writer.add_document(tantivy.Document(
                id=row["id"], title=row["title"] or "", text=dehyphenate(row["text"] or ""),
                names=row.get("names") or "", date=row["date"] or "",
                type=row["type"] or "", collection=row["collection"] or ""))
            n += 1
        writer.commit()
        writer.wait_merging_threads()
        return n

    def rebuild(self, rows: Iterable[dict[str, Any]]) -> int:
        """Empty the index and add every row again."""
        writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        writer.delete_all_documents()
        writer.commit()
        writer.wait_merging_threads()
        return self.add(rows)

    def _terms(self, text: str) -> list[str]:
        """Analyse text the way the index did."""
        return [t for t in self.analyzer.analyze(text) if t]

    def _clause_query(self, clause: Clause) -> tantivy.Query | None:
        """Build the index query of one clause over every text field."""
        terms = self._terms(clause.text)
        if not terms:
            return None
        subs = []
        for f in TEXT_FIELDS:
            if clause.kind == "prefix":
                pattern = re.escape(terms[0]) + ".*"
                subs.append(tantivy.Query.regex_query(self.schema, f, pattern))
            elif len(terms) == 1:
                subs.append(tantivy.Query.term_query(self.schema, f, terms[0]))
            else:
                words: list[str | tuple[int, str]] = list(terms)
                subs.append(tantivy.Query.phrase_query(self.schema, f, words))
        return tantivy.Query.disjunction_max_query(subs)

    def build(self, query: Query) -> tantivy.Query:
        """Turn our query tree into the index's query."""
        should = []
        for group in query.groups:
            parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
            for clause in group:
                q = self._clause_query(clause)
                if q is not None:
                    occur = tantivy.Occur.MustNot if clause.negated else tantivy.Occur.Must
                    parts.append((occur, q))
            if parts and all(o == tantivy.Occur.MustNot for o, _ in parts):
                parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
            if parts:
                should.append((tantivy.Occur.Should, tantivy.Query.boolean_query(parts)))
        if not should:
            return tantivy.Query.empty_query()
        return tantivy.Query.boolean_query(should)

    def search(self, query: Query, limit: int, offset: int = 0) -> tuple[int, list[Hit]]:
        """Return the total number of matches and one page of ranked hits with snippets."""
        self.index.reload()
        searcher = self.index.searcher()
        q = self.build(query)
        result = searcher.search(q, limit=limit, offset=offset, count=True)
        gen = tantivy.SnippetGenerator.create(searcher, q, self.schema, "text")
        gen.set_max_num_chars(SNIPPET_CHARS)
        hits = []
        for score, address in result.hits:
            doc = searcher.doc(address)
            snip = gen.snippet_from_doc(doc)
            fragment = snip.fragment()
            ranges = _char_ranges(fragment, [(r.start, r.end) for r in snip.highlighted()])
            if not fragment:
                fragment = (doc.get_first("text") or "")[:SNIPPET_CHARS]
            hits.append(Hit(str(doc.get_first("id")), float(score), fragment, ranges))
        return int(getattr(result, "count", 0) or 0), hits


def _char_ranges(text: str, byte_ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Turn the index's UTF-8 byte offsets into character offsets of `text`."""
    raw = text.encode("utf-8")
    return [(len(raw[:s].decode("utf-8", "ignore")), len(raw[:e].decode("utf-8", "ignore")))
            for s, e in byte_ranges]
