"""Syntax features of an answer candidate: its entity label, edges, dependency role and parse path to the question's words.

Plain functions over `qa.annotation.Annotation`; the answer model turns the returned
floats into evidence. Every feature is general English syntax: nothing here knows an article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.amounts import TIME_UNITS as AMOUNT_TIME_UNITS
from qa.annotation import Annotation, annotate

# spaCy (OntoNotes) entity labels that name the project's answer types exactly, and those that may
# still hold the answer (the small model calls some towns ORG; "who" also asks for groups and countries).
EXACT_LABELS: dict[str, frozenset[str]] = {
    "DATE": frozenset({"DATE"}),
    "DURATION": frozenset({"DURATION"}),  # a DATE entity shaped like a length of time, see `entity_type`
    "PLACE": frozenset({"GPE", "LOC", "FAC"}),
    "PERSON": frozenset({"PERSON"}),
    "ORGANIZATION": frozenset({"ORG"}),
    "NUMBER": frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}),
    "OTHER": frozenset({"EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT", "NORP"}),
    "DESCRIPTION": frozenset(),
}
COMPATIBLE_LABELS: dict[str, frozenset[str]] = {
    "DATE": frozenset({"TIME", "CARDINAL", "EVENT", "DURATION"}),
    "DURATION": frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY"}),
    "PLACE": frozenset({"ORG", "NORP"}),
    "PERSON": frozenset({"ORG", "NORP", "GPE"}),
    "ORGANIZATION": frozenset({"NORP", "GPE", "FAC"}),
    "NUMBER": frozenset({"ORDINAL", "DATE", "TIME", "DURATION"}),
    "OTHER": frozenset({"ORG", "PERSON", "GPE", "LOC", "FAC"}),
    "DESCRIPTION": frozenset({"NORP", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"}),
}
# Answer types whose answers are often plain noun phrases rather than named entities.
NOUN_CHUNK_TYPES = frozenset({"DESCRIPTION", "OTHER", "PERSON", "ORGANIZATION", "PLACE"})
TIME_UNITS = frozenset(AMOUNT_TIME_UNITS)  # qa.amounts: one list of time-unit words
TIME_PREPOSITIONS = frozenset("since on in at during until till before after from between within throughout".split())
PLACE_PREPOSITIONS = frozenset("in at near from to into inside outside across around between throughout".split())
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "dative", "csubjpass", "oprd"})
CLAUSE_BOUNDARIES = frozenset({"ccomp", "advcl", "relcl", "parataxis", "csubj", "csubjpass", "acl"})
MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "nummod", "quantmod"})
WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
MAX_PATH = 8  # tree distance used when no question word is in the sentence (longer paths carry no signal)

# The entity labels of the small English pipeline (OntoNotes), with DURATION for a length of time
# (`entity_type`), and the answer types for which each label gets its own weight: how often a
# WORK_OF_ART answers "what" differs from how often a NORP does, which one "label_exact" cannot say.
ENTITY_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
    "DATE", "DURATION", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip
LABEL_CROSS_TYPES = ("OTHER", "PERSON", "PLACE", "ORGANIZATION", "NUMBER", "DATE", "DESCRIPTION")

# Dependency role of the candidate's head token: feature name -> labels.
ROLE_FEATURES = {
    "role_subject": frozenset({"nsubj", "csubj"}),
    "role_passive_subject": frozenset({"nsubjpass", "csubjpass"}),
    "role_object": frozenset({"dobj", "dative", "oprd"}),
    "role_prepositional_object": frozenset({"pobj"}),
    "role_appositive": frozenset({"appos"}),
    "role_attribute": frozenset({"attr", "acomp"}),
    "role_compound": frozenset({"compound"}),
    "role_possessive": frozenset({"poss"}),
    "role_adverbial_noun": frozenset({"npadvmod", "tmod", "advmod"}),
    "role_conjunct": frozenset({"conj"}),
    "role_number_modifier": frozenset({"nummod", "quantmod"}),
    "role_root": frozenset({"ROOT"}),
}

# "from X to Y": Y is the new value; X the old one when "to" follows within this many words.
CHANGE_REACH = 3

FEATURES: dict[str, str] = {
    "label_exact": "the candidate's entity label names the expected answer type (GPE for PLACE)",
    "label_compatible": "its entity label may hold the expected type (ORG for PLACE, GPE for PERSON)",
    "label_conflicting": "its entity label contradicts the expected type (a DATE for a PERSON question)",
    "no_entity": "no named entity overlaps the candidate",
    "entity_exact": "the candidate is exactly one entity (a leading 'the' ignored)",
    "entity_inside": "the candidate lies strictly inside an entity (part of a name)",
    "entity_contains": "the candidate strictly contains an entity (an entity plus more words)",
    "entity_crosses": "the candidate crosses an entity boundary (a broken name)",
    "noun_chunk_exact": "the candidate is exactly a noun chunk (a leading determiner ignored)",
    "starts_with_determiner": "first token is a determiner",
    "starts_with_preposition": "first token is a preposition",
    "starts_with_punctuation": "first token is punctuation",
    "ends_with_preposition": "last token is a preposition (a bad edge)",
    "ends_with_determiner": "last token is a determiner (a bad edge)",
    "ends_with_punctuation": "last token is punctuation (a bad edge)",
    "ends_with_verb": "last token is a verb or auxiliary (a bad edge for a noun answer)",
    "edge_is_conjunction": "first or last token is a conjunction",
    "previous_is_preposition": "the word before the candidate is a preposition",
    "previous_is_time_preposition": "the word before is a preposition of time (since, on, during, until …)",
    "previous_is_place_preposition": "the word before is a preposition of place (in, at, near, from …)",
    "starting_value_of_change": f"the candidate follows 'from' and 'to' follows it within {CHANGE_REACH} words ('moved from 4 p.m. to 1 p.m.'): the value before a change",
    **{name: f"the candidate's head token is attached as {', '.join(sorted(labels))}" for name, labels in ROLE_FEATURES.items()},
    "role_other": "the candidate's head has another dependency label",
    "has_question_match": "the sentence holds at least one question-matched token",
    "path_to_match": f"edges in the parse between the candidate's head and the nearest question-matched token (capped at {MAX_PATH})",
    "near_match": "1 / (1 + path_to_match): 1 next to a matched word, 0 without any",
    "same_clause_as_match": "no clause boundary (ccomp, advcl, relcl, acl, parataxis, verb conj) on that path",
    "subject_of_question_verb": "the candidate is the (logical) subject of the verb the question asks about",
    "object_of_question_verb": "the candidate is the (logical) object of the verb the question asks about",
    "oblique_of_question_verb": "the candidate is the object of a preposition attached to the question's verb",
    "role_matches_wh": "the candidate has the role the wh-word has in the question (subject / object)",
    "asked_noun_describes_candidate": "the question's asked noun is in apposition, compound or copula with the candidate ('the spokesman X')",
    "candidate_modifies_asked_noun": "the candidate is a compound, possessive or modifier of the asked noun ('the X spokesman', '12 people')",
    "appositive_of_match": "candidate and a question-matched noun are in apposition",
    "compound_with_match": "candidate and a question-matched noun are joined as compound",
    "governed_by_match": "the candidate's governor (skipping prepositions) is a question-matched token",
    "governed_by_unmatched_noun": "the candidate's governor is a noun the question does not mention ('the capital Y')",
    "overlaps_question_match": "the candidate contains a question-matched token (it repeats the question)",
    "in_possessive": "the candidate is a possessor ('X's') or ends before 's",
    "length_tokens": "the candidate's length in tokens",
    "governor_is_wh_governor": "the candidate hangs on the word the question's wh-phrase hangs on (a preposition skipped): it fills the wh-phrase's slot",
    "same_preposition_as_wh": "the candidate is the object of the preposition that governs the question's wh-phrase ('in which year' — 'in 1990')",
    "head_is_asked_noun": "the candidate's head word is the question's asked noun ('the new element' for 'what element'): a repeat, not an instance",
    **{
        f"type_label_{expected}_{label}": f"a {expected} question and a candidate that is an entity labelled {label} (a pair a linear model cannot form from the two alone)"
        for expected in LABEL_CROSS_TYPES
        for label in ENTITY_LABELS
    },
}


@dataclass(frozen=True)
class QuestionSyntax:
    """What the parse of a question says about the answer it expects."""

    text: str
    annotation: Annotation
    wh_word: str  # lower-cased wh-word ("who", "which", "how"), "" if none
    wh_index: int  # token index of the wh-word, -1 if none
    wh_role: str  # "subject", "object", "oblique", "adverbial", "copula" or "" — the wh-phrase's role to the verb
    main_verb_lemma: str  # lemma of the verb the question asks about ("" for a copula question)
    asked_noun_lemma: str  # head noun of "which/what/how many N", or the other noun of a copula ("the spokesman")
    subject_lemmas: tuple[str, ...]  # lemmas of the verb's subject nouns
    object_lemmas: tuple[str, ...]  # lemmas of the verb's object nouns
    entities: tuple[tuple[int, int, str], ...]
    expected_type: str = ""  # the project's answer type (qa.question.AnswerType), for the label features
    wh_governor_lemma: str = ""  # the word the wh-phrase hangs on ("found" in "Who founded …"), a preposition skipped
    wh_preposition: str = ""  # the preposition governing the wh-phrase ("in" in "In which year …", "as" in "… known as what")


# ---------------------------------------------------------------- tree helpers


def span_tokens(annotation: Annotation, start: int, end: int) -> list[int]:
    """Indices of the tokens that overlap the character span [start, end)."""
    return [index for index, token in enumerate(annotation.tokens) if token.start < end and token.end > start]


def _ancestors(annotation: Annotation, index: int) -> list[int]:
    """`index` and its heads up to the root."""
    chain = [index]
    seen = {index}
    while True:
        head = annotation.tokens[chain[-1]].head
        if head in seen:
            return chain
        chain.append(head)
        seen.add(head)


def _span_head(annotation: Annotation, indices: Sequence[int]) -> int:
    """The token of a span whose head lies outside it (the shallowest; the last one on ties)."""
    inside = set(indices)
    outside = [index for index in indices if annotation.tokens[index].head not in inside or annotation.tokens[index].head == index]
    pool = outside or list(indices)
    return min(pool, key=lambda index: (len(_ancestors(annotation, index)), -index))


def _path(annotation: Annotation, source: int, target: int) -> list[int] | None:
    """Tokens on the tree path from source to target (both included), None if in different sentences."""
    up = _ancestors(annotation, source)
    position = {index: place for place, index in enumerate(up)}
    down = []
    for index in _ancestors(annotation, target):
        if index in position:
            return up[: position[index] + 1] + list(reversed(down))
        down.append(index)
    return None


def _is_clause_boundary(annotation: Annotation, index: int) -> bool:
    token = annotation.tokens[index]
    return token.dep in CLAUSE_BOUNDARIES or (token.dep == "conj" and token.pos in {"VERB", "AUX"})


def _crosses_clause(annotation: Annotation, path: Sequence[int]) -> bool:
    """A clause boundary on the path: an edge is labelled by its lower token, the one that is not the path's top."""
    top = max(path, key=lambda index: -len(_ancestors(annotation, index)))
    return any(_is_clause_boundary(annotation, index) for index in path if index != top)


