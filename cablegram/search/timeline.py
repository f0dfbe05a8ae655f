"""Documents over time: counts by year and by month for any query, from the index."""

from __future__ import annotations

from typing import Any

from cablegram.search.facets import FACET_FIELDS, facet_values
from cablegram.search.index import SearchIndex
from cablegram.search.query import parse


def _buckets(name: str) -> dict[str, Any]:
    """The aggregation of one date facet, every bucket kept."""
    field, _, size = FACET_FIELDS[name]
    return {"terms": {"field": field, "size": size, "min_doc_count": 1}}


def timeline(index: SearchIndex, text: str = "") -> dict[str, Any]:
    """Years and months with their document counts (ascending), and how many are undated,
    for the documents matching `text` (every document when it is empty)."""
    total, result = index.aggregate(parse(text), {"year": _buckets("year"),
                                                  "month": _buckets("month")})
    years = facet_values("year", result.get("year", {}).get("buckets", []), index.authority)
    months = facet_values("month", result.get("month", {}).get("buckets", []), index.authority)
    dated = sum(y.count for y in years)
    return {"query": text, "total": total, "undated": total - dated,
            "years": [{"year": int(y.value), "count": y.count, "clause": y.clause}
                      for y in years],
            "months": [{"month": m.value, "count": m.count, "clause": m.clause}
                       for m in months]}
