"""The search index (tantivy): derived from the store, rebuilt by `cablegram reindex`."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import tantivy

from cablegram.authority.lookup import Authority, default_authority
from cablegram.errors import ArchiveError
from cablegram.normalize import dehyphenate
from cablegram.search.build import NAME_FIELDS, SPELL_FIELD, QueryBuilder
from cablegram.search.cache import ResultCache
from cablegram.search.facets import FacetValue, aggregations, read_facets
from cablegram.search.query import Query
from cablegram.search.suggest import nearest_word, replace_word, styled_like

T = TypeVar("T")
ANALYZER = "cablegram"
FOLDER = "cablegram_fold"
INDEX_VERSION = "6"
VERSION_FILE = "cablegram-index-version"
SNIPPET_CHARS = 240
WRITER_HEAP = 128_000_000  # bytes the index writer buffers before it writes a segment
# Fast fields counted as facets: role → field of agent ids. `f_corr` (any correspondent)
# weighs network nodes; `edges` holds `kind<TAB>from<TAB>to` pairs of linked agents.
FACET_ROLES = {
    "f_authors": ("authors",),
    "f_recipients": ("recipients",),
    "f_via": ("via",),
    "f_people": NAME_FIELDS["person"],
    "f_places": ("places",),
    "f_corr": ("authors", "recipients", "via"),
}
# The pages of people, organisations and places (search/profile.py) read two more fast fields:
# `f_roles` holds `<agent id><TAB><role>` for every linked mention; `f_links`, per table of
# RELATIONS, one `<agent id><TAB><table><TAB><other id><TAB><pairs>` for each other record
# the agent shares a pair of roles with, `<pairs>` naming those pairs (`sent+received`).
# `sent_from` and `sent_to` hold the place names of the transmission's two ends
# (extract/transmission.py).
RELATIONS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    # table → pair → (roles of the record, roles of the other one)
    "correspondents": {"sent": (("authors",), ("recipients", "for")),  # they wrote to them
                       "received": (("recipients", "for"), ("authors",))},
    "via": {"sent": (("authors",), ("via",)),  # their letters went via the other
            "received": (("recipients", "for"), ("via",))},  # letters to them did
    "passed_on": {"from": (("via",), ("authors",)),  # they passed on the other's letters
                  "to": (("via",), ("recipients", "for"))},  # ... to the other
}
LINK_FIELDS = ("f_roles", "f_links")
TRANSMISSION_FIELDS = ("sent_from", "sent_to")
# Every document has one `fragment` value, so the buckets of this aggregation sum to the
# number of matches: `aggregate` counts them in the same pass as the aggregations it runs.
TOTAL, TOTAL_AGGREGATION = "_matches", {"terms": {"field": "fragment", "size": 2}}
SORTS = {"relevance": None, "date": tantivy.Order.Asc, "-date": tantivy.Order.Desc}


def _analyzer(stem: bool = True) -> tantivy.TextAnalyzer:
    """Words, lower-cased, accents folded, and (unless not `stem`) English stems."""
    b = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
         .filter(tantivy.Filter.remove_long(40))
         .filter(tantivy.Filter.lowercase())
         .filter(tantivy.Filter.ascii_fold()))
    return (b.filter(tantivy.Filter.stemmer("english")) if stem else b).build()


def _schema() -> tantivy.Schema:
    """The index schema: id and facets raw (fast), text fields analysed. Only the id and the
    date are stored: snippets are cut from the store's text (see `SearchIndex.search`)."""
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_text_field("title", stored=False, tokenizer_name=ANALYZER)
    b.add_text_field("text", stored=False, tokenizer_name=ANALYZER)
    b.add_text_field("names", stored=False, tokenizer_name=ANALYZER)
    b.add_text_field(SPELL_FIELD, stored=False, tokenizer_name=FOLDER, index_option="basic")
    b.add_text_field("date", stored=True, tokenizer_name="raw")
    for raw in ("type", "collection", "language", "fragment", "edges", *FACET_ROLES):
        b.add_text_field(raw, stored=False, tokenizer_name="raw", fast=True)
    for raw in LINK_FIELDS:
        b.add_text_field(raw, stored=False, tokenizer_name="raw", fast=True, index_option="basic")
    for raw in TRANSMISSION_FIELDS:
        b.add_text_field(raw, stored=False, tokenizer_name="raw", index_option="basic")
    for number in ("day", "year", "month"):
        b.add_integer_field(number, indexed=True, fast=True)
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


