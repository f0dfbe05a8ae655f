"""OAI-PMH 2.0: the protocol's six verbs over an archive, answered as XML built with lxml.

`respond(archive, pairs, site_url, settings)` takes a request's arguments as (name, value)
pairs and returns the whole response document. A record is a document; its datestamp is
the ingest time of its source (UTC, to the second); its sets are the collection of its
source. Nothing is ever deleted, so `deletedRecord` is `no`.

Resumption tokens are stateless: base64url of a small JSON state (verb, metadata prefix,
date bounds, collection, the (source id, position) key of the last item sent, the cursor)
and an HMAC of it. Paging by key rather than by offset means a harvest interrupted by new
ingests neither skips nor repeats a record; a token that was altered, truncated or made
for another verb is answered with `badResumptionToken`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from lxml import etree

from cablegram.archive import Archive
from cablegram.errors import InputError, NotFoundError, QueryError
from cablegram.export.oai_metadata import (
    DC,
    SCHEMA_LOCATION,
    XSI,
    MetadataFormat,
    available_formats,
    clean,
    oai_dc_root,
    sub,
)
from cablegram.web import urls

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_XSD = f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_ID_XSD = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
MAX_TOKEN = 1024  # our tokens are ~250 characters; anything much longer is not ours
MAX_IDENTIFIER = 300

ERROR_CODES = ("badArgument", "badResumptionToken", "badVerb", "cannotDisseminateFormat",
               "idDoesNotExist", "noRecordsMatch", "noMetadataFormats", "noSetHierarchy")


@dataclass(frozen=True)
class VerbSpec:
    """The arguments a verb takes: required, optional, and the one that excludes all others."""

    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    exclusive: str | None = None


LIST_SPEC = VerbSpec(("metadataPrefix",), ("from", "until", "set"), "resumptionToken")
VERBS: dict[str, VerbSpec] = {
    "Identify": VerbSpec(),
    "ListMetadataFormats": VerbSpec(optional=("identifier",)),
    "ListSets": VerbSpec(exclusive="resumptionToken"),
    "GetRecord": VerbSpec(required=("identifier", "metadataPrefix")),
    "ListIdentifiers": LIST_SPEC,
    "ListRecords": LIST_SPEC,
}

# Settings read from the environment by `OaiSettings.from_env`: variable → field.
ENVIRONMENT = {
    "CABLEGRAM_OAI_NAME": "repository_name",
    "CABLEGRAM_OAI_REPOSITORY_ID": "repository_id",
    "CABLEGRAM_OAI_ADMIN_EMAIL": "admin_email",
    "CABLEGRAM_OAI_PAGE_SIZE": "page_size",
    "CABLEGRAM_OAI_SECRET": "secret",
}
_REPOSITORY_ID = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
_EMAIL = re.compile(r"\S+@(\S+\.)+\S+")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_TOKEN = re.compile(r"([A-Za-z0-9_-]+)\.([0-9a-f]{32})")
_NOT_IN_SET_SPEC = re.compile(r"[^A-Za-z0-9\-_.!~*'()]+")


@dataclass(frozen=True)
class OaiSettings:
    """How the repository describes itself, and how many items a list page holds."""

    repository_name: str = "Cablegram archive"
    repository_id: str = "cablegram.local"  # the middle part of every oai: identifier
    admin_email: str = "archivist@cablegram.local"
    page_size: int = 100
    secret: str = "cablegram-oai-1"  # keys the tokens' HMAC (integrity, not secrecy)

    def __post_init__(self) -> None:
        """Refuse values a harvester could not use."""
        if not _REPOSITORY_ID.fullmatch(self.repository_id):
            raise InputError(f"OAI repository id '{self.repository_id[:80]}' is not a domain "
                             "name such as archive.example.org; set CABLEGRAM_OAI_REPOSITORY_ID.")
        if not _EMAIL.fullmatch(self.admin_email):
            raise InputError(f"OAI admin e-mail '{self.admin_email[:80]}' is not an address; "
                             "set CABLEGRAM_OAI_ADMIN_EMAIL.")
        if not 1 <= self.page_size <= 10_000:
            raise InputError("OAI page size must be from 1 to 10000; set CABLEGRAM_OAI_PAGE_SIZE.")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OaiSettings:
        """Settings from the CABLEGRAM_OAI_* variables, defaults for those unset."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {f: env[v] for v, f in ENVIRONMENT.items() if env.get(v)}
        if "page_size" in values:
            if not values["page_size"].isdigit():
                raise InputError("CABLEGRAM_OAI_PAGE_SIZE must be a whole number, e.g. 100.")
            values["page_size"] = int(values["page_size"])
        return cls(**values)


