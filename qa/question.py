"""Question analysis: the expected answer type, the focus and the words to look for.

Answer types follow the coarse classes of Li & Roth's question taxonomy (UIUC), split
where an answerer needs to know more (a DATE is a NUM:date, a PLACE a LOC, …).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from qa.amounts import CLOCK_QUESTIONS, wanted_amount
from qa.annotation import Token, annotate
from qa.dates import MONTH_NAMES, MONTHS
from qa.text import STOPWORDS, stem, tokenize

AnswerType = Literal[
    "DATE", "PLACE", "PERSON", "ORGANIZATION", "NUMBER", "DURATION", "DESCRIPTION", "YESNO", "REASON", "OTHER"
]  # fmt: skip

# Our answer type -> Li & Roth coarse class.
COARSE_CLASS = {
    "DATE": "NUM", "NUMBER": "NUM", "DURATION": "NUM", "PLACE": "LOC", "PERSON": "HUM",
    "ORGANIZATION": "HUM", "DESCRIPTION": "DESC", "REASON": "DESC", "YESNO": "DESC", "OTHER": "ENTY",
}  # fmt: skip

AUXILIARIES = frozenset("is are was were am do does did has have had can could will would should shall may might must".split())
PLACE_NOUNS = frozenset(
    "country countries city cities town towns place places capital nation state states region province "
    "village location area territory territories continent island islands district".split()
)
PERSON_NOUNS = frozenset(
    "person people man woman men women leader leaders official officials minister president spokesman "
    "spokeswoman spokesperson king queen member members politician head chief commander general "
    "representative author writer player actor singer scientist ruler emperor".split()
)
ORGANIZATION_NOUNS = frozenset(
    "organization organisation group groups movement party company agency channel network newspaper "
    "outlet institution council university team body bureau ministry office union alliance militia "
    "broadcaster station firm band club army".split()
)
DATE_NOUNS = frozenset("year day date month time week century decade era".split())
DESCRIPTION_NOUNS = frozenset("position role title job post rank office".split())

# Words questions use for what an article phrases differently: general English, no corpus names.
SYNONYMS = {
    "meet": ("met", "meeting", "meetings", "talks", "talk", "gathering", "rendezvous", "visit", "visited", "discussion", "discussions"),
    "met": ("meet", "meeting", "talks", "gathering", "rendezvous", "visit"),
    "meeting": ("met", "meet", "talks", "gathering", "rendezvous"),
    "talks": ("meeting", "met", "discussions", "negotiations"),
    "head": ("leader", "chief", "top", "leads", "heads"),
    "lead": ("leader", "head", "heads", "chief"),
    "leader": ("head", "chief", "top"),
    "chief": ("head", "leader"),
    "executive": ("ceo",),
    "ceo": ("chief", "executive"),
    "killed": ("died", "slain", "dead", "killing", "deaths"),
    "died": ("killed", "slain", "dead", "deaths"),
    "kill": ("killed", "killing", "died", "slain"),
    "die": ("died", "killed", "dead"),
    "based": ("headquartered", "lives", "located"),
    "live": ("based", "lives", "resides"),
    "located": ("based", "situated"),
    "attack": ("strike", "assault", "operation", "offensive", "attacks"),
    "strike": ("attack", "assault"),
    "support": ("backing", "backed", "assist", "aid", "help"),
    "help": ("aid", "assist", "support"),
    "said": ("stated", "declared", "told", "claimed"),
    "say": ("said", "stated", "declared"),
    "trip": ("visit", "traveled", "travelled", "journey"),
    "travel": ("traveled", "travelled", "trip", "visit"),
    "go": ("went", "traveled", "visit"),
    "went": ("traveled", "visited", "trip"),
    "children": ("child", "kids"),
    "begin": ("began", "start", "launched"),
    "start": ("began", "launched", "begin"),
    "launch": ("launched", "began", "started"),
    "ceasefire": ("truce",),
    "death": ("killed", "died", "dead", "deaths"),
    "toll": ("number", "killed", "figures"),
    "resistant": ("resistance",),
    "grow": ("raised", "grew", "brought", "born"),
    "grew": ("raised", "grow", "brought", "born"),
    "originate": ("descended", "came", "origin", "originated", "native"),
    "come": ("came", "descended", "originated"),
    "found": ("founded", "established", "created"),
    "famous": ("fame", "famed", "known"),
    "top": ("atop", "above"),
    "praise": ("praised", "applauded", "honoured", "honored", "commended"),
    "thank": ("gratitude", "appreciation", "thanked"),
    "war": ("conflict", "fighting"),
    "country": ("nation", "state"),
    "deny": ("denies", "denied"),
    "involved": ("involvement", "engaged"),
}

# Irregular verb forms the stemmer cannot join ("rose" is not stemmed to "rise").
IRREGULAR_VERBS = [
    ("rise", "rose", "risen"), ("meet", "met"), ("go", "went", "gone"), ("come", "came"), ("give", "gave", "given"),
    ("take", "took", "taken"), ("begin", "began", "begun"), ("lose", "lost"), ("hold", "held"), ("lead", "led"),
    ("say", "said"), ("tell", "told"), ("find", "found"), ("grow", "grew", "grown"), ("know", "knew", "known"),
    ("become", "became"), ("leave", "left"), ("fall", "fell", "fallen"), ("write", "wrote", "written"),
    ("build", "built"), ("buy", "bought"), ("bring", "brought"), ("sell", "sold"), ("speak", "spoke", "spoken"),
    ("choose", "chose", "chosen"), ("fight", "fought"), ("teach", "taught"), ("think", "thought"), ("run", "ran"),
    ("see", "saw", "seen"), ("make", "made"), ("send", "sent"), ("spend", "spent"), ("pay", "paid"), ("keep", "kept"),
    ("fly", "flew", "flown"), ("draw", "drew", "drawn"), ("drive", "drove", "driven"), ("eat", "ate", "eaten"),
    ("sing", "sang", "sung"), ("swim", "swam"), ("bear", "bore", "born"), ("shoot", "shot"), ("strike", "struck"),
    ("flee", "fled"), ("feel", "felt"), ("hear", "heard"), ("stand", "stood"), ("understand", "understood"),
    ("sit", "sat"), ("win", "won"), ("break", "broke", "broken"), ("forget", "forgot"), ("freeze", "froze"),
]  # fmt: skip
IRREGULAR_FORMS = {form: forms for forms in IRREGULAR_VERBS for form in forms}

PRONOUNS = {"he": "PERSON", "him": "PERSON", "his": "PERSON", "she": "PERSON", "her": "PERSON", "they": None, "them": None, "their": None, "it": None, "its": None}

# "How old/tall/far …" asks for a measure; the answer often states it with the same adjective.
MEASURE_QUESTION = re.compile(r"\bhow (large|big|tall|high|far|old|wide|deep|heavy|fast|small)\b")
# A subordinate clause before the question proper: "When prices rise, what happens to demand?"
_LEADING_CLAUSE = re.compile(r"^\s*(?:when|if|while|once|although|though)\b[^,?]*,\s*(?=.*\b(?:who|whom|whose|what|which|where|when|why|how)\b)", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of|the|al|bin|de|van|von|der)?\s*[A-Z][\w'’-]*)*")
_QUESTION_WORDS = frozenset("who whom whose what which when where why how".split())
# Capitalised only because they start a question: "Since when …", "From which …".
LEADING_WORDS = frozenset("since from and so but then also".split())
# Words that frame a question rather than name what it is about.
FRAME_WORDS = frozenset("many much name kind type sort happen happened happens occur occurred occurs ago".split())
PLACE_FRAME_WORDS = frozenset("located situated lie lies lay find found".split())
_FRAME_PHRASES = re.compile(r"\b(?:take|takes|took|taken|taking) place\b", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    """What a question asks for: answer type, Li & Roth coarse class, focus, words to match."""

    text: str
    answer_type: AnswerType
    coarse_class: str
    focus: str | None  # the entity or thing the question is about
    entities: tuple[str, ...]  # capitalised names in the question: never an answer by themselves
    content_words: tuple[str, ...]  # non-stopword tokens, lowercased
    terms: tuple[str, ...]  # stemmed content words
    expanded_terms: tuple[str, ...]  # terms plus synonyms' stems, for retrieval
    answer_noun: str | None = None  # "country" in "which country", "children" in "how many children"
    wants_day: bool = False  # "on what day", "what date": a month is not enough
    wants_year: bool = False
    wants_start: bool = False  # "since when"
    main_word: str | None = None  # stem of the first content word outside names: usually the verb ("meet")
    years: tuple[int, ...] = ()  # years named in the question constrain a DATE answer
    months: tuple[int, ...] = ()
    measure_term: str | None = None  # stem of "old" in "how old": how the answer states the measure ("73 years old")
    # the terms of an acronym and of its spelling in the articles (qa.acronyms): either form matches both
    spellings: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()


def _entities(text: str) -> list[str]:
    """Capitalised word sequences, minus the question word and auxiliaries that start a question."""
    names = []
    for match in _CAPITALISED.finditer(text):
        words = match.group(0).split()
        while words and (words[0].lower() in _QUESTION_WORDS or words[0].lower() in AUXILIARIES or words[0].lower() in STOPWORDS or words[0].lower() in LEADING_WORDS):
            words = words[1:]
        while words and words[-1].lower() in {"of", "the", "al"}:
            words = words[:-1]
        if words:
            names.append(" ".join(words).rstrip("'’").removesuffix("'s").removesuffix("’s"))
    return names


def _noun_after(words: list[str], position: int) -> str | None:
    for word in words[position : position + 3]:
        if word not in STOPWORDS:
            return word
    return None


_AUXILIARY = "(?:" + "|".join(sorted(AUXILIARIES)) + ")"
_WHEN_AUXILIARY = re.compile(rf"\bwhen\s+{_AUXILIARY}\b")
_WORD_THEN_AUXILIARY = re.compile(rf"\s*\w+\s+{_AUXILIARY}\b", re.IGNORECASE)


def _asks_when(lowered: str) -> bool:
    """True when "when" asks for a time ("when did …", "… until when?"), not when it opens a clause
    ("when prices rise, what happens to demand?", "strikes happen when workers …")."""
    return bool(
        _WHEN_AUXILIARY.search(lowered)
        or re.search(r"\bwhen\W*$", lowered)
        or re.search(r"\b(?:since|until|till|from|by) when\b", lowered)
    )


def classify(text: str) -> tuple[AnswerType, str | None, dict]:
    """Answer type from the question's form, the noun that names the answer, and flags."""
    clause = _LEADING_CLAUSE.match(text)
    if clause and not _WORD_THEN_AUXILIARY.match(text):
        text = text[clause.end() :]  # the question is the main clause: "When the mayor resigned, who took over?"
    words = tokenize(text)
    flags = {"wants_day": False, "wants_year": False, "wants_start": False}
    if not words:
        return "OTHER", None, flags
    lowered = " ".join(words)
    first = words[0]
    # skip a leading "and", "so", "but" of follow-ups
    if first in {"and", "so", "but", "then"} and len(words) > 1:
        words = words[1:]
        first = words[0]
        lowered = " ".join(words)
    wh_position = next((i for i, word in enumerate(words) if word in _QUESTION_WORDS), None)
    if "since when" in lowered:
        flags["wants_start"] = True
        return "DURATION", None, flags
    if re.search(r"\bsince what (date|year|day|month)\b", lowered):
        flags["wants_start"] = True
        return "DATE", None, flags
    if re.search(r"\bhow long ago\b", lowered):
        return "DATE", None, flags
    if MEASURE_QUESTION.search(lowered):
        return "NUMBER", None, flags
    if re.search(r"\bhow long\b", lowered):
        return "DURATION", None, flags
    # "how many years …" is answered with the count ("four"), the unit being the counted noun
    unit = re.search(r"\bhow many (seconds|minutes|hours|days|weeks|months|years|decades|centuries)\b", lowered)
    if unit:
        return "NUMBER", unit.group(1), flags
    if re.search(r"\bhow (many|much)\b", lowered):
        return "NUMBER", _counted_noun(lowered), flags
    if re.search(r"\b(what|which) (number|percentage|amount|total)\b", lowered):
        return "NUMBER", None, flags
    if CLOCK_QUESTIONS.search(lowered):
        return "NUMBER", "time", flags  # a clock time ("1 p.m."), found among the numbers, not the dates
    if _asks_when(lowered) or re.search(r"\b(what|which|on what|in what) (years?|day|date|month|time|week|century|centuries|decades?)\b", lowered):
        flags["wants_day"] = bool(re.search(r"\b(what|which) (day|date)\b", lowered)) and not re.search(r"\bday of the week\b", lowered)
        flags["wants_year"] = bool(re.search(r"\b(what|which) year\b", lowered))
        noun = re.search(r"\b(?:what|which) (years?|day|date|month|time|week|century|centuries|decades?)\b", lowered)
        return "DATE", noun.group(1) if noun else None, flags
    if re.search(r"\bwhere\b", lowered):
        return "PLACE", None, flags
    match = re.search(r"\b(?:what|which) (\w+)(?: (\w+))?(?: (\w+))?", lowered)
    other_noun = None
    if match and match.group(1) not in AUXILIARIES:
        for noun in (match.group(1), match.group(2), match.group(3)):
            if noun in PLACE_NOUNS:
                return "PLACE", noun, flags
            if noun in ORGANIZATION_NOUNS:
                return "ORGANIZATION", noun, flags
            if noun in PERSON_NOUNS:
                return "PERSON", noun, flags
            if noun in DESCRIPTION_NOUNS:
                return "DESCRIPTION", noun, flags
        other_noun = match.group(1)
    if first == "why" or re.search(r"\bwhy\b", lowered) or re.search(r"\b(what|which) (reason|purpose|aim|goal)\b", lowered):
        return "REASON", None, flags
    if first in {"who", "whom", "whose"} or (wh_position is not None and words[wh_position] in {"who", "whom"}):
        rest = re.sub(r"^\s*(?:and\s+)?(?:who|whom)\s+(?:is|was|are|were)\s+", "", text.strip(), flags=re.IGNORECASE).rstrip("?. ")
        role = any(word.lower().strip("’'") in PERSON_NOUNS or word.endswith(("’s", "'s")) for word in rest.split())
        if rest != text.strip().rstrip("?. ") and _is_name(rest) and not role:
            return "DESCRIPTION", None, flags
        return "PERSON", None, flags
    if re.search(r"\bwhat (?:is|was|are|were) the (?:death toll|toll|number|total|amount)\b", lowered):
        return "NUMBER", None, flags
    if re.search(r"\bwhat (?:is|was|are|were) the (?:population|size|cost|price|height|length|area|age)\b", lowered):
        return "NUMBER", re.search(r"\bthe (\w+)", lowered).group(1), flags
    if wanted_amount(text) == "money":
        return "NUMBER", None, flags  # "what is her salary?", "what did the firm earn per share?"
    if re.search(r"\bwhat (?:is|was|are|were) the (?:reason|purpose|aim|goal|motive|cause)\b", lowered):
        return "REASON", None, flags
    attribute = re.search(r"\b(?:what|which) (?:is|was|are|were) the (\w+) of\b", lowered)
    if attribute and attribute.group(1) in PLACE_NOUNS:
        return "PLACE", attribute.group(1), flags
    if attribute and attribute.group(1) in PERSON_NOUNS:
        return "PERSON", attribute.group(1), flags
    if re.match(r"^\s*(?:and\s+)?what\s+(?:is|was|are|were)\s+", text, re.IGNORECASE):
        rest = re.sub(r"^\s*(?:and\s+)?what\s+(?:is|was|are|were)\s+(?:the\s+|an?\s+)?", "", text.strip(), flags=re.IGNORECASE).rstrip("?. ")
        if _is_name(rest) or (len(tokenize(rest)) <= 2 and " of " not in rest):
            return "DESCRIPTION", None, flags
    if first in AUXILIARIES and wh_position is None:
        return "YESNO", None, flags
    return "OTHER", asked_noun(text) if other_noun else None, flags


