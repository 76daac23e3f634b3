"""Limiting questions to outlets and dates: the metadata rule, and a retriever that keeps only documents in scope."""

from datetime import date

import pytest

from qa.errors import QAError
from qa.pipeline import answer
from qa.scope import EmptyScope, Scope, document_in_scope, scoped_index

DOCUMENT = {"doc_id": "a.txt", "outlet": "Harbour Gazette", "date": "2030-06-15"}


@pytest.mark.parametrize(
    ("scope", "inside"),
    [
        (Scope(), True),
        (Scope(outlets=("harbour gazette",)), True),
        (Scope(outlets=("Other Times", "Harbour Gazette")), True),
        (Scope(outlets=("Harbour",)), False),
        (Scope(date_from=date(2030, 6, 15), date_to=date(2030, 6, 15)), True),
        (Scope(date_from=date(2030, 6, 16)), False),
        (Scope(date_to=date(2030, 6, 14)), False),
        (Scope(outlets=("Harbour Gazette",), date_to=date(2029, 1, 1)), False),
    ],
    ids=["unrestricted", "case-insensitive", "any-outlet", "partial-name", "bounds-inclusive", "after", "before", "both-must-hold"],
)
def test_document_in_scope(scope, inside):
    assert document_in_scope(DOCUMENT, scope) is inside


def test_documents_without_outlet_or_date_are_outside_a_scope_that_asks_for_one():
    bare = {"doc_id": "b.txt", "outlet": None, "date": None}
    assert document_in_scope(bare, Scope())
    assert not document_in_scope(bare, Scope(outlets=("Harbour Gazette",)))
    assert not document_in_scope(bare, Scope(date_from=date(2000, 1, 1)))


def test_reversed_dates_are_an_error():
    with pytest.raises(QAError, match="after"):
        Scope(date_from=date(2030, 2, 1), date_to=date(2030, 1, 1))


def test_scoped_search_keeps_the_scores_of_the_documents_in_scope(seed_index):
    scope = Scope(date_to=date(2023, 12, 31))
    allowed = {document["doc_id"] for document in seed_index.documents if document_in_scope(document, scope)}
    assert 0 < len(allowed) < len(seed_index.documents)
    everything = seed_index.search("Haniyeh Khamenei meeting", 200)
    scoped = scoped_index(seed_index, scope).search("Haniyeh Khamenei meeting", 200)
    assert scoped == [hit for hit in everything if seed_index.sentence(hit.row).doc_id in allowed]


def test_a_scoped_answer_cites_only_documents_in_scope(seed_index):
    outlet = next(document["outlet"] for document in seed_index.documents if document["outlet"])
    reply = answer("Who met whom?", scoped_index(seed_index, Scope(outlets=(outlet.upper(),))))
    assert {seed_index.document(citation.doc)["outlet"] for citation in reply.citations + reply.related} == {outlet}


def test_a_scope_without_documents_is_a_clear_error(seed_index):
    with pytest.raises(EmptyScope, match="no document matches the scope"):
        scoped_index(seed_index, Scope(outlets=("No Such Outlet",)))
    assert scoped_index(seed_index, Scope()) is seed_index
