"""Patterns of printed document collections in the FRUS style, as data.

A document of such a book: a line with only its number (`212.`), the head (`The Ambassador in
Burma (Smith) to the Secretary of State`), the file number (`790B.00/3–252: Telegram`), the
dateline (`Rangoon, March 2, 1952—6 p. m. [Received March 3—2:10 a. m.]`), the classification
(`secret`, `top secret priority`), the body and the signature (`Smith`).
Between them, on real pages: running heads and page numbers. The first match wins where a
list is ordered.
"""

from __future__ import annotations

import re

from cablegram.regexes import any_of

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_TIME = r"\d{1,2}(?::\d{2})?\s*[ap]\.\s?m\.?|noon|midnight"

# The document number, alone on its line: `171.`
NUMBER_LINE = re.compile(r"^\s*(?P<number>\d{1,4})\.\s*$")

# Running heads and page numbers, one line each (`1802  FOREIGN RELATIONS, 1951, VOLUME VII`,
# `CHINA  1803`, `1804`). Capitals only: a body line has lower-case letters or a full stop.
RUNNING_HEADS = [
    # even page: page number, then the volume's title
    re.compile(r"^\d{1,4}\s+FOREIGN\s+RELATIONS,?\s+\d{4}(?:[–-]\d{2,4})?"
               r"(?:,?\s+VOLUME\s+[IVXLC]+(?:,?\s+PART\s+\d+)?)?\s*$"),
    # either page: page number, then a short title in capitals
    re.compile(r"^\d{1,4}\s{2,}[A-Z][A-Z ,.’'&–-]{2,60}$"),
    # odd page: the chapter's short title in capitals, then the page number
    re.compile(r"^[A-Z][A-Z ,.’'&–-]{2,60}?\s+\d{1,4}$"),
    # a page number alone (the first page of a chapter, or the foot of a page)
    re.compile(r"^\[?\d{1,4}\]?$"),
]
ANY_RUNNING_HEAD = any_of(RUNNING_HEADS)

# The first line of a head, right after the number line.
HEAD_START = re.compile(
    r"^(?:The|Memorandum|Editorial\s+Note|Letter|Telegram|Circular|Paper|Minutes|Notes?"
    r"|Draft|Report|Statement|Message|Record|Summary|Agreed|Aide-[Mm][ée]moire|President"
    r"|Prime\s+Minister|Secretary|Ambassador|Mr\.|General)\b"
)
# A head that names correspondents otherwise: `President Truman to Prime Minister Attlee`.
HEAD_PARTIES = re.compile(r"^[A-Z].*\s(?:to|by|from)\s")

# The file number (FRUS source note) and the channel after its colon: `793.00/8–1551:
# Telegram`, `894A.00–R/8–2851`, `794A. 5 MAP/9–1451: Telegram`, `Lot 55 D 388`.
FILE_NUMBER = re.compile(
    r"^(?P<value>\d{3}[A-Z]?\.\s?[\w.\s–-]*?/\s?\d{1,2}[–-]\d{2,4}[\w–-]*"
    r"|[\w/–.-]+(?:\s+[\w/–.-]+){0,4}\s+files?(?:,\s+lot\s+\d+\s?D\s?\d+)?[^:]*"
    r"|[Ll]ot\s+\d+\s?D\s?\d+[^:]*)"
    r"(?::\s*(?P<kind>[A-Za-z][A-Za-z ]{2,30}?))?\.?\s*$"
)
# The channel named after the file number, as a document type.
FILE_KINDS = {
    "telegram": "telegram", "telegrams": "telegram", "circular telegram": "circular telegram",
    "airgram": "airgram", "circular airgram": "circular airgram", "despatch": "despatch",
    "dispatch": "despatch", "letter": "letter", "memorandum": "memorandum", "note": "note",
    "message": "message", "instruction": "instruction", "telegraphic message": "message",
}  # fmt: skip

