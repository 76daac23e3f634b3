"""Does a sentence state what the question relates, or only hold its words?

A question written to look answerable usually has all its words in some sentence, but not in the
relation it asks about: its subject is the sentence's object ("who did X defeat?" over "Y defeated
X"), its modifier belongs to another noun ("the first president of Y" over "Y's first treaty ...
president"), or its verb has another subject in the sentence. This module reads the question's
parse as a set of head-dependent links between content words (verb-subject, verb-object,
noun-modifier, noun-of-noun through a preposition) and checks each link in the parse of the chosen
sentence: are both words there (same lemma, same stem or a synonym's stem), and are they linked
there too (a short path in the same clause)?

Plain functions over `qa.annotation.Annotation`; `relation_features` returns named numbers for the
answerability model (qa.answerability), which weighs them. Nothing here knows an article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.annotation import Annotation
from qa.matching import alternatives
from qa.syntax import _crosses_clause, _path, _role, span_tokens
from qa.text import stem

# Words whose links carry what is asked (not function words, not the wh-word).
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
LIGHT_LEMMAS = frozenset({"be", "do", "have", "many", "much", "-pron-"})
WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
# Tokens a link may pass through without counting as a step: prepositions, case markers, particles,
# and the auxiliaries a passive or a tense adds ("was founded by": founded - by - X is one link).
TRANSPARENT_POS = frozenset({"ADP", "PART", "AUX", "DET"})
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nummod", "nmod", "quantmod", "npadvmod"})
MAX_LINK = 2  # content-word steps on the sentence's path between two words for them to count as linked
SUBJECT_OBJECT = {"subject": "object", "object": "subject"}

RELATION_FEATURES = (
    "relations_none",  # the question has no link between two content words (the other features are then 0)
    "relations_present_share",  # share of the question's links whose two words are both in the sentence
    "relations_kept_share",  # share of the question's links that the sentence states: both words there and linked
    "relation_unlinked",  # some link has both words in the sentence but not linked there
    "modifier_unlinked",  # … a modifier link ("first president", "X's wife") has both words but they modify other words
    "subject_object_swapped",  # the question's subject of its verb is the sentence verb's object, or the reverse
    "verb_has_other_subject",  # the sentence's matching verb has a named subject that is not the question's subject
    "answer_linked_to_asked",  # the answer is linked to the sentence word matching what the wh-phrase attaches to
    "substituted_share",  # share of links with one word in the sentence whose partner there is another word of the same kind
    "substituted_verb",  # … the question's missing word is a verb ("discouraged" where the sentence says "promoted")
    "substituted_modifier",  # … an adjective, adverb or number ("closed" where the sentence says "open", "little" for "much")
    "substituted_noun",  # … a noun ("flower-shaped" where the sentence says "leaf-shaped")
)
# The kind of a question word by its part of speech, and the parts of speech of sentence words that can stand in
# its slot ("closed" is a verb in "are closed", "open" an adjective in "are open").
POS_KINDS = {"NOUN": "noun", "PROPN": "noun", "VERB": "verb", "ADJ": "modifier", "ADV": "modifier", "NUM": "modifier"}
STAND_INS = {"noun": frozenset({"NOUN", "PROPN"}), "verb": frozenset({"VERB", "ADJ"}), "modifier": frozenset({"ADJ", "ADV", "NUM", "VERB"})}


@dataclass(frozen=True)
class Link:
    """A head-dependent link between two content words of the question (token indices)."""

    head: int
    dependent: int
    kind: str  # "subject", "object", "modifier" or "other"


def _content(annotation: Annotation, index: int) -> bool:
    token = annotation.tokens[index]
    return token.pos in CONTENT_POS and token.tag not in WH_TAGS and token.lemma.lower() not in LIGHT_LEMMAS and len(token.text) > 1


def _content_head(annotation: Annotation, index: int) -> int | None:
    """The first content word above `index`, passing through prepositions and other function words."""
    seen = {index}
    current = annotation.tokens[index].head
    while current not in seen:
        if _content(annotation, current):
            return current
        if annotation.tokens[current].lemma.lower() == "be":
            # a copula's subject is linked to what it is said to be ("meetings are open": meetings - open)
            complement = [
                child for child, token in enumerate(annotation.tokens)
                if token.head == current and token.dep in {"acomp", "attr"} and child != index and _content(annotation, child)
            ]  # fmt: skip
            if complement:
                return complement[0]
        if annotation.tokens[current].pos not in TRANSPARENT_POS:
            return None
        seen.add(current)
        current = annotation.tokens[current].head
    return None


def question_links(annotation: Annotation) -> list[Link]:
    """The question's links between content words, each with its kind."""
    links = []
    for index, token in enumerate(annotation.tokens):
        if not _content(annotation, index):
            continue
        head = _content_head(annotation, index)
        if head is None:
            continue
        role = _role(annotation, index, head) if annotation.tokens[head].pos in {"VERB", "AUX"} else ""
        if role in {"subject", "object"}:
            kind = role
        elif token.dep in MODIFIER_DEPS:
            kind = "modifier"
        else:
            kind = "other"
        links.append(Link(head, index, kind))
    return links


