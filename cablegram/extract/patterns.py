"""Heuristics as data: the patterns every extractor and the segmenter read.

Each entry is a compiled regular expression or a table, with a comment saying what it is for.
Order matters where noted: the first match wins.
"""

from __future__ import annotations

import re

from cablegram.regexes import any_of, trie

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
ROMAN_MONTHS = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6,
    "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12,
}  # fmt: skip

_UPPER = "A-ZÀ-ÖØ-Þ"  # capital letters, accented ones included (HAMMARSKJÖLD)
_MONTH = r"(?P<month>" + trie(MONTHS) + r")\.?"  # longest first: `september|sept|sep`
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"

# Date forms, tried in this order at each position; each names day/month/year groups.
DATE_FORMS: list[tuple[str, re.Pattern[str]]] = [
    # 5 July 1950 / 30 September 1950
    ("dmy", re.compile(rf"\b(?P<day>[0-3]?\d)\s+{_MONTH}\s*,?\s+{_YEAR}\b", re.I)),
    # September 30, 1950 / August 15, 1951
    ("mdy", re.compile(rf"\b{_MONTH}\s+(?P<day>[0-3]?\d),?\s+{_YEAR}\b", re.I)),
    # 3.VII.1950 / 3.VII.50 (Roman month)
    ("roman", re.compile(
        r"\b(?P<day>[0-3]?\d)\.\s?(?P<month>X{0,1}(?:IX|IV|V?I{0,3}))\.\s?"
        r"(?P<year>\d{4}|\d{2})\b")),
    # 13.1.1951 / 13.1.51 / 8.7.50 (day.month.year, as Soviet documents write it)
    ("numeric", re.compile(
        r"(?<![\d./])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>\d{4}|\d{2})(?![\d/])")),
    # July 1950 (month precision)
    ("my", re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.I)),
    # 30 September (no year: takes the year of its document)
    ("dm", re.compile(rf"\b(?P<day>[0-3]?\d)\s+{_MONTH}\b(?!\s*,?\s*\d)", re.I)),
    # August 15 (no year)
    ("md", re.compile(rf"\b{_MONTH}\s+(?P<day>[0-3]?\d)\b(?!\s*,?\s*\d{{4}})", re.I)),
]

# A numbered header of a compilation: "18. 5 July 1950, ciphered telegram, A to B (via C)".
HEADER_START = re.compile(
    r"^(?P<number>\d{1,4})\.\s+(?P<rest>(?:[0-3]?\d\s+[A-Z][a-z]+\.?\s+1[89]\d\d"
    r"|[A-Z][a-z]+\.?\s+[0-3]?\d,\s+1[89]\d\d|[A-Z][a-z]+\s+1[89]\d\d).*)$"
)

# Document types, longest first; matched case-insensitively in headers and title lines.
DOC_TYPES = [
    "memorandum of conversation", "minutes of conversation", "record of conversation",
    "ciphered telegram", "handwritten letter", "editorial note", "telegram", "cable",
    "letter", "memorandum", "report", "directive", "decision", "resolution", "note",
    "message", "instruction", "statement", "speech", "draft",
]  # fmt: skip

# Lines that open the body of a document, so a header wrapping over lines stops before them.
BODY_START = [
    re.compile(r"^[A-Z][A-Z’'\-]{2,}(?:\s+[A-Z’'\-]{2,})*[.,:]"),  # BEIJING. / MOSCOW, KREMLIN.
    re.compile(r"^[A-Z][A-Za-z]+\.\s+[A-Z]"),  # Pyongyang. Soviet Ambassador.
    re.compile(r"^(?:Ciphered telegram|CIPHERED TELEGRAM|CABLE|Cable|Telegram)\s+N[oº]", re.I),
    re.compile(r"^(?:To|Transmit to|Communicate to|Advise|Only by|Sent|Received|From the diary)\b"),
]
ANY_BODY_START = any_of(BODY_START)
# A header line ending in a gloss (`154. 25 July 1952, decision, Filippov (Stalin)`) goes on
# when the next line brings the recipient or the via: `to Voroshilov (via Lyuh Woon-hyung)`.
HEADER_PARTY_GOES_ON = re.compile(r"^(?:to|with)\s+[A-Z]")
HEADER_VIA_GOES_ON = re.compile(r"^\(\s*via\s", re.I)

