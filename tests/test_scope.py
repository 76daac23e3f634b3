"""Scoped questions: outlets and dates become a row mask inside retrieval; a corpus of seeds plus a user folder."""

from __future__ import annotations

import datetime as dt

import pytest

from qa.cli import main
from qa.corpora import corpus_listing
from qa.documents import document_list, outlets, search_documents
from qa.index import SentenceIndex, build_index, ensure_index
from qa.pipeline import RETRIEVED, answer
from qa.scope import Scope, ScopeError, allowed_rows, parse_day


def write(folder, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def scoped_corpus(tmp_path):
    """One outlet with many sentences about ferries, another with a single one, a third with no date."""
    corpus = tmp_path / "corpus"
    busy = "\n\n".join(f"The ferry timetable number {n} lists the ferry crossing and the ferry fare." for n in range(RETRIEVED + 10))
    write(corpus, "busy.txt", f"Ferry news\n\nPORTSMOUTH, 4 March 2024 (Coast Post): {busy}\n")
    write(corpus, "quiet.txt", "Island report\n\nKIRKWALL, 2 June 2022 (Island Wire): The ferry was repaired by Mara Lind in June 2022.\n")
    write(corpus, "undated.txt", "Harbour note\n\nThe old ferry sank near the pier, sailors said.\n")
    return corpus


def test_the_scope_is_applied_inside_retrieval_not_after_it(scoped_corpus, tmp_path):
    build_index(scoped_corpus, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    unscoped = index.search("ferry", RETRIEVED)
    assert {index.sentence(hit.row).doc_id for hit in unscoped} == {"busy.txt"}  # the quiet outlet is beyond the top 40
    island = Scope(outlets=("Island Wire",))
    scoped = index.search("ferry", RETRIEVED, allowed_rows(index, island))
    assert {index.sentence(hit.row).doc_id for hit in scoped} == {"quiet.txt"}
    reply = answer("Who repaired the ferry?", index, scope=island)
    assert reply.answer == "Mara Lind" and {citation.doc for citation in reply.citations} == {"quiet.txt"}
    before_2023 = Scope(until=dt.date(2022, 12, 31))
    assert {index.sentence(hit.row).doc_id for hit in index.search("ferry", RETRIEVED, allowed_rows(index, before_2023))} == {"quiet.txt"}
    assert allowed_rows(index, Scope()) is None


def test_bad_scopes_are_one_line_errors(scoped_corpus, tmp_path, capsys):
    build_index(scoped_corpus, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    with pytest.raises(ScopeError, match="no document is from 'Nowhere Times'"):
        allowed_rows(index, Scope(outlets=("Nowhere Times",)))
    with pytest.raises(ScopeError, match="no document is in the scope"):
        allowed_rows(index, Scope(since=dt.date(2030, 1, 1)))
    with pytest.raises(ScopeError, match="is not a date"):
        parse_day("last spring")
    assert parse_day("2024-02", last=True) == dt.date(2024, 2, 29) and parse_day("2023") == dt.date(2023, 1, 1)
    code = main(["ask", "Who repaired the ferry?", "--index", str(tmp_path / "index"), "--since", "2031"])
    assert code == 1 and capsys.readouterr().err.startswith("error: no document is in the scope")
    assert main(["ask", "Who repaired the ferry?", "--index", str(tmp_path / "index"), "--outlet", "Island Wire", "--until", "2022-06", "--json"]) == 0
    assert '"answer": "Mara Lind"' in capsys.readouterr().out


def test_document_list_and_search(scoped_corpus, tmp_path):
    build_index(scoped_corpus, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    rows = document_list(index)
    by_file = {row.doc_id: row for row in rows}
    assert by_file["quiet.txt"].outlet == "Island Wire" and by_file["quiet.txt"].date == "2022-06-02"
    assert by_file["busy.txt"].sentences == len(index.document_rows("busy.txt")) and by_file["busy.txt"].kind == "text"
    assert by_file["undated.txt"].outlet == "Outlet not stated"
    assert [row.doc_id for row in search_documents(rows, "island 2022")] == ["quiet.txt"]
    assert outlets(index)[-1] == "Outlet not stated"


def test_the_index_covers_the_seeds_and_the_user_folder(tmp_path):
    seeds, user = tmp_path / "seeds", tmp_path / "user-corpus"
    write(seeds, "harbour.txt", "Harbour reopens\n\nThe harbour of Port Elm reopened on Monday.\n")
    write(user, "harbour.txt", "Lighthouse repaired\n\nThe lighthouse of Port Elm was repaired in May.\n")
    assert [doc_id for _, doc_id in corpus_listing([seeds, user])] == ["harbour.txt", "user-corpus/harbour.txt"]
    assert [doc_id for _, doc_id in corpus_listing([seeds, tmp_path / "missing"])] == ["harbour.txt"]
    index = ensure_index([seeds, user], tmp_path / "index")
    assert index.manifest["corpora"] == [str(seeds), str(user)]
    assert index.sentence(index.search("lighthouse repaired", 1)[0].row).doc_id == "user-corpus/harbour.txt"
    write(user, "more.txt", "Pier closed\n\nThe pier of Port Elm closed in June.\n")
    assert ensure_index(None, tmp_path / "index").manifest["documents"] == 3  # the index's own folders are rechecked