def _governor(annotation: Annotation, index: int) -> int | None:
    """The first head above `index` that is not a preposition or a case marker; None at the root."""
    current = index
    while True:
        head = annotation.tokens[current].head
        if head == current:
            return None
        if annotation.tokens[head].pos != "ADP":
            return head
        current = head


def _role(annotation: Annotation, index: int, verb: int) -> str:
    """Logical role of token `index` to verb `verb`: subject, object, oblique, or ""."""
    token = annotation.tokens[index]
    head = token.head
    if head == verb:
        if token.dep in SUBJECT_DEPS:
            return "subject"
        if token.dep in OBJECT_DEPS:
            return "object"
        return ""
    if token.dep == "pobj" and annotation.tokens[head].head == verb:
        preposition = annotation.tokens[head]
        if preposition.dep == "agent":  # "was founded by X": X is the logical subject
            return "subject"
        if preposition.dep in {"prep", "dative"}:
            return "oblique"
    return ""


def _trimmed(annotation: Annotation, indices: Sequence[int]) -> tuple[int, ...]:
    """Token indices without a leading determiner or trailing punctuation, for span comparisons."""
    items = list(indices)
    while items and annotation.tokens[items[0]].pos == "DET":
        items.pop(0)
    while items and annotation.tokens[items[-1]].pos == "PUNCT":
        items.pop()
    return tuple(items)