class ProtocolError(QueryError):
    """An OAI-PMH error condition; answered as an <error> element with HTTP status 200."""

    def __init__(self, oai_code: str, message: str) -> None:
        """Keep the protocol's error code beside the message."""
        super().__init__(message)
        self.oai_code = oai_code


@dataclass
class Context:
    """What every verb needs: the archive, the settings and the absolute site root."""

    archive: Archive
    settings: OaiSettings
    site_url: str  # e.g. https://archive.example.org (no trailing slash)
    now: datetime

    @cached_property
    def specs(self) -> dict[str, str]:
        """The setSpec of each collection of the archive."""
        return set_specs(c["name"] for c in self.archive.store.collections())

    @property
    def base_url(self) -> str:
        """The absolute URL of the OAI-PMH endpoint."""
        return self.site_url + urls.oai()

    def identifier(self, doc_id: str) -> str:
        """The oai: identifier of a document."""
        return f"oai:{self.settings.repository_id}:{doc_id}"

    def document_id(self, identifier: str) -> str:
        """The document id an oai: identifier names; idDoesNotExist when it names none."""
        prefix = f"oai:{self.settings.repository_id}:"
        doc_id = identifier[len(prefix):]
        if not identifier.startswith(prefix) or not doc_id or len(identifier) > MAX_IDENTIFIER:
            raise ProtocolError("idDoesNotExist", f"Identifiers here look like {prefix}<id>.")
        return doc_id

    def record(self, identifier: str) -> dict[str, Any]:
        """The stored document an identifier names; idDoesNotExist when unknown."""
        try:
            return self.archive.document(self.document_id(identifier))
        except NotFoundError:
            raise ProtocolError("idDoesNotExist", "No record has this identifier; list them "
                                "with verb=ListIdentifiers.") from None


def datestamp(stored: str) -> str:
    """A stored ISO time (UTC when it has no offset) in the protocol's form."""
    moment = datetime.fromisoformat(stored)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(value: str, name: str, end: bool) -> tuple[str, str]:
    """A from/until argument as the inclusive bound `YYYY-MM-DDThh:mm:ss`, and its granularity."""
    try:
        if _DAY.fullmatch(value):
            date.fromisoformat(value)
            return value + ("T23:59:59" if end else "T00:00:00"), "day"
        if _SECOND.fullmatch(value):
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return value[:-1], "second"
    except ValueError:
        pass
    raise ProtocolError("badArgument", f"'{name}' must be a date YYYY-MM-DD or a UTC time "
                        f"YYYY-MM-DDThh:mm:ssZ; '{value[:40]}' is neither.")