# The type a head names, first match wins; `None` means the head does not say.
HEAD_TYPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Editorial\s+Note\b", re.I), "editorial note"),
    (re.compile(r"^Memorandum\s+of\s+(?:a\s+)?Conversation\b", re.I),
     "memorandum of conversation"),
    (re.compile(r"^Minutes\b", re.I), "minutes"),
    (re.compile(r"^(?:Draft\s+)?Memorandum\b", re.I), "memorandum"),
    (re.compile(r"^Paper\b", re.I), "paper"),
    (re.compile(r"^Letter\b", re.I), "letter"),
    (re.compile(r"^Circular\s+Telegram\b", re.I), "circular telegram"),
    (re.compile(r"^Telegram\b", re.I), "telegram"),
    (re.compile(r"^Notes?\b", re.I), "note"),
    (re.compile(r"^Report\b", re.I), "report"),
    (re.compile(r"^Statement\b", re.I), "statement"),
    (re.compile(r"^Message\b", re.I), "message"),
    (re.compile(r"^Aide-[Mm][ée]moire\b", re.I), "aide-mémoire"),
]
# Types whose body opens with the sender's telegram number: `650. ConGen contacts ...`.
NUMBERED_TYPES = ("telegram", "circular telegram", "airgram", "circular airgram")
TELEGRAM_NUMBER = re.compile(r"^\s*(?P<value>\d{1,5})\.\s+\S")
# A salutation opening a letter.
SALUTATION = re.compile(r"^(?:My\s+)?Dear\s+[A-Z]")

# A head's type words before its author: `Memorandum of Conversation, by the ...`.
HEAD_KIND_PREFIX = re.compile(
    r"^(?:(?:Draft\s+)?Memorandum(?:\s+of\s+(?:a\s+)?Conversation|\s+for\s+the\s+Record)?"
    r"|Minutes(?:\s+of\s+[^,]+?)?|Paper|Letter|Circular\s+Telegram|Telegram|Notes?|Report"
    r"|Statement|Message|Aide-[Mm][ée]moire)\b,?\s*(?:(?P<by>(?:Prepared\s+)?by|from)\s+)?",
    re.I,
)
# Words after which ` to ` belongs to an office (`the Special Assistant to the Secretary`),
# not to the correspondents.
TO_BOUND_WORDS = {
    "assistant", "adviser", "advisor", "representative", "delegation", "delegate", "deputy",
    "counselor", "mission", "envoy", "commissioner", "observer", "liaison", "ambassador",
    "minister", "consultant", "aide",
}  # fmt: skip
# Office words that make a head's office a different one from the office the authority file
# holds (`The Acting Secretary of State` is not the Secretary of State).
QUALIFIED_OFFICE = re.compile(
    r"\b(?:Acting|Deputy|Assistant|Under|Vice|Special|Associate|Alternate|Former|Executive)\b"
)

# The dateline: a place (bracketed when the editors supplied it), a comma, and a date or
# `undated`.
DATELINE = re.compile(
    rf"^\[?[A-Z][A-Za-z .’'-]{{1,40}}?,\]?\s+\[?(?:{_MONTH}\s+\d|\d{{1,2}}\s+{_MONTH}"
    r"|undated|[Uu]ndated)"
)
DATELINE_UNDATED = re.compile(r"^\[?undated\.?\]?$", re.I)
# The time printed after the date: `—4 p. m.`, `—noon`.
SENT_TIME = re.compile(rf"^\s*[—–-]\s*(?P<time>{_TIME})")
# `[Received August 15—1:23 p. m.]`, `[Received 4:38 p. m.]`, `[Received September 13.]`
RECEIVED = re.compile(
    rf"\[Received:?\s*(?P<day>{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?\s*[—–,-]?\s*"
    rf"(?:(?P<time>{_TIME}))?\.?\s*\]",
    re.I,
)

# Security classification and precedence marks, as printed (in small capitals) on their own
# line after the dateline; longest first.
CLASSIFICATIONS = [
    "top secret", "secret", "confidential", "restricted", "official use only",
    "unclassified", "eyes only", "personal and confidential", "personal", "official–informal",
    "official-informal", "security information",
]  # fmt: skip
PRECEDENCE = ["operational immediate", "niact", "priority", "immediate", "urgent", "emergency"]
MARK = re.compile(
    r"\s*(?P<mark>" + "|".join(re.escape(m) for m in [*CLASSIFICATIONS, *PRECEDENCE]) + r")\b",
    re.I,
)

# A signature: a name alone on the body's last line (`McConaughy`, `[Henderson]`, `John M.
# Allison`); a trailing full stop is allowed only after an initial.
SIGNATURE = re.compile(
    r"^\[?(?P<name>[A-Z][\w’'-]*\.?(?:\s+(?:[A-Z][\w’'-]*\.?|van|von|de|du|la))"
    r"{0,3})\]?$"
)