def entity_type(annotation: Annotation, start: int, end: int, label: str) -> str:
    """An entity's label, with DATE entities shaped like a length of time ("three weeks") called DURATION."""
    if label != "DATE":
        return label
    tokens = [annotation.tokens[index] for index in span_tokens(annotation, start, end)]
    has_unit = any(token.lemma.lower() in TIME_UNITS for token in tokens)
    has_amount = any(token.pos == "NUM" or token.lemma.lower() in {"a", "an", "several", "few", "many"} for token in tokens)
    dated = any(token.pos == "PROPN" or token.lemma.lower() in {"ago", "last", "next", "this", "since"} for token in tokens)
    return "DURATION" if has_unit and has_amount and not dated else label


# ---------------------------------------------------------------- question


def question_syntax(question_text: str, expected_type: str = "") -> QuestionSyntax:
    """Parse a question: its wh-word, the verb it asks about, the wh-phrase's role and the asked noun."""
    annotation = annotate([question_text])[0]
    tokens = annotation.tokens
    wh_index = next((index for index, token in enumerate(tokens) if token.tag in WH_TAGS), -1)
    phrase_head = wh_index
    if wh_index >= 0:
        # climb "which company", "how many people", "whose car" to the phrase's head noun
        while (
            tokens[phrase_head].dep in {"det", "advmod", "amod", "poss", "nummod"}
            and tokens[phrase_head].head != phrase_head
            and tokens[tokens[phrase_head].head].pos not in {"VERB", "AUX"}
        ):
            phrase_head = tokens[phrase_head].head
    asked = ""
    if phrase_head >= 0 and phrase_head != wh_index and tokens[phrase_head].pos in {"NOUN", "PROPN"}:
        asked = tokens[phrase_head].lemma.lower()
    verb = _question_verb(annotation, phrase_head)
    role = ""
    if verb is not None and phrase_head >= 0:
        role = _role(annotation, phrase_head, verb) or ("adverbial" if tokens[phrase_head].dep in {"advmod", "npadvmod"} else "")
    root = next((index for index, token in enumerate(tokens) if token.dep == "ROOT"), None)
    copula = verb is None and root is not None and tokens[root].lemma.lower() == "be"
    if copula and root is not None:
        role = "copula"
        if not asked:
            nominal = [
                index
                for index, token in enumerate(tokens)
                if token.head == root and token.dep in {"nsubj", "attr"} and index != phrase_head and token.pos in {"NOUN", "PROPN"}
            ]
            if nominal:
                asked = tokens[nominal[0]].lemma.lower()
    subjects, objects = [], []
    if verb is not None:
        for index, token in enumerate(tokens):
            if token.pos in {"NOUN", "PROPN"} and index != phrase_head:
                found = _role(annotation, index, verb)
                if found == "subject":
                    subjects.append(token.lemma.lower())
                elif found == "object":
                    objects.append(token.lemma.lower())
    wh_governor, wh_preposition = "", ""
    if phrase_head >= 0 and tokens[phrase_head].head != phrase_head:
        governor = tokens[phrase_head].head
        if tokens[phrase_head].dep in {"pobj", "pcomp"} and tokens[governor].pos == "ADP":
            wh_preposition = tokens[governor].lemma.lower()
            governor = tokens[governor].head
        if governor != phrase_head:
            wh_governor = tokens[governor].lemma.lower()
    # a preposition left without its object ("… known as?", "Who was it sold to?") is the fronted wh-phrase's
    stranded = [index for index, token in enumerate(tokens) if token.pos == "ADP" and token.dep in {"prep", "agent", "dative"}
                and not any(other.head == index and other.dep in {"pobj", "pcomp"} for other in tokens)]
    if phrase_head >= 0 and not wh_preposition and stranded:
        wh_preposition = tokens[stranded[-1]].lemma.lower()
        wh_governor = tokens[tokens[stranded[-1]].head].lemma.lower()
    return QuestionSyntax(
        wh_governor_lemma=wh_governor,
        wh_preposition=wh_preposition,
        text=question_text,
        annotation=annotation,
        wh_word=tokens[wh_index].text.lower() if wh_index >= 0 else "",
        wh_index=wh_index,
        wh_role=role,
        main_verb_lemma=tokens[verb].lemma.lower() if verb is not None else "",
        asked_noun_lemma=asked,
        subject_lemmas=tuple(subjects),
        object_lemmas=tuple(objects),
        entities=annotation.entities,
        expected_type=expected_type,
    )


