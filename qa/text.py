"""The one analyzer: sentence splitting, tokenizing, normalising, stopwords and stemming.

Documents and questions go through the same `analyze`, so a word in a question
matches the same word in an article whatever its apostrophes, case or inflection.
"""

from __future__ import annotations

import functools
import itertools
import re
import string
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator

import Stemmer


class _RefusedImports:
    """An import hook that refuses some top-level packages to one thread while it is installed.

    `import nltk` imports every nltk subpackage, and two of them (collocation statistics, the
    scikit-learn classifier wrapper) import scipy.stats and scikit-learn when they are installed:
    about 1.2 of the 1.5 CPU seconds the import costs, paid by the index build and by each of its
    workers, for features this project never calls. nltk guards both imports (an ImportError leaves
    the features unavailable), so they are refused while nltk loads, in the importing thread only
    (another thread importing scipy meanwhile is not affected); afterwards they import as usual.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(name for name in names if name not in sys.modules)  # already loaded: nothing to spare
        self.thread = threading.get_ident()

    def find_spec(self, name: str, path=None, target=None):
        if name.partition(".")[0] in self.names and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"No module named {name!r} (not needed by nltk's Punkt)", name=name)
        return None  # the other finders decide

    def __enter__(self) -> _RefusedImports:
        sys.meta_path.insert(0, self)
        return self

    def __exit__(self, *exception) -> None:
        sys.meta_path.remove(self)


with _RefusedImports(["scipy", "sklearn"]):
    from nltk.tokenize.punkt import (
        _ORTHO_BEG_LC,
        _ORTHO_LC,
        _ORTHO_MID_UC,
        _ORTHO_UC,
        PunktLanguageVars,
        PunktParameters,
        PunktSentenceTokenizer,
        PunktToken,
    )

# Bump when tokenizing, stopwords, stemming or sentence splitting change: an index
# built with another version is stale and is rebuilt.
ANALYZER_VERSION = "5"  # 5: PyStemmer (Snowball 2) instead of nltk's Snowball

# Single characters mapped to single characters, so that a normalised copy of a
# text keeps every character offset of the original.
_SAME_LENGTH_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\ufeff": " ",
        "\r": " ",
        "\t": " ",
    }
)

# A short English stopword list shipped with the project (nltk's list is a download).
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn
    doing don down during each few for from further had hadn has hasn have haven having he
    her here hers herself him himself his how i if in into is isn it its itself just let me
    more most mustn my myself no nor not of off on once only or other ought our ours
    ourselves out over own same shan she should shouldn so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was wasn we were weren what when where which while who whom why will with
    would wouldn you your yours yourself yourselves also s t d ll m re ve y o
    dont doesnt didnt isnt wasnt arent werent cant couldnt wont wouldnt shouldnt hasnt havent hadnt
    """.split()
)

