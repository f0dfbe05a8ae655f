"""Link: map names as written to authority records, by the document's date."""

from __future__ import annotations

import re
from functools import lru_cache

from cablegram.authority.lookup import Authority, Record, name_key
from cablegram.extract.patterns import TITLES
from cablegram.model import Mention

_BRACKETED = re.compile(r"\s*[\[(]([^\])]+)[\])]")
_INITIALS = re.compile(r"(?:\b[A-Z]\.\s?){1,3}$|^(?:[A-Z]\.\s?){1,3}")


CANDIDATES_CACHE = 1 << 14  # written names kept with their forms (they recur across documents)


@lru_cache(maxsize=CANDIDATES_CACHE)
def _candidates(text: str) -> tuple[str, ...]:
    """Forms of a written name worth looking up, most specific first."""
    text = text.strip(" .,;:")
    bare = _BRACKETED.sub("", text).strip(" .,;:")
    out = [text, bare]
    stripped = bare
    while True:
        shorter = TITLES.sub("", stripped).strip()
        if shorter == stripped:
            break
        stripped = shorter
    out += [stripped, _INITIALS.sub("", stripped).strip(" ,")]
    return tuple(c for c in dict.fromkeys(out) if c)



def clear_link_caches() -> None:
    """Forget the written names kept with their forms and with what they resolve to."""
    _candidates.cache_clear()
    resolve.cache_clear()

def same_name(a: str, b: str) -> bool:
    """Whether two written names are one name once folded (case, titles, glosses, initials,
    punctuation): `Comrade RYU SU U.` ~ `Ryu Su U`; a family name alone is the full name it
    ends (`Comrade KHEWELL` ~ `Arthur Khewell`)."""
    x, y = name_key(_candidates(a)[-1]).split(), name_key(_candidates(b)[-1]).split()
    short, full = (x, y) if len(x) <= len(y) else (y, x)
    return bool(short) and full[len(full) - len(short):] == short


RESOLVED_CACHE = 1 << 14  # names kept with what they resolve to (they recur across documents)


@lru_cache(maxsize=RESOLVED_CACHE)
def resolve(authority: Authority, text: str, date: str | None) -> Record | None:
    """Return the record a name, a pseudonym or an office (on `date`) denotes, or None."""
    for cand in _candidates(text):
        rec = authority.lookup(cand, date)
        if rec is not None:
            return rec
    for m in _BRACKETED.finditer(text):  # an editor's gloss: "Filippov (Stalin)"
        rec = authority.lookup(m.group(1), date)
        if rec is not None and rec.kind == "person":
            return rec
    found = {}
    for _, _, written in authority.scan(text):
        rec = authority.lookup(written, date)
        if rec is not None:
            found[rec.id] = rec
    people = [r for r in found.values() if r.kind == "person"]
    if len(people) == 1:
        return people[0]
    holder = authority.holder(text, date) if not people else None
    if holder is not None:
        return holder
    orgs = [r for r in found.values() if r.kind == "organization"]
    return orgs[0] if len(orgs) == 1 and not people else None


def mention(authority: Authority, text: str, line: int | None, date: str | None) -> Mention:
    """Make a Mention of a written name, linked when the authority knows it."""
    text = text.strip(" .,;:")
    rec = resolve(authority, text, date)
    if rec is not None:
        return Mention(text, line, rec.id, rec.name)
    bare = _candidates(text)[-1]
    cands = [{"id": r.id, "name": r.name} for r in authority.candidates(bare)]
    return Mention(text, line, candidates=cands)


def display_name(authority: Authority, m: Mention) -> str:
    """Short name for titles: `Filippov [Stalin]` for a pseudonym, else the linked short form."""
    rec = authority.get(m.id) if m.id else None
    written = _BRACKETED.sub("", m.as_written).strip(" .,")
    if rec is None:  # `The Consul General at Hong Kong (McConaughy)` → McConaughy
        named = _BRACKETED.search(m.as_written)
        return named.group(1).strip() if named and named.group(1)[:1].isupper() else written
    for p in rec.pseudonyms:
        if str(p["name"]).casefold() in written.casefold():
            return f"{str(p['name'])} [{rec.short}]"
    return rec.short
