"""Acronyms in a question spelled out the way the articles name the thing.

An analyst asks "When are the HMAs?" of articles that say "the Harbour Music Awards on Sunday"
and only once, elsewhere, "the HMAs". The index matches words, so the sentence that answers
shares no word with the question and is never retrieved. An acronym is a general pattern, not a
synonym list: its letters are the initials of a run of capitalised words in the articles the
question finds ("Harbour Music Awards": H, M, A), with small joining words between them ("Royal
Society for the Protection of Birds": RSPB). The question is then asked with the name written
out beside the acronym, and the reply shows it as the question understood. The acronym and its
spelling are one name to the matching (qa.matching.term_credits): a sentence using either form
matches it whole, so spelling it out takes nothing from the sentences that use the acronym.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# Two to six capitals, perhaps with "&" inside ("PG&E"), and a plural or possessive ending ("HMAs", "HMA's").
_ACRONYM = re.compile(r"(?<![\w.])([A-Z][A-Z&]{1,5})(?:s|'s|’s)?(?![\w.])")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Lower-case words that may join the words of a name without giving it a letter ("Society for the Protection of Birds").
JOINING_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "&"})
# Capitalised words that begin sentences or name no thing: never the first word of a name.
_NOT_A_NAME_START = frozenset({"The", "A", "An", "In", "On", "At", "Of", "For", "And", "But", "Or", "It", "He", "She", "They", "We", "I"})
# A two-letter acronym ("GE", "ID") has many chance spellings: it is spelled out only from an article that uses it too.
SHORT_ACRONYM = 2


def acronyms(question: str) -> list[str]:
    """The acronyms of a question, without plural or possessive endings, in order and without repeats."""
    found = [match.group(1) for match in _ACRONYM.finditer(question)]
    return list(dict.fromkeys(acronym for acronym in found if sum(letter.isalpha() for letter in acronym) >= 2))


def spellings(acronym: str, text: str) -> Counter[str]:
    """How often each run of capitalised words whose initials spell `acronym` occurs in `text`."""
    letters = [letter for letter in acronym if letter.isalpha()]
    words = [(match.group(0), match.start(), match.end()) for match in _WORD.finditer(text)]
    found: Counter[str] = Counter()
    for first, (word, start, _) in enumerate(words):
        if word[0] != letters[0] or word in _NOT_A_NAME_START or not word[0].isupper():
            continue
        position, letter, end = first, 0, 0
        while position < len(words) and letter < len(letters):
            current, _, current_end = words[position]
            if current[0] == letters[letter] and current[0].isupper():
                letter, end = letter + 1, current_end
            elif current.lower() not in JOINING_WORDS or letter == 0:
                break
            position += 1
        if letter == len(letters) and not text[start:end].isupper():
            found[" ".join(text[start:end].split())] += 1
    return found


def spell_out(question: str, texts_by_document: Iterable[list[str]]) -> tuple[str, dict[str, str]]:
    """The question with each acronym followed by its spelling in the articles ("the HMAs" -> "the Harbour Music
    Awards (HMAs)"), when one spelling is the most frequent, and the spellings used by the acronym as the question
    writes it ({"HMAs": "Harbour Music Awards"})."""
    documents = [" ".join(texts) for texts in texts_by_document]
    rewritten, used = question, {}
    for acronym in acronyms(question):
        counts: Counter[str] = Counter()
        for document in documents:
            if len(acronym) <= SHORT_ACRONYM and not re.search(rf"(?<![\w.]){re.escape(acronym)}(?![\w.])", document):
                continue
            counts.update(spellings(acronym, document))
        ranked = counts.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]) or ranked[0][0].lower() in question.lower():
            continue
        written = re.search(rf"(?<![\w.]){re.escape(acronym)}(?:s|'s|’s)?(?![\w.])", rewritten)
        if written:
            spelled = used[written.group(0)] = ranked[0][0]
            rewritten = f"{rewritten[: written.start()]}{spelled} ({written.group(0)}){rewritten[written.end() :]}"
    return rewritten, used