def _question_verb(annotation: Annotation, start: int) -> int | None:
    """The verb a question asks about: the first verb above the wh-phrase, else its first full verb
    (the small model sometimes attaches "Who was X sold to?" under the copula), else a non-auxiliary root."""
    tokens = annotation.tokens
    if start >= 0:
        for index in _ancestors(annotation, start):
            if tokens[index].pos == "VERB":
                return index
    for index, token in enumerate(tokens):
        if token.pos == "VERB" and token.dep not in {"aux", "auxpass"}:
            return index
    root = next((index for index, token in enumerate(tokens) if token.dep == "ROOT"), None)
    if root is not None and tokens[root].pos not in {"AUX", "PRON", "NOUN", "PROPN"}:
        return root
    return None


# ---------------------------------------------------------------- candidates


def _label_of(annotation: Annotation, indices: Sequence[int]) -> tuple[str, str]:
    """(relation, label) of the entity overlapping the candidate most: relation is exact/inside/contains/crosses/''."""
    candidate = set(indices)
    trimmed = set(_trimmed(annotation, indices))
    best: tuple[int, str, str] | None = None
    for start, end, label in annotation.entities:
        entity = span_tokens(annotation, start, end)
        shared = len(candidate & set(entity))
        if not shared:
            continue
        entity_trimmed = set(_trimmed(annotation, entity))
        if entity_trimmed == trimmed:
            relation = "exact"
        elif trimmed <= entity_trimmed:
            relation = "inside"
        elif entity_trimmed <= trimmed:
            relation = "contains"
        else:
            relation = "crosses"
        kind = entity_type(annotation, start, end, label)
        if best is None or shared > best[0]:
            best = (shared, relation, kind)
    return (best[1], best[2]) if best else ("", "")