# Abbreviations Punkt must not end a sentence on (lowercase, without the final period).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt cmdr adm sgt cpl pvt gov sen rep rev fr st mt ft
    jr sr esq hon pres supt insp det
    u.s u.k u.n u.s.a e.u d.c a.m p.m e.g i.e vs etc al approx dept est inc ltd co corp bros
    no nos vol fig ch pp
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev
    n.h n.j n.m n.y n.c n.d okla ore pa r.i s.c s.d tenn tex vt va wash w.va wis wyo
    """.split()
)
# US state abbreviations (AP style) above: they end datelines ("SPRINGFIELD, Ill. —"), not sentences.

# A piece that ends on initials the abbreviation list does not know ("the W.M." before "Keck
# Observatory", "John F." before "Kennedy") continues a name when the next piece opens capitalised.
_ENDS_WITH_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){1,3}$")
# A piece never opens on a closing quote, a comma or a semicolon; one that opens lowercase after a
# quotation ending in a full stop continues the sentence the quotation sits in ("the slogan "Go." won").
_OPENS_AS_CONTINUATION = re.compile(r"^[\"'\u201d\u2019)]*\s*[,;:)]|^[\u201d\u2019](?!\w)")
_ENDS_WITH_QUOTED_STOP = re.compile(r"[.!?][\"'\u201d\u2019]$")
_ENDING_CHARACTERS = 9  # longer than any match of the two expressions above with the character before it

_stemmers = threading.local()


def _snowball(word: str) -> str:
    """Snowball's English stem, by the Snowball project's own C code (PyStemmer, about 12 times faster than
    nltk's Python port). Its stemmer objects are not thread-safe, so each thread has its own."""
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = Stemmer.Stemmer("english", 0)  # no cache of its own: callers cache
    return stemmer.stemWord(word)


# Possessive quantifiers (the same tokens: nothing follows a token's repeats, so they never give back a
# character) spare the regex engine its backtracking bookkeeping: a quarter faster on a document's text.
_TOKEN = re.compile(r"\d++(?:[.,]\d+)*+|[^\W_]++(?:[.'][^\W_]+)*+", re.UNICODE)
_POSSESSIVE = re.compile(r"'s?$")


# Characters that are invisible inside a word (soft hyphen, zero-width space and joiners, word
# joiner): "Kel\u00addora" must match "Keldora". Removed for matching; sentence spans still point
# into the original text, which keeps them.
INVISIBLE_CHARACTERS = "\u00ad\u034f\u180e\u200b\u200c\u200d\u2060"
_INVISIBLE = re.compile("[" + INVISIBLE_CHARACTERS + "]")
_REMOVE_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE_CHARACTERS))

# Longest sentence the index keeps whole. Real news sentences stay far below (the longest of the
# 8,000 in the development set has 584 characters); a "sentence" longer than this is text without
# full stops, and answering costs more than linear time in the length of a sentence, so it is cut
# at spaces into pieces of at most this length.
MAX_SENTENCE_CHARACTERS = 1000
# Longest text Punkt is given at once: a longer paragraph is cut first (after a sentence end when it
# has one), so one call's time and memory stay small whatever the paragraph (a page of several megabytes
# on one line).
MAX_SPLIT_CHARACTERS = 10_000


def remove_invisible(text: str) -> str:
    """The text without soft hyphens and zero-width characters."""
    if _INVISIBLE.search(text) is None:
        return text
    return text.translate(_REMOVE_INVISIBLE)


# Finds whether there is anything to map: `str.translate` with a dict table is slow
# per character, and most text has nothing to change.
_MAPPED_CHARACTER = re.compile("[" + re.escape("".join(chr(code) for code in _SAME_LENGTH_MAP)) + "]")


_MAPPED_TO = {chr(code): chr(target) if isinstance(target, int) else target for code, target in _SAME_LENGTH_MAP.items()}


def same_length_normalise(text: str) -> str:
    """Straighten quotes and dashes and blank out BOM/CR/tabs without moving any offset.

    The mapped characters are replaced where the expression finds them: `str.translate` with this table
    looks up every character of a text that is not all ASCII (the 100k-sentence bench sample's
    paragraphs: 0.20 -> 0.06 CPU s)."""
    if _MAPPED_CHARACTER.search(text) is None:
        return text
    return _MAPPED_CHARACTER.sub(_mapped_character, text)


def _mapped_character(match: re.Match) -> str:
    return _MAPPED_TO[match.group()]