def _edges(ids: dict[str, list[str]]) -> list[str]:
    """Network edges of one document: author → recipient letters, and via both ways."""
    pairs = [("letter", a, r) for a in ids["authors"] for r in ids["recipients"]]
    pairs += [("via", a, v) for a in ids["authors"] for v in ids["via"]]
    pairs += [("via", v, r) for v in ids["via"] for r in ids["recipients"]]
    return sorted({"\t".join(p) for p in pairs if p[1] != p[2]})


def _links(ids: dict[str, list[str]]) -> list[str]:
    """Counterpart terms of one document (`f_links`, see RELATIONS) from its linked ids by
    role."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for table, pairs in RELATIONS.items():
        for pair, (own, other) in pairs.items():
            for x in {i for role in own for i in ids.get(role, ())}:
                for o in {i for role in other for i in ids.get(role, ())} - {x}:
                    found.setdefault((x, table, o), []).append(pair)
    return sorted(f"{x}\t{table}\t{o}\t{'+'.join(pairs)}"
                  for (x, table, o), pairs in found.items())


# Per role: the name fields and the facet fields its mentions go to.
_ROLE_NAMES = {role: tuple(f for f, roles in NAME_FIELDS.items() if role in roles)
               for roles in NAME_FIELDS.values() for role in roles}
_ROLE_FACETS = {role: tuple(f for f, roles in FACET_ROLES.items() if role in roles)
                for roles in FACET_ROLES.values() for role in roles}


def _role_values(rows: Iterable[tuple[str, str | None, str | None, str]]) -> dict[str, Any]:
    """Agent terms, facet ids, edges, counterpart terms and per-field name text from a row's
    `roles` (role, id, name, as written)."""
    agents: set[str] = set()
    names: dict[str, list[str]] = {f: [] for f in NAME_FIELDS}
    ids: dict[str, list[str]] = {}
    facets: dict[str, set[str]] = {f: set() for f in FACET_ROLES}
    for role, agent_id, name, written in rows:
        for fname in _ROLE_NAMES.get(role, ()):
            names[fname] += (name or "", written or "")
            if agent_id:
                agents.add(f"{fname}={agent_id}")
        if agent_id:
            for fname in _ROLE_FACETS.get(role, ()):
                facets[fname].add(agent_id)
            found = ids.setdefault(role, [])
            if agent_id not in found:
                found.append(agent_id)
    out: dict[str, Any] = {f"n_{f}": " | ".join(v) for f, v in names.items()}
    out.update({f: sorted(v) for f, v in facets.items()})
    out["agent"] = sorted(agents)
    out["edges"] = _edges({r: ids.get(r, []) for r in ("authors", "recipients", "via")})
    out["f_roles"] = sorted(f"{i}\t{role}" for role, found in ids.items() for i in found)
    out["f_links"] = _links(ids)
    return out


def index_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The search index document of one store row, as its fields (plain values: ingest
    workers build them, the writer only hands them to tantivy); empty fields left out."""
    text = dehyphenate(row["text"] or "")
    fields: dict[str, Any] = {
        "id": row["id"], "title": row["title"] or "", "text": text,
        "names": row.get("names") or "", "date": row["date"] or "",
        "type": (row["type"] or "").lower(), "collection": row["collection"] or "",
        "language": (row.get("language") or "").lower(), "fragment": "yes" if row.get("fragment")
        else "no", "refs": sorted(set(row.get("ref_keys") or [])),
        **{f: row.get(f) or "" for f in TRANSMISSION_FIELDS}}
    fields.update(_role_values(row.get("roles") or []))
    day = day_number(row["date"])
    if day is not None:
        fields.update(day=day, year=day // 10000)
        if day // 100 % 100:
            fields["month"] = day // 100
    return {k: v for k, v in fields.items() if v not in ([], "")}


def _document(fields: dict[str, Any]) -> tantivy.Document:
    """The tantivy document of `index_fields`' fields, with the spelling field built here
    rather than sent between processes: every word again, unstemmed, each distinct
    whitespace-separated piece once (the field keeps no frequencies, so the index is the
    same as with every piece, and tokenizing it costs half as much)."""
    pieces = " ".join(fields.get(f, "") for f in ("title", "text", "names")).split()
    spell = " ".join(dict.fromkeys(pieces))
    return tantivy.Document(**fields, **{SPELL_FIELD: spell})


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


@dataclass
class Result:
    """A search: the total, a page of hits, facets and spelling suggestions."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestions: list[dict[str, str]] = field(default_factory=list)


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
        self.folder = _analyzer(stem=False)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        self.index.register_tokenizer(ANALYZER, _analyzer())
        self.index.register_tokenizer(FOLDER, _analyzer(stem=False))
        self._writer: tantivy.IndexWriter | None = None  # kept open by `writing`
        self._loaded: tuple[int, ...] = ()  # `generation` at the last reload
        self.results = ResultCache()  # aggregations of the current generation

    def num_docs(self) -> int:
        """Number of documents in the index."""
        return int(self.searcher().num_docs)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Keep one index writer open for the block (an ingest of many batches): `stage`,
        `commit`, `rollback` and `add` use it. Work not committed when the block ends is
        dropped; the writer's lock on the index is released."""
        if self._writer is not None:  # nested: the outer block owns the writer
            yield
            return
        try:
            self._writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        except ValueError as exc:  # tantivy's LockBusy: one writer per index at a time
            if "LockBusy" not in str(exc):
                raise
            raise ArchiveError(f"{self.path}: another process is writing to this search "
                               "index (an ingest or a reindex); wait for it to finish, then "
                               "run the command again.") from exc
        try:
            yield
        except BaseException:
            self._writer.rollback()
            self._writer = None  # dropped at once: merges in progress are abandoned
            raise
        writer, self._writer = self._writer, None
        writer.rollback()
        writer.wait_merging_threads()

    def _open_writer(self) -> tantivy.IndexWriter:
        """The writer kept open by `writing` (a mistake outside it)."""
        if self._writer is None:
            raise RuntimeError("SearchIndex: stage, commit and rollback need `with writing()`")
        return self._writer

    def stage(self, docs: Iterable[dict[str, Any]], replace: bool = True) -> int:
        """Add documents given as their `index_fields` to the open writer (searchable once
        `commit` is called; `rollback` drops them); `replace` deletes older ones with the
        same ids."""
        writer = self._open_writer()
        n = 0
        for fields in docs:
            if replace:
                writer.delete_documents_by_term("id", fields["id"])
            writer.add_document(_document(fields))
            n += 1
        return n

    def commit(self) -> None:
        """Make every staged document searchable (on disk)."""
        self._open_writer().commit()

    def rollback(self) -> None:
        """Drop the documents staged since the last commit."""
        self._open_writer().rollback()

    def add(self, rows: Iterable[dict[str, Any]]) -> int:
        """Add (or replace) documents given as store rows; commit; return how many."""
        with self.writing():
            n = self.stage(map(index_fields, rows))
            self.commit()
        return n

    def rebuild(self, rows: Iterable[dict[str, Any]]) -> int:
        """Empty the index and add every row again, in one commit (searchers see the old
        index until it is done)."""
        with self.writing():
            self._open_writer().delete_all_documents()
            n = self.stage(map(index_fields, rows), replace=False)
            self.commit()
        return n

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

    def searcher(self) -> tantivy.Searcher:
        """A fresh searcher: the index is reloaded first when a commit (of this process or
        another) has replaced its `meta.json` since the last reload, so it sees the last
        commit."""
        seen = self.generation()
        if seen != self._loaded or not seen:
            self.index.reload()
            self._loaded = seen
        return self.index.searcher()

    def generation(self) -> tuple[int, ...]:
        """Which commit the index is at: its `meta.json` (inode, modification time and size;
        every commit replaces the file), or () when there is none yet."""
        try:
            st = (self.path / "meta.json").stat()
        except OSError:
            return ()
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result of `compute` for `key`, computed once per commit of the index (see
        search/cache.py); a copy each time."""
        return self.results.get(self.generation(), key, compute)

    def builder(self) -> tuple[tantivy.Searcher, QueryBuilder]:
        """A fresh searcher and a query builder bound to it."""
        searcher = self.searcher()
        return searcher, QueryBuilder(self.schema, self.analyzer, self.folder, self.authority,
                                      searcher)

    def search(self, query: Query, limit: int, offset: int = 0, sort: str = "relevance",
               facets: bool = False, text: str = "",
               texts: Callable[[list[str]], dict[str, str]] | None = None) -> Result:
        """The total number of matches, one page of hits with snippets (by relevance or
        date), and, when asked, facets and suggestions for words of `text` not found.
        Snippets are cut from the documents' texts given by `texts` (the store's, by id);
        without it hits have none."""
        searcher, builder = self.builder()
        q = builder.build(query)
        order = SORTS[sort]
        if order is None:
            found = searcher.search(q, limit=limit, offset=offset, count=True)
        else:
            found = searcher.search(q, limit=limit, offset=offset, count=True,
                                    order_by_field="day", order=order)
        total = int(getattr(found, "count", 0) or 0)
        result = Result(total, self._hits(searcher, q, found.hits, texts))
        if facets and total:
            result.facets = read_facets(searcher.aggregate(q, aggregations()), self.authority)
        if facets:
            result.suggestions = self._suggest(searcher, builder.unknown, text)
        return result

    def _hits(self, searcher: tantivy.Searcher, q: tantivy.Query, found: list[tuple[Any, Any]],
              texts: Callable[[list[str]], dict[str, str]] | None) -> list[Hit]:
        """Hits with snippets of their texts (as indexed) highlighting the matched words."""
        ids = [str(searcher.doc(address).get_first("id")) for _, address in found]
        by_id = texts(ids) if texts else {}
        gen = tantivy.SnippetGenerator.create(searcher, q, self.schema, "text")
        gen.set_max_num_chars(SNIPPET_CHARS)
        hits = []
        for doc_id, (score, _) in zip(ids, found, strict=True):
            text = by_id.get(doc_id) or ""
            text = dehyphenate(text) if "-\n" in text else text  # (its regex is slow)
            snip = gen.snippet_from_doc(tantivy.Document(text=text))
            fragment = snip.fragment()
            ranges = _char_ranges(fragment, [(r.start, r.end) for r in snip.highlighted()])
            if not fragment:
                fragment = text[:SNIPPET_CHARS]
            value = float(score) if isinstance(score, float) else 0.0
            hits.append(Hit(doc_id, value, fragment, ranges))
        return hits

    def _suggest(self, searcher: tantivy.Searcher, unknown: list[str], text: str
                 ) -> list[dict[str, str]]:
        """One query per word the archive lacks, with that word replaced by its nearest."""
        out = []
        for word in dict.fromkeys(unknown):
            near = nearest_word(searcher, word.lower())
            if near:
                styled = styled_like(near, word)
                out.append({"word": word, "text": styled,
                            "query": replace_word(text, word, styled)})
        return out

    def matching_ids(self, query: Query) -> list[str]:
        """The ids of every document matching `query` (none for an empty query)."""
        searcher, builder = self.builder()
        q = builder.build(query)
        found = searcher.search(q, limit=max(int(searcher.num_docs), 1), count=False)
        return [str(searcher.doc(address).get_first("id")) for _, address in found.hits]

    def aggregate(self, query: Query, aggs: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Count the documents matching `query` (every document when it is empty) and run
        the index aggregations `aggs` over them."""
        searcher, builder = self.builder()
        q = builder.build(query, everything=True)
        result = searcher.aggregate(q, {**aggs, TOTAL: TOTAL_AGGREGATION})
        total = sum(int(b["doc_count"]) for b in result.pop(TOTAL, {}).get("buckets", []))
        return total, (result if total else {})


def _char_ranges(text: str, byte_ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Turn the index's UTF-8 byte offsets into character offsets of `text`."""
    raw = text.encode("utf-8")
    return [(len(raw[:s].decode("utf-8", "ignore")), len(raw[:e].decode("utf-8", "ignore")))
            for s, e in byte_ranges]