def date_bounds(args: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The from and until bounds of a list request; badArgument when they do not make sense."""
    start = parse_datestamp(args["from"], "from", False) if "from" in args else None
    end = parse_datestamp(args["until"], "until", True) if "until" in args else None
    if start and end:
        if start[1] != end[1]:
            raise ProtocolError("badArgument", "'from' and 'until' must have the same "
                                "granularity (both dates, or both times).")
        if start[0] > end[0]:
            raise ProtocolError("badArgument", "'from' is later than 'until'.")
    return (start[0] if start else None), (end[0] if end else None)


def set_specs(collections: Iterable[str]) -> dict[str, str]:
    """The setSpec of each collection: its name when legal, else a slug with a short hash."""
    specs = {}
    for name in collections:
        slug = _NOT_IN_SET_SPEC.sub("-", name).strip("-")
        if slug != name or not slug:
            slug = f"{slug or 'set'}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        specs[name] = slug
    return specs


def parse_arguments(pairs: Iterable[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments; badVerb or badArgument unless they are exactly legal."""
    pairs = list(pairs)
    verbs = [value for name, value in pairs if name == "verb"]
    if len(verbs) != 1 or verbs[0] not in VERBS:
        problem = "is missing" if not verbs else "is repeated" if len(verbs) > 1 else \
            f"'{verbs[0][:40]}' is not one"
        raise ProtocolError("badVerb", f"The verb {problem}; use one of {', '.join(VERBS)}.")
    verb, spec = verbs[0], VERBS[verbs[0]]
    args: dict[str, str] = {}
    for name, value in pairs:
        if name in args:
            raise ProtocolError("badArgument", f"The argument '{name[:40]}' is repeated.")
        if name != "verb":
            args[name] = value
    allowed = set(spec.required) | set(spec.optional) | {spec.exclusive}
    unknown = sorted(n for n in args if n not in allowed)
    if unknown:
        raise ProtocolError("badArgument", f"{verb} does not take '{unknown[0][:40]}'.")
    if spec.exclusive in args and len(args) > 1:
        raise ProtocolError("badArgument", f"'{spec.exclusive}' must be the only argument "
                            "besides the verb.")
    missing = [n for n in spec.required if n not in args and spec.exclusive not in args]
    if missing:
        raise ProtocolError("badArgument", f"{verb} needs the argument '{missing[0]}'.")
    empty = [n for n, v in args.items() if not v.strip()]
    if empty:
        raise ProtocolError("badArgument", f"The argument '{empty[0]}' is empty.")
    return verb, args


def make_token(state: dict[str, Any], secret: str) -> str:
    """A resumption token carrying `state`, with an HMAC that shows it was not altered."""
    payload = base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":"),
                                                  sort_keys=True).encode()).decode()
    return f"{payload.rstrip('=')}.{_mac(payload.rstrip('='), secret)}"


def _mac(payload: str, secret: str) -> str:
    """The token's check value."""
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]


def read_token(token: str, verb: str, secret: str) -> dict[str, Any]:
    """The state a token carries; badResumptionToken when it is not one we issued for `verb`."""
    bad = ProtocolError("badResumptionToken", "The resumption token is not valid here (it was "
                        "altered, cut short, or issued for another verb); start the list again.")
    m = _TOKEN.fullmatch(token) if len(token) <= MAX_TOKEN else None
    if m is None or not hmac.compare_digest(m.group(2), _mac(m.group(1), secret)):
        raise bad
    try:
        payload = m.group(1) + "=" * (-len(m.group(1)) % 4)
        state = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        raise bad from None
    after = state.get("after") if isinstance(state, dict) else None
    if not (isinstance(after, list) and len(after) == 2
            and all(isinstance(n, int) for n in after)
            and isinstance(state.get("cursor"), int) and state.get("verb") == verb):
        raise bad
    return state


def o(tag: str) -> str:
    """A tag in the OAI-PMH namespace."""
    return f"{{{OAI}}}{tag}"


