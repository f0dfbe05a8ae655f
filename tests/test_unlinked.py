"""Names the authority cannot settle: ambiguous family names keep candidates, unknown
names are kept as unlinked mentions, never dropped."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cablegram.archive import Archive
from cablegram.authority.lookup import default_authority
from cablegram.model import Document, SourceText
from cablegram.pipeline import extract_source
from cablegram.web import urls
from cablegram.web.app import create_app

AUTH = default_authority()

TEXT = """\
4. 12 August 1950, ciphered telegram, Shtykov to Filippov [Stalin]
Yesterday Kim asked me whether the two divisions could move south before the rains.
Comrade Petrov of the trade mission and General Yu were present; KIM IL SUNG joined later.
Kim Tu Hyon, head of the supply section, reported on fuel.
The General Staff was informed, and Mr. President of the committee agreed.
SHTYKOV
"""


def _doc() -> Document:
    """The one document of the test text."""
    return extract_source(SourceText("t.txt", TEXT, "text/plain", "text"), AUTH)[0]


def test_bare_family_name_stays_unlinked_with_candidates() -> None:
    kims = [m for m in _doc().mentions["people"] if m.as_written == "Kim"]
    assert len(kims) == 1 and kims[0].id is None and kims[0].line == 2
    ids = {c["id"] for c in kims[0].candidates}
    assert {"kim-il-sung", "kim-chaek"} <= ids and len(ids) > 2


def test_known_full_name_is_linked_not_a_candidate_list() -> None:
    people = {m.as_written: m for m in _doc().mentions["people"]}
    assert people["KIM IL SUNG"].id == "kim-il-sung" and not people["KIM IL SUNG"].candidates


def test_unknown_names_are_kept_unlinked() -> None:
    people = {m.as_written: m for m in _doc().mentions["people"]}
    for name in ("Petrov", "Yu", "Kim Tu Hyon"):
        assert name in people and people[name].id is None and not people[name].candidates
    # words after titles that are not names are not taken for people
    assert not {"Staff", "President", "General Staff"} & set(people)


def test_unlinked_author_gets_candidates() -> None:
    text = TEXT.replace("Shtykov to Filippov [Stalin]", "Pak to Filippov [Stalin]")
    doc = extract_source(SourceText("t.txt", text, "text/plain", "text"), AUTH)[0]
    pak = doc.mentions["authors"][0]
    assert pak.id is None and "pak-heon-yeong" in {c["id"] for c in pak.candidates}


def test_document_page_names_the_candidates(sample_archive: Archive) -> None:
    doc_id = next(r["id"] for r in sample_archive.records()
                  if any(m["candidates"] for m in r["people"]))
    page = TestClient(create_app(sample_archive.root)).get(urls.document(doc_id)).text
    assert "ambiguous: could be" in page and "Kim Il Sung" in page