def normalise(text: str) -> str:
    """Unicode-normalise text for matching (NFKC, straight quotes, no accents)."""
    text = same_length_normalise(text)
    if text.isascii():
        return text
    text = remove_invisible(text)
    text = unicodedata.normalize("NFKC", text)
    return _NON_ASCII_RUN.sub(_without_marks, unicodedata.normalize("NFKD", text))


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _without_marks(run: re.Match) -> str:
    """A run of non-ASCII characters without its combining marks (accents once decomposed)."""
    return "".join(character for character in run.group() if not unicodedata.combining(character))


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens with possessives removed ("Reuters'" and "Reuters's" -> "reuters")."""
    if len(text) <= 1000:
        return list(_cached_tokens(text))  # sentences, words and names recur constantly while answering
    return _tokenize(text)


@functools.lru_cache(maxsize=50_000)
def _cached_tokens(text: str) -> tuple[str, ...]:
    return tuple(_tokenize(text))


def _tokenize(text: str) -> list[str]:
    tokens = _TOKEN.findall(normalise(text).lower())
    for position, token in enumerate(tokens):
        if "'" in token or "," in token or "." in token:  # most tokens are plain words
            tokens[position] = _bare_token(token)
    return tokens


def _bare_token(token: str) -> str:
    """A raw token without its possessive, apostrophes, thousands commas and abbreviation points:
    "9,488" -> "9488", "U.S." -> "us"; "3.5" keeps its decimal point."""
    if "'" in token:
        token = _POSSESSIVE.sub("", token).replace("'", "")
    if "," in token:
        token = token.replace(",", "")
    if "." in token and not token[0].isdigit():
        token = token.replace(".", "")
    return token


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of a lowercase word (cached: the same words recur constantly)."""
    return _snowball(word)


_STEMS: dict[str, str] = {}
_MAX_STEMS = 2_000_000


def analyze(text: str) -> list[str]:
    """The index terms of a text: tokenize, drop stopwords, stem. Used for documents and queries."""
    stems = _STEMS
    terms = []
    for token in tokenize(text):
        if token in STOPWORDS:
            continue
        term = stems.get(token)
        if term is None:
            if len(stems) >= _MAX_STEMS:
                stems.clear()  # bounded memory in a long-running process
            term = stems[token] = _snowball(token)
        terms.append(term)
    return terms


class _PlainPunktVariables(PunktLanguageVars):
    """Punkt's own English expressions, compiled with Python's `re`.

    nltk runs every Punkt match through `nltk.redos`: the `regex` engine under a per-match
    wall-clock timeout, which costs more than the matching itself (the splitter ran 2.7 times
    as slowly) and fails a document on a busy machine. Punkt's fixed expressions do not backtrack
    badly on any input; what bounds the cost of one document here is that Punkt never sees more
    than MAX_SPLIT_CHARACTERS at once and no sentence is longer than MAX_SENTENCE_CHARACTERS
    (tests/test_bad_documents.py).
    """

    re_boundary_realignment = re.compile(PunktLanguageVars.re_boundary_realignment.pattern, re.MULTILINE)

    def _word_tokenizer_re(self) -> re.Pattern:
        try:
            return self._re_word_tokenizer
        except AttributeError:
            parts = {"NonWord": self._re_non_word_chars, "MultiChar": self._re_multi_char_punct, "WordStart": self._re_word_start}
            self._re_word_tokenizer = re.compile(self._word_tokenize_fmt % parts, re.VERBOSE)
            return self._re_word_tokenizer

    def period_context_re(self) -> re.Pattern:
        try:
            return self._re_period_context
        except AttributeError:
            parts = {"NonWord": self._re_non_word_chars, "SentEndChars": self._re_sent_end_chars}
            self._re_period_context = re.compile(self._period_context_fmt % parts, re.VERBOSE)
            return self._re_period_context


_NON_PUNCTUATION = re.compile(r"[^\W\d]")


class _PlainPunktToken(PunktToken):
    """Punkt's token with its expressions on Python's `re` (see _PlainPunktVariables)."""

    __slots__ = ()
    _RE_ELLIPSIS = re.compile(PunktToken._RE_ELLIPSIS.pattern)
    _RE_NUMERIC = re.compile(PunktToken._RE_NUMERIC.pattern)
    _RE_INITIAL = re.compile(PunktToken._RE_INITIAL.pattern)
    _RE_ALPHA = re.compile(PunktToken._RE_ALPHA.pattern)

    @property
    def is_non_punct(self):
        return _NON_PUNCTUATION.search(self.type)


