"""The search index (tantivy): derived from the store, rebuilt by `cablegram reindex`."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from cablegram.authority.lookup import Authority, Record, default_authority
from cablegram.normalize import dehyphenate
from cablegram.relate import ref_key
from cablegram.search.query import Clause, Query

ANALYZER = "cablegram"
TEXT_FIELDS = ("title", "text", "names")
INDEX_VERSION = "2"
VERSION_FILE = "cablegram-index-version"
SNIPPET_CHARS = 240
# Name fields of the query language → the store roles they cover. Each has an analysed
# `n_<field>` index field (names as written and linked) and `<field>=<agent id>` terms in `agent`.
NAME_FIELDS = {
    "from": ("authors",),
    "to": ("recipients",),
    "via": ("via",),
    "person": ("authors", "recipients", "via", "for", "copies_to", "participants", "people"),
    "place": ("places",),
}
# Kinds of authority record a bare word or phrase is expanded to (all names of the record),
# and the name field whose agent terms it then also matches.
EXPANDED_KINDS = {"person": "person", "place": "place"}
MIN_NAME_CHARS = 3
MAX_NAME_WORDS = 4


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
    b.add_integer_field("day", indexed=True, fast=True)
    b.add_text_field("agent", stored=False, tokenizer_name="raw")
    b.add_text_field("refs", stored=False, tokenizer_name="raw")
    for name in NAME_FIELDS:
        b.add_text_field(f"n_{name}", stored=False, tokenizer_name=ANALYZER)
    return b.build()


def day_number(date: str | None) -> int | None:
    """A stored date (`1950-07-03`, `1950-07`, `1950-06-27/1950-06-30`) as YYYYMMDD, its start
    day, with 00 for a missing month or day; None when there is no date."""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date or "")
    if not m:
        return None
    return int(m.group(1)) * 10000 + int(m.group(2) or 0) * 100 + int(m.group(3) or 0)


def _role_values(raw: str | None) -> dict[str, Any]:
    """Agent terms and per-field name text from a row's `roles` (JSON of role, id, name,
    as written)."""
    agents: list[str] = []
    names: dict[str, list[str]] = {f: [] for f in NAME_FIELDS}
    for role, agent_id, name, written in json.loads(raw or "[]"):
        for fname, roles in NAME_FIELDS.items():
            if role in roles:
                names[fname] += [name or "", written or ""]
                if agent_id:
                    agents.append(f"{fname}={agent_id}")
    out: dict[str, Any] = {f"n_{f}": " | ".join(v) for f, v in names.items()}
    out["agent"] = sorted(set(agents))
    return out


def _document(row: dict[str, Any]) -> tantivy.Document:
    """The index document of one store row."""
    fields: dict[str, Any] = {
        "id": row["id"], "title": row["title"] or "", "text": dehyphenate(row["text"] or ""),
        "names": row.get("names") or "", "date": row["date"] or "", "type": row["type"] or "",
        "collection": row["collection"] or "",
        "refs": sorted(set(json.loads(row.get("ref_keys") or "[]")))}
    fields.update(_role_values(row.get("roles")))
    day = day_number(row["date"])
    if day is not None:
        fields["day"] = day
    return tantivy.Document(**{k: v for k, v in fields.items() if v != []})


def _open_versioned(path: Path) -> None:
    """Empty an index folder written by another schema version, so it is rebuilt."""
    version = path / VERSION_FILE
    current = version.read_text().strip() if version.exists() else None
    if (path / "meta.json").exists() and current != INDEX_VERSION:
        for child in path.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
    version.write_text(INDEX_VERSION + "\n")


@dataclass
class Hit:
    """One ranked result: the document id, its score and a snippet with highlight ranges."""

    id: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]]


class SearchIndex:
    """A tantivy index in a directory of the archive."""

    def __init__(self, path: Path, authority: Authority | None = None) -> None:
        """Open the index at `path`, creating it when the directory is empty (or emptying it
        when it was written by another version: the archive then rebuilds it)."""
        path.mkdir(parents=True, exist_ok=True)
        _open_versioned(path)
        self.path = path
        self._authority = authority
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
            writer.add_document(_document(row))
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

    @property
    def authority(self) -> Authority:
        """The authority names are resolved against (the shipped one unless given)."""
        if self._authority is None:
            self._authority = default_authority()
        return self._authority

    @authority.setter
    def authority(self, value: Authority) -> None:
        """Use another authority (the archive's own)."""
        self._authority = value

    def _terms(self, text: str) -> list[str]:
        """Analyse text the way the index did."""
        return [t for t in self.analyzer.analyze(text) if t]

    def _text_query(self, kind: str, text: str, fields: Iterable[str]) -> tantivy.Query | None:
        """A term, phrase or prefix over analysed fields (best field wins), or None."""
        terms = self._terms(text)
        if not terms:
            return None
        subs = []
        for f in fields:
            if kind == "prefix":
                pattern = re.escape(terms[0]) + ".*"
                subs.append(tantivy.Query.regex_query(self.schema, f, pattern))
            elif len(terms) == 1:
                subs.append(tantivy.Query.term_query(self.schema, f, terms[0]))
            else:
                words: list[str | tuple[int, str]] = list(terms)
                subs.append(tantivy.Query.phrase_query(self.schema, f, words))
        return tantivy.Query.disjunction_max_query(subs)

    def _any(self, queries: Iterable[tantivy.Query | None]) -> tantivy.Query | None:
        """Documents matching any of the queries (None when there are none)."""
        subs = [(tantivy.Occur.Should, q) for q in queries if q is not None]
        return tantivy.Query.boolean_query(subs) if subs else None

    def _record_query(self, record: Record, fname: str, fields: Iterable[str]) -> tantivy.Query:
        """Documents linked to the record in `fname`, or naming it by its name or a variant.
        Pseudonyms count only through the (date-aware) link: `Kuznetsov` was one of Stalin's
        for a time, and is also another man's name."""
        forms = [record.name, record.short, *record.variants]
        linked = tantivy.Query.term_query(self.schema, "agent", f"{fname}={record.id}")
        fields = list(fields)
        found = self._any([linked, *(self._text_query("phrase", f, fields)
                                     for f in dict.fromkeys(forms))])
        assert found is not None
        return found

    def _name_query(self, clause: Clause) -> tantivy.Query | None:
        """from:/to:/via:/person:/place: — the record the value names, else the words."""
        assert clause.field is not None
        from cablegram.link import resolve  # here: link → extract → ... imports the index

        fields = [f"n_{clause.field}"]
        if clause.kind != "prefix":
            value = clause.text.strip()
            record = self.authority.get(value.lower()) or resolve(self.authority, value, None)
            if record is not None:
                return self._record_query(record, clause.field, fields)
        return self._text_query(clause.kind, clause.text, fields)

    def _raw_query(self, field: str, values: list[str], prefix: bool) -> tantivy.Query:
        """Exact (or prefix) match of untokenised values."""
        if prefix:
            return tantivy.Query.regex_query(self.schema, field, re.escape(values[0]) + ".*")
        return tantivy.Query.term_set_query(self.schema, field, list(dict.fromkeys(values)))

    def _field_query(self, clause: Clause) -> tantivy.Query | None:
        """The index query of one `field:value` clause."""
        prefix = clause.kind == "prefix"
        value = " ".join(clause.text.split())
        if clause.field in NAME_FIELDS:
            return self._name_query(clause)
        if clause.field == "type":
            return self._raw_query("type", [value.lower()], prefix)
        if clause.field == "collection":
            return self._raw_query("collection", [value, value.lower()], prefix)
        if clause.field == "ref":
            return self._raw_query("refs", [ref_key(value)], prefix)
        assert clause.field == "date" and clause.bounds is not None
        low, high = clause.bounds
        return tantivy.Query.range_query(self.schema, "day", tantivy.FieldType.Integer,
                                         low, high)

    def _words_query(self, clause: Clause) -> tantivy.Query | None:
        """A bare word or phrase: in the text, and as a person or place if it names one."""
        plain = self._text_query(clause.kind, clause.text, TEXT_FIELDS)
        if plain is None or clause.kind == "prefix" or len(clause.text) < MIN_NAME_CHARS:
            return plain
        record = self.authority.lookup(clause.text)
        fname = EXPANDED_KINDS.get(record.kind) if record is not None else None
        if record is None or fname is None:
            return plain
        return self._any([plain, self._record_query(record, fname, TEXT_FIELDS)])

    def _clause_query(self, clause: Clause) -> tantivy.Query | None:
        """Build the index query of one clause."""
        if clause.field is not None:
            return self._field_query(clause)
        return self._words_query(clause)

    def _join_names(self, group: list[Clause]) -> list[Clause]:
        """Merge runs of bare words that together name a person or place (`Chou En-lai`)
        into one phrase clause, longest run first."""
        out: list[Clause] = []
        i = 0
        while i < len(group):
            size = 1
            for n in range(min(MAX_NAME_WORDS, len(group) - i), 1, -1):
                run = group[i:i + n]
                if all(c.kind == "term" and c.field is None and c.negated == run[0].negated
                       for c in run):
                    record = self.authority.lookup(" ".join(c.text for c in run))
                    if record is not None and record.kind in EXPANDED_KINDS:
                        size = n
                        break
            run = group[i:i + size]
            out.append(run[0] if size == 1 else
                       Clause("phrase", " ".join(c.text for c in run), run[0].negated))
            i += size
        return out

    def build(self, query: Query) -> tantivy.Query:
        """Turn our query tree into the index's query."""
        should = []
        for group in query.groups:
            parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
            for clause in self._join_names(group):
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
