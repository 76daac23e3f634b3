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


def _spelling_pattern(letters: list[str]) -> re.Pattern:
    """A run of words starting with these capitals in order, joining words allowed between them (one C-level scan)."""
    joining = "|".join(re.escape(word) for word in sorted(JOINING_WORDS))
    gap = rf"\s+(?:(?:{joining})\s+)*"
    return re.compile(r"(?<![\w'’-])" + gap.join(rf"{re.escape(letter)}[\w'’-]*" for letter in letters))


def spellings(acronym: str, text: str) -> Counter[str]:
    """How often each run of capitalised words whose initials spell `acronym` occurs in `text`."""
    letters = [letter for letter in acronym if letter.isalpha()]
    found: Counter[str] = Counter()
    for match in _spelling_pattern(letters).finditer(text):
        spelled = " ".join(match.group(0).split())
        if spelled.split()[0] not in _NOT_A_NAME_START and not spelled.isupper():
            found[spelled] += 1
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
            shown = written.group(0)
            possessive = shown[len(acronym) :] if shown[len(acronym) :] in {"'s", "’s"} else ""  # "X (PG&E)'s", "the X (HMAs)"
            rewritten = f"{rewritten[: written.start()]}{spelled} ({shown[: len(shown) - len(possessive)]}){possessive}{rewritten[written.end() :]}"
    return rewritten, used
