"""The values an answer is made of: citations, alternative answers, the answer itself.

These cross every module line (answerer, CLI, app), and `Answer.to_json` is the
public `--json` contract: keep its field names stable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class RetrievedSentence:
    """A retrieved sentence with the metadata a citation needs."""

    row: int
    score: float
    text: str
    doc: str
    title: str
    outlet: str | None
    date: str | None
    sentence_index: int
    paragraph: int
    start: int
    end: int
    context: str = ""  # the previous sentence, when this one refers back with a pronoun
    neighbours: str = ""  # the sentences just before and after it in its paragraph
    paragraph_text: str = ""  # its paragraph (up to a bounded number of sentences around it)
    document_idf: dict[str, float] | None = field(default=None, compare=False)  # question terms' idf among its document's sentences
    source: str = ""  # the independent source it counts as when sources agree (qa.syndication); "" = its document
    # the index terms of the question's names its document uses anywhere (qa.answer_filters.name_terms);
    # None when they were not looked up (hand-made sentences)
    document_name_terms: frozenset[str] | None = field(default=None, compare=False)
    carried_by: tuple[str, ...] = ()  # outlets carrying the same story, itself first, when it has copies
    headline: bool = False  # it is (part of) its document's title line, not the lead sentence of a document without one


@dataclass(frozen=True)
class Citation:
    """A cited sentence with its provenance; `[number]` in the reply text points to it."""

    number: int
    doc: str
    title: str
    outlet: str | None
    date: str | None
    sentence: str
    sentence_index: int
    paragraph: int
    row: int
    start: int
    end: int
    score: float
    answer_start: int | None = None  # where the answer text sits inside `sentence`
    answer_end: int | None = None
    carried_by: tuple[str, ...] = ()  # outlets carrying the same story (syndicated copies), its own first

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AnswerOption:
    """One answer among several when sources disagree or report several events."""

    answer: str
    normalized: str
    citation_numbers: tuple[int, ...]
    note: str | None = None  # e.g. how a relative date was resolved
    score: float = 0.0

    def to_json(self) -> dict:
        return {**asdict(self), "citation_numbers": list(self.citation_numbers)}


@dataclass(frozen=True)
class Answer:
    """A reply: short answer (None when declining), full text with [n] markers, citations."""

    question: str
    answer: str | None
    answer_type: str
    text: str
    citations: tuple[Citation, ...]
    confidence: float
    options: tuple[AnswerOption, ...] = ()
    related: tuple[Citation, ...] = ()  # closest sentences, shown when declining
    focus: str | None = None
    resolved_question: str | None = None  # the question after follow-up resolution
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def declined(self) -> bool:
        return self.answer is None

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "answer_type": self.answer_type,
            "text": self.text,
            "citations": [citation.to_json() for citation in self.citations],
            "confidence": round(self.confidence, 4),
            "declined": self.declined,
            "options": [option.to_json() for option in self.options],
            "related": [citation.to_json() for citation in self.related],
            "focus": self.focus,
            "resolved_question": self.resolved_question,
        }