_KIND_WORDS = frozenset("type types kind kinds sort sorts form forms variety varieties category categories".split())
# Parts of speech a noun phrase after "what"/"which" is made of, and the dependency labels of the
# words that modify its head whatever their tag (a participle the parser attaches as an adjective).
_PHRASE_TAGS = frozenset({"ADJ", "NOUN", "PROPN", "NUM"})
_MODIFIER_LABELS = frozenset({"amod", "compound", "nummod"})


def asked_noun(text: str) -> str | None:
    """The head noun of the phrase after "what"/"which", from spaCy's tags (qa.annotation): "what
    legitimate dynasty came" -> "dynasty", "what type of number generators make" -> "generators" (the
    kind asked about, not "type"), "what river separates" -> "river"; none when the wh-word is the
    subject of a verb ("what happened", "what caused"), where a word-shape rule took the verb."""
    tokens = annotate([text])[0].tokens
    wh = next((index for index, token in enumerate(tokens) if token.text.lower() in {"what", "which"}), None)
    if wh is None:
        return None
    head, end = _noun_phrase_head(tokens, wh + 1)
    if head is None and wh + 2 < len(tokens) and tokens[wh + 2].pos == "AUX" and tokens[wh + 1].pos in {"VERB", "NOUN"}:
        head = wh + 1  # "what rules does it follow": the tagger read the noun as a verb; the auxiliary shows it is not
    if head is not None and tokens[head].text.lower() in _KIND_WORDS and end < len(tokens) and tokens[end].text.lower() == "of":
        inner, _ = _noun_phrase_head(tokens, end + 1)
        head = inner if inner is not None else head
    return tokens[head].text.lower() if head is not None else None