def utc_stamp(moment: datetime) -> str:
    """A moment as YYYY-MM-DDThh:mm:ssZ."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_for(prefix: str) -> MetadataFormat:
    """The format with this prefix; cannotDisseminateFormat when there is none."""
    for fmt in available_formats():
        if fmt.prefix == prefix:
            return fmt
    offered = ", ".join(f.prefix for f in available_formats())
    raise ProtocolError("cannotDisseminateFormat", f"No metadata format '{prefix[:40]}' here; "
                        f"use one of: {offered}.")


def header(ctx: Context, doc_id: str, ingested_at: str, collection: str) -> etree._Element:
    """A record header: identifier, datestamp and set."""
    el = etree.Element(o("header"))
    sub(el, o("identifier"), ctx.identifier(doc_id))
    sub(el, o("datestamp"), datestamp(ingested_at))
    if collection in ctx.specs:
        sub(el, o("setSpec"), ctx.specs[collection])
    return el


def record_element(ctx: Context, fmt: MetadataFormat, record: dict[str, Any]) -> etree._Element:
    """A record: its header and its metadata in `fmt`."""
    el = etree.Element(o("record"))
    source = record["source_file"]
    el.append(header(ctx, record["id"], source["ingested_at"], source["collection"]))
    sub(el, o("metadata")).append(fmt.build(record, ctx))
    return el


def identify(ctx: Context, args: dict[str, str]) -> etree._Element:
    """Identify: who the repository is and how its datestamps work."""
    el, s, store = etree.Element(o("Identify")), ctx.settings, ctx.archive.store
    earliest = store.earliest_ingested_at()
    first = store.datestamped(limit=1)
    for tag, text in (("repositoryName", s.repository_name), ("baseURL", ctx.base_url),
                      ("protocolVersion", "2.0"), ("adminEmail", s.admin_email),
                      ("earliestDatestamp", datestamp(earliest) if earliest else
                       utc_stamp(ctx.now)),
                      ("deletedRecord", "no"), ("granularity", GRANULARITY)):
        sub(el, o(tag), text)
    ident = etree.SubElement(sub(el, o("description")), f"{{{OAI_ID}}}oai-identifier",
                             nsmap={None: OAI_ID})
    ident.set(SCHEMA_LOCATION, f"{OAI_ID} {OAI_ID_XSD}")
    sample = ctx.identifier(first[0]["id"] if first else "0123456789ab-1")
    for tag, text in (("scheme", "oai"), ("repositoryIdentifier", s.repository_id),
                      ("delimiter", ":"), ("sampleIdentifier", sample)):
        sub(ident, f"{{{OAI_ID}}}{tag}", text)
    return el


def list_metadata_formats(ctx: Context, args: dict[str, str]) -> etree._Element:
    """ListMetadataFormats: the formats of the repository, or of one record."""
    if "identifier" in args:
        ctx.record(args["identifier"])
    formats = available_formats()
    if not formats:
        raise ProtocolError("noMetadataFormats", "No metadata format is available.")
    el = etree.Element(o("ListMetadataFormats"))
    for fmt in formats:
        item = sub(el, o("metadataFormat"))
        for tag, text in (("metadataPrefix", fmt.prefix), ("schema", fmt.schema),
                          ("metadataNamespace", fmt.namespace)):
            sub(item, o(tag), text)
    return el


def list_sets(ctx: Context, args: dict[str, str]) -> etree._Element:
    """ListSets: every collection, all in one response."""
    if "resumptionToken" in args:
        raise ProtocolError("badResumptionToken", "ListSets answers in one response and "
                            "issues no resumption tokens; ask again without one.")
    collections = ctx.archive.store.collections()
    if not collections:
        raise ProtocolError("noSetHierarchy", "The archive has no collections yet.")
    el = etree.Element(o("ListSets"))
    for c in collections:
        item = sub(el, o("set"))
        sub(item, o("setSpec"), ctx.specs[c["name"]])
        sub(item, o("setName"), c["name"])
        dc = oai_dc_root()
        sub(dc, f"{{{DC}}}description", f"Collection '{c['name']}': {c['documents']} "
            f"documents from {c['sources']} source files.")
        sub(item, o("setDescription")).append(dc)
    return el


def get_record(ctx: Context, args: dict[str, str]) -> etree._Element:
    """GetRecord: one record in one format."""
    fmt = format_for(args["metadataPrefix"])
    el = etree.Element(o("GetRecord"))
    el.append(record_element(ctx, fmt, ctx.record(args["identifier"])))
    return el


def new_state(ctx: Context, verb: str, args: dict[str, str]) -> dict[str, Any]:
    """The state of a list request's first page, its arguments checked."""
    start, end = date_bounds(args)
    format_for(args["metadataPrefix"])
    collection = None
    if "set" in args:
        if not ctx.specs:
            raise ProtocolError("noSetHierarchy", "The archive has no collections yet.")
        named = [name for name, spec in ctx.specs.items() if spec == args["set"]]
        if not named:
            raise ProtocolError("noRecordsMatch", f"No set '{args['set'][:60]}'; see "
                                "verb=ListSets.")
        collection = named[0]
    return {"verb": verb, "prefix": args["metadataPrefix"], "from": start, "until": end,
            "collection": collection, "after": [0, 0], "cursor": 0}


