"""How well a sentence matches a question's words: stems, synonyms, derived forms and names.

Shared by the sentence ranking and the answerer, so that both judge a match the same way.
"""

from __future__ import annotations

import functools
import math
import re

from qa.question import Question, synonym_stems
from qa.text import STOPWORDS, same_length_normalise, stem, tokenize

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@functools.lru_cache(maxsize=20_000)
def sentence_tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, stem) of each word in a sentence, for proximity (cached: sentences recur)."""
    tokens = []
    for match in _TOKEN.finditer(same_length_normalise(text)):
        word = match.group(0).lower()
        if "'" in word:
            word = re.sub(r"'s?$", "", word).replace("'", "")
        if word:
            tokens.append((match.start(), match.end(), stem(word)))
    return tuple(tokens)


@functools.lru_cache(maxsize=4096)
def _alternatives_cached(term: str) -> frozenset[str]:
    return frozenset({term} | synonym_stems(term))


def alternatives(term: str) -> set[str]:
    """A stemmed term and the stems of its general-English synonyms."""
    return set(_alternatives_cached(term))


def term_weights(question: Question, idf: dict[str, float]) -> dict[str, float]:
    """Weight of each question term: its idf, less for the noun naming the answer ("which country")."""
    weights = {}
    noun = stem(question.answer_noun) if question.answer_noun else None
    for term in question.terms:
        weight = idf.get(term, max(idf.values(), default=1.0))
        weights[term] = weight * (0.3 if term == noun else 1.0)
    return weights


def coverage(question: Question, weights: dict[str, float], stems: set[str], context_stems: set[str] = frozenset()) -> tuple[float, set[str]]:
    """Weighted share of question terms the sentence contains (synonyms count 0.8), and the stems matched.

    Names of the question found only in `context_stems` (the document title, the sentence a
    pronoun refers back to) count 0.7."""
    credits, matched = term_credits(question, weights, stems, context_stems)
    return share_of(credits, weights), matched


def share_of(credits: dict[str, float], weights: dict[str, float]) -> float:
    """The weighted share of the question's terms given each term's credit (0 to 1)."""
    total = sum(weights.values()) or 1.0
    # fsum: exactly rounded whatever the order of `credits` (built from sets, whose order changes with the hash seed)
    return math.fsum(weights[term] * credit for term, credit in credits.items()) / total


def term_credits(question: Question, weights: dict[str, float], stems: set[str], context_stems: set[str] = frozenset()) -> tuple[dict[str, float], set[str]]:
    """How far each question term is matched (1 itself, 0.8 a derived or shorter form or a synonym, 0.7 a
    name found only in the context), and the stems matched."""
    credits: dict[str, float] = {}
    matched: set[str] = set()
    name_stems = entity_stems(question)
    joined = None  # the stems as one string, for finding derived forms with one scan in C
    for term in weights:
        if term in stems:
            credits[term] = 1.0
            matched.add(term)
            continue
        if term in name_stems and term in context_stems:
            credits[term] = 0.7
            continue
        if len(term) >= 4:
            # "Kenyan" for "Kenya", "Italian" for "Italy"
            if joined is None:
                joined = " " + " ".join(stems) + " "
            derived = set(_derived_forms(term).findall(joined))
            if derived:
                credits[term] = 0.8
                matched.update(derived)
                continue
        # "Italy" for "Italian", "economic" for "economy": the question's word less one or two letters
        shorter = {term[:cut] for cut in range(max(4, len(term) - 2), len(term))} & stems if len(term) >= 5 else set()
        if shorter:
            credits[term] = 0.8
            matched.update(shorter)
            continue
        synonyms = alternatives(term) & stems
        if synonyms:
            credits[term] = 0.8
            matched.update(synonyms)
    for acronym, spelling in question.spellings:  # "HMAs" and "Harbour Music Awards" are one name: either form matches both
        if set(acronym) <= matched or set(spelling) <= matched:
            credits.update({term: 1.0 for term in (*acronym, *spelling) if term in weights})
    return credits, matched


@functools.lru_cache(maxsize=4096)
def _derived_forms(term: str) -> re.Pattern:
    """Finds the stems that extend a term by up to three letters in a space-separated string."""
    return re.compile(rf"(?<= ){re.escape(term)}[^ ]{{0,3}}(?= )")


def entity_stems(question: Question) -> frozenset[str]:
    """Stems of the words of the question's names (cached: asked for every sentence)."""
    return _stems_of_names(question.entities)


@functools.lru_cache(maxsize=1024)
def _stems_of_names(entities: tuple[str, ...]) -> frozenset[str]:
    return frozenset(stem(token) for entity in entities for token in tokenize(entity))


def entity_tokens(question: Question) -> set[str]:
    return {token for entity in question.entities for token in tokenize(entity)}


def entity_factor(question: Question, sentence_tokens: set[str], context_tokens: set[str] = frozenset()) -> float:
    """Share of the question's names the sentence mentions: an answer about someone else is weaker.

    A name in the previous sentence (when this one says "he", "she" …) or in the document's
    title counts for a little less than one in the sentence itself."""
    if not question.entities:
        return 1.0

    def mentions(entity: str, tokens: set[str]) -> bool:
        return any(token.startswith(word[:5]) for word in tokenize(entity) for token in tokens if len(word) >= 4 or token == word)

    weights = [0.5 if is_demonym(entity) else 1.0 for entity in question.entities]
    present = 0.0
    for entity, weight in zip(question.entities, weights):
        if mentions(entity, sentence_tokens):
            present += weight
        elif mentions(entity, context_tokens):
            present += 0.7 * weight
    return 0.4 + 0.6 * present / sum(weights)


_CAPITALISED_WORD = re.compile(r"\b[A-Z][\w'’-]*")


def capitalised_words(text: str) -> set[str]:
    """The lowercased capitalised words of a text, stopwords aside: the names it mentions, roughly."""
    return {word.lower() for word in _CAPITALISED_WORD.findall(text)} - STOPWORDS


def is_demonym(entity: str) -> bool:
    """"Kenyan", "Israeli", "Chinese": a capitalised adjective, weaker evidence than a name."""
    return " " not in entity and bool(re.search(r"(?:ian|ean|ese|ish|i)$", entity))
