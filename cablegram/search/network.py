"""The correspondence network: linked agents as nodes, documents between them as edges."""

from __future__ import annotations

from typing import Any

from cablegram.search.index import SearchIndex
from cablegram.search.query import Clause, Query, date_bounds, parse

NETWORK_EDGES = 150  # strongest edges kept
MAX_NODES = 2000  # correspondents counted to weigh the nodes


def _within(query: Query, start: str, end: str) -> Query:
    """The query restricted to documents dated within [start, end] (either may be empty)."""
    if not start.strip() and not end.strip():
        return query
    value = f"{start.strip()}..{end.strip()}"
    clause = Clause("range", value, False, "date", date_bounds(value))
    return Query([[*group, clause] for group in query.groups] or [[clause]])


def network(index: SearchIndex, text: str = "", start: str = "", end: str = "",
            limit: int = NETWORK_EDGES) -> dict[str, Any]:
    """Nodes (agents with their number of documents) and weighted edges (letters, and via
    the intermediary) of the documents matching `text` and dated within [start, end]."""
    query = _within(parse(text), start, end)
    total, result = index.aggregate(query, {
        "edges": {"terms": {"field": "edges", "size": limit, "min_doc_count": 1}},
        "nodes": {"terms": {"field": "f_corr", "size": MAX_NODES, "min_doc_count": 1}}})
    edges: list[dict[str, Any]] = []
    for bucket in result.get("edges", {}).get("buckets", []):
        kind, source, target = str(bucket["key"]).split("\t")
        edges.append({"source": source, "target": target, "kind": kind,
                      "count": int(bucket["doc_count"])})
    weight = {str(b["key"]): int(b["doc_count"])
              for b in result.get("nodes", {}).get("buckets", [])}
    ids = dict.fromkeys(str(i) for e in edges for i in (e["source"], e["target"]))
    nodes: list[dict[str, Any]] = []
    for agent_id in ids:
        record = index.authority.get(agent_id)
        nodes.append({"id": agent_id, "name": record.name if record else agent_id,
                      "kind": record.kind if record else "person",
                      "documents": weight.get(agent_id, 0)})
    nodes.sort(key=lambda n: (-n["documents"], n["name"]))
    return {"query": text, "start": start, "end": end, "total": total, "nodes": nodes,
            "edges": edges}