class _PlainPunktTokenizer(PunktSentenceTokenizer):
    """Punkt whose test of one potential sentence end works on the context's strings.

    nltk's `text_contains_sentbreak` makes a token object per word of the context and runs it through
    generator passes, the largest part of splitting a document. This is the same decision, step for step
    (the first pass by word type, then the second pass's collocation, abbreviation, orthographic, initial
    and number heuristics on each pair, each token's successor seen after its first pass only), on plain
    strings; tests/test_text.py compares it with nltk's on made-up contexts of every kind, and the analysis
    digests of the build are unchanged.
    """

    def __init__(self, *arguments, **keywords) -> None:
        super().__init__(*arguments, **keywords)
        self._decisions: dict[str, bool] = {}  # context -> decision: it depends on the context alone (this model's parameters are fixed)

    def span_tokenize(self, text: str, realign_boundaries: bool = True) -> Iterator[tuple[int, int]]:
        if not realign_boundaries:
            return super().span_tokenize(text, realign_boundaries)
        return iter(self._sentence_spans(text))

    def _sentence_spans(self, text: str) -> list[tuple[int, int]]:
        """nltk's span_tokenize, step for step, in two plain loops: its potential sentence ends with their
        contexts (_match_potential_end_contexts), the slices between the ends that break (_slices_from_text),
        then the slices realigned (_realign_boundaries); nltk chains four generators and makes a slice object
        per step (tests/test_text.py compares the two on made-up texts of every kind)."""
        decide = self.text_contains_sentbreak
        slices: list[tuple[int, int]] = []
        last_break = 0
        previous_match: re.Match | None = None
        previous_start = previous_stop = 0  # the previous potential end's word (nltk's previous_slice)
        for match in self._lang_vars.period_context_re().finditer(text):
            match_start = match.start()
            word_start = previous_start  # after the last whitespace between the previous end and this one, if any
            for position in range(match_start - 1, previous_stop, -1):  # (at the very first position it counts as none)
                if text[position] in string.whitespace:
                    word_start = position + 1
                    break
            if previous_match is not None and previous_stop <= word_start:
                last_break = self._next_break(text, previous_match, previous_start, previous_stop, last_break, slices, decide)
            previous_match, previous_start, previous_stop = match, word_start, match_start
        if previous_match is not None:
            last_break = self._next_break(text, previous_match, previous_start, previous_stop, last_break, slices, decide)
        slices.append((last_break, len(text.rstrip())))
        spans: list[tuple[int, int]] = []
        realign = 0
        boundary_realignment = self._lang_vars.re_boundary_realignment
        for number, (start, stop) in enumerate(slices):
            start += realign
            if number == len(slices) - 1:
                if start < stop:
                    spans.append((start, stop))
                break
            following_start, following_stop = slices[number + 1]
            realigned = boundary_realignment.match(text[following_start:following_stop])
            if realigned:
                spans.append((start, following_start + len(realigned.group(0).rstrip())))
                realign = realigned.end()
            else:
                realign = 0
                if start < stop:
                    spans.append((start, stop))
        return spans

    @staticmethod
    def _next_break(text: str, match: re.Match, word_start: int, word_stop: int, last_break: int, slices: list, decide) -> int:
        """One potential end with its context (the word before it, the end, what follows): when it breaks, the slice up
        to it is added and the next one starts after it."""
        if not decide(text[word_start:word_stop] + match.group() + match.group("after_tok")):
            return last_break
        slices.append((last_break, match.end()))
        return match.start("next_tok") if match.group("next_tok") else match.end()

    def text_contains_sentbreak(self, text: str) -> bool:
        decision = self._decisions.get(text)
        if decision is None:
            if len(self._decisions) >= _MAX_DECISIONS:
                self._decisions.clear()  # bounded memory in a long-running process
            decision = self._decisions[text] = self._contains_sentence_break(text)
        return decision

    def _contains_sentence_break(self, text: str) -> bool:
        tokens: list[str] = []
        for line in text.split("\n"):
            if line.strip():
                tokens += self._lang_vars.word_tokenize(line)
        if len(tokens) < 2:
            return False
        params = self._params
        abbreviations = params.abbrev_types
        types = [_PlainPunktToken._RE_NUMERIC.sub("##number##", token.lower()) for token in tokens]
        # First pass (nltk's _first_pass_annotation): None, "break", "abbreviation" or "ellipsis".
        marks: list[str | None] = []
        for token in tokens:
            if token in self._lang_vars.sent_end_chars:
                marks.append("break")
            elif _PlainPunktToken._RE_ELLIPSIS.match(token):
                marks.append("ellipsis")
            elif token.endswith(".") and not token.endswith(".."):
                word = token[:-1].lower()
                marks.append("abbreviation" if word in abbreviations or word.split("-")[-1] in abbreviations else "break")
            else:
                marks.append(None)
        for position in range(len(tokens) - 1):  # the last token's own break does not count
            if self._second_pass_break(tokens, types, marks, position):
                return True
        return False

    def _second_pass_break(self, tokens: list[str], types: list[str], marks: list[str | None], position: int) -> bool:
        """Whether the token at `position` ends a sentence after nltk's _second_pass_annotation."""
        token, mark = tokens[position], marks[position]
        if not token.endswith("."):
            return mark == "break"
        params = self._params
        following = position + 1
        typ = _without_final_period(types[position])
        next_typ = _without_final_period(types[following]) if marks[following] == "break" else types[following]
        is_initial = _PlainPunktToken._RE_INITIAL.match(token)
        if (typ, next_typ) in params.collocations:
            return False
        if mark in ("abbreviation", "ellipsis") and not is_initial:
            starter = self._starts_sentence(tokens[following], next_typ)
            if starter is True:
                return True
            if tokens[following][0].isupper() and next_typ in params.sent_starters:
                return True
        if is_initial or typ == "##number##":
            starter = self._starts_sentence(tokens[following], next_typ)
            if starter is False:
                return False
            if starter == "unknown" and is_initial and tokens[following][0].isupper() and not (params.ortho_context.get(next_typ, 0) & _ORTHO_LC):
                return False
        return mark == "break"

    def _starts_sentence(self, token: str, typ: str) -> bool | str:
        """nltk's _ortho_heuristic for a token whose type without a sentence period is `typ`."""
        if token in self.PUNCTUATION:
            return False
        context = self._params.ortho_context.get(typ, 0)
        if token[0].isupper() and (context & _ORTHO_LC) and not (context & _ORTHO_MID_UC):
            return True
        if token[0].islower() and ((context & _ORTHO_UC) or not (context & _ORTHO_BEG_LC)):
            return False
        return "unknown"


