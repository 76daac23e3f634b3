"""Whether a sentence's parse binds a number to what a count, amount, age or share question asks.

A number of the right shape next to the question's words is not yet its answer: "10" of "10 a.m."
is no ticket price, the number injured is not the number killed. The answer model weighs such
candidates, but when nothing better exists it still lets them win, and a confident wrong number is
the worst reply. So for questions asking "how many / how much / how old / what percentage / what
did X cost", a number is proposed at all only when the parse (qa.annotation) says it is about what
is asked:

- it counts or modifies the asked noun ("12 people", "the number of people", "a toll of 12");
- it is an argument (subject, object, attribute, oblique) of a verb matching the question's verb
  ("tickets cost $20" for "what did a ticket cost");
- the asked noun, or the question's subject with a copula, is predicated of it ("the toll rose to 12",
  "a ticket is $20");
- for an age, the number has an age's shape ("Jane Roe, 41,", "a 41-year-old").

Not bound: a part of a group as an age ("one of the first two women"), a level the verb reaches as a
count ("play games at 4k"). Within a sentence, a number bound by the asked noun, verb, subject or
person outranks one only a verb of money takes ("earned $2.8 billion, or $2.53 a share, as revenue rose
to $27.2 billion" for "how much revenue").

Words match by the project's stems and general synonyms (qa.matching.alternatives), nothing here
knows an article. The rule only removes candidates; where a sentence has no parse the candidates stay.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.amounts import MONEY_WORDS, TIME_UNITS, stated_amount, wanted_amount
from qa.annotation import Annotation
from qa.matching import alternatives
from qa.syntax import QuestionSyntax, span_tokens
from qa.text import stem

# The rule's switch: False proposes every number as before (to measure both ways in one run).
BIND_NUMBERS = True
# Kinds of amount (qa.amounts.wanted_amount) whose questions the rule applies to: a measure or a
# length of time is bound by its unit, which the amount features already weigh.
BOUND_AMOUNTS = frozenset({"count", "money", "age", "percent"})
# Verbs that say nothing about what is counted: a number is not bound by being their argument alone.
LIGHT_VERBS = frozenset({"be", "have", "do", "get", "make", "take", "go", "say"})
# Nouns that name an amount of something else: "the number of people", "the toll", "a total of 12".
QUANTITY_NOUNS = frozenset(
    "number total toll count figure tally amount sum share percent percentage proportion rate level majority".split()
)
# Dependencies that make a noun phrase an argument of its verb (subject, object, attribute, adverbial amount).
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "dobj", "dative", "attr", "oprd", "acomp", "npadvmod", "advmod", "appos"})
# Periods a sum is earned or spent over ("$2.5 billion for the quarter"), never what it paid for.
PERIOD_NOUNS = frozenset(TIME_UNITS) | frozenset({"quarter", "season", "period", "term", "half"})
# How a number is bound (binding_strength). Within one sentence a specific binding outranks a generic one:
# "revenue rose to $27.2 billion" answers "how much revenue", not "$2.53 a share" that "earned" also takes.
UNBOUND, GENERIC, SPECIFIC = 0, 1, 2
NUMBER_DEPS = frozenset({"nummod", "quantmod", "compound", "amod", "nmod", "advmod"})


@dataclass(frozen=True)
class AskedAmount:
    """What a number question asks about, as stems with their synonyms: its noun, its verb, its subject."""

    kind: str  # qa.amounts kind: count, money, age or percent
    nouns: frozenset[str]  # the asked noun ("how many people"), with synonyms
    verbs: frozenset[str]  # the question's verb when it is not a light verb ("killed", "cost")
    subjects: frozenset[str]  # the question's subject nouns ("a ticket"), bound by a copula only
    priced: frozenset[str] = frozenset()  # for money: the question's nouns, bound by a price before them ("the $5 ticket")
    quantity: bool = False  # the question names a quantity noun ("the death toll", "the number of …")
    names: frozenset[str] = frozenset()  # the asked person's own name ("Jane Roe"): whose age is asked


def _alternatives_of(words) -> frozenset[str]:
    found: set[str] = set()
    for word in words:
        if word:
            found |= alternatives(stem(word.lower()))
    return frozenset(found)


def _last_word(syntax: QuestionSyntax) -> str | None:
    """The question's last word when it is a content word ("cost" of "what did it cost?")."""
    words = [token for token in syntax.annotation.tokens if token.pos != "PUNCT"]
    if words and words[-1].pos in {"VERB", "NOUN"} and words[-1].lemma.lower() not in LIGHT_VERBS:
        return words[-1].lemma.lower()
    verbs = [token for token in words if token.pos == "VERB" and token.lemma.lower() not in LIGHT_VERBS]
    return verbs[-1].lemma.lower() if verbs else None


