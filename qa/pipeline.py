"""`answer(question, index, history)`: the one entry point used by the CLI and the app.

Composes the steps: follow-up resolution, question analysis, BM25 retrieval of a few
dozen sentences (question terms plus general synonyms), then the rule-based answerer.
"""

from __future__ import annotations

import gc
import math
import re
import weakref
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np

from qa.acronyms import acronyms, spell_out
from qa.answer_filters import name_terms
from qa.answerability import TextKind
from qa.answerer import answer_from_sentences, citation_of
from qa.errors import EmptyQuestion, InputTooLong
from qa.extract import find_organizations, find_persons, load_gazetteers
from qa.index import SentenceIndex
from qa.question import PRONOUNS, Question, analyze_question
from qa.results import Answer, Citation, RetrievedSentence
from qa.retriever import Hit
from qa.scope import Scope, allowed_rows
from qa.syndication import carried_by, independent_source
from qa.text import analyze

MAX_QUESTION_CHARACTERS = 1000
_REFERS_BACK = re.compile(r"\b(?:he|she|his|her|him|it|its|they|their|the group|the company)\b", re.IGNORECASE)
# A sentence whose subject is a definite description of lower-case words ("The former star, 42, was …",
# "The 47 year old was …") speaks of what the sentence before it named, as a pronoun does: news names
# a person once, then describes them.
_DESCRIPTION_SUBJECT = re.compile(
    r"^(?:The|This|That)\s+(?:(?:“[^”]{1,40}”|\"[^\"]{1,40}\"|[a-z0-9][\w'’-]*)\s*){1,6}?"
    r"(?:,|\b(?:was|is|were|are|has|had|have|will|would|who|said|says)\b)"
)
# A sentence that opens by speaking of what came before: a pronoun subject ("She waved …") or a description.
_OPENS_WITH_REFERENCE = re.compile(r"^(?:He|She|They|It|His|Her|Their|Its)\b")
CONTEXT_ROWS = 2  # sentences read back, each referring to the one before, for the one a sentence speaks of
FOLLOWED_HITS = 10  # the best hits whose next sentences are read when these speak of them
RETRIEVED = 40
MEASURE_RETRIEVED = 10  # sentences added for a "how old/tall/far" question by its measure adjective
NAME_DOCUMENTS = 8  # documents of the best hits whose full person names are collected
NAME_ROWS = 60  # … from their first sentences, where people are introduced in full
ACRONYM_DOCUMENTS = 5  # documents of the best hits read for the spelling of a question's acronym (qa.acronyms)
ACRONYM_ROWS = 400  # … their first sentences (a long document names a thing in full early)
PARAGRAPH_CONTEXT_ROWS = 4  # sentences on each side that count as a retrieved sentence's paragraph when ranking
# Names per document, kept per loaded index (dropped with it) and at most this many documents each.
MAX_CACHED_DOCUMENTS = 5_000
_document_names: dict[int, OrderedDict[str, tuple[frozenset[str], frozenset[str]]]] = {}


def citation_for(index: SentenceIndex, row: int, score: float, number: int) -> Citation:
    """A citation of the sentence at `row`, with its document's metadata."""
    return citation_of(retrieved_sentence(index, row, score), number)

def retrieved_sentence(index: SentenceIndex, row: int, score: float) -> RetrievedSentence:
    """A sentence of the index with the metadata the answerer and citations need, and its paragraph."""
    sentence = index.sentence(row)
    document = index.document_of(row)
    paragraph_rows = index.paragraph_rows(row, PARAGRAPH_CONTEXT_ROWS)
    texts = {other: sentence.text if other == row else index.sentence_text(other) for other in paragraph_rows}
    context = " ".join(_antecedents(index, row, sentence.sentence_index, sentence.text, texts))
    return RetrievedSentence(
        row=row,
        score=score,
        text=sentence.text,
        doc=sentence.doc_id,
        title=document["title"],
        outlet=document.get("outlet"),
        date=document.get("date"),
        sentence_index=sentence.sentence_index,
        paragraph=sentence.paragraph,
        start=sentence.start,
        end=sentence.end,
        context=context,
        neighbours=" ".join(texts[other] for other in (row - 1, row + 1) if other in texts),
        paragraph_text=" ".join(texts.values()),
        source=independent_source(document),
        carried_by=carried_by(index.documents.same_story(document), document),  # its copies only, not every document
        headline=is_title_line(sentence.text, sentence.paragraph, document),
    )