def candidate_syntax(
    annotation: Annotation,
    start: int,
    end: int,
    question_matches: Sequence[tuple[int, int]],
    question: QuestionSyntax,
) -> dict[str, float]:
    """The `FEATURES` of the candidate at characters [start, end) of an annotated sentence.

    `question_matches` are the character spans of the sentence's words that match the question;
    the label features compare with `question.expected_type`."""
    features = dict.fromkeys(FEATURES, 0.0)
    indices = span_tokens(annotation, start, end)
    if not indices:
        features["no_entity"] = 1.0
        features["path_to_match"] = float(MAX_PATH)
        return features
    tokens = annotation.tokens
    first, last = tokens[indices[0]], tokens[indices[-1]]
    head = _span_head(annotation, indices)
    head_token = tokens[head]

    relation, label = _label_of(annotation, indices)
    if label:
        features[f"entity_{relation}"] = 1.0
        expected_type = question.expected_type
        if expected_type:
            if label in EXACT_LABELS.get(expected_type, ()):
                features["label_exact"] = 1.0
            elif label in COMPATIBLE_LABELS.get(expected_type, ()):
                features["label_compatible"] = 1.0
            else:
                features["label_conflicting"] = 1.0
        if relation == "exact" and f"type_label_{expected_type}_{label}" in features:
            # the pair describes a candidate that is the entity, not one that merely holds or crosses it
            features[f"type_label_{expected_type}_{label}"] = 1.0
    else:
        features["no_entity"] = 1.0
    trimmed = _trimmed(annotation, indices)
    features["noun_chunk_exact"] = float(
        any(_trimmed(annotation, span_tokens(annotation, s, e)) == trimmed for s, e in annotation.noun_chunks)
    )

    features["starts_with_determiner"] = float(first.pos == "DET")
    features["starts_with_preposition"] = float(first.pos == "ADP")
    features["starts_with_punctuation"] = float(first.pos == "PUNCT")
    features["ends_with_preposition"] = float(last.pos == "ADP")
    features["ends_with_determiner"] = float(last.pos == "DET")
    features["ends_with_punctuation"] = float(last.pos == "PUNCT")
    features["ends_with_verb"] = float(last.pos in {"VERB", "AUX"})
    features["edge_is_conjunction"] = float(first.pos in {"CCONJ", "SCONJ"} or last.pos in {"CCONJ", "SCONJ"})
    if indices[0] > 0:
        previous = tokens[indices[0] - 1]
        features["previous_is_preposition"] = float(previous.pos == "ADP" or previous.tag == "IN")
        features["previous_is_time_preposition"] = float(previous.lemma.lower() in TIME_PREPOSITIONS and previous.tag == "IN")
        features["previous_is_place_preposition"] = float(previous.lemma.lower() in PLACE_PREPOSITIONS and previous.tag in {"IN", "TO"})
        after = tokens[indices[-1] + 1 : indices[-1] + 1 + CHANGE_REACH]
        features["starting_value_of_change"] = float(previous.text.lower() == "from" and any(token.text.lower() == "to" for token in after))

    role = next((name for name, labels in ROLE_FEATURES.items() if head_token.dep in labels), "role_other")
    features[role] = 1.0
    following = indices[-1] + 1
    features["in_possessive"] = float(
        head_token.dep == "poss" or (following < len(tokens) and tokens[following].tag == "POS") or last.tag == "POS"
    )
    features["length_tokens"] = float(len(indices))

    matched = set()
    for match_start, match_end in question_matches:
        matched.update(span_tokens(annotation, match_start, match_end))
    candidate = set(indices)
    features["overlaps_question_match"] = float(bool(candidate & matched))
    outside = matched - candidate
    features["has_question_match"] = float(bool(matched))
    best_path = None
    for target in outside:
        path = _path(annotation, head, target)
        if path is not None and (best_path is None or len(path) < len(best_path)):
            best_path = path
    distance = min(len(best_path) - 1, MAX_PATH) if best_path else MAX_PATH
    features["path_to_match"] = float(distance)
    features["near_match"] = 1.0 / (1.0 + distance) if best_path else 0.0
    features["same_clause_as_match"] = float(bool(best_path) and not _crosses_clause(annotation, best_path))

    # the verb the question asks about: same lemma, or a verb the caller matched to the question
    verbs = [
        index
        for index, token in enumerate(tokens)
        if token.pos in {"VERB", "AUX"}
        and ((question.main_verb_lemma and token.lemma.lower() == question.main_verb_lemma) or (token.pos == "VERB" and index in matched))
    ]
    roles = {_role(annotation, head, verb) for verb in verbs}
    features["subject_of_question_verb"] = float("subject" in roles)
    features["object_of_question_verb"] = float("object" in roles)
    features["oblique_of_question_verb"] = float("oblique" in roles)
    features["role_matches_wh"] = float(question.wh_role in {"subject", "object", "oblique"} and question.wh_role in roles)

    if question.asked_noun_lemma:
        features["head_is_asked_noun"] = float(head_token.lemma.lower() == question.asked_noun_lemma)
        asked = {index for index, token in enumerate(tokens) if token.lemma.lower() == question.asked_noun_lemma and index not in candidate}
        features["asked_noun_describes_candidate"] = float(any(_describes(annotation, noun, head, candidate) for noun in asked))
        features["candidate_modifies_asked_noun"] = float(
            any(tokens[index].head in asked and tokens[index].dep in MODIFIER_DEPS for index in indices)
        )
    for noun in outside:
        if tokens[noun].pos not in {"NOUN", "PROPN"}:
            continue
        if (tokens[noun].head == head and tokens[noun].dep == "appos") or (head_token.head == noun and head_token.dep == "appos"):
            features["appositive_of_match"] = 1.0
        if (tokens[noun].head in candidate and tokens[noun].dep == "compound") or any(
            tokens[index].head == noun and tokens[index].dep == "compound" for index in indices
        ):
            features["compound_with_match"] = 1.0
    governor = _governor(annotation, head)
    if question.wh_governor_lemma and governor is not None and governor not in candidate:
        features["governor_is_wh_governor"] = float(tokens[governor].lemma.lower() == question.wh_governor_lemma)
    if question.wh_preposition and head_token.dep == "pobj":
        features["same_preposition_as_wh"] = float(tokens[head_token.head].lemma.lower() == question.wh_preposition)
    if governor is not None:
        features["governed_by_match"] = float(governor in matched)
        features["governed_by_unmatched_noun"] = float(governor not in matched and tokens[governor].pos in {"NOUN", "PROPN"})
    return features