def _counted_nouns(syntax: QuestionSyntax) -> list[str]:
    """Nouns a count question names besides its wh-phrase's head: "how many of the dead" -> dead, and
    the nouns of a copula ("how many of them were children" -> child)."""
    tokens = syntax.annotation.tokens
    found = []
    for index, token in enumerate(tokens):
        if token.lemma.lower() in QUANTITY_NOUNS or token.lemma.lower() in {"many", "much"}:
            # "the number of solo tackles", "what percentage of the vote", "how much in fees": what the quantity is of
            objects = _of_object(syntax.annotation, index, frozenset({"of", "in", "among"}))
            found += [tokens[other].lemma for other in objects if tokens[other].pos in {"NOUN", "PROPN"}]
            continue
        if token.dep == "ROOT" and token.lemma.lower() == "be":
            found += [other.lemma for other in tokens if other.head == index and other.dep in {"nsubj", "attr"} and other.pos == "NOUN"]
    return found


def asked_amount(question_text: str, syntax: QuestionSyntax, answer_noun: str | None = None) -> AskedAmount | None:
    """What the question asks a number about, or None when the rule does not apply (not a count,
    amount, age or share question, or a question naming nothing a number could be bound to)."""
    kind = wanted_amount(question_text)
    if kind not in BOUND_AMOUNTS:
        return None
    named = [syntax.asked_noun_lemma, answer_noun, *_counted_nouns(syntax)]
    nouns = _alternatives_of(named)
    quantity = any(word and word.lower() in QUANTITY_NOUNS for word in named)
    verb = syntax.main_verb_lemma if syntax.main_verb_lemma not in LIGHT_VERBS else ""
    tokens = syntax.annotation.tokens
    if verb and not any(token.pos in {"VERB", "AUX"} and token.lemma.lower() == verb for token in tokens):
        verb = _last_word(syntax) or ""  # "About how much did it cost?": a misparse names "about" as the verb
    if verb and all(token.dep == "prep" for token in tokens if token.lemma.lower() == verb):
        # "According to …": a participle used as a preposition is not the verb asked about
        verb = next((token.lemma.lower() for token in tokens if token.pos == "VERB" and token.dep not in {"prep", "aux", "auxpass"}), "")
        verb = verb if verb not in LIGHT_VERBS else ""
    last = _last_word(syntax)
    if not verb and syntax.main_verb_lemma == "do" and last is not None:
        verb = last  # "how much did a ticket cost": the small model may read "cost" as a noun under "do"
    # the verb's own form too: the small model's lemma may be wrong ("fined" -> "fin"); and the verb it
    # governs as its complement ("pay to buy")
    main = [index for index, token in enumerate(tokens) if verb and token.lemma.lower() == verb]
    complements = [token.lemma for token in tokens if token.head in main and token.dep == "xcomp" and token.pos == "VERB"]
    verbs = _alternatives_of([verb, *(tokens[index].text for index in main), *complements])
    subjects = _alternatives_of([lemma for lemma in syntax.subject_lemmas if lemma != verb])
    if kind != "age" and not (nouns or verbs or subjects):
        return None
    things = _alternatives_of([token.lemma for token in tokens if token.pos in {"NOUN", "PROPN"} and token.lemma.lower() not in PERIOD_NOUNS]) if kind == "money" else frozenset()
    # whose age: the asked noun's own name ("Jane Roe"), not every name of the question ("the man who threatened X")
    asked_tokens = [index for index, token in enumerate(tokens) if token.lemma.lower() == syntax.asked_noun_lemma and token.pos == "PROPN"]
    names = _alternatives_of([token.text for index, token in enumerate(tokens) if index in asked_tokens or (token.head in asked_tokens and token.dep == "compound")])
    return AskedAmount(kind, nouns, verbs, subjects, things, quantity, names)