def refers_back(text: str) -> bool:
    """Whether a sentence speaks of something an earlier sentence named: a pronoun, or a description as its subject."""
    return bool(_REFERS_BACK.search(text) or _DESCRIPTION_SUBJECT.match(text))


def continues_subject(text: str) -> bool:
    """Whether a sentence opens by speaking of what the sentence before it named (a pronoun or a description)."""
    return bool(_OPENS_WITH_REFERENCE.match(text) or _DESCRIPTION_SUBJECT.match(text))


def _antecedents(index: SentenceIndex, row: int, sentence_index: int, text: str, texts: dict[int, str]) -> list[str]:
    """The sentences before a sentence that it refers back to, in order: the previous one, and the one before
    that while each refers back in turn ("Ann Lee won. She smiled. The 47 year old …"), within its
    document (`texts`: sentences already read, by row)."""
    found: list[str] = []
    while refers_back(text) and sentence_index > 0 and len(found) < CONTEXT_ROWS:  # the previous row is of the same document
        row, sentence_index = row - 1, sentence_index - 1
        text = texts.get(row) or index.sentence_text(row)
        found.insert(0, text)
    return found


def _following_references(index: SentenceIndex, hits: list[Hit], allowed: np.ndarray | None) -> list[int]:
    """The rows after the best hits that open by speaking of them ("The former star, 42, was …" after a
    sentence naming her): the question's names are not in them, so its own retrieval misses them."""
    found = []
    for hit in hits[:FOLLOWED_HITS]:
        document = index.sentence(hit.row).doc_id
        for row in range(hit.row + 1, min(hit.row + 1 + CONTEXT_ROWS, len(index))):
            following = index.sentence(row)
            if following.doc_id != document or not continues_subject(following.text):
                break
            if allowed is None or allowed[row]:
                found.append(row)
    return found


def _joined_last(hits: list[Hit], rows: list[int]) -> list[Hit]:
    """The hits, then the new ones of `rows` at the lowest retrieved score: sentences found by a second look
    are read, but never outrank the question's own."""
    known = {hit.row for hit in hits}
    floor = min((hit.score for hit in hits), default=0.0)
    return hits + [Hit(row, floor) for row in dict.fromkeys(rows) if row not in known]


def is_title_line(text: str, paragraph: int, document: dict) -> bool:
    """Whether a sentence is its document's title line (or a sentence of it): the document records whether its
    title is a line of its own, and a document whose first line is prose has none, so its lead sentence is
    not a headline. An index from before the record read the first paragraph's sentence equal to the title."""
    words = " ".join(text.split()).casefold()
    title = " ".join(str(document.get("title") or "").split()).casefold()
    if not words or not title:
        return False
    if "title_line" not in document:
        return words == title
    # a sentence of a headline of two sentences; further down, only most of the title repeated (a share line)
    return bool(document["title_line"]) and words in title and (paragraph == 0 or 2 * len(words) >= len(title))


def with_document_idf(index: SentenceIndex, sentences: list[RetrievedSentence], terms: list[str], names: frozenset[str] = frozenset()) -> list[RetrievedSentence]:
    """The sentences with the idf of the question's terms among their own document's sentences (a word
    every sentence of an article uses tells its sentences apart less than a rare one), and which of the
    index terms of the question's names (`names`, qa.answer_filters.name_terms) their document uses."""
    by_document: dict[str, tuple[dict[str, float], frozenset[str]]] = {}
    for sentence in sentences:
        if sentence.doc not in by_document:
            rows = index.document_rows(sentence.doc)
            used = frozenset(term for term in names if index.retriever.sentences_containing(term, rows.start, rows.stop))
            by_document[sentence.doc] = (_idf(index, terms, rows), used)
    return [
        replace(sentence, document_idf=by_document[sentence.doc][0], document_name_terms=by_document[sentence.doc][1]) for sentence in sentences
    ]


def _idf(index: SentenceIndex, terms: list[str], rows: range | None = None) -> dict[str, float]:
    """BM25-style idf of each term among the sentences of `rows` (all by default): rare words
    weigh more in how well a sentence matches."""
    rows = rows if rows is not None else range(len(index))
    weights = {}
    for term in terms:
        frequency = index.retriever.sentences_containing(term, rows.start, rows.stop)
        weights[term] = math.log(1 + (len(rows) - frequency + 0.5) / (frequency + 0.5))
    return weights