_MAX_DECISIONS = 200_000  # contexts remembered ("years. The" recurs; most contexts are seen once)


def _without_final_period(typ: str) -> str:
    return typ[:-1] if len(typ) > 1 and typ[-1] == "." else typ


def distinct_terms(lines: Iterable[str]) -> set[str]:
    """The set of the `analyze` terms of all the lines, each distinct word analysed once."""
    tokens: set[str] = set()
    for line in lines:
        tokens.update(_TOKEN.findall(normalise(line).lower()))
    try:
        terms = set(map(_RAW_TERMS.__getitem__, tokens))  # every token seen before: no Python code per token
    except KeyError:
        terms = set(map(_raw_term, tokens))
    terms.discard(None)
    return terms


def terms_present(lines: Iterable[str], wanted: set[str]) -> set[str]:
    """The terms of `wanted` that the lines use: `wanted & distinct_terms(lines)`, reading the lines in
    growing batches only until every wanted term is found."""
    found: set[str] = set()
    lines = iter(lines)
    batch = 1
    while len(found) < len(wanted):
        chunk = list(itertools.islice(lines, batch))
        if not chunk:
            break
        found |= wanted & distinct_terms(chunk)
        batch *= 2
    return found


def analyze_texts(texts: Iterable[str]) -> tuple[list[str], list[int]]:
    """The `analyze` terms of many texts, one flat list, and how many of them each text has.

    The same terms as `analyze` on each text in turn, for the build, which analyses a document's
    sentences at once: each distinct raw token is looked up once (its bare form, stopword test and
    stem), and every occurrence is mapped by C loops rather than by Python code per token.
    """
    terms: list[str] = []
    counts: list[int] = []
    known = _RAW_TERMS.__getitem__
    for text in texts:
        tokens = _TOKEN.findall(normalise(text).lower())
        try:
            found = list(filter(None, map(known, tokens)))  # a term is never empty (_raw_term); stopwords are None
        except KeyError:
            for token in set(tokens).difference(_RAW_TERMS):  # only the new tokens get Python code
                _raw_term(token)
            try:
                found = list(filter(None, map(known, tokens)))
            except KeyError:  # the bounded table was cleared meanwhile
                found = list(filter(None, map(_raw_term, tokens)))
        terms += found
        counts.append(len(found))
    return terms, counts


