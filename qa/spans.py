"""Untyped answer spans: the phrases of a sentence that the question does not already say.

For "what"/"which"/"how" questions the answer is often a lowercase noun phrase no
typed extractor knows ("a meritocratic bureaucracy", "liquid nitrogen"). Without a
part-of-speech tagger, a phrase is a run of words between punctuation, the question's
own words, clause words (verbs of being, relative pronouns, clause conjunctions,
-ed/-ing/-ly forms) and prepositions other than "of", with function words trimmed
from both ends. Phrases close to the question's words score higher, as in the SQuAD
paper's sliding-window baseline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.dates import YEAR_NUMBER
from qa.extract import Candidate
from qa.text import STOPWORDS, stem, tokenize

MAX_PHRASE_WORDS = 8

# Words that end a phrase: they open or join clauses rather than belong to a noun phrase.
CLAUSE_WORDS = frozenset(
    """
    is are was were be been being am has have had having do does did can could will would shall should may might must
    which who whom whose that where when while whereas because although though since unless if whether than
    however therefore thus also not but nor so yet then there it its it's this these those they them their he she his
    her him we our you your i
    """.split()
)
# Function words trimmed from a phrase's ends ("of the X and" -> "X").
EDGE_WORDS = STOPWORDS | CLAUSE_WORDS | frozenset("such many much several some various other another both each either one".split())

_WORD = re.compile(r"\$?\d+(?:[,.]\d+)*%?|[^\W_]+(?:[.'’\-][^\W_]+)*%?", re.UNICODE)
_VERB_FORM = re.compile(r"^[a-z]{3,}(?:ed|ing)$|^[a-z]{3,}ly$")
# Nouns and adjectives that only look like adverbs.
NOT_ADVERBS = frozenset("family assembly supply monopoly anomaly rally ally reply lily belly jelly folly bully holy ugly melancholy early".split())
# Prepositions that join two phrases rather than sit inside a name ("of" stays: "the capital of France").
SPLITTING_PREPOSITIONS = frozenset("to in into at by for from with on during after before within without against among via".split())
_BREAK = re.compile(r"[,;:()\[\]\"“”!?]|\s[-–—]\s|\.\s")


@dataclass(frozen=True)
class Phrase:
    """A phrase of a sentence: its span, its words, and how close it is to the question's words."""

    text: str
    start: int
    end: int
    words: int
    distance: int  # words between the phrase and the nearest question word (large when none)
    follows_question_word: bool


def question_stems(question: str) -> frozenset[str]:
    """Stems of the question's content words (what a phrase must not repeat)."""
    return frozenset(stem(token) for token in tokenize(question) if token not in STOPWORDS)


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(match.start(), match.end(), match.group(0)) for match in _WORD.finditer(text)]


def _is_question_word(word: str, stems: frozenset[str]) -> bool:
    tokens = tokenize(word)
    return bool(tokens) and tokens[0] not in STOPWORDS and stem(tokens[0]) in stems


def phrases(sentence: str, question: str) -> list[Phrase]:
    """Runs of words that are neither the question's words nor clause words, trimmed of function words."""
    stems = question_stems(question)
    words = _words(sentence)
    if not words:
        return []
    breaks = [match.start() for match in _BREAK.finditer(sentence)]
    marks = []  # per word: "Q" question word, "C" clause word, "W" other
    for _, _, word in words:
        lowered = word.lower()
        if _is_question_word(word, stems):
            marks.append("Q")
        elif lowered in CLAUSE_WORDS or (_VERB_FORM.match(word) and lowered not in NOT_ADVERBS) or lowered in SPLITTING_PREPOSITIONS:
            marks.append("C")
        else:
            marks.append("W")
    question_positions = [position for position, mark in enumerate(marks) if mark == "Q"]
    runs: list[tuple[int, int]] = []
    current: list[int] = []
    for position, (start, _, _) in enumerate(words):
        broken = current and any(words[current[-1]][1] <= point < start for point in breaks)
        if marks[position] != "W" or broken:
            if current:
                runs.append((current[0], current[-1]))
            current = [] if marks[position] != "W" else [position]
            continue
        current.append(position)
    if current:
        runs.append((current[0], current[-1]))
    found = []
    for first, last in runs:
        while first <= last and words[first][2].lower() in EDGE_WORDS:
            first += 1
        while last >= first and words[last][2].lower() in EDGE_WORDS:
            last -= 1
        if first > last or last - first + 1 > MAX_PHRASE_WORDS:
            continue
        start, end = words[first][0], words[last][1]
        distance = min((min(abs(position - first), abs(position - last)) for position in question_positions), default=99)
        follows = any(position < first for position in question_positions)
        found.append(Phrase(sentence[start:end], start, end, last - first + 1, distance, follows))
    return found


def phrase_score(phrase: Phrase, wants: str | None = None) -> float:
    """How likely a phrase is the answer: near the question's words, short, after a question word,
    and of the wanted shape ("NAME": capitalised words, "NUMBER": digits; None: either).

    The weights were chosen on SQuAD questions whose best BM25 sentence holds the answer.
    """
    closeness = 1.0 / (1.0 + max(0, phrase.distance - 1) / 4.0)
    length = 1.0 if phrase.words <= 3 else 0.7
    order = 1.0 if phrase.follows_question_word else 0.7
    capitalised = phrase.start > 0 and any(word[0].isupper() for word in phrase.text.split())
    numeric = any(character.isdigit() for character in phrase.text)
    if wants == "NAME":
        shape = 1.0 if capitalised else 0.3
    elif wants == "NUMBER":
        shape = 1.0 if numeric and not YEAR_NUMBER.fullmatch(phrase.text) else 0.2  # a year is not a count
    else:
        shape = 1.0 if capitalised else 0.7
    if phrase.words == 1 and not capitalised and not numeric:
        shape *= 0.6  # a lone lowercase word is more often a verb or an adverb than an answer
    return closeness * length * order * shape


def phrase_candidates(sentence: str, question: str, wants: str | None = None, strength: float = 1.0) -> list[Candidate]:
    """The phrases of a sentence as answer candidates of kind "PHRASE", strongest first."""
    found = []
    for phrase in phrases(sentence, question):
        key = " ".join(phrase.text.lower().split())
        found.append(Candidate("PHRASE", phrase.text, phrase.start, phrase.end, key, strength * phrase_score(phrase, wants)))
    return sorted(found, key=lambda candidate: -candidate.strength)