def document_names(index: SentenceIndex, doc_id: str) -> tuple[frozenset[str], frozenset[str]]:
    """Surnames of the full person names, and one-word organisation names, one document uses
    (cached with the loaded index): they let a bare "Merkel" or "Fatah" be recognised."""
    cache = _names_cache(index)
    names = cache.get(doc_id)
    if names is not None:
        try:
            cache.move_to_end(doc_id)  # least recently used goes first
        except KeyError:
            pass  # dropped meanwhile by another session's thread
        return names
    surnames, organizations = set(), set()
    for row in index.document_rows(doc_id)[:NAME_ROWS]:
        text = index.sentence_text(row)  # only the text: a whole `Sentence` cost as much again as the lookups
        for candidate in find_persons(text):
            words = candidate.text.split()
            if len(words) >= 2:
                surnames.add(words[-1])
        for candidate in find_organizations(text):
            if " " not in candidate.text and candidate.strength >= 0.9:
                organizations.add(candidate.text)
    names = cache[doc_id] = (frozenset(surnames), frozenset(organizations))
    while len(cache) > MAX_CACHED_DOCUMENTS:
        cache.popitem(last=False)
    return names


def _names_cache(index: SentenceIndex) -> OrderedDict[str, tuple[frozenset[str], frozenset[str]]]:
    """The names cache of one loaded index; it goes when the index object is garbage-collected, so a
    rebuilt index (a new object) starts empty and the old one's entries do not pile up."""
    key = id(index)
    cache = _document_names.get(key)
    if cache is None:
        cache = _document_names[key] = OrderedDict()
        weakref.finalize(index, _document_names.pop, key, None)
    return cache


# ---------------------------------------------------------------- follow-ups

_PRONOUN = re.compile(r"\b(" + "|".join(PRONOUNS) + r")\b", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<rest>.+?)\??\s*$", re.IGNORECASE)
_ELLIPTICAL = re.compile(r"^\s*(?:and|but|so)\s+(?P<rest>.+?)\??\s*$", re.IGNORECASE)


def resolve_follow_up(question: str, history: list[Answer] | None) -> str:
    """Rewrite a follow-up into a full question using the previous turn.

    "Where was he based?" -> the pronoun becomes the previous turn's person (its answer
    when it asked who, else its focus); "And in 2024?" / "What about X?" reuse the
    previous question with the new words.
    """
    if not history:
        return question
    previous = history[-1]
    previous_question = previous.resolved_question or previous.question
    referent = previous.focus
    if previous.answer_type == "PERSON" and previous.answer and " and " not in previous.answer:
        referent = previous.answer
    about = _WHAT_ABOUT.match(question)
    if about and previous.focus:
        rest = about.group("rest")
        if previous.focus in previous_question:
            return previous_question.replace(previous.focus, rest, 1)
        return f"{previous_question.rstrip('?')} {rest}?"
    elliptical = _ELLIPTICAL.match(question)
    if elliptical and not re.search(r"\b(who|whom|what|when|where|why|how|which|did|does|is|was)\b", elliptical.group("rest"), re.IGNORECASE):
        return f"{previous_question.rstrip('?. ')} {elliptical.group('rest')}?"
    if referent and _PRONOUN.search(question):

        def substitute(match: re.Match) -> str:
            word = match.group(1).lower()
            return f"{referent}'s" if word in {"his", "her", "its", "their"} else referent

        return _PRONOUN.sub(substitute, question, count=1)
    return question


@dataclass(frozen=True)
class Gathered:
    """What the answerer needs for one question: its analysis, the retrieved sentences, idf, known names."""

    question: Question
    sentences: list[RetrievedSentence]
    idf: dict[str, float]
    names: frozenset[str]
    organizations: frozenset[str]
    resolved: str | None  # the question after follow-up resolution, when it changed


def _measure_rows(index: SentenceIndex, terms: list[str], measure_term: str, allowed: np.ndarray | None) -> list[int]:
    """Sentences that state a "how old/tall/far" measure with its adjective ("Smith is 73 years old"),
    beyond the question's own retrieval: the adjective is no question term, so a sentence naming
    the subject once and the measure ranks below sentences repeating the subject's full name."""
    return [hit.row for hit in index.retriever.search_terms([*terms, measure_term], MEASURE_RETRIEVED, allowed)]


def _retrieve(index: SentenceIndex, question: str, allowed: np.ndarray | None) -> tuple[Question, list[Hit]]:
    """A question's analysis and its best sentences."""
    analysis = analyze_question(question)
    terms = list(analysis.expanded_terms)
    try:
        return analysis, index.retriever.search_terms(terms, RETRIEVED, allowed) if terms else index.search(question, RETRIEVED, allowed)
    except EmptyQuestion:
        return analysis, []