def _matches(annotation: Annotation, index: int, stems: frozenset[str]) -> bool:
    token = annotation.tokens[index]
    return bool(stems) and (stem(token.text.lower()) in stems or stem(token.lemma.lower()) in stems)


def _phrase_head(annotation: Annotation, index: int) -> int:
    """The noun a number counts or measures ("12" of "12 people", "20" of "$20"), else the number itself."""
    tokens = annotation.tokens
    current = index
    for _ in range(3):  # "at least 12 people": quantmod -> nummod -> noun
        token = tokens[current]
        if token.dep in NUMBER_DEPS and token.head != current and tokens[token.head].pos in {"NOUN", "PROPN", "NUM", "SYM", "X"}:
            current = token.head
        else:
            break
    return current


def _of_object(annotation: Annotation, index: int, prepositions: frozenset[str] = frozenset({"of"})) -> list[int]:
    """Objects of a preposition ("of" unless told) under a token: "people" of "dozens of people", "12" of "a toll
    of 12"; with "for" on a verb, what a sum was paid for."""
    tokens = annotation.tokens
    found = []
    for preposition, token in enumerate(tokens):
        if token.head == index and token.dep == "prep" and token.lemma.lower() in prepositions:
            found.extend(child for child, other in enumerate(tokens) if other.head == preposition and other.dep == "pobj")
    return found


def _governing_verb(annotation: Annotation, index: int) -> int | None:
    """The verb the phrase is an argument of, directly or as object of a preposition on the verb."""
    tokens = annotation.tokens
    token = tokens[index]
    head = token.head
    if head == index:
        return None
    if token.dep in ARGUMENT_DEPS and tokens[head].pos in {"VERB", "AUX"}:
        return head
    if token.dep == "pobj" and tokens[head].pos == "ADP" and tokens[head].head != head:
        above = tokens[head].head
        if tokens[above].pos in {"VERB", "AUX"}:
            return above
        if tokens[head].lemma.lower() == "of" and tokens[above].pos == "NOUN" and tokens[above].head != above:
            return _governing_verb(annotation, above)  # "charged an average of $5 million": the verb of "an average"
    return None


def _level_of_verb(annotation: Annotation, index: int) -> bool:
    """Whether the phrase is the object of "at" ("at 60 frames a second", "at 3 p.m."): a rate, level or
    moment, not the count of what the verb takes."""
    token = annotation.tokens[index]
    return token.dep == "pobj" and annotation.tokens[token.head].lemma.lower() == "at"


def _subjects_of(annotation: Annotation, verb: int) -> list[int]:
    return [index for index, token in enumerate(annotation.tokens) if token.head == verb and token.dep in {"nsubj", "nsubjpass"}]


def _near(annotation: Annotation, index: int, stems: frozenset[str]) -> bool:
    """Whether a token within three heads above `index` (below its verb), or a child of one of them, matches."""
    tokens = annotation.tokens
    chain = [index]
    for _ in range(3):  # up to its clause's verb, not beyond: another clause's names are not beside it
        head = tokens[chain[-1]].head
        if head == chain[-1] or tokens[head].pos in {"VERB", "AUX"}:
            break
        chain.append(head)
    around = set(chain) | {child for child, token in enumerate(tokens) if token.head in chain and token.dep in {"appos", "compound", "nsubj"}}
    return any(_matches(annotation, other, stems) for other in around if other != index)


def _proper_names(annotation: Annotation) -> frozenset[str]:
    return frozenset(stem(token.text.lower()) for token in annotation.tokens if token.pos == "PROPN")


AGE_VERBS = frozenset({"be", "turn", "reach"})


def _is_description_subject(annotation: Annotation, index: int) -> bool:
    """A subject that is a common noun (or adjective) with a definite determiner: "the former star", "the
    47 year old" (news describes a person it has named before)."""
    token = annotation.tokens[index]
    return token.dep in {"nsubj", "nsubjpass"} and token.pos in {"NOUN", "ADJ"} and any(
        other.head == index and other.dep == "det" and other.lemma.lower() in {"the", "this", "that"} for other in annotation.tokens
    )