def _keys(lemma: str, text: str) -> set[str]:
    lowered = lemma.lower()
    return {lowered, text.lower(), stem(lowered), stem(text.lower())}


def matches(question: Annotation, sentence: Annotation) -> dict[int, list[int]]:
    """For each content word of the question, the sentence tokens that say it: the same lemma or
    word, the same stem, or a synonym's stem."""
    index_by_key: dict[str, list[int]] = {}
    for position, token in enumerate(sentence.tokens):
        for key in _keys(token.lemma, token.text):
            index_by_key.setdefault(key, []).append(position)
    found = {}
    for index, token in enumerate(question.tokens):
        if not _content(question, index):
            continue
        keys = _keys(token.lemma, token.text) | alternatives(stem(token.lemma.lower()))
        positions = sorted({position for key in keys for position in index_by_key.get(key, ())})
        if positions:
            found[index] = positions
    return found


def _steps(annotation: Annotation, path: Sequence[int]) -> int:
    """Content-word steps along a path: the words between its ends that are not function words, plus one."""
    return 1 + sum(annotation.tokens[index].pos not in TRANSPARENT_POS for index in path[1:-1])


def _same_entity(annotation: Annotation, first: int, second: int) -> bool:
    a, b = annotation.tokens[first], annotation.tokens[second]
    return any(start <= a.start and a.end <= end and start <= b.start and b.end <= end for start, end, _ in annotation.entities)


def linked(annotation: Annotation, first: int, second: int) -> bool:
    """Two sentence tokens are linked: in one name, or at most MAX_LINK content-word steps apart in one clause."""
    if first == second or _same_entity(annotation, first, second):
        return True
    path = _path(annotation, first, second)
    return path is not None and _steps(annotation, path) <= MAX_LINK and not _crosses_clause(annotation, path)


def _sentence_roles(sentence: Annotation, noun_positions: Sequence[int], verb_positions: Sequence[int]) -> set[str]:
    roles = set()
    for noun in noun_positions:
        for verb in verb_positions:
            # a name's role is its head's: "Ada Brook" is the subject through "Brook"
            head = noun
            while sentence.tokens[head].dep in {"compound", "flat"} and sentence.tokens[head].head != head:
                head = sentence.tokens[head].head
            role = _role(sentence, head, verb)
            if role:
                roles.add(role)
    return roles


def _partners(sentence: Annotation, position: int, head_side: bool) -> list[int]:
    """The content words linked to a sentence token in one slot: its content head, or its content dependents."""
    if head_side:
        head = _content_head(sentence, position)
        return [] if head is None else [head]
    return [
        index
        for index in range(len(sentence.tokens))
        if index != position and _content(sentence, index) and _content_head(sentence, index) == position
    ]


