"""Facets: counts of the matching documents by type, date, correspondent, place and more.

Each facet is a fast field of the index, counted by one aggregation over the same query as
the hits, so the counts always agree with them. Each value carries the query clause that
narrows a search to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cablegram.authority.lookup import Authority

# Ordered as shown. `field` is the fast index field; `clause` the query field narrowing to a
# value; `size` how many values are kept (largest counts first; dates keep them all).
FACET_FIELDS: dict[str, tuple[str, str, int]] = {
    "type": ("type", "type", 20),
    "year": ("year", "date", 200),
    "month": ("month", "date", 1200),
    "authors": ("f_authors", "from", 10),
    "recipients": ("f_recipients", "to", 10),
    "via": ("f_via", "via", 10),
    "people": ("f_people", "person", 10),
    "places": ("f_places", "place", 10),
    "collection": ("collection", "collection", 20),
    "language": ("language", "language", 20),
    "fragment": ("fragment", "fragment", 2),
}
DATE_FACETS = ("year", "month")
AGENT_FACETS = ("authors", "recipients", "via", "people", "places")
_PLAIN = re.compile(r"[\w.\-/]+")


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: what it is, how it reads, how many hits have it, its clause."""

    value: str
    label: str
    count: int
    clause: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"value": self.value, "label": self.label, "count": self.count,
                "clause": self.clause}


def aggregations() -> dict[str, Any]:
    """The index aggregation request counting every facet."""
    return {name: {"terms": {"field": field, "size": size, "min_doc_count": 1}}
            for name, (field, _, size) in FACET_FIELDS.items()}


def quoted(value: str) -> str:
    """A clause value as the query language reads it: bare when plain, else in quotes."""
    return value if _PLAIN.fullmatch(value) else '"' + value.replace('"', " ") + '"'


def _date_value(name: str, key: Any) -> str:
    """`1950` for a year bucket, `1950-07` for a month bucket (YYYYMM)."""
    number = int(key)
    return str(number) if name == "year" else f"{number // 100:04d}-{number % 100:02d}"


def _labeller(name: str, authority: Authority) -> Callable[[str], str]:
    """How a facet's values read: agents by their preferred name, flags in words."""
    if name in AGENT_FACETS:
        def agent(value: str) -> str:
            """The preferred name of an agent id."""
            record = authority.get(value)
            return record.name if record else value
        return agent
    if name == "fragment":
        return lambda v: "fragments" if v == "yes" else "whole documents"
    if name == "language":
        return lambda v: v.capitalize()
    return lambda v: v


def facet_values(name: str, buckets: list[dict[str, Any]], authority: Authority
                 ) -> list[FacetValue]:
    """The values of one facet from its aggregation buckets (dates in time order)."""
    clause_field = FACET_FIELDS[name][1]
    label = _labeller(name, authority)
    out = []
    for b in buckets:
        if name in DATE_FACETS:
            value = _date_value(name, b["key"])
            if value.endswith("-00") or value.startswith("0"):
                continue  # a document dated to the year has no month
        else:
            value = str(b["key"])
        out.append(FacetValue(value, label(value), int(b["doc_count"]),
                              f"{clause_field}:{quoted(value)}"))
    if name in DATE_FACETS:
        out.sort(key=lambda v: v.value)
    return out


def read_facets(result: dict[str, Any], authority: Authority) -> dict[str, list[FacetValue]]:
    """Every facet's values from the index's aggregation result."""
    return {name: facet_values(name, result.get(name, {}).get("buckets", []), authority)
            for name in FACET_FIELDS}
