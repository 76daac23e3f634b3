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

import bisect
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
    # One pass over words and break points together (both in text order): linear in the sentence.
    runs: list[tuple[int, int]] = []
    run_start = -1
    next_break = 0
    for position, (start, _, _) in enumerate(words):
        previous_end = words[position - 1][1] if position else 0
        broken = False
        while next_break < len(breaks) and breaks[next_break] < start:
            broken = broken or breaks[next_break] >= previous_end
            next_break += 1
        if marks[position] != "W" or (broken and run_start >= 0):
            if run_start >= 0:
                runs.append((run_start, position - 1))
            run_start = position if marks[position] == "W" else -1
            continue
        if run_start < 0:
            run_start = position
    if run_start >= 0:
        runs.append((run_start, len(words) - 1))
    found = []
    for first, last in runs:
        while first <= last and words[first][2].lower() in EDGE_WORDS:
            first += 1
        while last >= first and words[last][2].lower() in EDGE_WORDS:
            last -= 1
        if first > last or last - first + 1 > MAX_PHRASE_WORDS:
            continue
        start, end = words[first][0], words[last][1]
        found.append(Phrase(sentence[start:end], start, end, last - first + 1, _distance(question_positions, first, last), bool(question_positions) and question_positions[0] < first))
    return found


def _distance(question_positions: list[int], first: int, last: int) -> int:
    """Words between the run first..last and the nearest question word (sorted positions; 99 when none)."""
    if not question_positions:
        return 99
    at = bisect.bisect_left(question_positions, first)
    nearest = [abs(question_positions[at] - last), abs(question_positions[at] - first)] if at < len(question_positions) else []
    if at > 0:
        nearest.append(first - question_positions[at - 1])
    return min(nearest)


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