def _document_texts(index: SentenceIndex, hits: list[Hit]) -> list[list[str]]:
    """The sentences of the documents of the best hits, where an acronym of the question is spelled out."""
    documents = list(dict.fromkeys(index.doc_id_of(hit.row) for hit in hits))[:ACRONYM_DOCUMENTS]
    return [[index.sentence_text(row) for row in index.document_rows(doc_id)[:ACRONYM_ROWS]] for doc_id in documents]


def gather(question: str, index: SentenceIndex, history: list[Answer] | None = None, scope: Scope | None = None) -> Gathered:
    """Check the question, resolve a follow-up, analyse it and retrieve its sentences (among the
    documents of `scope`: outlets, dates)."""
    question = question.strip()
    if not question:
        raise EmptyQuestion("the question is empty")
    if len(question) > MAX_QUESTION_CHARACTERS:
        raise InputTooLong(f"the question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARACTERS}")
    allowed = allowed_rows(index, scope)
    resolved = resolve_follow_up(question, history)
    analysis, hits = _retrieve(index, resolved, allowed)
    if acronyms(resolved):
        spelled, used = spell_out(resolved, _document_texts(index, hits))
        if used:
            resolved = spelled
            analysis, hits = _retrieve(index, resolved, allowed)
            spellings = tuple((tuple(analyze(acronym)), tuple(analyze(spelling))) for acronym, spelling in used.items())
            analysis = replace(analysis, spellings=spellings)
    terms = list(analysis.expanded_terms)
    if analysis.measure_term and terms and analysis.measure_term not in terms:
        hits = _joined_last(hits, _measure_rows(index, terms, analysis.measure_term, allowed))
    hits = _joined_last(hits, _following_references(index, hits, allowed))
    sentences = [retrieved_sentence(index, hit.row, hit.score) for hit in hits]
    sentences = with_document_idf(index, sentences, list(analysis.terms), name_terms(analysis))
    names: frozenset[str] = frozenset()
    organizations: frozenset[str] = frozenset()
    if analysis.answer_type in {"PERSON", "OTHER", "ORGANIZATION"}:
        for doc_id in list(dict.fromkeys(sentence.doc for sentence in sentences))[:NAME_DOCUMENTS]:
            document_surnames, document_organizations = document_names(index, doc_id)
            names |= document_surnames
            organizations |= document_organizations
    idf = _idf(index, list(analysis.terms))
    return Gathered(analysis, sentences, idf, names, organizations, resolved if resolved != question else None)


def answer(
    question: str,
    index: SentenceIndex,
    history: list[Answer] | None = None,
    threshold: float | None = None,
    scope: Scope | None = None,
    text_kind: TextKind = "news",
) -> Answer:
    """Answer a question from the index, using earlier turns for follow-ups. `threshold` replaces
    the answer model's decline threshold when given; `scope` limits which documents' sentences
    are retrieved (outlets, dates); `text_kind` chooses the fitted threshold of the corpus's kind
    of text (qa.answerability: news for the app, encyclopedia for the SQuAD evaluation)."""
    gathered = gather(question, index, history, scope)
    result = answer_from_sentences(
        gathered.question, gathered.sentences, gathered.idf, threshold, gathered.resolved, gathered.names, gathered.organizations,
        text_kind=text_kind,
    )  # fmt: skip
    question = question.strip()
    if result.question != question:
        result = Answer(**{**result.__dict__, "question": question})
    return result


WARM_UP_QUESTION = "Who met whom?"  # made up: loads the model, the gazetteer and the index's lookups


def warm_up(index: SentenceIndex) -> None:
    """Ready a serving process before its first real question (the API server and `qa bench` call it).

    The postings are checked and mapped (`SentenceIndex.warm`); one made-up question loads the
    spaCy model, the gazetteer and the index's lazy lookups; the city gazetteer, which only some
    "where" answers read, is loaded too (`load_gazetteers`); then every object alive is frozen
    (`gc.freeze`). They live as long as the process, and each full collection would otherwise walk
    them all (the model, the term dictionary, the ids): at a million sentences a pause of 0.1-0.2 s
    that fell on a few questions in a hundred, a good part of the answer p95.
    """
    index.warm()
    answer(WARM_UP_QUESTION, index)
    load_gazetteers()
    gc.collect()
    gc.freeze()
