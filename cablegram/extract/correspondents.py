"""Correspondents outside the header: address lines, signatures, copy lists, names in the text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

from cablegram.authority.lookup import Authority, name_key
from cablegram.extract import patterns as P
from cablegram.link import mention
from cablegram.model import Line, Mention
from cablegram.segment import dateline_at, is_signature

ADDRESS_WINDOW = 14  # address lines are looked for only this near the top of a document
_KIND_KEYS = {"person": "people", "place": "places", "organization": "organizations"}


def address_lines(lines: list[Line]) -> list[tuple[str, str, int]]:
    """Return (verb, name, line) for address lines near the top (`Transmit to ZHOU ENLAI`):
    lines that are a name and its titles, not sentences that open with `To` and a name."""
    out = []
    for ln in lines[:ADDRESS_WINDOW]:
        m = P.ADDRESS.match(ln.text.strip())
        if m and not re.match(r"(?i)^to\s+your\b", ln.text.strip()):
            verb = m.group("verb").split()[0].lower()
            if verb == "to" and m.group("after"):
                continue  # `To X the following`: only a `Transmit to` line goes on so
            for name in re.split(r"\s+or\s+|\s+and\s+", m.group("name")):
                out.append((verb, name.strip(" .:"), ln.number))
    return out


def copies(lines: list[Line], authority: Authority, date: str | None) -> list[Mention]:
    """Read `Copies: Stalin (2), Molotov` lists and `Copy Nº 3 to Cde. Molotov` lines."""
    out: list[Mention] = []
    in_list = False
    for ln in lines:
        text = ln.text.strip()
        m = P.COPIES_LINE.match(text)
        if m or in_list:
            body = m.group("list") if m else text
            for item in body.split(","):
                if item.strip(" ."):
                    out.append(mention(authority, item, ln.number, date))
            in_list = text.endswith(",")
            continue
        c = P.COPY_TO.match(text)
        if c:
            out.append(mention(authority, c.group("name"), ln.number, date))
    return out


def signatures(lines: list[Line], authority: Authority) -> list[tuple[str, int]]:
    """Return names signed at the end of a document, each with its line."""
    out: list[tuple[str, int]] = []
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        closing = P.CLOSING.match(text)
        if closing:
            rest = closing.group("rest")
            if not rest and i + 1 < len(lines):
                rest = lines[i + 1].text.strip()
                if P.CLOSING.match(rest) is None and not _names_line(rest, authority):
                    continue
            for name in _signed_names(rest, authority):
                out.append((name, ln.number if closing.group("rest") else ln.number + 1))
        elif is_signature(text, authority, lines[i - 1].text if i else ""):
            m = P.CAPS_SIGNATURE.match(text)
            out.append((m.group(0).rstrip(".") if m else text.rstrip("."), ln.number))
        elif i > 0 and P.CLOSING.match(lines[i - 1].text.strip()) and _names_line(text, authority):
            out += [(n, ln.number) for n in _signed_names(text, authority)]
    last = None if out else _last_signature(lines, authority)
    return [last] if last else list(dict.fromkeys(out))


def _closes(lines: list[Line], i: int) -> bool:
    """Whether lines[i] is blank or an end marker a signature may stand before (number,
    dateline, copy list, transmission line, handling mark)."""
    text = lines[i].text.strip()
    return not text or any(p.match(text) for p in P.AFTER_SIGNATURE) \
        or dateline_at(lines, i) is not None


def _last_signature(lines: list[Line], authority: Authority) -> tuple[str, int] | None:
    """The name a document ends on, before its end markers, even one the authority lacks: a
    name in capitals (`OVENKO`, `RYU SUNG TAE`, `T. V. SOONG`) or a known person's name
    (`Vasily Kuznetsov`); not a heading (`REPORT`), a place or an organisation, nor the end of
    a sentence that runs on into it (`... signed by` / `SHTYKOV`)."""
    i = len(lines) - 1
    while i > 0 and _closes(lines, i):
        i -= 1
    if i < 1 or P.RUNS_INTO_NAME.search(lines[i - 1].text.strip()):
        return None
    text = lines[i].text.strip()
    m = P.CAPS_SIGNATURE.match(text)
    if m is None or any(c.islower() for c in text.replace(m.group("real") or "", "")):
        known = authority.is_person(text.rstrip("."))
        return (text.rstrip("."), lines[i].number) if known else None
    words = name_key(m.group("name")).split()
    if any(w in P.NOT_SIGNATURES for w in words) or " ".join(words) in P.DOC_TYPES:
        return None
    named = [authority.lookup(w) for _, _, w in authority.scan(m.group("name"))]
    if any(rec is not None and rec.kind != "person" for rec in named):
        return None  # `MOSCOW`, `TASS`
    return m.group(0).rstrip("."), lines[i].number


def _signed_names(text: str, authority: Authority) -> list[str]:
    """Names in a signature line: `KIM IL SUNG, Chairman ...` → [KIM IL SUNG]."""
    names = []
    for part in text.split(","):
        part = part.strip(" .")
        if part and authority.is_person(part):
            names.append(part)
    if not names and text.strip():
        names.append(text.split(",")[0].strip(" ."))
    return names


def _names_line(text: str, authority: Authority) -> bool:
    """Whether every comma-separated part of a line is a known name (`KIM IL SUNG, PAK ...`)."""
    parts = [p.strip(" .") for p in text.split(",") if p.strip(" .")]
    return bool(parts) and all(authority.is_person(p) for p in parts)


def mentioned(lines: list[Line], authority: Authority, date: str | None
              ) -> dict[str, list[Mention]]:
    """People, places and organisations named anywhere in the lines, first line each; names
    the authority does not know, or that several people share (`Kim`), kept unlinked."""
    out: dict[str, list[Mention]] = {k: [] for k in _KIND_KEYS.values()}
    if not lines:
        return out
    seen: set[str] = set()
    known, titled, shared = _line_names(lines, authority)
    for i in sorted(known.keys() | titled.keys() | shared.keys()):
        ln = lines[i]
        spans = []
        for start, end, written in known.get(i, ()):
            spans.append((start, end))
            rec = authority.lookup(written, date)
            if rec is None or rec.id in seen:
                continue
            seen.add(rec.id)
            out[_KIND_KEYS[rec.kind]].append(Mention(written, ln.number, rec.id, rec.name))
        if i not in titled and i not in shared:
            continue
        for m in _unlinked(ln, spans, titled.get(i, []), shared.get(i, []), authority):
            if m.as_written.casefold() not in seen:
                seen.add(m.as_written.casefold())
                out["people"].append(m)
    return out


Span = tuple[int, int, str]  # start and end on its line, and the words


# TITLED_NAME opens on a word boundary, which keeps the regex engine from skipping ahead to a
# title's first letter: the pattern without it finds each place, and the boundary is then
# tested there (each match of the whole pattern, as its finditer finds them).
_BOUNDARY = r"\b"
_TITLED_BARE = re.compile(P.TITLED_NAME.pattern.removeprefix(_BOUNDARY), P.TITLED_NAME.flags) \
    if P.TITLED_NAME.pattern.startswith(_BOUNDARY) else None
_AT_BOUNDARY = re.compile(_BOUNDARY)


def _titled_matches(text: str) -> list[re.Match[str]]:
    """The matches of TITLED_NAME in text, left to right, as its finditer finds them."""
    if _TITLED_BARE is None:
        return list(P.TITLED_NAME.finditer(text))
    out, at = [], 0
    while (m := _TITLED_BARE.search(text, at)) is not None:
        if _AT_BOUNDARY.match(text, m.start()) is None:  # inside a word: look on after it
            at = m.start() + 1
            continue
        out.append(m)
        at = m.end()
    return out


def _titled(text: str) -> list[tuple[int, int, int, int, str]]:
    """Titled names (`Comrade Petrov`): the whole match, then the name's span and words."""
    return [(m.start(), m.end(), m.start("name"), m.end("name"), m.group("name"))
            for m in _titled_matches(text)]