def list_items(ctx: Context, verb: str, args: dict[str, str]) -> etree._Element:
    """ListIdentifiers or ListRecords: one page of the list, and its resumption token."""
    token = args.get("resumptionToken")
    state = read_token(token, verb, ctx.settings.secret) if token else new_state(ctx, verb, args)
    fmt, size, store = format_for(state["prefix"]), ctx.settings.page_size, ctx.archive.store
    bounds = (state["from"], state["until"], state["collection"])
    rows = store.datestamped(*bounds, after=(state["after"][0], state["after"][1]),
                             limit=size + 1)
    if not rows:
        raise ProtocolError("noRecordsMatch", "No record matches these arguments.")
    page = rows[:size]
    el = etree.Element(o(verb))
    for row in page:
        el.append(header(ctx, row["id"], row["ingested_at"], row["collection"])
                  if verb == "ListIdentifiers" else
                  record_element(ctx, fmt, ctx.archive.document(row["id"])))
    if len(rows) > size or state["cursor"]:
        following = {**state, "after": [page[-1]["source_id"], page[-1]["seq"]],
                     "cursor": state["cursor"] + len(page)}
        resume = sub(el, o("resumptionToken"), make_token(following, ctx.settings.secret)
                     if len(rows) > size else None)
        resume.set("completeListSize", str(store.count_datestamped(*bounds)))
        resume.set("cursor", str(state["cursor"]))
    return el


HANDLERS: dict[str, Callable[[Context, dict[str, str]], etree._Element]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": lambda ctx, args: list_items(ctx, "ListIdentifiers", args),
    "ListRecords": lambda ctx, args: list_items(ctx, "ListRecords", args),
}


def respond(archive: Archive, pairs: Iterable[tuple[str, str]] | None, site_url: str,
            settings: OaiSettings, now: datetime | None = None) -> bytes:
    """The OAI-PMH response (UTF-8 XML) to a request with these arguments (None: a request
    that could not be read, e.g. a POST body that is not a small form)."""
    ctx = Context(archive, settings, site_url.rstrip("/"), now or datetime.now(UTC))
    root = etree.Element(o("OAI-PMH"), nsmap={None: OAI, "xsi": XSI})
    root.set(SCHEMA_LOCATION, OAI_XSD)
    sub(root, o("responseDate"), utc_stamp(ctx.now))
    request = sub(root, o("request"), ctx.base_url)
    verb: str | None = None
    args: dict[str, str] = {}
    code: str | None = None
    try:
        if pairs is None:
            raise ProtocolError("badArgument", "The request could not be read as OAI-PMH "
                                "arguments (a query string, or a small form-encoded body).")
        verb, args = parse_arguments(pairs)
        body = HANDLERS[verb](ctx, args)
    except ProtocolError as exc:
        code = exc.oai_code
        body = etree.Element(o("error"), code=code)
        body.text = clean(Exception.__str__(exc))
    if verb and code not in ("badVerb", "badArgument"):
        request.set("verb", verb)
        for name, value in args.items():
            request.set(name, clean(value))
    root.append(body)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
