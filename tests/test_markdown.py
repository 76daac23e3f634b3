"""Corpus and user text shown through Markdown stays literal: no HTML, links, emphasis or directives."""

import pytest

from qa.markdown import citation_line, citation_source, emphasize, escape_markdown, highlight, paragraph_markdown
from qa.results import Citation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\</script\>"),
        ("[click](javascript:alert(1))", r"\[click\]\(javascript\:alert\(1\)\)"),
        ("![x](http://evil/x.png)", r"\!\[x\]\(http\://evil/x\.png\)"),
        ("*bold* and _it_ `code`", r"\*bold\* and \_it\_ \`code\`"),
        ("# heading", r"\# heading"),
        ("1. not a list", r"1\. not a list"),
        (":red[colour] :smile:", r"\:red\[colour\] \:smile\:"),
        ("$x^2$ &amp; <b>", r"\$x\^2\$ \&amp; \<b\>"),
        ("line\none\t  two", "line one two"),
        ("back\\slash", "back\\\\slash"),
        ("Plain words stay", "Plain words stay"),
    ],
    ids=["html", "link", "image", "emphasis", "heading", "list", "directive", "math-entity", "whitespace", "backslash", "plain"],
)
def test_escape_markdown(text, expected):
    assert escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("He is based in Doha.", 15, 19, r"He is based in **Doha**\."),
        ("Doha is home.", 0, 4, "**Doha** is home\\."),
        ("He is based in Doha.", None, None, r"He is based in Doha\."),
        ("He is based in Doha.", 15, 99, r"He is based in Doha\."),
        ("a <b>x</b> c", 2, 10, r"a **\<b\>x\</b\>** c"),
    ],
    ids=["middle", "start", "no-span", "bad-span", "escaped-inside"],
)
def test_emphasize(text, start, end, expected):
    assert emphasize(text, start, end) == expected


def test_highlight_escapes_the_brackets_that_would_end_the_directive():
    assert highlight("a] [b") == r":orange-background[a\] \[b]"


def citation(number=1, sentence="He is based in Doha.", **changes):
    values = dict(
        number=number, doc="003.txt", title="A [title]", outlet="Agency (AVA)", date="2023-11-05", sentence=sentence,
        sentence_index=4, paragraph=2, row=10, start=0, end=20, score=3.5, answer_start=15, answer_end=19,
    )  # fmt: skip
    values.update(changes)
    return Citation(**values)


def test_citation_line_and_source():
    assert citation_line(citation()) == r"\[1\] He is based in **Doha**\."
    assert citation_source(citation()) == r"*A \[title\]* · Agency \(AVA\) · 5 November 2023"
    assert citation_source(citation(outlet=None, date=None)) == r"*A \[title\]*"


def test_a_cited_headline_is_not_repeated_as_its_own_source():
    headline = citation(sentence="A [title]", answer_start=None, answer_end=None)
    assert citation_source(headline) == r"Agency \(AVA\) · 5 November 2023"


def test_paragraph_markdown_highlights_the_cited_sentence_among_its_neighbours(seed_index):
    row = next(row for row in range(len(seed_index)) if len(seed_index.paragraph_rows(row)) >= 3)
    sentence = seed_index.sentence(row)
    cited = citation(doc=sentence.doc_id, sentence=sentence.text, sentence_index=sentence.sentence_index, row=row)
    text = paragraph_markdown(seed_index, cited)
    assert text.count(":orange-background[") == 1
    assert highlight(sentence.text) in text
    for other in seed_index.paragraph_rows(row):
        assert escape_markdown(seed_index.sentence(other).text) in text


def test_paragraph_markdown_finds_the_sentence_by_document_not_by_row(seed_index):
    row = 7
    sentence = seed_index.sentence(row)
    moved = citation(doc=sentence.doc_id, sentence=sentence.text, sentence_index=sentence.sentence_index, row=9999)
    assert highlight(sentence.text) in paragraph_markdown(seed_index, moved)


@pytest.mark.parametrize(
    "changes",
    [{"doc": "gone.txt"}, {"sentence": "A sentence the index never had."}, {"sentence_index": 10_000}],
    ids=["document-removed", "text-changed", "beyond-the-document"],
)
def test_paragraph_markdown_is_none_when_the_sentence_is_gone(seed_index, changes):
    sentence = seed_index.sentence(3)
    values = dict(doc=sentence.doc_id, sentence=sentence.text, sentence_index=sentence.sentence_index, row=3)
    values.update(changes)
    assert paragraph_markdown(seed_index, citation(**values)) is None