def _line_names(lines: list[Line], authority: Authority
                ) -> tuple[dict[int, list[Span]], dict[int, list[Span]], dict[int, list[Span]]]:
    """Known names, titled names and shared family names on each line (by index), found in
    one pass over the lines joined by newlines, as a search of each line alone finds them."""
    texts = [ln.text for ln in lines]
    starts = [0, *accumulate(len(t) + 1 for t in texts[:-1])]  # where each line begins
    whole = "\n".join(texts)

    def spans(found: list[Span]) -> list[tuple[int, int, int, int, str]]:
        """Matches whose span is the match itself."""
        return [(s, e, s, e, w) for s, e, w in found]

    def titled(line: str) -> list[Span]:
        """The titled names of one line."""
        return [(s, e, w) for _, _, s, e, w in _titled(line)]

    return (_by_line(spans(authority.scan(whole)), texts, starts, authority.scan),
            _by_line(_titled(whole), texts, starts, titled),
            _by_line(spans(authority.scan_ambiguous(whole)), texts, starts,
                     authority.scan_ambiguous))


def _by_line(found: list[tuple[int, int, int, int, str]], texts: list[str], starts: list[int],
             alone: Callable[[str], list[Span]]) -> dict[int, list[Span]]:
    """Matches in the joined text (match start and end, then the span kept and its words),
    moved onto their lines; a line a match runs into or out of is searched alone instead."""
    out: dict[int, list[Span]] = {}
    redo: set[int] = set()
    for lo, hi, start, end, words in found:
        i = bisect_right(starts, lo) - 1
        if hi <= starts[i] + len(texts[i]):
            out.setdefault(i, []).append((start - starts[i], end - starts[i], words))
        else:
            redo.update(range(i, bisect_right(starts, hi - 1)))
    for i in redo:
        out[i] = alone(texts[i])
    return out


