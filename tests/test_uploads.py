"""Uploaded articles: validated, saved under a safe new name, never overwriting the corpus."""

import gzip

import pytest
from test_ingestion import PAGE, _pdf_article

from qa.corpus import MAX_DOCUMENT_BYTES, iter_corpus
from qa.uploads import safe_file_name, save_uploads

ARTICLE = (
    b"Harbour reopens after storm\n\n"
    b"The harbour of Port Elm reopened on Monday, 4 March 2024, after a week of repairs.\n"
    b"Fishing boats returned to the quay the same afternoon.\n"
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.txt", "report.txt"),
        ("Notes.MD", "Notes.md"),
        ("my report (final).txt", "my report _final.txt"),
        (".hidden.txt", "hidden.txt"),
        ("a*b?c<d>.txt", "a_b_c_d.txt"),
        (".txt", "document.txt"),
        ("x" * 300 + ".txt", "x" * 96 + ".txt"),
        ("Saved Page.HTM", "Saved Page.htm"),
        ("saved.page.html.gz", "saved.page.html.gz"),
        ("scan (1).pdf", "scan _1.pdf"),
    ],
    ids=["plain", "upper-suffix", "brackets", "leading-dot", "wildcards", "only-suffix", "too-long", "web-page", "compressed-page", "pdf"],
)
def test_safe_file_name(name, expected):
    assert safe_file_name(name) == expected


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "folder/evil.txt", "..\\evil.txt", "/etc/passwd.txt", "..", "evil.txt\x00.md", "script.py", "noextension", "archive.gz"],
    ids=["traversal", "folder", "backslash", "absolute", "dot-dot", "nul", "wrong-suffix", "no-suffix", "other-gz"],
)
def test_unsafe_names_are_refused(name):
    with pytest.raises(ValueError):
        safe_file_name(name)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "existing.txt").write_text("Council meets\n\nThe town council met on Tuesday to discuss the budget.\n", encoding="utf-8")
    return folder


def test_accepted_upload_is_saved_with_its_bytes(corpus):
    [result] = save_uploads([("harbour.txt", ARTICLE)], corpus)
    assert result.accepted and result.saved_as == "harbour.txt" and result.reason is None
    assert (corpus / "harbour.txt").read_bytes() == ARTICLE
    assert sorted(path.name for path in corpus.iterdir()) == ["existing.txt", "harbour.txt"]  # no temporary file left


def test_a_taken_name_gets_a_new_one_and_the_original_is_kept(corpus):
    original = (corpus / "existing.txt").read_bytes()
    [result] = save_uploads([("existing.txt", ARTICLE)], corpus)
    assert result.saved_as == "existing-2.txt"
    assert (corpus / "existing.txt").read_bytes() == original
    assert (corpus / "existing-2.txt").read_bytes() == ARTICLE


def test_a_name_differing_only_in_case_is_not_reused(corpus):
    [result] = save_uploads([("EXISTING.TXT", ARTICLE)], corpus)
    assert result.saved_as == "EXISTING-2.txt"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t", "empty"),
        ("copy-utf16.txt", "Council meets\n\nThe town council met on Tuesday to discuss the budget.\n".encode("utf-16"), "already in the corpus as existing.txt"),
        ("binary.txt", b"\x00\x01\x02 binary", "binary"),
        ("huge.txt", b"a" * (MAX_DOCUMENT_BYTES + 1), "too large"),
        ("../escape.txt", ARTICLE, "plain name"),
        ("letter.docx", ARTICLE, "only .txt, .md, .html"),
        ("scan.pdf", b"%PDF-1.4\n1 0 obj\n<<", "not a readable PDF"),
        ("menu.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
        ("copy.txt", b"Council meets\n\nThe town council met on Tuesday to discuss the budget.\n", "already in the corpus as existing.txt"),
        ("copy-crlf.md", b"Council meets\r\n\r\nThe town council met on Tuesday to discuss the budget.\r\n", "already in the corpus"),
    ],
    ids=["empty", "blank", "duplicate-in-utf16", "binary", "too-large", "traversal", "wrong-type", "broken-pdf", "page-without-article", "duplicate", "duplicate-other-line-ends"],
)
def test_rejected_uploads_say_why_and_write_nothing(corpus, name, data, reason):
    before = sorted(path.name for path in corpus.parent.rglob("*"))
    [result] = save_uploads([(name, data)], corpus)
    assert not result.accepted and result.saved_as is None
    assert reason in result.reason
    assert sorted(path.name for path in corpus.parent.rglob("*")) == before


def test_a_batch_reports_each_file_and_catches_duplicates_within_it(corpus):
    results = save_uploads([("one.txt", ARTICLE), ("two.txt", ARTICLE), ("bad.txt", b"")], corpus)
    assert [result.accepted for result in results] == [True, False, False]
    assert "already in the corpus as one.txt" in results[1].reason
    assert sorted(path.name for path in corpus.iterdir()) == ["existing.txt", "one.txt"]


def test_saved_web_pages_and_pdfs_are_accepted_and_read_as_articles(corpus):
    results = save_uploads([("bridge.html", PAGE.encode("utf-8")), ("bridge-copy.htm.gz", gzip.compress(PAGE.encode("utf-8"))), ("flood.pdf", _pdf_article())], corpus)
    assert [result.saved_as for result in results] == ["bridge.html", None, "flood.pdf"]
    assert "already in the corpus as bridge.html" in results[1].reason  # the same page compressed is the same article
    documents = {document.doc_id: document for document in iter_corpus(corpus) if hasattr(document, "kind")}
    assert (documents["bridge.html"].kind, documents["flood.pdf"].kind) == ("web page", "PDF")
    assert documents["bridge.html"].title == "Harbour bridge reopens after repairs"