def _noun_phrase_head(tokens: Sequence[Token], start: int) -> tuple[int | None, int]:
    """The last noun of the noun phrase starting at `start`, and the index just after the phrase."""
    head, index = None, start
    while index < len(tokens) and (tokens[index].pos in _PHRASE_TAGS or tokens[index].dep in _MODIFIER_LABELS or tokens[index].tag == "HYPH"):
        if tokens[index].pos in {"NOUN", "PROPN"}:
            head = index
        index += 1
    return head, index


def _counted_noun(lowered: str) -> str | None:
    """The head noun after "how many": "how many Swiss voters agreed" -> "voters"."""
    match = re.search(r"\bhow (?:many|much) (.*)", lowered)
    if not match:
        return None
    return _head_noun(match.group(1).split(), 4)


def _head_noun(words: list[str], limit: int) -> str | None:
    """The last word of the noun phrase that opens `words` (at most `limit` words): it ends before an
    auxiliary, a stopword or, after its first word, a past-tense verb ("-ed")."""
    phrase: list[str] = []
    for word in words[:limit]:
        if word in AUXILIARIES or word in STOPWORDS or (phrase and word.endswith("ed")):
            break
        phrase.append(word)
    return phrase[-1] if phrase else None


def _is_name(text: str) -> bool:
    """True when every word of `text` is capitalised (or a name particle): "Angela Merkel"."""
    words = text.split()
    if not words or len(words) > 6:
        return False
    small = {"of", "the", "al", "bin", "de", "at", "in", "and", "for", "on"}
    return words[0][0].isupper() and words[-1][0].isupper() and all(word[0].isupper() or word.lower() in small for word in words)


