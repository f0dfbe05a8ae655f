"""The pages of people and organisations and their JSON twins: names, pseudonyms with their
years, offices, documents by year and role, correspondents, intermediaries."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.authority.lookup import Authority, Record
from cablegram.model import MENTION_KEYS
from cablegram.web import urls
from cablegram.web.app import create_app
from cablegram.web.views.agent import agent_data
from tests.conftest import e, section

Doc = dict[str, Any]





def with_role(documents: list[Doc], role: str, agent_id: str) -> list[Doc]:
    """The documents in which a record has a role."""
    return [d for d in documents if any(m["id"] == agent_id for m in d[role])]


def test_stalin_lists_the_documents_signed_filippov(client: TestClient,
                                                    documents: list[Doc]) -> None:
    signed = [d for d in with_role(documents, "authors", "stalin")
              if any("filippov" in m["as_written"].lower() for m in d["authors"])]
    assert len(signed) >= 3, "the samples hold telegrams signed Filippov"
    r = client.get(urls.person("stalin"))
    assert r.status_code == 200
    listed = section(r.text, "documents")
    for doc in signed:
        assert f'<a href="{urls.document(doc["id"])}">{e(doc["title"])}</a>' in listed
        written = next(m["as_written"] for m in doc["authors"] if m["id"] == "stalin")
        assert f"author, as “{e(written)}”" in listed
    assert "<h1>Joseph Stalin</h1>" in r.text
    assert "Traceback" not in r.text


def test_pseudonyms_show_their_years(client: TestClient) -> None:
    page = client.get(urls.person("stalin")).text
    assert '<li>Filippov <span class="note">(1949–1953-03)</span></li>' in page
    assert '<li>Feng Xi <span class="note">(1948–1951)</span></li>' in page
    assert "Chairman of the Council of Ministers of the USSR" in page
    assert 'href="https://www.wikidata.org/wiki/Q855"' in page
    data = client.get(urls.agent_json("person", "stalin")).json()["record"]
    assert {"name": "Filippov", "from": 1949, "to": "1953-03", "years": "1949–1953-03"} \
        in data["pseudonyms"]
    assert "Stalin" in data["variants"] and "Joseph Stalin" not in data["variants"]


def test_roshchin_shows_his_office_and_correspondents(client: TestClient,
                                                      documents: list[Doc]) -> None:
    page = client.get(urls.person("roshchin")).text
    assert "Soviet Ambassador to the PRC <span class=\"note\">(1949-10–1952-06)</span>" in page
    wrote = Counter(m["id"] for d in with_role(documents, "authors", "roshchin")
                    for m in d["recipients"] + d["for"] if m["id"])
    got = Counter(m["id"] for d in with_role(documents, "recipients", "roshchin")
                  for m in d["authors"] if m["id"])
    assert wrote["stalin"] >= 3 and got["stalin"] >= 1
    table = section(page, "correspondents")
    row = (f'<tr><th scope="row"><a href="{urls.person("stalin")}">Joseph Stalin</a></th>'
           f'<td class="num">{wrote["stalin"]}</td><td class="num">{got["stalin"]}</td>')
    assert row in table
    data = client.get(urls.agent_json("person", "roshchin")).json()
    stalin = next(c for c in data["correspondents"] if c["id"] == "stalin")
    assert (stalin["sent"], stalin["received"]) == (wrote["stalin"], got["stalin"])
    assert stalin["url"] == urls.person("stalin")


def test_who_letters_went_via_and_what_was_passed_on(client: TestClient,
                                                     documents: list[Doc]) -> None:
    via = Counter(m["id"] for d in with_role(documents, "authors", "stalin")
                  for m in d["via"] if m["id"])
    assert via["shtykov"] >= 2
    page = client.get(urls.person("stalin")).text
    assert f'<a href="{urls.person("shtykov")}">Terentii Shtykov</a></th>' \
           f'<td class="num">{via["shtykov"]}</td>' in section(page, "via")
    passed = with_role(documents, "via", "shtykov")
    data = client.get(urls.agent_json("person", "shtykov")).json()
    authors = Counter(m["id"] for d in passed for m in d["authors"] if m["id"])
    assert {c["id"]: c["from"] for c in data["passed_on"] if c["from"]} == dict(authors)
    assert "Letters Shtykov passed on" in client.get(urls.person("shtykov")).text


def test_the_timeline_counts_documents_by_year_and_role(client: TestClient,
                                                        documents: list[Doc]) -> None:
    data = client.get(urls.agent_json("person", "stalin")).json()
    mine = [d for d in documents if any(m["id"] == "stalin" for key in
                                        ("authors", "recipients", "via", "for", "copies_to",
                                         "participants", "people") for m in d[key])]
    assert data["total"] == len(mine)
    by_year = Counter((d["date"] or "")[:4] or None for d in mine)
    assert {y["year"]: y["total"] for y in data["timeline"]["years"]} == dict(by_year)
    years = [y["year"] for y in data["timeline"]["years"]]
    assert years[-1] is None and years[:-1] == sorted(years[:-1])  # undated last
    authored = Counter(d["date"][:4] for d in with_role(documents, "authors", "stalin"))
    cells = {y["year"]: c for y in data["timeline"]["years"] for c in y["cells"]
             if c["role"] == "authors"}
    for year, count in authored.items():
        assert cells[year]["count"] == count
        assert cells[year]["url"] == urls.search(f"from:stalin date:{year}", sort="date")
        found = client.get(urls.search_json(f"from:stalin date:{year}")).json()["total"]
        assert found == count, "the search behind a count finds as many documents"
    page = client.get(urls.person("stalin")).text
    assert f'<a href="{e(cells[year]["url"])}">{count}</a>' in section(page, "timeline")
    assert "<th scope=\"row\">no date</th>" in page and "<meter" in page


def test_the_list_links_to_the_search_for_everything(client: TestClient) -> None:
    data = client.get(urls.agent_json("person", "stalin")).json()
    assert data["search"] == {"query": "person:stalin",
                              "url": urls.search("person:stalin", sort="date")}
    assert len(data["documents"]) == data["total"]  # the samples are fewer than the cap
    dates = [d["date"] for d in data["documents"] if d["date"]]
    assert dates == sorted(dates)
    assert f'href="{e(data["search"]["url"])}"' in client.get(urls.person("stalin")).text


def in_any_role(documents: list[Doc], agent_id: str) -> list[Doc]:
    """The documents naming a record in any role, oldest first (undated last), then by id."""
    mine = [d for d in documents if any(m["id"] == agent_id for key in MENTION_KEYS
                                        for m in d[key])]
    return sorted(mine, key=lambda d: (d["date"] is None, d["date"] or "", d["id"]))


def test_a_short_list_is_cut_in_date_then_id_order(sample_archive: Archive,
                                                    documents: list[Doc]) -> None:
    expected = [d["id"] for d in in_any_role(documents, "stalin")]
    dates = Counter(d["date"] for d in in_any_role(documents, "stalin"))
    assert dates[None] >= 2 and any(n > 1 for day, n in dates.items() if day), \
        "the samples give Stalin documents of the same day, and undated ones"
    for limit in range(1, len(expected) + 1):  # every cut, inside a day and among the undated
        found = sample_archive.agent("stalin", limit)
        assert found["total"] == len(expected)
        assert [d["id"] for d in found["documents"]] == expected[:limit]


# The counterpart tables: table → column → (roles of the record, roles of the other).
TABLES = {
    "correspondents": {"sent": (("authors",), ("recipients", "for")),
                       "received": (("recipients", "for"), ("authors",))},
    "via": {"sent": (("authors",), ("via",)), "received": (("recipients", "for"), ("via",))},
    "passed_on": {"from": (("via",), ("authors",)), "to": (("via",), ("recipients", "for"))},
}


def counted(documents: list[Doc], agent_id: str) -> dict[str, dict[str, dict[str, int]]]:
    """Each table counted from the stored records: table → other id → column → documents."""
    def ids(doc: Doc, roles: tuple[str, ...]) -> set[str]:
        """The linked ids of a document in these roles."""
        return {m["id"] for role in roles for m in doc[role] if m["id"]}

    out: dict[str, dict[str, dict[str, int]]] = {}
    for table, columns in TABLES.items():
        found: dict[str, dict[str, set[str]]] = {}
        for doc in documents:
            for column, (own, other) in columns.items():
                if agent_id in ids(doc, own):
                    for o in ids(doc, other) - {agent_id}:
                        row = found.setdefault(o, {c: set() for c in (*columns, "total")})
                        row[column].add(doc["id"])
                        row["total"].add(doc["id"])
        out[table] = {o: {c: len(v) for c, v in row.items()} for o, row in found.items()}
    return out


def test_counterpart_tables_count_what_the_records_hold(client: TestClient,
                                                        documents: list[Doc]) -> None:
    for agent_id in ("stalin", "shtykov", "roshchin", "mao", "kim-il-sung"):
        data = client.get(urls.agent_json("person", agent_id)).json()
        expected = counted(documents, agent_id)
        assert any(expected.values()), agent_id
        for table, rows in expected.items():
            shown = data[table]
            assert len(shown) == min(len(rows), 20)
            for row in shown:
                assert {c: row[c] for c in (*TABLES[table], "total")} == rows[row["id"]]
            totals = [row["total"] for row in shown]
            assert totals == sorted(totals, reverse=True)


def test_json_twins_equal_the_page_data(client: TestClient, sample_archive: Archive) -> None:
    for kind, agent_id in (("person", "stalin"), ("person", "roshchin"),
                           ("organization", "cpsu")):
        assert client.get(urls.agent_json(kind, agent_id)).json() == \
            agent_data(sample_archive, agent_id)
        page = client.get(urls.agent(kind, agent_id))
        assert page.status_code == 200
        assert f'href="{urls.agent_json(kind, agent_id)}"' in page.text


def test_an_organisation_has_its_own_page(client: TestClient) -> None:
    r = client.get(urls.organization("cpsu"))
    assert r.status_code == 200
    assert "Organisation · " in r.text and "VKP(b)" in r.text
    data = client.get(urls.agent_json("organization", "cpsu")).json()
    assert data["record"]["kind"] == "organization" and data["total"] >= 1
    assert data["search"]["query"] == 'person:cpsu OR "All-Union Communist Party (Bolsheviks)"'


def test_unknown_ids_are_404_in_both_forms(client: TestClient) -> None:
    for url in (urls.person("nobody-at-all"), urls.organization("nobody-at-all")):
        r = client.get(url)
        assert r.status_code == 404
        assert "nobody-at-all" in r.text and "search" in r.text
        assert "Traceback" not in r.text
    r = client.get(urls.agent_json("person", "nobody-at-all"))
    assert r.status_code == 404
    message = r.json()["error"]["message"]
    assert "'nobody-at-all'" in message and "person:Stalin" in message
    hostile = client.get(urls.person("<script>alert(1)</script>"))
    assert hostile.status_code == 404
    assert "<script>alert" not in hostile.text and "&lt;script&gt;alert(1)" in hostile.text


def test_a_record_of_another_kind_is_sent_to_its_page(client: TestClient) -> None:
    r = client.get(urls.person("cpsu"), follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == urls.organization("cpsu")
    r = client.get(urls.agent_json("organization", "stalin"), follow_redirects=False)
    assert r.headers["location"] == urls.agent_json("person", "stalin")
    assert client.get(urls.person("pyongyang")).url.path == urls.place("pyongyang")


def test_document_pages_link_names_to_their_pages(client: TestClient,
                                                  documents: list[Doc]) -> None:
    doc = next(d for d in with_role(documents, "authors", "stalin")
               if d["authors"][0]["as_written"] == "Filippov (Stalin)" and d["via"])
    page = client.get(urls.document(doc["id"])).text
    link = f'<a class="linked" href="{urls.person("stalin")}"'
    assert link in page
    assert re.search(re.escape(link) + r'[^>]*>Filippov \[Stalin\]</a>', page)
    via = doc["via"][0]
    assert f'href="{urls.person(via["id"])}"' in page
    assert f'href="{e(urls.name_search("Joseph Stalin"))}"' in page  # the name search stays
    place = next(m for m in doc["places"] if m["id"])
    assert f'href="{urls.place(place["id"])}"' in page


def test_correspondents_with_ids_beyond_ascii(empty_archive: Archive, tmp_path: Path) -> None:
    authority = Authority([
        Record("müller", "Hans Müller", "person", "Müller", variants=["Muller"]),
        Record("roshchin", "Nikolai Roshchin", "person", "Roshchin"),
    ])
    archive = Archive(empty_archive.root, authority)
    path = tmp_path / "letters.txt"
    path.write_text("12. 5 July 1950, ciphered telegram, Müller to Roshchin\n"
                    "The volunteers arrived.\n"
                    "13. 6 July 1950, letter, Roshchin to Müller\nReceived.\n", encoding="utf-8")
    archive.ingest_file(path, "letters")
    row = {"id": "müller", "name": "Hans Müller", "sent": 1, "received": 1, "total": 2,
           "url": urls.person("müller")}
    assert agent_data(archive, "roshchin")["correspondents"] == [row]
    assert agent_data(archive, "müller")["correspondents"][0]["id"] == "roshchin"


@pytest.fixture()
def hostile_client(empty_archive: Archive, tmp_path: Path) -> TestClient:
    """A reading room over an archive whose one source puts markup into names."""
    path = tmp_path / "hostile.txt"
    path.write_text(
        "12. 5 July 1950, ciphered telegram, Filippov <script>alert(1)</script> to "
        "Kim Il Sung <b>bold</b>\n"
        "PYONGYANG. The volunteers arrived & <i>left</i>.\n"
        "13. 6 July 1950, letter, Kim Il Sung <img src=x onerror=alert(2)> to Filippov\n"
        "Received in Moscow.\n", encoding="utf-8")
    empty_archive.ingest_file(path, "hostile")
    return TestClient(create_app(empty_archive.root))


def test_hostile_names_are_shown_as_text(hostile_client: TestClient) -> None:
    data = hostile_client.get(urls.agent_json("person", "stalin")).json()
    written = {r["as_written"] for d in data["documents"] for r in d["roles"]}
    assert "Filippov <script>alert(1)</script>" in written, "JSON keeps the raw text"
    for agent_id in ("stalin", "kim-il-sung"):
        page = hostile_client.get(urls.person(agent_id)).text
        assert "<script" not in page and "<img" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_client.get(
        urls.person("stalin")).text
    assert "&lt;img src=x onerror=alert(2)&gt;" in hostile_client.get(
        urls.person("kim-il-sung")).text