# A raw token (as _TOKEN finds it in lowercased normalised text) -> its term, or None for a stopword.
_RAW_TERMS: dict[str, str | None] = {}


def _raw_term(token: str) -> str | None:
    """The `analyze` term of a raw token (None for a stopword), remembered."""
    term = _RAW_TERMS.get(token, "")
    if term != "":
        return term
    bare = _bare_token(token) if ("'" in token or "," in token or "." in token) else token
    term = None if bare in STOPWORDS else _stem_of(bare)
    if term == "":
        raise AssertionError(f"an empty stem for {bare!r}")  # cannot happen (a bare token opens with a letter or digit and has no apostrophe), and analyze_texts relies on it
    if len(_RAW_TERMS) >= _MAX_STEMS:
        _RAW_TERMS.clear()  # bounded memory in a long-running process
    _RAW_TERMS[token] = term
    return term


def _stem_of(token: str) -> str:
    term = _STEMS.get(token)
    if term is None:
        if len(_STEMS) >= _MAX_STEMS:
            _STEMS.clear()  # bounded memory in a long-running process
        term = _STEMS[token] = _snowball(token)
    return term


@functools.lru_cache(maxsize=1)
def _sentence_tokenizer() -> tuple[PunktSentenceTokenizer, str]:
    """Punkt with the installed `punkt_tab` English model, else our own abbreviations.

    Never downloads: nltk data may be absent and users may be offline.
    """
    try:
        from nltk.tokenize import _get_punkt_tokenizer

        parameters = _get_punkt_tokenizer("english")._params
        parameters.abbrev_types.update(ABBREVIATIONS)
        name = "punkt_tab+project-abbreviations"
    except (LookupError, ImportError, OSError):
        parameters = PunktParameters()
        parameters.abbrev_types = set(ABBREVIATIONS)
        name = "punkt+project-abbreviations"
    return _PlainPunktTokenizer(parameters, lang_vars=_PlainPunktVariables(), token_cls=_PlainPunktToken), name


