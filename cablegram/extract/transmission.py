"""Transmission: where and when a message was sent, received and registered, in local time,
with the place's time zone and UTC, so the time it took can be computed; channel and priority.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cablegram.authority.lookup import Authority, Record
from cablegram.extract import patterns as P
from cablegram.extract.cable import stamp
from cablegram.model import Document, Line
from cablegram.regexes import may_hold


@dataclass
class Stations:
    """The lines a document's transmission is read from (any may be missing)."""

    sent: Line | None = None
    received: Line | None = None
    dateline: Line | None = None


def place_in(text: str, authority: Authority) -> Record | None:
    """The first place of the authority named in a line of text."""
    for _, _, written in authority.scan(text):
        rec = authority.lookup(written)
        if rec is not None and rec.kind == "place":
            return rec
    return None


def _receipt(text: str) -> str:
    """The part of a line from `received` on (a FRUS dateline carries both ends)."""
    at = text.lower().find("received")
    return text[at:] if at >= 0 else text


def _before_receipt(text: str) -> str:
    """The part of a line before `received`."""
    at = text.lower().find("received")
    return text[:at] if at > 0 else text


def _address_place(lines: list[Line], skip: set[int], authority: Authority) -> Record | None:
    """The place an address line opens with (`Moscow — MINISTRY … — to Cde. GROMYKO`)."""
    for i, ln in enumerate(lines[: P.ADDRESS_WINDOW]):
        if ln.number in skip:
            continue
        m = P.ADDRESS_PLACE.match(ln.text.strip())
        if not m:
            continue
        before = lines[i - 1].text.strip() if i else ""
        if not (P.RUNS_ON.search(before) and not P.ANY_HANDLING.match(before)):
            rec = authority.lookup(m.group("place").strip(" ."))
            if rec is not None and rec.kind == "place":
                return rec
    return None


def _seat_of_recipient(doc: Document, authority: Authority) -> Record | None:
    """The fixed seat of the office a message went to (`the Secretary of State` → Washington)."""
    for m in doc.mentions.get("recipients", []):
        for pattern, place_id in P.RECEIVING_SEATS:
            if pattern.search(m.as_written):
                return authority.get(place_id)
    return None


def to_utc(local: str | None, place: Record | None) -> str | None:
    """A local `YYYY-MM-DDTHH:MM` at a place with a known zone, as UTC (`…Z`); else None."""
    if not local or len(local) < 16 or place is None or not place.tz:
        return None
    try:
        zone = ZoneInfo(place.tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    moment = datetime.fromisoformat(local).replace(tzinfo=zone)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def station(local: str | None, place: Record | None, line: int | None) -> dict[str, Any] | None:
    """One end of a transmission: local time, place, zone, UTC and the line it was read on."""
    if local is None:
        return None
    return {"local": local, "place": place.name if place else None,
            "place_id": place.id if place else None, "tz": place.tz if place else None,
            "utc": to_utc(local, place), "line": line}


def _registered(lines: list[Line], year: int | None) -> tuple[str, str | None, int] | None:
    """`Registered 9.7.50 02:10` or `arrived in the 8th Directorate … at 2330 30 September`."""
    for ln in lines:
        if not may_hold(ln.text, P.REGISTERED_WORDS):
            continue
        m = P.REGISTERED.search(ln.text) or P.ARRIVED.search(ln.text)
        if not m:
            continue
        value, _ = stamp(m.group("time"), m.group("rest"), year)
        if value is not None:
            by = P.ARRIVED_BY.search(ln.text)
            return value, by.group("by").strip() if by else None, ln.number
    return None


def _first(marks: list[str], pattern: Any, group: str) -> str | None:
    """The named group of the first handling mark matching a pattern, in lower case."""
    for mark in marks:
        m = pattern.match(mark.strip())
        if m:
            return str(m.group(group)).lower()
    return None


def minutes_between(start: dict[str, Any] | None, end: dict[str, Any] | None) -> int | None:
    """Minutes from one station's UTC time to another's, when both are known."""
    if not start or not end or not start["utc"] or not end["utc"]:
        return None
    delta = _read_utc(end["utc"]) - _read_utc(start["utc"])
    return int(delta.total_seconds() // 60)


def _read_utc(text: str) -> datetime:
    """A time as to_utc writes it (`YYYY-MM-DDTHH:MMZ`), without its zone."""
    return datetime.fromisoformat(text.removesuffix("Z"))


def read_transmission(doc: Document, lines: list[Line], at: Stations,
                      authority: Authority) -> None:
    """Set `registered` and `transmission` from the document's lines, its sent/received
    times, its recipients and its handling marks (all read before)."""
    year = int(doc.date[:4]) if doc.date else None
    reg = _registered(lines, year)
    doc.registered = reg[0] if reg else None
    channel = _first(doc.handling, P.CHANNEL, "channel")
    priority = _first(doc.handling, P.PRIORITY, "priority")
    if not (doc.sent or doc.received or reg or channel or priority):
        doc.transmission = None
        return
    skip = {ln.number for ln in (at.sent, at.received) if ln is not None}
    origin = (place_in(_before_receipt(at.sent.text), authority) if at.sent else None) or \
        (place_in(_before_receipt(at.dateline.text), authority) if at.dateline else None)
    arrival = (place_in(_receipt(at.received.text), authority) if at.received else None) or \
        _address_place(lines, skip, authority) or _seat_of_recipient(doc, authority)
    sent = station(doc.sent, origin, at.sent.number if at.sent else None)
    received = station(doc.received, arrival, at.received.number if at.received else None)
    registered = station(reg[0], arrival, reg[2]) if reg else None
    if registered is not None:
        registered["by"] = reg[1] if reg else None
    doc.transmission = {
        "sent": sent, "received": received, "registered": registered,
        "from_place": origin.name if origin else None,
        "to_place": arrival.name if arrival else None,
        "channel": channel,
        "priority": priority,
        "minutes": minutes_between(sent, received),
    }
    _order_warning(doc, doc.transmission["minutes"])


def _order_warning(doc: Document, minutes: int | None) -> None:
    """Warn when a message was received before it was sent (in UTC when the zones are known,
    else in the local times as printed)."""
    sent, received = doc.sent or "", doc.received or ""
    local_order = len(sent) > 5 and len(received) > 5 and received < sent
    if (minutes is not None and minutes < 0) or (minutes is None and local_order):
        doc.warnings.append(f"received ({received}) before it was sent ({sent})")
