"""`answer(question, index, history)`: the one entry point used by the CLI and the app.

Placeholder until the rule-based answerer lands: it declines and lists the closest sentences.
"""

from __future__ import annotations

from qa.errors import EmptyQuestion, InputTooLong
from qa.index import SentenceIndex
from qa.results import Answer, Citation

MAX_QUESTION_CHARACTERS = 1000


def citation_for(index: SentenceIndex, row: int, score: float, number: int) -> Citation:
    """A citation of the sentence at `row`, with its document's metadata."""
    sentence = index.sentence(row)
    document = index.document_of(row)
    return Citation(
        number=number,
        doc=sentence.doc_id,
        title=document["title"],
        outlet=document.get("outlet"),
        date=document.get("date"),
        sentence=sentence.text,
        sentence_index=sentence.sentence_index,
        paragraph=sentence.paragraph,
        row=row,
        start=sentence.start,
        end=sentence.end,
        score=score,
    )


def answer(question: str, index: SentenceIndex, history: list[Answer] | None = None) -> Answer:
    """Answer a question from the index, using earlier turns for follow-ups."""
    question = question.strip()
    if not question:
        raise EmptyQuestion("the question is empty")
    if len(question) > MAX_QUESTION_CHARACTERS:
        raise InputTooLong(f"the question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARACTERS}")
    try:
        hits = index.search(question, 5)
    except EmptyQuestion:
        hits = []
    related = tuple(citation_for(index, hit.row, hit.score, number) for number, hit in enumerate(hits, start=1))
    text = "The articles do not answer this question."
    if related:
        text += " Closest sentences: " + " ".join(f"[{citation.number}]" for citation in related)
    return Answer(question, None, "OTHER", text, (), 0.0, related=related)
