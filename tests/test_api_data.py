"""The API's own data: example ids counted by the index agree with the store's roles."""

from __future__ import annotations

import pytest

from cablegram.api.data import KIND_ROLES, by_facet, by_roles, most_documented
from cablegram.archive import Archive


def ranked(archive: Archive, kind: str) -> list[tuple[int, str]]:
    """(documents, id) of every record of `kind` linked in its roles, by the store: most
    documents first, then by id (the definition the index counts must agree with)."""
    roles = KIND_ROLES[kind]
    rows = archive.store.conn.execute(
        "SELECT agent_id, count(DISTINCT document_id) AS n FROM roles WHERE agent_id IS NOT NULL"
        f" AND role IN ({','.join('?' * len(roles))}) GROUP BY agent_id", roles)
    found = [(r["n"], r["agent_id"]) for r in rows
             if (record := archive.authority.get(r["agent_id"])) and record.kind == kind]
    return sorted(found, key=lambda c: (-c[0], c[1]))


@pytest.mark.parametrize("kind", sorted(KIND_ROLES))
def test_the_most_documented_record_is_the_stores(sample_archive: Archive, kind: str) -> None:
    top = ranked(sample_archive, kind)
    assert top, f"the samples link no {kind}"  # organisations: two tie at the top there
    assert most_documented(sample_archive, kind) == top[0][1]
    assert by_roles(sample_archive, kind) == top[0][1]


@pytest.mark.parametrize("kind, field", [("person", "f_people"), ("place", "f_places")])
def test_a_facet_field_counts_what_the_roles_count(sample_archive: Archive, kind: str,
                                                    field: str) -> None:
    assert by_facet(sample_archive, kind, field) == ranked(sample_archive, kind)[0][1]