def _age_predicate(annotation: Annotation, number: int, asked: AskedAmount) -> bool:
    """"X is 41" / "X turned 41": the number is the attribute or object of such a verb whose subject is asked about."""
    tokens = annotation.tokens
    verb = _governing_verb(annotation, _phrase_head(annotation, number))
    if verb is None or tokens[verb].lemma.lower() not in AGE_VERBS:
        return False
    return any(_matches(annotation, subject, asked.nouns | asked.subjects) for subject in _subjects_of(annotation, verb))


def binding_strength(annotation: Annotation, start: int, end: int, asked: AskedAmount) -> int:
    """How the number at characters [start, end) of an annotated sentence is bound to what is asked:
    SPECIFIC (by the asked noun, verb, subject or person), GENERIC (only as a sum a verb of money takes,
    when the question names no verb) or UNBOUND."""
    tokens = annotation.tokens
    indices = span_tokens(annotation, start, end)
    numbers = [index for index in indices if tokens[index].pos == "NUM" or tokens[index].tag == "CD"] or indices
    if not numbers:
        return SPECIFIC  # no token to judge: keep the candidate, as without a parse
    if asked.kind == "age":
        # a number with an "of" phrase is a part of a group ("one of the first two women"), never an age
        numbers = [number for number in numbers if not _of_object(annotation, number)]
        if not numbers:
            return UNBOUND
        # an age is bound by its shape ("X, 41,", "a 41-year-old"), or by "X is/turned 41": a person is
        # the subject of many numbers that are not their age ("X paid $300")
        if any(_age_predicate(annotation, number, asked) for number in numbers):
            return SPECIFIC
        # its shape says it is an age; whose: the name it stands beside ("X, 41,", "the 41-year-old X")
        # (when the question names nobody, "the man who …", the shape alone)
        if asked.names and any(tokens[number].dep == "appos" and _matches(annotation, tokens[number].head, asked.names) for number in numbers):
            return SPECIFIC  # "X, 41 – who …": set beside the name asked about
        named_here = any(_matches(annotation, index, asked.names) for index in range(len(tokens)))
        if not named_here and any(tokens[number].dep == "appos" and _is_description_subject(annotation, tokens[number].head) for number in numbers):
            # "The former star, 42, was …": beside a description standing for a name given before (a sentence
            # that names the person asked about elsewhere describes someone else: "… against singer X")
            return SPECIFIC
        if stated_amount(annotation.text, start, end) != "age":
            return UNBOUND
        if not asked.names or any(_near(annotation, number, asked.nouns | asked.subjects | asked.names) for number in numbers):
            return SPECIFIC
        # "X became the oldest to win at age 39", "he won at age 39", "the former star, 42, won": the
        # person is in the sentence (or a pronoun or a description standing for them is its subject) and
        # no other name stands beside the age ("Y, 29, and X, 38")
        mentioned = named_here or any(
            (token.tag == "PRP" and token.dep in {"nsubj", "nsubjpass"}) or _is_description_subject(annotation, index)
            for index, token in enumerate(tokens)
        )
        other = any(_near(annotation, number, _proper_names(annotation)) for number in numbers)
        return mentioned and not other
    # the question's verb is in the sentence: a number another content verb takes is about something
    # else ("12 were killed and 30 injured": 30 is not the number killed)
    asked_verb_here = any(token.pos == "VERB" and _matches(annotation, index, asked.verbs) for index, token in enumerate(tokens))
    seen = set(numbers)
    generic = UNBOUND
    for number in numbers:
        head = _phrase_head(annotation, number)
        phrase = {number, head}
        if tokens[head].dep in {"appos", "conj"} and tokens[head].head not in seen and tokens[tokens[head].head].pos in {"NUM", "SYM", "NOUN"}:
            # another form of a number ("$2.8 billion, or $2.53 a share"): bound when that one is
            numbers.append(tokens[head].head)
            seen.add(tokens[head].head)
        verb = next((found for index in (head, number) if (found := _governing_verb(annotation, index)) is not None), None)
        direct = any(tokens[index].head == verb and tokens[index].dep in {"nsubj", "nsubjpass", "dobj"} for index in phrase)
        other_verb = (
            verb is not None and direct and asked_verb_here and tokens[verb].pos == "VERB"
            and tokens[verb].lemma.lower() not in LIGHT_VERBS and not _matches(annotation, verb, asked.verbs)
        )  # fmt: skip
        # it counts or modifies the asked noun, or is "of" the asked noun ("dozens of people"), or a
        # quantity noun of the asked noun is around it ("the number of people", "a toll of 12")
        # the noun of the question's verb counts too: "$250,000 fines" for "how much was it fined", "11 hits"
        if not other_verb and any(_matches(annotation, index, asked.nouns | asked.verbs) for index in phrase if index != number):
            return SPECIFIC
        if not other_verb and _matches(annotation, number, asked.nouns):
            return SPECIFIC
        if not other_verb and head != number and any(
            token.head == head and token.dep == "compound" and _matches(annotation, index, asked.nouns) for index, token in enumerate(tokens)
        ):
            return SPECIFIC  # "10.7 teraflop hardware" for "how many teraflops"
        if asked.priced and head != number and tokens[number].dep in NUMBER_DEPS and _matches(annotation, head, asked.priced):
            if stated_amount(annotation.text, start, end) == "money":
                return SPECIFIC  # "the $1.2 billion stadium" for what the stadium cost
        for index in phrase:
            for thing in _of_object(annotation, index, frozenset({"of", "in"})):
                # "dozens of people", "$2.53 in earnings" (the noun of the question's verb)
                if not other_verb and _matches(annotation, thing, asked.nouns | asked.verbs):
                    return SPECIFIC
        for index in phrase:
            governor = tokens[index].head
            if tokens[index].dep == "pobj" and tokens[governor].lemma.lower() in {"of", "with"} and tokens[governor].head != governor:
                owner = tokens[governor].head  # "a toll of 12", "the price of $20", "interceptions, with 24"
                if _matches(annotation, owner, asked.nouns | asked.subjects):
                    return SPECIFIC
        if verb is None or (asked.kind == "count" and any(_level_of_verb(annotation, index) for index in phrase)):
            continue  # "play games at 4k": a level the verb reaches, not a count of what it takes
        if _matches(annotation, verb, asked.verbs) or (not other_verb and _matches(annotation, verb, asked.nouns)):
            return SPECIFIC  # "tickets cost $25"; "the hall seats up to 2,500" for "how many seats"
        if asked.kind == "money" and stated_amount(annotation.text, start, end) == "money":
            if not asked.verbs and tokens[verb].lemma.lower() in MONEY_WORDS:
                generic = GENERIC  # a sum a verb of money takes ("charged $5 million") for "what was the cost" (no verb asked)
            if any(_matches(annotation, thing, asked.priced) for thing in _of_object(annotation, verb, frozenset({"for"}))):
                return SPECIFIC  # "paid $129 for the deluxe edition" for what the deluxe edition cost
        subjects = [index for index in _subjects_of(annotation, verb) if index not in phrase]
        if tokens[verb].lemma.lower() == "be":  # "73 are constituency members": the attribute names what is counted
            subjects += [index for index, token in enumerate(tokens) if token.head == verb and token.dep == "attr" and index not in phrase]
        # the asked noun is predicated of the number ("the toll rose to 12"), or the question's
        # subject is, by a copula ("a ticket is $20")
        if any(_matches(annotation, index, asked.nouns) for index in subjects):
            return SPECIFIC
        for subject in subjects:
            if asked.quantity and tokens[subject].lemma.lower() in QUANTITY_NOUNS:
                return SPECIFIC  # "the number of dead reached 12" for "what was the death toll"
            if tokens[subject].lemma.lower() in QUANTITY_NOUNS and any(_matches(annotation, thing, asked.nouns) for thing in _of_object(annotation, subject)):
                return SPECIFIC  # "the number of people killed rose to 12"
        if tokens[verb].lemma.lower() == "be" and any(_matches(annotation, index, asked.subjects) for index in subjects):
            return SPECIFIC
    return generic