# End markers of a document in a compilation.
OUTGOING_NUMBER = re.compile(r"^N[oº°]\.?\s*(?P<value>\d[\w./\-]*?)\.?\s*$")
COPIES_LINE = re.compile(r"^Copies:\s*(?P<list>.*)$")
# "Pyongyang. 8 July 1950." / "Lake Success. 2 January 1949." — a place-and-date line closing
# a letter; a place of two words does not open with a word that opens sentences (`On Monday`).
PLACE_DATE_LINE = re.compile(
    r"^(?P<place>(?!(?:On|In|At|By|For|From|To|The|Since|Until|Before|After|Of)\s)"
    r"[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)[.,]\s+(?P<date>.+?\d{2,4})\.?$")
# A name alone on a line, in capitals, as a signature: "FILIPPOV [Stalin]." / "FYN-SI [Stalin]"
# / "HAMMARSKJÖLD"; initials before it stay outside `name` ("T. V. SOONG": `SOONG`), and so
# do initials inside it ("BEN C. LIMB", "LIVINGSTON T. MERCHANT").
_CAPS_WORD = rf"[{_UPPER}][{_UPPER}’'\-]+"
CAPS_SIGNATURE = re.compile(
    rf"^(?:[A-Z][a-z]?\.\s?){{0,2}}(?P<name>{_CAPS_WORD}(?:(?:[ ,]+|\s[A-Z]\.\s)"
    rf"{_CAPS_WORD}){{0,3}})\s*(?:\[(?P<real>[^\]]+)\])?\.?$"
)
# Lines that may stand among the end markers without starting a new document.
TRANSMISSION_LINE = re.compile(r"^(?:Sent|Received|SENT|RECEIVED)\b")

# A column break inside a document: a line that stops without punctuation, followed by one that
# opens a new sentence with one of these words (or by an end marker): `Chief of the General` /
# `The Minister of ...`. Proper names after a line break are too common to count.
SENTENCE_OPENERS = re.compile(
    r"^(?:The|We|I|It|In|At|This|These|They|He|She|Our|A|An|On|As|But|However|If|Such|"
    r"Therefore|Then|There|His|Their|Your)\s")
ENDS_SENTENCE = re.compile(r"[.:;!?”\"')\]]\s*$")

# A line ending like this runs on into the next, which is then no signature.
RUNS_ON = re.compile(r"(?:\b[a-z]+|Comrade|Cde\.|Cdes\.|Mr\.|General|Marshal)\s*$")
# At the end of a document (only end markers after it), a name line is a signature unless the
# line before stops on a word that needs a name after it (`... signed by` / `SHTYKOV`).
RUNS_INTO_NAME = re.compile(
    r"\b(?:to|by|of|with|from|and|or|for|the|a|an|at|in|on|that|Comrade|Cde\.|Cdes\.|Mr\.|"
    r"General|Marshal)\s*$")

# Words of a line in capitals at the end of a document that make it no signature.
NOT_SIGNATURES = {
    "end", "ends", "text", "message", "stop", "quote", "unquote", "translation", "attachment",
    "enclosure", "annex", "appendix", "copy", "copies", "original", "draft", "signed",
    "signature", "illegible", "seal", "stamp", "postscript", "secret", "urgent", "note",
}

# A closing formula before a signature: "Faithfully, KIM IL SUNG, Chairman ..."
CLOSING = re.compile(r"^(?:Faithfully|Sincerely|Respectfully|With respect|Yours)\b[,.]?\s*(?P<rest>.*)$")

# References printed on documents, with their role; first match wins for a given span.
REFERENCES: list[tuple[str, re.Pattern[str]]] = [
    ("incoming registration stamp", re.compile(
        r"(?P<value>Incoming\s+N[oº°]\.?\s*[\w./\-]+(?:\s+of\s+[0-3]?\d\s+[A-Za-z]+\s+\d{4})?)")),
    ("in reply to", re.compile(r"(?:To|In reply to|Re)\s+your\s+(?P<value>N[oº°]\.?\s*[\d][\w./\-]*)",
                               re.I)),
    ("cable number", re.compile(r"^\s*CABLE\s+(?P<value>N[oº°]\.?\s*\d[\w./\-]*)", re.I)),
    ("telegram number", re.compile(
        r"^\s*(?:Ciphered\s+)?Telegram\s+(?P<value>N[oº°]\.?\s*\d[\w./\-]*)", re.I)),
    ("outgoing number", re.compile(r"^\s*(?P<value>N[oº°]\.?\s*\d[\w./\-]*?)\.?\s*$")),
]
# Every reference above has a `Nº` (any case): a line without one holds none.
REFERENCE_HINT = re.compile(r"n[oº°]", re.I)

