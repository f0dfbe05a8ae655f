"""Our query tree → the index's query. User text reaches tantivy only as analysed terms."""

from __future__ import annotations

import re
from collections.abc import Iterable

import tantivy

from cablegram.authority.lookup import Authority, Record
from cablegram.relate import ref_key
from cablegram.search.query import Clause, Query

TEXT_FIELDS = ("title", "text", "names")
SPELL_FIELD = "spell"  # every word of title, text and names, unstemmed: fuzzy and suggestions
# Name fields of the query language → the store roles they cover. Each has an analysed
# `n_<field>` index field (names as written and linked) and `<field>=<agent id>` terms in `agent`.
NAME_FIELDS = {
    "from": ("authors",),
    "to": ("recipients",),
    "via": ("via",),
    "person": ("authors", "recipients", "via", "for", "copies_to", "participants", "people"),
    "place": ("places",),
}
# Kinds of authority record a bare word or phrase is expanded to (all names of the record).
EXPANDED_KINDS = {"person": "person", "place": "place"}
# Untokenised fields: query field → (index field, how the value is folded).
RAW_FIELDS = {"type": "type", "collection": "collection", "language": "language",
              "fragment": "fragment"}
MIN_NAME_CHARS = 3
MAX_NAME_WORDS = 4
# A word the archive does not hold is looked up with this many edits allowed, by its length
# (none below the first length): `Roschin` finds Roshchin, `Pyongyan` Pyongyang.
FUZZY_EDITS = ((4, 1), (9, 2))
FUZZY_BOOST = 0.5
YES_NO = {"yes": "yes", "true": "yes", "1": "yes", "no": "no", "false": "no", "0": "no"}


def fuzzy_edits(word: str) -> int:
    """Edits allowed when looking up a word the archive lacks (0: too short to guess)."""
    return max((n for length, n in FUZZY_EDITS if len(word) >= length), default=0)


class QueryBuilder:
    """Builds tantivy queries for one searcher: knows the schema, analysers and authority."""

    def __init__(self, schema: tantivy.Schema, analyze: tantivy.TextAnalyzer,
                 fold: tantivy.TextAnalyzer, authority: Authority,
                 searcher: tantivy.Searcher) -> None:
        """Keep what building needs; `fold` is the unstemmed analyser of the spell field."""
        self.schema, self.analyzer, self.folder = schema, analyze, fold
        self.authority, self.searcher = authority, searcher
        self.unknown: list[str] = []  # words of the query the archive does not hold

    def _terms(self, text: str) -> list[str]:
        """Analyse text the way the index did."""
        return [t for t in self.analyzer.analyze(text) if t]

    def _fuzzy(self, text: str) -> tantivy.Query | None:
        """Near spellings of a single word the archive lacks (noted in `unknown`), or None."""
        words = [t for t in self.folder.analyze(text) if t]
        if len(words) != 1 or self.searcher.doc_freq(SPELL_FIELD, words[0]):
            return None
        self.unknown.append(text)
        edits = fuzzy_edits(words[0])
        if not edits:
            return None
        fuzzy = tantivy.Query.fuzzy_term_query(self.schema, SPELL_FIELD, words[0], edits)
        return tantivy.Query.boost_query(fuzzy, FUZZY_BOOST)

    def _text_query(self, kind: str, text: str, fields: Iterable[str],
                    fuzzy: bool = False) -> tantivy.Query | None:
        """A term, phrase or prefix over analysed fields (best field wins), or None; a
        single word the archive lacks also matches its near spellings when `fuzzy`."""
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
        near = self._fuzzy(text) if fuzzy and kind == "term" else None
        return tantivy.Query.disjunction_max_query(subs + ([near] if near else []))

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

    def record_of(self, value: str) -> Record | None:
        """The authority record a field value names: an id, a name, a variant or pseudonym."""
        from cablegram.link import resolve  # here: link → extract → ... imports the index

        value = value.strip()
        return self.authority.get(value.lower()) or resolve(self.authority, value, None)

    def _name_query(self, clause: Clause) -> tantivy.Query | None:
        """from:/to:/via:/person:/place: — the record the value names, else the words."""
        assert clause.field is not None
        fields = [f"n_{clause.field}"]
        if clause.kind != "prefix":
            record = self.record_of(clause.text)
            if record is not None:
                return self._record_query(record, clause.field, fields)
        return self._text_query(clause.kind, clause.text, fields, fuzzy=True)

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
        if clause.field == "ref":
            return self._raw_query("refs", [ref_key(value)], prefix)
        if clause.field == "fragment":
            return self._raw_query("fragment", [YES_NO.get(value.lower(), value)], False)
        if clause.field in RAW_FIELDS:
            return self._raw_query(RAW_FIELDS[clause.field], [value, value.lower()], prefix)
        assert clause.field == "date" and clause.bounds is not None
        low, high = clause.bounds
        return tantivy.Query.range_query(self.schema, "day", tantivy.FieldType.Integer,
                                         low, high)

    def _words_query(self, clause: Clause) -> tantivy.Query | None:
        """A bare word or phrase: in the text, and as a person or place if it names one."""
        plain = self._text_query(clause.kind, clause.text, TEXT_FIELDS, fuzzy=True)
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

    def build(self, query: Query, everything: bool = False) -> tantivy.Query:
        """Turn our query tree into the index's query; an empty tree matches nothing, or
        every document when `everything`."""
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
            return tantivy.Query.all_query() if everything else tantivy.Query.empty_query()
        return tantivy.Query.boolean_query(should)