def participants(lines: list[Line], authority: Authority, date: str | None,
                 with_: list[Mention] | None = None) -> list[Mention]:
    """Those present at a conversation: the parties a header names (`Roshchin with Zhou
    Enlai`) and the people of a `Participants:` / `Present:` list (and its indented lines)."""
    out = list(with_ or [])
    for ln in lines[: P.CONVERSATION_WINDOW]:
        talk = P.CONVERSATION_OF.match(ln.text.strip())
        if talk:
            out += [mention(authority, talk.group(k), ln.number, date) for k in ("a", "b")]
    block: list[Line] = []
    for ln in lines:
        m = P.PARTICIPANTS.match(ln.text.strip()) if ":" in ln.text else None  # `Present:` has one
        if m:
            block = [Line(m.group("rest"), ln.number)]
        elif block and P.PARTICIPANTS_GOES_ON.match(ln.text):
            block.append(ln)
        elif block:
            break
    for person in mentioned(block, authority, date)["people"]:
        if not any(person.id and person.id == o.id or person.as_written == o.as_written
                   for o in out):
            out.append(person)
    return out


def _unlinked(ln: Line, known: list[tuple[int, int]], titled: list[Span], shared: list[Span],
              authority: Authority) -> list[Mention]:
    """Names of people on a line outside the known spans: titled names the authority lacks,
    and bare family names several people share (with those people as candidates)."""
    found: list[tuple[int, Mention]] = []

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in known)

    for start, end, name in titled:
        if free(start, end) and name.split()[0].casefold() not in P.NOT_NAMES:
            known.append((start, end))
            found.append((start, _unknown(name, ln.number, authority)))
    for start, end, _ in shared:
        more = P.NAME_CONTINUES.match(ln.text[end:])
        end += more.end() if more else 0
        if free(start, end):
            found.append((start, _unknown(ln.text[start:end], ln.number, authority)))
    return [m for _, m in sorted(found, key=lambda f: f[0])]


def _unknown(name: str, line: int, authority: Authority) -> Mention:
    """An unlinked mention, with candidates when the name is a family name several share."""
    cands = authority.candidates(name)
    return Mention(name, line, candidates=[{"id": r.id, "name": r.name} for r in cands])