# Transmission lines: sent / received / registered, with the time as written.
SENT = re.compile(r"\bsent\b(?:\s+by\s+\w+)?\s+(?:at\s+)?(?P<time>\d{1,2}[:.]?\d{2})\b(?P<rest>.*)",
                  re.I)
RECEIVED = re.compile(r"\breceived\b\s+(?:at\s+)?(?P<time>\d{1,2}[:.]?\d{2})\b(?P<rest>.*)", re.I)
ARRIVED = re.compile(r"\barrived\b.*?\bat\s+(?P<time>\d{4}|\d{1,2}:\d{2})\b(?P<rest>.*)", re.I)
# The same with the date first: `Received 8.7.50 11:15`, `Sent 9 July 1950, 02:40`.
_DAY_FIRST = r"(?P<rest>\d{1,2}\.(?:\d{1,2}|[IVX]{1,4})\.\d{2,4}|\d{1,2}\s+[A-Z][a-z]+(?:\s+\d{4})?)"
SENT_DAY_FIRST = re.compile(rf"\bsent\b\s+(?:on\s+)?{_DAY_FIRST}[,\s]+(?:at\s+)?(?P<time>(?<=at )\d{{4}}|\d{{1,2}}[:.]\d{{2}})\b", re.I)
RECEIVED_DAY_FIRST = re.compile(rf"\breceived\b\s+(?:on\s+)?{_DAY_FIRST}[,\s]+(?:at\s+)?(?P<time>(?<=at )\d{{4}}|\d{{1,2}}[:.]\d{{2}})\b", re.I)
TRANSMISSION = {"sent": (SENT, SENT_DAY_FIRST), "received": (RECEIVED, RECEIVED_DAY_FIRST)}
# Each of those holds one of these words: a line without one is not looked at further.
TRANSMISSION_WORDS = ("sent", "received")

# Registration on arrival: `Registered 9.7.50 02:10`, or `arrived in the <office> at 2330 ...`
# (the office, when named, is who registered it).
REGISTERED = re.compile(r"\bregistered\b\s+(?:at\s+)?(?P<time>\d{1,2}[:.]?\d{2})\b(?P<rest>.*)", re.I)
REGISTERED_WORDS = ("registered", "arrived")  # one is in every line the two above match
ARRIVED_BY = re.compile(r"\barrived\s+(?:in|at)\s+(?:the\s+)?(?P<by>.+?)\s+at\s+\d", re.I)
# How a message travelled, and how urgent it was (both also kept among handling marks).
CHANNEL = re.compile(r"^(?:by|via)\s+(?P<channel>wire|telegraph|courier|pouch|radio|air ?mail|diplomatic pouch)\.?$", re.I)
PRIORITY = re.compile(r"^(?P<priority>extremely urgent|top priority|urgent|priority|immediate|operational immediate|niact|flash)\.?$", re.I)
# An address line opening with the place where the message was received: `Moscow` alone,
# `Pyongyang. Soviet Ambassador.` or `Moscow — MINISTRY OF FOREIGN AFFAIRS — to Cde. GROMYKO`.
# The place must be in the authority, and the line before must not run on into it.
ADDRESS_PLACE = re.compile(r"^(?P<place>[A-Z][A-Za-z’' ]{2,30}?)\s*(?:[—–]\s*.*|-\s+.*|\.\s+[A-Z].*|\.)?$")
ADDRESS_WINDOW = 16  # address lines are looked for among a document's first lines
# Offices with a fixed seat, for the place a message to them was received: FRUS stamps
# `[Received …]` in Washington on telegrams to the Secretary of State.
RECEIVING_SEATS = [
    (re.compile(r"\b(?:Secretary of State|Department of State|State Department)\b", re.I), "washington"),
    (re.compile(r"\bPresident of the United States\b|\bPresident Truman\b", re.I), "washington"),
]

# Handling marks, kept as written.
HANDLING = [
    re.compile(r"^Only by (?:ciphered )?telegraph\.?$", re.I),
    re.compile(r"^(?:top secret|secret|strictly secret|confidential)\.?$", re.I),
    PRIORITY,
    CHANNEL,
]
ANY_HANDLING = any_of(HANDLING)

