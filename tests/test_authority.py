"""The shipped authority files, their checker, and lookups by name, pseudonym and office."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablegram.authority.check import authority_counts, check_authority
from cablegram.authority.lookup import Authority, default_authority, read_authority_files

# Shared names we keep on purpose: both records stay unlinked when the name is met alone.
ALLOWED_AMBIGUOUS = {
    # Stalin's cover name in some telegrams, and the diplomat Vasily Kuznetsov.
    "ambiguous: 'kuznetsov' names kuznetsov-vv (people.yaml), stalin (people.yaml)",
}


@pytest.fixture(scope="module")
def authority() -> Authority:
    return default_authority()


def test_shipped_files_load_with_enough_records() -> None:
    counts = authority_counts()
    assert counts["person"] >= 150
    assert counts["place"] >= 80
    assert counts["organization"] >= 40
    assert sum(counts.values()) == len(read_authority_files())


def test_shipped_files_have_no_problems_but_the_intended_shared_names() -> None:
    problems = check_authority()
    assert [p for p in problems if not p.startswith("ambiguous:")] == []
    assert set(problems) == ALLOWED_AMBIGUOUS


def test_bad_user_file_is_reported_by_name(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_text(
        "- {id: someone, name: Some One, offices: [{title: Envoy, from: 1950-13, to: 1951}]}\n"
        "- {id: someone, name: Some One Else}\n"
        "- {id: other, name: Another Person, rank: colonel}\n"
        "- {id: late, name: Late Person, pseudonyms: [{name: Ivanov, from: 1952, to: 1950}]}\n",
        encoding="utf-8")
    problems = [p for p in check_authority([path]) if not p.startswith("ambiguous:")]
    assert problems and all(str(path) in p for p in problems)
    text = "\n".join(problems)
    assert "duplicate id" in text and "someone" in text
    assert "malformed 'from' date" in text and "1950-13" in text
    assert "unknown keys" in text and "rank" in text
    assert "ends (1950) before it starts (1952)" in text


def test_user_file_checks_zones_ids_and_kinds(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(
        "- {id: atlantis, name: Atlantis, tz: Atlantic/Atlantis, wikidata: '123'}\n"
        "- {id: Bad_Id, name: Nowhere, offices: [{title: Mayor, from: 1950}]}\n"
        "- {id: elsewhere, name: Elsewhere, variants: [Pusan]}\n",
        encoding="utf-8")
    problems = check_authority([path])
    text = "\n".join(problems)
    assert "atlantis: tz 'Atlantic/Atlantis'" in text
    assert "atlantis: wikidata '123'" in text
    assert "Bad_Id: the id should be" in text and "only people have offices" in text
    assert f"ambiguous: 'pusan' names busan (places.yaml), elsewhere ({path})" in problems


def test_bare_surnames_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_text("- {id: a-kim, name: A Kim, variants: [Kim]}\n", encoding="utf-8")
    assert any("a-kim" in p and "'Kim' alone" in p for p in check_authority([path]))


def test_unreadable_and_misnamed_files(tmp_path: Path) -> None:
    wrong = tmp_path / "persons.yaml"
    wrong.write_text("[]", encoding="utf-8")
    missing = tmp_path / "people.yaml"
    problems = check_authority([wrong, missing])
    assert any(str(wrong) in p and "named" in p for p in problems)
    assert any(str(missing) in p and "cannot read" in p for p in problems)


@pytest.mark.parametrize(("name", "date", "expected"), [
    ("Filippov", "1950-07-05", "stalin"),
    ("Filippov", "1954-01-01", None),
    ("Chou En-lai", None, "zhou-enlai"),
    ("MAO ZEDONG", None, "mao"),
    ("Mao Tse-tung", None, "mao"),
    ("Roschin", None, "roshchin"),
    ("Pak Hon-yong", None, "pak-heon-yeong"),
    ("Vishinsky", None, "vyshinsky"),
    ("Kim", None, None),
    ("Pak", None, None),
    ("Lee", None, None),
    ("Lie", None, None),
    ("Kuznetsov", "1951-03-01", None),  # Stalin's cover name, or the diplomat
    ("Kuznetsov", "1953-07-28", "kuznetsov-vv"),
])
def test_lookup(authority: Authority, name: str, date: str | None, expected: str | None) -> None:
    rec = authority.lookup(name, date)
    assert (rec.id if rec else None) == expected


@pytest.mark.parametrize(("date", "expected"), [
    ("1950-09-27", "zakharov"),
    ("1951-06-01", "razuvaev"),
    ("1949-06-01", None),
])
def test_matveyev_cover_name_resolves_by_date(authority: Authority, date: str,
                                              expected: str | None) -> None:
    for spelling in ("Matveyev", "MATVEEV"):
        rec = authority.lookup(spelling, date)
        assert (rec.id if rec else None) == expected


@pytest.mark.parametrize(("office", "date", "expected"), [
    ("Soviet ambassador to the PRC", "1950-07-05", "roshchin"),
    ("Soviet Ambassador to the People's Republic of China", "1953-12-01", "yudin"),
    ("the Secretary of State", "1951-08-15", "acheson"),
    ("the Secretary of State", "1948-05-01", "marshall"),
    ("Secretary of State", "1954-01-01", "dulles"),
    ("Soviet Ambassador to the DPRK", "1951-01-10", "razuvaev"),
    ("Soviet Ambassador to North Korea", "1949-06-01", "shtykov"),
    ("Chinese Ambassador to the DPRK", "1951-01-10", "ni-zhiliang"),
    ("Premier of the PRC", "1951-01-10", "zhou-enlai"),
    ("Foreign Minister of the PRC", "1951-01-10", "zhou-enlai"),
    ("Soviet Minister of Foreign Affairs", "1951-01-10", "vyshinsky"),
    ("United States Ambassador to the Republic of Korea", "1950-06-25", "muccio"),
    ("Commander of the United Nations Command", "1951-08-15", "ridgway"),
    ("Secretary-General of the United Nations", "1954-01-01", "hammarskjold"),
    ("Soviet Ambassador to the PRC", None, None),
])
def test_holder(authority: Authority, office: str, date: str | None,
                expected: str | None) -> None:
    rec = authority.holder(office, date)
    assert (rec.id if rec else None) == expected


def test_user_file_extends_the_shipped_authority(tmp_path: Path) -> None:
    path = tmp_path / "organizations.yaml"
    path.write_text("- {id: test-bureau, name: Test Bureau, variants: [TB-7]}\n", encoding="utf-8")
    assert authority_counts([path])["organization"] == authority_counts()["organization"] + 1
    assert check_authority([path]) == check_authority()