def _substituted(question: Annotation, sentence: Annotation, link: Link, found: dict[int, list[int]], said: set[int]) -> str:
    """The kind of a link's word the sentence replaces ("verb", "modifier", "noun"), or "": one word of the link is in
    the sentence, the other is not, and the sentence links the first to another word of the missing one's kind."""
    if (link.head in found) == (link.dependent in found):
        return ""
    missing = link.dependent if link.head in found else link.head
    kind = POS_KINDS.get(question.tokens[missing].pos, "")
    if not kind:
        return ""
    present = link.head if missing == link.dependent else link.dependent
    for position in found[present]:
        for partner in _partners(sentence, position, head_side=missing == link.head):
            if partner not in said and sentence.tokens[partner].pos in STAND_INS[kind]:
                return kind
    return ""


def relation_features(question: Annotation, sentence: Annotation, answer_start: int = -1, answer_end: int = -1) -> dict[str, float]:
    """The `RELATION_FEATURES` of a question's parse against the parse of the sentence holding its
    answer (character span [answer_start, answer_end) in the sentence; -1 without one)."""
    features = dict.fromkeys(RELATION_FEATURES, 0.0)
    links = question_links(question)
    if not links:
        features["relations_none"] = 1.0
        return features
    found = matches(question, sentence)
    present = [link for link in links if link.head in found and link.dependent in found]
    kept = [
        link
        for link in present
        if any(linked(sentence, head, dependent) for head in found[link.head] for dependent in found[link.dependent])
    ]
    unlinked = [link for link in present if link not in kept]
    features["relations_present_share"] = len(present) / len(links)
    features["relations_kept_share"] = len(kept) / len(links)
    features["relation_unlinked"] = float(bool(unlinked))
    features["modifier_unlinked"] = float(any(link.kind == "modifier" for link in unlinked))

    said = {position for positions in found.values() for position in positions}
    substituted = [_substituted(question, sentence, link, found, said) for link in links]
    features["substituted_share"] = sum(bool(kind) for kind in substituted) / len(links)
    for kind in ("verb", "modifier", "noun"):
        features[f"substituted_{kind}"] = float(kind in substituted)

    tokens = sentence.tokens
    for link in present:
        if link.kind not in SUBJECT_OBJECT:
            continue
        verbs = [position for position in found[link.head] if tokens[position].pos in {"VERB", "AUX"}]
        roles = _sentence_roles(sentence, found[link.dependent], verbs)
        if SUBJECT_OBJECT[link.kind] in roles and link.kind not in roles:
            features["subject_object_swapped"] = 1.0
    subjects = [link for link in links if link.kind == "subject"]
    for link in subjects:
        if link.head not in found:
            continue
        said = set(found.get(link.dependent, ()))
        for verb in found[link.head]:
            named = [
                position for position, token in enumerate(tokens)
                if token.head == verb and token.dep in {"nsubj", "nsubjpass"} and token.pos == "PROPN"
            ]  # fmt: skip
            # only a name is evidence of another subject: "he", "it", "the company" may refer to the question's one
            if named and not any(_same_entity(sentence, position, other) or position == other for position in named for other in said):
                features["verb_has_other_subject"] = 1.0

    answer = span_tokens(sentence, answer_start, answer_end) if answer_start >= 0 else []
    wh = next((index for index, token in enumerate(question.tokens) if token.tag in WH_TAGS), -1)
    if answer and wh >= 0:
        phrase = wh  # climb "which president", "how many ships" to the phrase's noun: the answer's kind, not what it relates to
        while question.tokens[phrase].dep in {"det", "advmod", "amod", "poss", "nummod"} and question.tokens[phrase].head != phrase:
            if question.tokens[question.tokens[phrase].head].pos in {"VERB", "AUX"}:
                break
            phrase = question.tokens[phrase].head
        asked = _content_head(question, phrase)
        if asked is not None and asked in found:
            features["answer_linked_to_asked"] = float(
                any(linked(sentence, position, other) for position in answer for other in found[asked] if other not in answer)
            )
    return features