def _describes(annotation: Annotation, noun: int, head: int, candidate: set[int]) -> bool:
    """Is the noun an appositive, compound or copula complement of the candidate ('spokesman X', 'X, the spokesman', 'X is the spokesman')?"""
    tokens = annotation.tokens
    noun_token, head_token = tokens[noun], tokens[head]
    if noun_token.head in candidate and noun_token.dep in {"compound", "appos", "amod", "nmod"}:
        return True
    if head_token.head == noun and head_token.dep == "appos":
        return True
    copular = {"nsubj", "attr", "nsubjpass"}
    shared_head = noun_token.head == head_token.head and tokens[noun_token.head].lemma.lower() == "be"
    return shared_head and noun_token.dep in copular and head_token.dep in copular


def entity_candidates(annotation: Annotation, expected_type: str, noun_chunks: bool | None = None) -> list[tuple[int, int, str]]:
    """Entity spans whose label fits the expected type (exact or compatible), and, for types whose
    answers are often plain noun phrases (or when `noun_chunks` is True), the noun chunks: (start, end, label)."""
    wanted = EXACT_LABELS.get(expected_type, frozenset()) | COMPATIBLE_LABELS.get(expected_type, frozenset())
    found = []
    for start, end, label in annotation.entities:
        kind = entity_type(annotation, start, end, label)
        if kind in wanted:
            found.append((start, end, kind))
    if noun_chunks if noun_chunks is not None else expected_type in NOUN_CHUNK_TYPES:
        taken = {(start, end) for start, end, _ in found}
        for start, end in annotation.noun_chunks:
            if (start, end) not in taken:
                found.append((start, end, "NOUN_CHUNK"))
    return sorted(found)
