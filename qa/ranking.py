"""Sentence ranking: which retrieved sentence most likely holds the answer.

BM25 ranks sentences by the question's words, weighted by their rarity in the whole
corpus. An answer sentence also tends to hold the question's words that are rare in its
own article (not just the article's topic words), to use the question's very words (not
only their stems), to sit in a paragraph about the same thing (questions often take a
word from the sentence before), and to contain a span of the expected type. Each of these is a feature; a sentence's
score is their weighted sum. The weights were set on half of a public question set
(SQuAD v1.1 even-numbered dev questions) and checked on the other half; they are
general lexical evidence, not tied to any corpus.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from qa.matching import entity_factor, entity_stems, sentence_tokens, share_of, term_credits
from qa.question import Question
from qa.results import RetrievedSentence
from qa.retriever import K1, B
from qa.text import analyze, stem, tokenize

# Feature weights (see the module docstring); shares enter as logarithms, so that a
# sentence missing most of the question's words is penalised more than linearly.
WEIGHTS = {
    "document_share": 1.6,  # log of the weighted share of question words in the sentence, each word
    # weighted by its idf among the sentences of the sentence's own document (an article's topic
    # words, in nearly all of its sentences, tell them apart less than the question's other words)
    "entities": 0.4,  # log of the share of the question's names mentioned
    "bm25": 1.0,  # BM25 score relative to the best retrieved sentence
    "window": 0.4,  # log of the share of question words in the sentence and its neighbours
    "paragraph": 0.9,  # log of the share of question words in the sentence's paragraph
    "paragraph_bm25": 1.8,  # BM25 of the paragraph relative to the best retrieved paragraph
    "exact": 1.2,  # idf-weighted share of the question's words found unstemmed
    "typed": 0.5,  # the sentence holds a candidate of the expected answer type
    "strong": 0.6,  # … a strong one (a full date, a known name)
}
SHARE_FLOOR = 0.05  # keeps the logarithm finite for a sentence matching nothing
STRONG_CANDIDATE = 0.9


def _log_share(share: float) -> float:
    return math.log(share + SHARE_FLOOR)


def sentence_scores(
    question: Question,
    sentences: Sequence[RetrievedSentence],
    weights: dict[str, float],
    idf: dict[str, float],
    strongest_candidate: Sequence[float],
    names: Sequence[float] | None = None,
    date_words: Sequence[set[str]] | None = None,
) -> list[float]:
    """A score per sentence (higher is better; only differences matter).

    `weights` are the question terms' weights (qa.matching.term_weights), `idf` the
    index's idf of the question terms, `strongest_candidate[i]` the strength of the best
    typed candidate in sentence i (0 when it has none), `names[i]` its
    `qa.matching.entity_factor` when the caller has it already, `date_words[i]` the year and
    month words of the dates it states, resolved ("on Sunday" -> its month and year).
    """
    if not sentences:
        return []
    best_bm25 = max(sentence.score for sentence in sentences) or 1.0
    question_words = [word for word in question.content_words if word not in {"many", "much"}]
    word_weights = {word: idf.get(stem(word), max(idf.values(), default=1.0)) for word in question_words}
    total_word_weight = sum(word_weights.values()) or 1.0

    paragraph_terms: dict[tuple[str, int], Counter] = {}
    for sentence in sentences:
        key = (sentence.doc, sentence.paragraph)
        if key not in paragraph_terms:
            paragraph_terms[key] = Counter(analyze(sentence.paragraph_text or sentence.text))
    average_length = sum(sum(counts.values()) for counts in paragraph_terms.values()) / len(paragraph_terms) or 1.0
    paragraph_bm25 = {key: _bm25(counts, question.terms, idf, average_length) for key, counts in paragraph_terms.items()}
    best_paragraph = max(paragraph_bm25.values()) or 1.0

    name_stems = entity_stems(question)
    credits_of_text: dict[str, dict[str, float]] = {}

    def credits(text: str) -> dict[str, float]:
        if text not in credits_of_text:
            credits_of_text[text] = term_credits(question, weights, {token for _, _, token in sentence_tokens(text)})[0]
        return credits_of_text[text]

    paragraph_credits = {key: term_credits(question, weights, set(counts))[0] for key, counts in paragraph_terms.items()}
    scores = []
    for position, (sentence, strength) in enumerate(zip(sentences, strongest_candidate)):
        own = credits(sentence.text)
        if date_words is not None and date_words[position]:
            own = own | {term: 1.0 for term in weights if term in date_words[position]}
        # a name of the question in the title or the sentence a pronoun refers to counts 0.7
        context = {term: 0.7 for term in name_stems & set(credits(f"{sentence.title} {sentence.context}")) if term in weights}
        words = set(tokenize(sentence.text))
        exact = sum(weight for word, weight in word_weights.items() if word in words) / total_word_weight
        features = {
            "entities": math.log(names[position] if names is not None else entity_factor(question, words, set(tokenize(f"{sentence.title} {sentence.context}")))),
            "bm25": sentence.score / best_bm25,
            "window": _log_share(share_of(_best(own, context, credits(sentence.neighbours)), weights)),
            "paragraph": _log_share(share_of(_best(own, context, paragraph_credits[(sentence.doc, sentence.paragraph)]), weights)),
            "paragraph_bm25": paragraph_bm25[(sentence.doc, sentence.paragraph)] / best_paragraph,
            "exact": exact,
            "typed": float(strength > 0),
            "strong": float(strength >= STRONG_CANDIDATE),
            "document_share": _log_share(share_of(_best(own, context), _document_weights(sentence, weights))),
        }
        scores.append(sum(WEIGHTS[name] * value for name, value in features.items()))
    return scores


def _document_weights(sentence: RetrievedSentence, weights: dict[str, float]) -> dict[str, float]:
    """The question terms' weights by their idf among the sentence's document's sentences (the usual weights when unknown)."""
    if not sentence.document_idf:
        return weights
    return {term: sentence.document_idf.get(term, weight) for term, weight in weights.items()}


def _best(*credits: dict[str, float]) -> dict[str, float]:
    """Each term's best credit over several texts (the credit of their union)."""
    merged: dict[str, float] = {}
    for part in credits:
        for term, credit in part.items():
            merged[term] = max(credit, merged.get(term, 0.0))
    return merged


def _bm25(counts: Counter, terms: Sequence[str], idf: dict[str, float], average_length: float) -> float:
    length = sum(counts.values())
    score = 0.0
    for term in dict.fromkeys(terms):  # in the question's order: a set's order (and so the float sum) changes with the hash seed
        frequency = counts.get(term, 0)
        if frequency:
            score += idf.get(term, 0.0) * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / average_length))
    return score