def sentence_splitter_name() -> str:
    """Which Punkt model splits sentences here (recorded in the index manifest)."""
    return _sentence_tokenizer()[1]


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph, shifted by `offset`.

    Splits a straightened copy of the text (same length), so quotes ending in `.”`
    stay with their sentence and spans point into the original. Pieces Punkt cut inside a
    sentence (after a name's initials, a quotation's full stop) are joined again. A
    paragraph longer than MAX_SPLIT_CHARACTERS is split in pieces first, and a sentence
    longer than MAX_SENTENCE_CHARACTERS is cut at spaces, so the cost of one document stays linear.
    """
    tokenizer = _sentence_tokenizer()[0]
    straightened = same_length_normalise(text)
    sentences: list[tuple[int, int]] = []
    for piece_start, piece_end in _pieces(straightened, 0, len(text), MAX_SPLIT_CHARACTERS, prefer_sentence_end=True):
        piece = straightened[piece_start:piece_end]
        for start, end in tokenizer.span_tokenize(piece):
            start, end = piece_start + start, piece_start + end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            if sentences and _may_continue(text, sentences[-1][1], start) and _continues(text[sentences[-1][0] : sentences[-1][1]], text[start:end]):
                sentences[-1] = (sentences[-1][0], end)
            else:
                sentences.append((start, end))
    spans: list[tuple[int, int]] = []
    for start, end in sentences:  # trimmed and not empty: only one longer than the limit needs cutting
        if end - start <= MAX_SENTENCE_CHARACTERS:
            spans.append((start + offset, end + offset))
        else:
            spans.extend((part_start + offset, part_end + offset) for part_start, part_end in _pieces(text, start, end, MAX_SENTENCE_CHARACTERS))
    return spans


def _may_continue(text: str, previous_end: int, start: int) -> bool:
    """Whether `_continues` can hold for the sentence ending at `previous_end` (trimmed) and the piece opening at
    `start` (trimmed), by their edge characters alone: a piece opening with a closing quote, a bracket or a comma,
    a sentence ending in a quote or in a capital and a full stop. Most pieces are neither, and spare the copies
    and expressions."""
    last = text[previous_end - 1]
    return text[start] in _CONTINUATION_OPENINGS or last in _QUOTES or (last == "." and "A" <= text[previous_end - 2] <= "Z")


_CONTINUATION_OPENINGS = frozenset("\"'\u201d\u2019),;:")
_QUOTES = frozenset("\"'\u201d\u2019")


def _continues(previous: str, piece: str) -> bool:
    """Whether Punkt cut inside a sentence: after a name's initials or a quotation's full stop."""
    if _OPENS_AS_CONTINUATION.match(piece):
        return True
    # Both expressions match at most the last 7 characters and one before them (8 with a final newline):
    # the tail alone decides, without a search from every position of a long sentence.
    tail = previous[-_ENDING_CHARACTERS:]
    if _ENDS_WITH_QUOTED_STOP.search(tail) and piece[:1].islower():
        return True
    if not _ENDS_WITH_INITIALS.search(tail) or not piece[:1].isupper() or piece[:2].isupper():
        return False
    first_word = re.match(r"[^\W\d_]+", piece)
    return bool(first_word) and first_word.group(0).lower() not in STOPWORDS  # "Plan B. A second plan" is two


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s")


def _pieces(text: str, start: int, end: int, limit: int, prefer_sentence_end: bool = False) -> list[tuple[int, int]]:
    """`text[start:end]` trimmed and cut into pieces of at most `limit` characters: after the last
    sentence end (when asked) or else the last space of the second half of each piece, or at
    `limit` when there is no space. Pieces are trimmed of spaces; empty ones are dropped."""
    pieces = []
    while True:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start <= limit:
            if end > start:
                pieces.append((start, end))
            return pieces
        window_end = start + limit
        cut = -1
        if prefer_sentence_end:
            ends = [match.end() for match in _SENTENCE_END.finditer(text, start + limit // 2, window_end)]
            cut = ends[-1] if ends else -1
        if cut < 0:
            cut = window_end
            for position in range(window_end, start + limit // 2, -1):
                if text[position].isspace():
                    cut = position
                    break
        pieces.append((start, cut))
        while pieces[-1][1] > pieces[-1][0] and text[pieces[-1][1] - 1].isspace():
            pieces[-1] = (pieces[-1][0], pieces[-1][1] - 1)
        start = cut