# Copy-to lines of an archive cable: "Copy Nº 3 to Cde. Molotov".
COPY_TO = re.compile(r"^Copy\s+N[oº°]\.?\s*\d+\s+to\s+(?P<name>.+?)\.?$", re.I)
# Lines a signature may stand before, at the end of a document (besides a dateline): the
# outgoing number, copy lists, transmission lines, handling marks, an editor's note in brackets
# (`[stamp: Incoming Nº 3650/shs]`) and the clerk's notes (`printed in 8 copies`,
# `attachment on two sheets`).
AFTER_SIGNATURE = [
    OUTGOING_NUMBER, COPIES_LINE, COPY_TO, TRANSMISSION_LINE, ANY_HANDLING,
    re.compile(r"^\[[^\]]*\]\.?$"),
    re.compile(r"^(?:printed in \d+ cop(?:y|ies)|(?:attachment|enclosure)s? on \w+ sheets?)\.?$",
               re.I),
]

# Address lines naming the recipient, in their whole shape: the verb, then titles and a name
# (capitalised words and initials, `of`/`and`/`or` between them, a bracketed gloss, initials
# after a comma), then the end of the line or a stop: "To Comrade FENG XI [Stalin].",
# "to Cde. T. F. TSIANG", "To Comrade STALIN, I.V.", "Transmit to ZHOU ENLAI or MAO:".
# After `Transmit to` / `Communicate to` the name may go on into the message (`after`):
# "Transmit personally to KIM IL SUNG the following letter, ...". A sentence that opens with
# `To` and a name ("To SHI ZHE so at the front ...") is no address line.
# A word of a name or title: initials (`T. F.`), an abbreviated title (`Cde.`), a word (`FENG`,
# `Yong-gon`).
_ADDRESS_WORD = (rf"(?:(?:[{_UPPER}]\.\s?)+|(?:Cdes?|Mrs?|Gen|Col|Maj|Adm|Amb|Dr|Lt)\."
                 rf"|[{_UPPER}][\w’'\-]*)")
_ADDRESS_JOIN = r"(?:of|and|or|de|van|von|del|bin|al)"  # small words in a title, between names
ADDRESS = re.compile(
    r"^(?P<verb>[Tt]o|TO|(?:[Tt]ransmit|TRANSMIT|[Cc]ommunicate|COMMUNICATE)"
    r"(?:\s+(?:personally|immediately|urgently))?\s+(?:to|TO))\s+"
    rf"(?P<name>(?:Cde\.)?{_ADDRESS_WORD}"
    rf"(?:\s+(?:{_ADDRESS_WORD}|{_ADDRESS_JOIN}(?=\s))){{0,7}}"
    rf"(?:\s*[\[(][^\[\]()]{{1,40}}[\])])?(?:,\s*(?:[{_UPPER}]\.\s?){{1,3}})?)"
    r"(?:\s*[.,:;!]?\s*$|\s+(?P<after>(?:the following|orally|personally|immediately|urgently"
    r"|that)\b.*)$)"
)

# Forms of address stripped before looking a name up.
TITLES = re.compile(
    r"^(?:Comrade|Cde\.?|Generalissimo|Marshal|General|Mr\.?|Dear|Chairman|Premier|Minister)\s+",
    re.I,
)

# Names of people the authority file does not know, kept as unlinked mentions: a name after a
# title that only people carry (`Comrade Petrov`, `Ambassador Kirk`), in title or capital case.
TITLED_NAME = re.compile(
    r"\b(?:Comrades?|Cdes?\.|Mr\.|Mrs\.|Ambassador|Minister|Marshal|Generalissimo|General|"
    r"Admiral|Colonel|Lieutenant|Major)\s+"
    r"(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){0,2}|[A-Z][A-Z’'-]+(?:\s+[A-Z][A-Z’'-]+){0,2})"
    r"(?![\w’'-])")
# The list of those present at a conversation: `Participants:` (FRUS, continued on indented
# lines) or `Present:`; names in it are participants.
PARTICIPANTS = re.compile(r"^(?:Participants|Present|Those present|Also present)\s*:\s*(?P<rest>.*)$", re.I)
PARTICIPANTS_GOES_ON = re.compile(r"^[\t ]+\S")
# A record's own title line naming both sides: `of Comrade I.V. STALIN with ZHOU ENLAI`.
CONVERSATION_OF = re.compile(r"^(?:record of conversation\s+)?of\s+(?P<a>.+?)\s+with\s+(?P<b>[^,;]+?)\.?$", re.I)
CONVERSATION_WINDOW = 6