def synonym_stems(term: str) -> set[str]:
    """Stems of the general-English synonyms and irregular forms of a stemmed term."""
    found = set()
    for key, synonyms in SYNONYMS.items():
        if stem(key) == term:
            found.update(stem(token) for synonym in synonyms for token in tokenize(synonym))
    for form, forms in IRREGULAR_FORMS.items():
        if stem(form) == term:
            found.update(stem(other) for other in forms)
    found.discard(term)
    return found


def expand(terms: list[str]) -> list[str]:
    """Stemmed terms plus the stems of their synonyms (each once, originals first)."""
    expanded = list(dict.fromkeys(terms))
    for term in terms:
        for synonym in sorted(synonym_stems(term)):
            if synonym not in expanded:
                expanded.append(synonym)
    for term in terms:
        for key, synonyms in SYNONYMS.items():
            if stem(key) == term:
                for synonym in synonyms:
                    for token in tokenize(synonym):
                        if stem(token) not in expanded:
                            expanded.append(stem(token))
    return expanded


def analyze_question(text: str) -> Question:
    """Answer type, focus, entities and content words of one question."""
    answer_type, noun, flags = classify(text)
    tokens = tokenize(_FRAME_PHRASES.sub(" ", text))
    frame = FRAME_WORDS | (PLACE_FRAME_WORDS if answer_type == "PLACE" else frozenset())
    if answer_type == "NUMBER":
        how = re.search(r"\bhow (\w+)", text.lower())
        frame = frame | ({how.group(1)} if how else set())
    if flags["wants_start"]:
        frame = frame | {"since"}
    content = [token for token in tokens if token not in STOPWORDS and token not in _QUESTION_WORDS and token not in frame]
    terms = [stem(token) for token in content]
    entities = _entities(text)
    focus = entities[0] if entities else _topic_noun(content, noun)
    entity_words = {token for entity in entities for token in tokenize(entity)}
    main_word = next((stem(token) for token in content if token not in entity_words and token != noun and token not in LEADING_WORDS and not token.isdigit()), None)
    years = tuple(int(year) for year in re.findall(r"\b((?:1[5-9]|20)\d\d)\b", text))
    months = tuple(MONTHS[name.lower()] for name in re.findall(r"\b(" + "|".join(name for name in MONTH_NAMES if name) + r")\b", text))
    return Question(
        text=text,
        answer_type=answer_type,
        coarse_class=COARSE_CLASS[answer_type],
        focus=focus,
        entities=tuple(entities),
        content_words=tuple(content),
        terms=tuple(terms),
        expanded_terms=tuple(expand(terms)),
        answer_noun=noun,
        main_word=main_word,
        years=years,
        months=months,
        measure_term=stem(measure.group(1)) if (measure := MEASURE_QUESTION.search(text.lower())) else None,
        **flags,
    )


def _topic_noun(content: list[str], answer_noun: str | None) -> str | None:
    for word in reversed(content):
        if word != answer_noun and word not in AUXILIARIES:
            return word
    return None