# Capitalised words after such titles that are not names (`General Staff`, `Mr. President`).
NOT_NAMES = {
    "staff", "assembly", "headquarters", "secretary", "department", "president", "chairman",
    "committee", "council", "command", "directorate", "consul", "minister", "government",
    "ambassador", "general", "marshal", "comrade", "comrades", "admiral", "colonel", "major",
    "lieutenant", "the", "of", "and", "in", "to", "at", "for", "on", "with", "by", "from",
}
# The words after a bare family name that make it a fuller name (`Kim` + ` Tu Hyon`).
NAME_CONTINUES = re.compile(r"^(?:[ -][A-Z][a-z’']+){1,2}(?![\w’'-])")

# Archive page furniture: labels that end the document part of a page.
PAGE_FURNITURE = [
    "Associated People & Organizations", "Associated Places", "Associated Topics",
    "Document Information", "Source", "Rights", "Original Uploaded Date", "Type",
    "Language", "Record ID", "Original Archive", "Subject", "Keywords", "Credits",
]  # fmt: skip
PAGE_LABELS = {
    "Source": "source", "Rights": "rights", "Type": "type", "Language": "language",
    "Record ID": "record_id",
}  # fmt: skip
PAGE_CREDIT = re.compile(r"^(?:This document was made possible|Translated by|Contributed by)", re.I)
# A tab over the document's text on a current page (`Translation - English`), skipped.
PAGE_TAB = re.compile(
    r"^(?:Translation|Transcript|Transcription|Original(?: Scan)?)(?:\s*[-–—:]\s*[A-Z][a-z]+)?$")
# How many lines of site furniture (site name, menu) may stand before a page's date line.
PAGE_LEAD = 6

# The older archive-page layout: a search banner, the date, a citation block (summary and a
# citation string), a language label, then the document.
# "Search in the Digital Archive" / "Search in Digital Archive" (a banner above the page).
OLD_PAGE_BANNER = re.compile(r"^Search\s+in\b.{0,60}\bDigital\s+Archive\b", re.I)
# The citation string: `"<title>," <date>, <Name> Digital Archive, <archival source>.`, maybe
# followed by a credit sentence and the page's URL.
OLD_PAGE_CITATION = re.compile(
    r"^[\"“](?P<title>.+?),?[\"”],?\s+(?P<date>[^,]*?\d{4}|[^,]*,\s*\d{4}),\s+"
    r"(?P<archive>[^,]*Digital\s+Archive),\s+(?P<source>.+)$")
# A credit or URL trailing the archival source inside the citation string.
OLD_PAGE_CITATION_TAIL = re.compile(
    r"(?:\.\s+|\s+)(?P<tail>(?:(?:Obtained and\s+)?Translated by|Contributed by|"
    r"Obtained by|Edited by|https?://).*)$", re.I)
# The record id in a page URL: `.../document/114305`.
PAGE_RECORD_URL = re.compile(r"https?://\S+/document/(?P<id>[\w-]+)")
# The label over the document's text: `English HTML`, `Russian Transcript`, `Chinese PDF`.
OLD_PAGE_LANGUAGE = re.compile(
    r"^(?P<language>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:HTML|PDF|Transcript|Transcription|"
    r"Translation|Original Scan)$")
# Labels of the older page's citation block, and the page key their value goes to
# (None: the label alone, its lines are read as summary or credit).
OLD_PAGE_LABELS: dict[str, str | None] = {
    "Citation": None, "Summary": "summary", "Credits": "credit",
    "Original Language": "language", "Share": None, "Print": None, "Get Citation": None,
    "Download": None, "Contents": None,
}  # fmt: skip
# A line of links or buttons in the citation block (`Get citation Share`), skipped.
OLD_PAGE_ACTIONS = re.compile(
    r"^(?:(?:Get\s+|Copy\s+)?Citation|Share|Print|Download|E-?mail|Cite|Bookmark|PDF)"
    r"(?:[\s|·•]+(?:(?:Get\s+|Copy\s+)?Citation|Share|Print|Download|E-?mail|Cite|Bookmark"
    r"|PDF))*$", re.I)
# Labels that end the document part of an older page (besides PAGE_FURNITURE).
OLD_PAGE_END = [
    "Related Documents", "Related Topics", "Subjects Discussed", "Original Language",
    "Original Classification", "Donors", "More Documents", "Related Collections",
]  # fmt: skip

# An enclosed letter inside a cable: its first lines.
LETTER_OPENING = re.compile(r"^(?:DEAR|Dear\b.*|[A-Z][a-z]+\s*[-–—]\s*the Kremlin)$")
