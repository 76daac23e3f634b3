"""Which lines of a saved web copy are the article: classification by what a line is, not by a word list.

A line is judged first on its own shape (length, share of stopwords, final punctuation,
case, whether it reads as a date line, a byline, a URL or a form field), then in context,
as jusText does: a short line between two lines of prose is part of the article (a
subhead, a list item), a short line among furniture is furniture. Lines that repeat a
shape (the same opening words, the same text twice) are page templates: share buttons,
image credits, related-story lists. The headline is found where page furniture gives
way to the article (above the byline and date lines, or above the first prose), and
everything above it is the page's header.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from qa.metadata import is_byline, is_date_line, read_byline
from qa.text import STOPWORDS, analyze, terms_present

LineKind = Literal["blank", "headline", "prose", "context", "furniture"]

# A line of prose has at least this many words, ends like a sentence and has enough stopwords
# to be running text; a line this long in characters is prose whatever its ending.
PROSE_MIN_WORDS = 7
PROSE_MIN_STOPWORD_SHARE = 0.2
PROSE_LONG_CHARACTERS = 180
# The language is judged on the first words of the text (enough for the stopword share, cheap on huge files).
LANGUAGE_SAMPLE_WORDS = 3000
# Running text has at least this share of its language's stopwords (English about 0.45).
LANGUAGE_STOPWORD_SHARE = 0.2
# Below this share of stopwords in the whole text, no stopword list fits its language.
KNOWN_LANGUAGE_STOPWORD_SHARE = 0.15
# Text without spaces between words (Japanese, Chinese): prose by characters and final stop.
UNSPACED_PROSE_MIN_CHARACTERS = 30
# A short line is at most this many words.
SHORT_LINE_WORDS = 12
# Prose lines with more than this many furniture lines between them belong to different blocks; a block with
# less than this share of the largest block's prose is outside the article (a comment form, a bio).
MAX_PROSE_GAP = 4
MIN_BLOCK_SHARE = 0.25
MAX_DROPPED_BLOCK_LINES = 2
# Bylines and date lines this many non-blank lines under the headline close the page's header.
HEADER_LINES = 8
# The page's header holds at most this many lines of prose above its byline or date line (a standfirst, a kicker).
MAX_STANDFIRST_LINES = 3
# An item of a dated list of stories is its headline, its date and perhaps a teaser: the next item's date
# line follows within this many other lines.
DATED_LIST_ITEM_LINES = 3
# Related and most-read lists show at least this many headlines in a row.
HEADLINE_LIST_LINES = 3
# A form's fields are at most this many lines apart.
FORM_FIELD_SPREAD = 6
# A comment form's notices ("Your email address will not be published.") sit this close above its first field.
FORM_NOTICE_LINES = 3
# A hard-wrapped copy: at least WRAPPED_MIN_LINES lines, and this share of the lines at least half as wide as the
# widest, break inside a sentence within WRAP_MARGIN characters of the widest line (at least WRAP_MIN_WIDTH characters wide;
# e-mail wraps at 72 to 80).
WRAPPED_MIN_LINES = 5
WRAPPED_SHARE = 0.2
WRAP_MARGIN = 20
WRAP_MIN_WIDTH = 60
# Inside the article, a run of lines straight above a paragraph is the article's after one block of at most this
# many lines of furniture under the paragraph above it (an advertisement, a sign-up form, a short related list); past
# a longer stretch, or furniture with other lines among it (a video player's titles), it is another part of the page.
MAX_FURNITURE_BRIDGED = 8
# Words by which a comment form (what follows it is readers' comments, not the article) tells itself from a sign-up form.
COMMENT_FORM_WORDS = frozenset("comment comments reply replies website discussion".split())
# A short line still counts as between prose with this many furniture lines on its way to the prose.
MAX_FURNITURE_INSIDE = 2
# Furniture that an article's body holds too (a rule or a row of figures, an address, a photo credit or caption)
# does not part a list from the prose around it; this many such lines in a row do.
WEAK_FURNITURE = frozenset({"no letters", "address", "photo credit", "photo caption", "picture label"})
MAX_WEAK_FURNITURE_INSIDE = 8
# A photo's caption is a sentence or two: a longer prose line above a photo credit is a paragraph.
CAPTION_MAX_CHARACTERS = 300
# A line that opens with a photo caption's first this many words is a copy of the caption.
CAPTION_OPENING_WORDS = 8
# A line printed again within this many lines is a repeated caption or label, not two paragraphs.
NEARBY_COPY_LINES = 4
# A table is at least this many rows in a row (blank lines aside) of the same shape, each with a number
# (a score box, poll results, a timetable): its rows are article text inside the article or right next to its prose.
TABLE_MIN_ROWS = 2
# A page shows at most two date lines of its own (published, updated): three or more of one shape in a row
# are a table of dates (a calendar, a timetable), which is article text.
DATE_TABLE_MIN_ROWS = 3
# The headline is looked for among the lines just above the article's first prose.
HEADLINE_MAX_WORDS = 30
HEADLINE_SEARCH_LINES = 80
# A headline's score is the share of its content words that the article's prose uses, scaled down
# for lines of fewer than HEADLINE_FULL_WORDS content words (a section label is one or two words).
HEADLINE_FULL_WORDS = 4
HEADLINE_MIN_SCORE = 0.2
HEADLINE_CLOSE_SCORE = 0.75
# Bylines and page date lines sit right under the headline.
HEADLINE_ABOVE_BYLINE_BONUS = 2.0
# A title-case line this short opening the file, above the headline, is the publication's name.
MASTHEAD_MAX_WORDS = 7
# The share of content words (stopwords aside) that name parts of a web page (buttons, forms,
# feeds): like jusText's link density, a short line made mostly of them is page furniture, not
# news. A line shaped like a sentence needs a larger share ("The vote was close." is news).
INTERFACE_SHARE = 0.5
INTERFACE_SENTENCE_SHARE = 0.6
INTERFACE_WORDS = frozenset(
    """
    share shares sharing tweet retweet facebook twitter whatsapp telegram linkedin reddit pinterest tumblr
    flipboard messenger instagram youtube email e-mail print comment comments reply login log sign subscribe
    subscription newsletter newsletters click tap download app apps cookie cookies privacy policy terms
    follow advertisement advertising sponsored loading menu search home close skip navigation permalink
    copy link links bookmark notifications rss feed podcast video videos photo photos gallery image images
    caption credit copyright report read more related recommended trending popular topics tags tagged display
    previous next continue reading translate website password username account register watch listen view
    author publish inbox
    """.split()
)
_INTERFACE_CONTENT_WORDS = INTERFACE_WORDS - STOPWORDS  # an interface word counts among a line's content words only

# Imperatives that open a promotion ("Sign up for ...", "Click here to ...", "Stay up to date with ...").
CALL_TO_ACTION_VERBS = frozenset("subscribe sign click tap download follow listen watch register join get stay".split())
# Calls to action make at least this share of a promotion's words (a third: "Stay up to date with us. Subscribe to our newsletter.").
CALL_TO_ACTION_SHARE = 1 / 3

_WORD = re.compile(r"[^\W\d_][\w'\u2019\-]*")
_LETTER = re.compile(r"[^\W\d_]")
_ASCII_LOWERCASE = re.compile(r"[a-z]")  # in an ASCII line, the characters that are lowercase and alphanumeric
_POSSESSIVE_END = re.compile(r"['\u2019]s$")
_STRIPPED_ENDINGS = ("'", "\u2019", "-", "'s", "\u2019s")  # what _POSSESSIVE_END and the edge strip take off a word
_TERMINAL = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u201d\u2019)\]]*\s*$")
_SIGNED_OFF = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?:[A-Z]{2,6}|\([^()]{1,40}\))\s*$")
_QUESTION_ONLY = re.compile(r"^[^.!?]*\?[\"'\u201d\u2019)\]]*\s*$")
_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_FORM_FIELD = re.compile(r"^[^\W\d_][\w ]{0,24}\*\s*$")
_COUNTER = re.compile(r"^[\d.,]+\s*[km]?\+?\s*[^\W\d_]{0,10}\s*/?\s*$", re.IGNORECASE)
# A line that ends like this goes on in the next line: a sentence printed over several lines; one ending in a
# colon announces what follows (a list, a quotation).
_CONTINUES = re.compile(r"[,;\u3001\uff0c\uff1b]\s*$")
_ANNOUNCES = re.compile(r"[:\uff1a]\s*$")
_DIGITS = re.compile(r"\d+(?:[.,:]\d+)*")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_CAPTION_CREDIT = re.compile(
    r"\((?:[^()]*\b(?i:image|photo|photograph|picture|credit|courtesy|file\s+photo)\b[^()]*|[A-Z]{2,6}(?:\s+[Pp]hoto)?"
    r"|[A-Z][\w.' \-]*/\s*[A-Z][\w.' \-]*)\)\s*$"
)
_PHOTO_CREDIT = re.compile(r"^(?i:(?:photo|photograph|image|picture|video)(?:\s+credit)?s?|credits?|courtesy)\s*[:\-\u2013\u2014]\s*\S")
# "Jane Doe/Example Times/Getty Images": a photo credit of names joined by slashes.
_CREDIT = re.compile(r"^[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*)*(?:\s*/\s*[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*)*)+$")
# "Example County Sheriff's Office via AP": a picture's source handed on by an agency.
_VIA_CREDIT = re.compile(r"^[A-Z][\w.'\u2019\-]*(?:\s+[A-Z][\w.'\u2019\-]*)*\s+via\s+[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,2}$")
_BY_ALONE = re.compile(r"^by:?$", re.IGNORECASE)
_LABEL = re.compile(r"^[\[(]?([^\W\d_][^:]{0,30}):\s+\S")
# A picture's label opens the line: "Image caption The mayor ...", "(Photo: \u00a9 Jane Doe)", "Image copyright Example".
_PICTURE_LABEL = re.compile(
    r"^[\[(]?(?i:image|photo|photograph|picture|video)s?\s*(?i:caption|copyright|credit|source|courtesy)?\s*[:\u00a9]|"
    r"^(?i:image|photo|picture|video)\s+(?i:caption|copyright|credit|source|courtesy)\b"
)
# "LONDON (AP) —", "ST. JOSEPH, Mich. (Reuters) -", "WASHINGTON —": a place in capitals (and a state), maybe an
# agency, then a dash: the opening of a news story's first paragraph, never of a standfirst.
AGENCY_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'\-]{1,40}(?:,\s*[A-Z][a-z]{1,5}\.(?:\s*[A-Z][a-z]?\.)?)?\s*(?:\((?P<agency>[^)]{1,40})\))?\s*[:\-\u2013\u2014]+\s+(?=\S)"
)
_COPYRIGHT = re.compile(r"\u00a9|\bcopyright\b\s*(?:\u00a9|\(c\)|@)?\s*\d{4}|\ball rights reserved\b", re.IGNORECASE)


@dataclass(frozen=True)
class LineVerdict:
    """What one line of a web copy is, and whether it belongs to the article text."""

    kind: LineKind
    reason: str = ""

    @property
    def keep(self) -> bool:
        return self.kind in {"headline", "prose", "context"}


# The verdicts most lines get, made once (a frozen dataclass's construction costs about a microsecond).
_PROSE = LineVerdict("prose")
_BLANK = LineVerdict("blank")


@functools.lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    """jusText's stopword lists (about 100 languages), read once; English is the project's own plus jusText's."""
    import justext

    lists = {language: frozenset(justext.get_stoplist(language)) for language in justext.get_stoplists() if language != "English"}
    lists["English"] = _english_stoplist()
    return lists


@functools.lru_cache(maxsize=1)
def _english_stoplist() -> frozenset[str]:
    """The English list of _stoplists, read alone: an English text needs no other, and reading all of them cost
    each process of the build (the build and its two workers) about 0.15 CPU s."""
    import justext

    english = frozenset(justext.get_stoplist("English")) if "English" in justext.get_stoplists() else frozenset()
    return english | STOPWORDS


def stopwords_for(lines: Sequence[str]) -> frozenset[str]:
    """The stopword list that covers most words of the text (its language, for this purpose)."""
    return _stopwords_for_words(map(_lowered_words, lines))


def _lowered_words(line: str) -> list[str]:
    # An ASCII line lowercased whole has the same words, lowercased (cheaper than word by word).
    return _WORD.findall(line.lower()) if line.isascii() else [word.lower() for word in _WORD.findall(line)]


def _stopwords_for_words(words_of_lines: Iterable[list[str]]) -> frozenset[str]:
    """`stopwords_for` from each line's lowercased words (classify_lines finds them once for this and the shapes)."""
    words: list[str] = []
    for line_words in words_of_lines:  # the first LANGUAGE_SAMPLE_WORDS words, without reading the rest of a long text
        words += line_words
        if len(words) >= LANGUAGE_SAMPLE_WORDS:
            break
    words = words[:LANGUAGE_SAMPLE_WORDS]
    if not words:
        return STOPWORDS
    english = sum(map(STOPWORDS.__contains__, words)) / len(words)
    if english >= LANGUAGE_STOPWORD_SHARE:
        return _english_stoplist()
    best = max(_stoplists().values(), key=lambda stoplist: sum(map(stoplist.__contains__, words)))
    # Another language's list only when it fits like a language's own stopwords do.
    if sum(map(best.__contains__, words)) / len(words) >= LANGUAGE_STOPWORD_SHARE:
        return best
    return _stoplists()["English"]


class _Shape(NamedTuple):  # a named tuple: made for every line, and cheaper to make than a frozen dataclass
    words: int
    characters: int
    stopword_share: float
    interface_share: float
    terminal: bool
    unspaced: bool
    upper: bool


def _shape(line: str, stopwords: frozenset[str], lowered: list[str] | None = None) -> _Shape:
    ascii_line = line.isascii()
    if lowered is None:
        lowered = _lowered_words(line)
    if "'" in line or "\u2019" in line or "-" in line:  # only then is there a possessive or an edge to strip
        # A word opens with a letter: only its end can be stripped, and only when it ends in one of these.
        lowered = [_POSSESSIVE_END.sub("", word).strip("'\u2019-") if word.endswith(_STRIPPED_ENDINGS) else word for word in lowered]
    count = len(lowered)
    content = count - sum(map(STOPWORDS.__contains__, lowered))  # the short list: "related" is content here
    # All in capitals: at least 8 letters and none lowercase (a lowercase letter is a cased alphanumeric
    # character; looking for one first spares listing the letters of every prose line).
    if ascii_line:
        has_lowercase = _ASCII_LOWERCASE.search(line) is not None
    else:
        has_lowercase = any(character.islower() and character.isalnum() for character in line)
    upper = not has_lowercase and len(_LETTER.findall(line)) >= 8
    return _Shape(
        words=count,
        characters=len(line),
        stopword_share=sum(map(stopwords.__contains__, lowered)) / count if count else 0.0,
        interface_share=sum(map(_INTERFACE_CONTENT_WORDS.__contains__, lowered)) / content if content else 0.0,
        terminal=bool(_TERMINAL.search(line)),
        unspaced=len(line) >= 2 * UNSPACED_PROSE_MIN_CHARACTERS and line.count(" ") * 15 < len(line),
        upper=upper,
    )


def _own_verdict(line: str, shape: _Shape) -> LineVerdict | None:
    """Furniture or prose by the line's own shape; None when only context can tell."""
    stripped = line.strip()
    if not _LETTER.search(stripped):
        return LineVerdict("furniture", "no letters")
    # An address holds "://" or "www." (in any case): plain substring tests spare most lines the case-blind
    # expression, which cannot skip ahead to a first letter (over the 100k bench sample's lines, 0.24 -> 0.04 CPU s).
    if ("://" in stripped or "www." in stripped.lower()) and _URL.search(stripped) and len(_WORD.findall(_URL.sub("", stripped))) <= 3:
        return LineVerdict("furniture", "address")
    if _FORM_FIELD.match(stripped):
        return LineVerdict("furniture", "form field")
    if _COUNTER.match(stripped) and _counts_page_things(stripped):
        return LineVerdict("furniture", "counter")  # "858 shares", "1.2k": not "3 eggs", a list item
    if shape.words <= 2 * SHORT_LINE_WORDS and _PICTURE_LABEL.match(stripped) and not _PHOTO_CREDIT.match(stripped):
        # "(Image: \u00a9 Jane Doe)", "Image copyright Example Agency", "Image caption The mayor ...": a picture's label,
        # printed above its caption or below it, so it does not say which prose line is the caption.
        return LineVerdict("furniture", "picture label")
    if shape.words <= 20 and _COPYRIGHT.search(stripped):
        return LineVerdict("furniture", "copyright")
    if is_date_line(stripped):
        return LineVerdict("furniture", "date line")
    if is_byline(stripped) or _BY_ALONE.match(stripped):
        return LineVerdict("furniture", "byline")  # "By Jane Roe", or "By" over the names on the lines below
    interface_share = INTERFACE_SENTENCE_SHARE if shape.terminal and shape.words >= 4 else INTERFACE_SHARE
    # A sentence of prose length made of such words is the page's only when it opens with one ("Share this story
    # on ...", "Read more about ..."): "Subscribers can watch the video on the app from Friday." is news about an app.
    sentence = shape.terminal and shape.words >= PROSE_MIN_WORDS
    if (
        shape.words <= 2 * SHORT_LINE_WORDS
        and shape.interface_share >= interface_share
        and (not sentence or _action_word(stripped.split()[0]) in INTERFACE_WORDS)
    ):
        return LineVerdict("furniture", "page interface words")
    if shape.words <= 2 * SHORT_LINE_WORDS and _calls_to_action(stripped):
        return LineVerdict("furniture", "call to action")  # "Subscribe to our channel for the latest videos!"
    if _PHOTO_CREDIT.match(stripped) or _CREDIT.match(stripped) or _VIA_CREDIT.match(stripped):
        return LineVerdict("furniture", "photo credit")  # "Photo: Jane Roe", "Jane Roe/Example Daily/Getty Images"
    if not shape.terminal and _CAPTION_CREDIT.search(stripped):
        return LineVerdict("furniture", "photo caption")  # "... the harbour at dawn. (Image credit: Jane Doe)"
    label = _LABEL.match(stripped)
    if label and not shape.terminal:
        label_words = [word.lower() for word in _WORD.findall(label.group(1))]
        if label_words and sum(word in INTERFACE_WORDS for word in label_words) / len(label_words) >= 0.5:
            return LineVerdict("furniture", "link teaser")  # "Also read: Another story's headline"
    if shape.unspaced:
        return _PROSE if shape.terminal else None
    if shape.characters >= PROSE_LONG_CHARACTERS and shape.stopword_share >= PROSE_MIN_STOPWORD_SHARE / 2:
        return _PROSE
    if shape.words >= PROSE_MIN_WORDS and shape.terminal and shape.stopword_share >= PROSE_MIN_STOPWORD_SHARE:
        if shape.words <= SHORT_LINE_WORDS and _QUESTION_ONLY.match(stripped):
            return None  # one short question: a subhead between paragraphs or a headline in a list; context decides
        return _PROSE
    if shape.words >= PROSE_MIN_WORDS and _SIGNED_OFF.search(stripped) and shape.stopword_share >= PROSE_MIN_STOPWORD_SHARE:
        return _PROSE  # "... returned home on Monday. XYZ": a paragraph signed off by its agency
    return None


def _counts_page_things(line: str) -> bool:
    """Whether a counter's word (if any) names a part of the page ("12 comments", "858 shares", "1.2k")."""
    words = [word.lower() for word in _WORD.findall(line) if len(word) > 1]
    return all(word in INTERFACE_WORDS or word.rstrip("s") in INTERFACE_WORDS for word in words)


def _calls_to_action(line: str) -> bool:
    """A promotion: sentences that open with an imperative call to act on the page ("Subscribe", "Sign up",
    "Click") and name a part of it ("... our newsletter", "... the app") make much of the line.
    (A paragraph with "Click To Tweet" run into it stays: keeping prose comes first.)"""
    sentences = [sentence.split() for sentence in _SENTENCE_GAP.split(line) if sentence.split()]
    promoting = 0
    for words in sentences:
        # The other words are looked at only when the first is a call to action (most lines open otherwise).
        if _action_word(words[0]) in CALL_TO_ACTION_VERBS and any(_action_word(word) in _PAGE_PARTS for word in words[1:]):
            promoting += len(words)
    return promoting >= CALL_TO_ACTION_SHARE * sum(len(words) for words in sentences)


_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+")
_PAGE_PARTS = INTERFACE_WORDS - CALL_TO_ACTION_VERBS


def _action_word(word: str) -> str:
    return _POSSESSIVE_END.sub("", word.lower().strip("\"'\u201c\u2018.,!?:;"))


def _headline_like(line: str, shape: _Shape) -> bool:
    return 1 <= shape.words <= HEADLINE_MAX_WORDS and not re.search(r"(?<!\.\.)\.\s*$", line)


def find_headline(lines: Sequence[str], verdicts: Sequence[LineVerdict | None], shapes: Sequence[_Shape | None]) -> int | None:
    """The headline's line: among the headline-shaped lines above the first prose, the one whose
    words the article uses most (navigation, section labels and credits share few words with it)."""
    first_prose = next((i for i, verdict in enumerate(verdicts) if verdict and verdict.kind == "prose"), None)
    if first_prose is None:
        return None
    candidates: list[tuple[int, _Shape, list[str]]] = []
    for i in range(max(0, first_prose - HEADLINE_SEARCH_LINES), first_prose):
        shape = shapes[i]
        if verdicts[i] is not None or shape is None or not _headline_like(lines[i], shape):
            continue
        words = _content_words(lines[i])
        if words:
            candidates.append((i, shape, words))
    # Only whether the prose uses each candidate's words matters: the prose is read until all of them are
    # found (a plain article names its title's words in its first lines), not always to its end.
    prose = (lines[i] for i in range(first_prose, len(lines)) if verdicts[i] and verdicts[i].kind == "prose")
    prose_words = terms_present(prose, {word for _, _, words in candidates for word in words})
    scored: list[tuple[float, int]] = []
    for i, shape, words in candidates:
        score = sum(word in prose_words for word in words) / len(words) * min(1.0, len(words) / HEADLINE_FULL_WORDS)
        score *= 1 - shape.interface_share
        if shape.upper:
            score /= 2  # a kicker or section label in capitals above the headline
        if _trail_of_another(lines, i, first_prose):
            continue
        if _above_metadata(lines, verdicts, i):
            score *= HEADLINE_ABOVE_BYLINE_BONUS
        if score >= HEADLINE_MIN_SCORE:
            scored.append((score, i))
    if not scored:
        return _nearest_headline_shape(lines, verdicts, shapes, first_prose)
    # The headline comes first; a standfirst or a photo caption below it may share as many words.
    best = max(score for score, _ in scored)
    chosen = next(position for position, (score, _) in enumerate(scored) if score >= HEADLINE_CLOSE_SCORE * best)
    headline = scored[chosen][1]
    opening = next(i for i, line in enumerate(lines) if line.strip())
    if headline == opening and chosen + 1 < len(scored) and _masthead_like(lines[headline]):
        following = next(i for i in range(headline + 1, len(lines)) if lines[i].strip())
        if scored[chosen + 1][1] == following:
            return following  # the publication's name opens the file, the headline follows
    return headline


def _masthead_like(line: str) -> bool:
    words = [word for word in _WORD.findall(line) if len(word) > 3]
    return len(line.split()) <= MASTHEAD_MAX_WORDS and bool(words) and all(word[0].isupper() for word in words)


def _nearest_headline_shape(
    lines: Sequence[str], verdicts: Sequence[LineVerdict | None], shapes: Sequence[_Shape | None], first_prose: int
) -> int | None:
    """When no line shares the article's words: a headline-shaped line just above the first prose."""
    seen = 0
    for i in range(first_prose - 1, -1, -1):
        shape = shapes[i]
        if shape is None:
            continue
        if verdicts[i] is None and _headline_like(lines[i], shape) and shape.words >= HEADLINE_FULL_WORDS:
            return i
        seen += 1
        if seen >= 3:
            return None
    return None


def _above_metadata(lines: Sequence[str], verdicts: Sequence[LineVerdict | None], i: int) -> bool:
    """Whether a byline or page date line follows within the next few non-blank lines."""
    seen = 0
    for j in range(i + 1, len(lines)):
        if not lines[j].strip():
            continue
        if verdicts[j] is not None and verdicts[j].reason in {"date line", "byline"}:
            return True
        seen += 1
        if seen >= 3:
            return False
    return False


def _trail_of_another(lines: Sequence[str], i: int, first_prose: int) -> bool:
    """A breadcrumb trail: the line ends with the text of another line nearby ("Home > News > Headline")."""
    line = " ".join(lines[i].split())
    for j in range(max(0, i - HEADLINE_SEARCH_LINES), first_prose):
        other = " ".join(lines[j].split())
        if j != i and len(other) >= 10 and len(line) > len(other) and line.endswith(other):
            return True
    return False


def _content_words(line: str) -> list[str]:
    return [term for term in analyze(line) if len(term) > 2 and not term.isdigit()]


def _wrapped_paragraphs(lines: Sequence[str]) -> list[tuple[int, int]]:
    """The first and last line of each paragraph of a hard-wrapped copy (a plain-text e-mail, a terminal, a PDF's
    text): there, many lines break inside a sentence near one width, the widest, and a paragraph is a run of such
    broken lines and the line that ends it. Copies with a paragraph a line do not break inside sentences."""
    lengths = [len(line.rstrip()) for line in lines]
    width = max(lengths, default=0)
    if width < WRAP_MIN_WIDTH:
        return []
    # A line broken inside a sentence: near the widest, not ending a sentence, and the sentence going on in the next
    # line with a lowercase word (lines of a list or of headlines open with a capital or a figure).
    broken = [
        length >= width - WRAP_MARGIN and i + 1 < len(lines) and lines[i + 1].lstrip()[:1].islower() and not _TERMINAL.search(lines[i])
        for i, length in enumerate(lengths)
    ]
    if sum(broken) < WRAPPED_MIN_LINES or sum(broken) < WRAPPED_SHARE * sum(length >= width / 2 for length in lengths):
        return []
    # In a wrapped copy, a line near the widest goes on in the next line even when a sentence ends with it.
    full = [length >= width - WRAP_MARGIN and i + 1 < len(lines) and lengths[i + 1] > 0 for i, length in enumerate(lengths)]
    found = []
    i = 0
    while i < len(lines):
        last = i
        while full[last]:
            last += 1
        if last > i:
            found.append((i, last))
        i = last + 1
    return found


def classify_lines(lines: Sequence[str]) -> list[LineVerdict]:
    """A verdict for each line of a web copy (blank lines are "blank")."""
    words_of_lines = [_lowered_words(line) if line.strip() else [] for line in lines]  # found once for both
    stopwords = _stopwords_for_words(words_of_lines)
    shapes: list[_Shape | None] = [_shape(line, stopwords, words) if words or line.strip() else None for line, words in zip(lines, words_of_lines, strict=True)]
    words = sum(shape.words for shape in shapes if shape)
    if words and sum(shape.stopword_share * shape.words for shape in shapes if shape) / words < KNOWN_LANGUAGE_STOPWORD_SHARE:
        # No stopword list fits the text's language: length and final punctuation decide alone.
        shapes = [shape._replace(stopword_share=1.0) if shape else None for shape in shapes]
    own: list[LineVerdict | None] = [
        _BLANK if shape is None else _own_verdict(line, shape) for line, shape in zip(lines, shapes, strict=True)
    ]
    for first, last in _wrapped_paragraphs(lines):
        # Each line of a hard-wrapped paragraph is judged as the paragraph: a piece of a sentence is not a short line.
        joined = " ".join(line.strip() for line in lines[first : last + 1])
        shape = _shape(joined, stopwords)
        if shapes[first] is not None and shapes[first].stopword_share == 1.0:
            shape = shape._replace(stopword_share=1.0)  # no stopword list fits the language, as above
        verdict = _own_verdict(joined, shape)
        for i in range(first, last + 1):
            shapes[i], own[i] = shape, verdict
    for i in _captions(lines, own):
        own[i] = LineVerdict("furniture", "photo caption")
    for i in _around_a_form(lines, own):
        own[i] = LineVerdict("furniture", "comment form")
    for i in _outside_main_block(lines, own):
        own[i] = LineVerdict("furniture", OUTSIDE_MAIN_BLOCK)
    # Tables of dates (not the page's date lines: the header ends above them) and of figures (two or more
    # numbers a row) are not lists of headlines, whose lines may open with one number ("15 Ways to ...").
    early_tables = {
        i for i in _tables(lines, own, shapes, 0)
        if (own[i] is not None and own[i].reason == "date line") or _row_shape(lines[i].strip()).count("9") >= 2
    }
    for i in early_tables:
        if own[i] is not None and own[i].reason == "date line":
            own[i] = None
    headline = find_headline(lines, own, shapes)
    below = headline + 1 if headline is not None else 0
    for i in _leads_under_the_byline(own, headline):
        own[i] = LineVerdict("prose")  # the article's first paragraph, parted from the rest by a photo or a share bar
    for i in _standfirst(lines, own, headline):
        own[i] = LineVerdict("furniture", "standfirst above the byline")
    for i in _headline_lists(lines, own, shapes, below):
        if i not in early_tables:  # rows of one shape with a number each are a table, not headlines
            own[i] = LineVerdict("furniture", "list of headlines")
    for i in _earlier_copies(lines, own, below):
        own[i] = LineVerdict("furniture", "printed again below")
    tables = _tables(lines, own, shapes, below)
    for i in tables:
        if own[i] is not None:
            own[i] = None  # a row of figures without words is a table cell: context decides, as for a list item
    if tables and not any(verdict is not None and verdict.kind == "prose" for verdict in own):
        # A page without prose (a calendar, a results page): its longest table is the article.
        first, last = max(set(tables.values()), key=lambda table: (sum(span == table for span in tables.values()), -table[0]))
        for i in range(first, last + 1):
            if tables.get(i) == (first, last):
                own[i] = LineVerdict("context", "a table on a page without prose")
        headline = _nearest_headline_shape(lines, own, shapes, first)
    sentence_lines = _sentence_lines(lines, own)
    sentences = _sentences_after_prose(own, sentence_lines)
    verdicts: list[LineVerdict] = []
    links = _decided_neighbours(own)
    below_headline = -1 if headline is None else headline
    prose = [i for i, verdict in enumerate(own) if i > below_headline and verdict is not None and verdict.kind == "prose"]
    first_prose, last_prose = (prose[0], prose[-1]) if prose else (len(own), -1)
    for i, verdict in enumerate(own):
        if headline is not None and i < headline:
            verdicts.append(verdict if verdict and verdict.kind == "blank" else LineVerdict("furniture", "above the headline"))
        elif i == headline:
            verdicts.append(LineVerdict("headline"))
        elif verdict is not None and verdict.reason == "address" and _between_prose(i, own, links, headline):
            verdicts.append(LineVerdict("context", "an address inside the article"))  # "The report: https://example.org/report"
        elif verdict is not None:
            verdicts.append(verdict)
        elif _announced(lines, verdicts, i):
            verdicts.append(LineVerdict("context", ANNOUNCED_LIST))
        else:
            inside = first_prose < i < last_prose
            verdicts.append(_in_context(i, lines, own, links, headline, i in sentences, tables.get(i), i in sentence_lines, inside))
    return verdicts


ANNOUNCED_LIST = "a list the article announces"
OUTSIDE_MAIN_BLOCK = "prose outside the article's block"


def _announced(lines: Sequence[str], verdicts: Sequence[LineVerdict], i: int) -> bool:
    """Whether an undecided line is an item of a list that the article's text announces: the line above
    it (blank lines aside) is article text ending in a colon, or an earlier item of the same list."""
    above = _previous_line(lines, i)
    if above < 0 or not verdicts[above].keep or verdicts[above].kind == "headline":
        return False
    return verdicts[above].reason == ANNOUNCED_LIST or bool(_ANNOUNCES.search(lines[above]))


def _row_shape(line: str) -> str:
    """A table row's shape: its words as "a", its numbers as "9", punctuation as printed ("Lakeside 14 11 — 44": "a99—9")."""
    shape = _LETTER_RUN.sub("a", _DIGITS.sub("9", line))
    return re.sub(r"a+", "a", "".join(shape.split()))


def _tables(lines: Sequence[str], own: Sequence[LineVerdict | None], shapes: Sequence[_Shape | None], start: int) -> dict[int, tuple[int, int]]:
    """Rows of tables (each row's table as its first and last line): runs of short lines of one shape with a number each.

    Rows with words are undecided lines already; rows of figures alone ("3-1", "14 11 6 15") would be
    furniture on their own shape, and a counter or a date line is furniture whatever its neighbours."""
    found: dict[int, tuple[int, int]] = {}
    run: list[int] = []
    run_shape = ""

    def close() -> None:
        dates = any(own[i] is not None and own[i].reason == "date line" for i in run)
        if len(run) >= (DATE_TABLE_MIN_ROWS if dates else TABLE_MIN_ROWS):
            found.update(dict.fromkeys(run, (run[0], run[-1])))

    for i in range(start, len(lines)):
        shape = shapes[i]
        if shape is None:
            continue  # blank lines do not break a table
        is_row = (own[i] is None or own[i].reason in {"no letters", "date line"}) and shape.words <= SHORT_LINE_WORDS
        row_shape = _row_shape(lines[i].strip()) if is_row else ""
        is_row = is_row and "9" in row_shape
        if is_row and run and row_shape == run_shape:
            run.append(i)
            continue
        close()
        run, run_shape = ([i], row_shape) if is_row else ([], "")
    close()
    return found


def _sentences_after_prose(own: Sequence[LineVerdict | None], sentences: set[int]) -> set[int]:
    """The sentence lines that go on from prose: only other sentences (and a stray furniture line or two) lie
    between them and the prose above. A line that is not a sentence ends the run (a teaser after a list of links)."""
    found: set[int] = set()
    going_on, stray = False, 0
    for i, verdict in enumerate(own):
        if verdict is None:
            going_on = going_on and i in sentences
            if going_on:
                found.add(i)
        elif verdict.kind == "prose":
            going_on, stray = True, 0
        elif verdict.kind == "furniture":
            stray += 1
            going_on = going_on and stray <= MAX_FURNITURE_INSIDE
    return found


def _sentence_lines(lines: Sequence[str], own: Sequence[LineVerdict | None]) -> set[int]:
    """Undecided lines that make a sentence, alone or with the lines that continue it (a line ending in a
    comma goes on in the next): it starts with a capital (or a letter of a script without case) and ends
    with a full stop (or a colon, announcing what follows, after a sentence's worth of words)."""
    found: set[int] = set()
    group: list[int] = []
    for i, verdict in enumerate([*own, LineVerdict("blank")]):
        if verdict is None:
            group.append(i)
            if not _CONTINUES.search(lines[i]):
                first = _LETTER.search(lines[group[0]])
                last = lines[i].strip()
                # A label ("Categories:", "You may also like:") ends in a colon too: a sentence that announces has a sentence's length.
                announces = _ANNOUNCES.search(last) and sum(len(_WORD.findall(lines[j])) for j in group) >= PROSE_MIN_WORDS
                if first and not first.group().islower() and (_TERMINAL.search(last) or announces):
                    found.update(group)
                group = []
        else:
            group = []  # a decided or blank line ends the sentence
    return found


def _headline_lists(lines: Sequence[str], own: Sequence[LineVerdict | None], shapes: Sequence[_Shape | None], start: int) -> list[int]:
    """Runs of title-case (or capitals) lines with no final stop: related and most-read headlines.

    A subhead inside an article is one such line between paragraphs, and list items are in
    sentence case, so neither forms such a run."""
    found: list[int] = []
    run: list[int] = []
    announced = False  # the run's first line follows a sentence ending in a colon: a list the article announces

    def close() -> None:
        if len(run) >= HEADLINE_LIST_LINES and not announced:
            found.extend(run)

    for i in range(start, len(lines)):
        shape = shapes[i]
        if shape is None:
            continue  # blank lines do not break a run
        if own[i] is None and shape.words >= 3 and not shape.terminal and (shape.upper or _title_case(lines[i])):
            run.append(i)
            continue
        if run:
            close()
            run = []
        # "The shortlist includes these books:" announces a list; a label ("You may also like:") is too short to.
        announced = (
            shape.words >= PROSE_MIN_WORDS and lines[i].rstrip().endswith((":", "\uff1a")) and (own[i] is None or own[i].kind == "prose")
        )
    close()
    return found


def _title_case(line: str) -> bool:
    long_words = [word for word in _WORD.findall(line) if len(word) > 3]
    return len(long_words) >= 2 and all(word[0].isupper() or word[0].isdigit() for word in long_words)


def _earlier_copies(lines: Sequence[str], own: Sequence[LineVerdict | None], start: int) -> list[int]:
    """A line printed again within a few lines (a caption shown with each photo of a gallery): all but the last copy."""
    recent: list[tuple[int, str]] = []
    copies = []
    for i in range(start, len(lines)):
        words = lines[i].split()
        if not words:
            continue
        key = " ".join(words).lower()  # lowercasing adds no space: the key has the line's words
        if (own[i] is None or own[i].kind == "prose") and len(words) >= 3:
            copies.extend(j for j, earlier in recent if earlier == key)
        recent = [*recent[-(NEARBY_COPY_LINES - 1):], (i, key)]
    return copies


def _standfirst(lines: Sequence[str], own: Sequence[LineVerdict | None], headline: int | None) -> list[int]:
    """Lines between the headline and the byline or date line under it: the page's header (a standfirst, a kicker).

    The header's end is the lowest byline or date line within HEADER_LINES of the headline that closes a
    header: at most MAX_STANDFIRST_LINES lines of prose above it, none opening with a dateline (that is the
    article's lead, with the byline printed under it), more prose below it than above (a header
    introduces the article), and not one date of a list of dated stories. Otherwise the lines above a
    date line are a short article, with other stories and their dates under it."""
    if headline is None:
        return []
    seen = 0
    metadata = []
    for i in range(headline + 1, len(lines)):
        if not lines[i].strip():
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        if own[i] is not None and own[i].reason in {"date line", "byline"}:
            metadata.append(i)
    for end in reversed(metadata):
        header = [i for i in range(headline + 1, end) if own[i] is None or own[i].kind == "prose"]
        if len(header) > MAX_STANDFIRST_LINES or _dated_list_item(lines, own, end):
            continue
        above = sum(len(lines[i]) for i in header if own[i] is not None and own[i].kind == "prose")
        if any(AGENCY_DATELINE.match(lines[i].strip()) for i in header):
            continue  # the article's lead ("CITY (AP) — ...") above a byline printed under it
        below = sum(len(lines[i]) for i in range(end + 1, len(lines)) if own[i] is not None and own[i].kind == "prose")
        if below > above:
            return header
    return []


def _dated_list_item(lines: Sequence[str], own: Sequence[LineVerdict | None], i: int) -> bool:
    """Whether a date line is one item's date in a list of dated stories: another date line of its shape
    follows within a list item's reach, with other lines (the next story's headline) between them.
    (A page's own "Published" and "Updated" lines sit together.)"""
    if own[i] is None or own[i].reason != "date line":
        return False
    shape = _row_shape(lines[i].strip())
    between = 0
    for j in range(i + 1, len(lines)):
        if not lines[j].strip():
            continue
        if own[j] is not None and own[j].reason == "date line":
            if _row_shape(lines[j].strip()) == shape:
                return between > 0
            continue
        between += 1
        if between > DATED_LIST_ITEM_LINES:
            return False
    return False


def _captions(lines: Sequence[str], own: Sequence[LineVerdict | None]) -> list[int]:
    """The prose line just above a photo credit is the photo's caption (with any copy of it printed right above)."""
    found = []
    for i, verdict in enumerate(own):
        if verdict is None or verdict.reason != "photo credit":
            continue
        caption: str | None = None
        for j in range(i - 1, -1, -1):
            if not lines[j].strip():
                continue
            text = " ".join(lines[j].split())
            if own[j] is None or own[j].kind != "prose" or (caption is not None and text != caption) or len(text) > CAPTION_MAX_CHARACTERS:
                break  # a longer line is a paragraph above a photo that has a credit and no caption
            caption = text
            found.append(j)
    # A gallery prints a caption again elsewhere on the page (whole under the enlarged photo, cut short with
    # "... more" under the small one): a line that opens with a caption's first words is that caption.
    openings = {tuple(words[:CAPTION_OPENING_WORDS]) for words in (lines[j].split() for j in found) if len(words) >= CAPTION_OPENING_WORDS}
    if not openings:
        return sorted(set(found))
    found += [
        i
        for i, verdict in enumerate(own)
        if (verdict is None or verdict.kind == "prose") and tuple(lines[i].split()[:CAPTION_OPENING_WORDS]) in openings
    ]
    return sorted(set(found))


def _around_a_form(lines: Sequence[str], own: Sequence[LineVerdict | None]) -> list[int]:
    """Prose after the article's first form field ("Name *"), and just before it: a comment form's notices."""
    first_prose = next((i for i, verdict in enumerate(own) if verdict and verdict.kind == "prose"), None)
    if first_prose is None:
        return []
    fields = [i for i in range(first_prose, len(own)) if own[i] and own[i].reason == "form field"]
    if len(fields) < 2:
        return []
    prose_before = [0]  # characters of prose above each line
    for i, verdict in enumerate(own):
        prose_before.append(prose_before[-1] + (len(lines[i]) if verdict is not None and verdict.kind == "prose" else 0))
    # A form has several fields close together; one line ending in "*" is not a form. A comment form follows the
    # article, so less prose lies below it than above, and it says it is one: its heading, notices or fields speak
    # of comments or replies ("Leave a reply", "Website"). Another form (a newsletter sign-up inside the article,
    # wherever it stands) is passed over: what follows it is the article.
    form = next(
        (
            field
            for field, following in zip(fields, fields[1:])
            if following - field <= FORM_FIELD_SPREAD
            and prose_before[-1] - prose_before[field] < prose_before[field]
            and _comment_form(lines, field, following)
        ),
        None,
    )
    if form is None:
        return []
    # Its notices ("Your email address will not be published.") sit right above its first field, under its heading
    # ("Leave a reply"): the prose lines met going up from the field, up to the first line that is not prose.
    notices: list[int] = []
    for i in range(form - 1, first_prose, -1):
        if not lines[i].strip():
            continue
        if own[i] is None or own[i].kind != "prose" or len(notices) == FORM_NOTICE_LINES:
            break
        notices.append(i)
    return [*notices, *(i for i in range(form + 1, len(own)) if own[i] is not None and own[i].kind == "prose")]


def _comment_form(lines: Sequence[str], first_field: int, last_field: int) -> bool:
    """Whether a form's lines (from a few lines above its first field to its last field) speak of comments."""
    start = first_field
    for _ in range(FORM_NOTICE_LINES + 1):  # its heading and notices sit right above the first field
        above = _previous_line(lines, start)
        if above < 0:
            break
        start = above
    return any(word in COMMENT_FORM_WORDS for i in range(start, last_field + 1) for word in _lowered_words(lines[i]))


def _outside_main_block(lines: Sequence[str], own: Sequence[LineVerdict | None]) -> list[int]:
    """Prose lines in small blocks far from the article's main prose block."""
    blocks: list[list[int]] = []
    gap = 0
    for i, verdict in enumerate(own):
        if verdict is not None and verdict.kind == "prose":
            if not blocks or gap > MAX_PROSE_GAP:
                blocks.append([])
            blocks[-1].append(i)
            gap = 0
        elif verdict is not None and verdict.kind == "furniture":
            gap += 1  # undecided lines may be a list inside the article; furniture separates blocks
    if len(blocks) < 2:
        return []
    sizes = [sum(len(lines[i]) for i in block) for block in blocks]
    largest = max(sizes)
    main = sizes.index(largest)
    writers = _writers_surnames(lines, own, blocks[main][0])
    # Only a block of one or two prose lines is dropped: a longer one is article text split by furniture. Above the
    # main block it is a standfirst or a teaser; below it, the article's last paragraphs after a video or a gallery
    # are as common as a promo, so only a bio (it names the byline's writer) is dropped there.
    return [
        i
        for position, (block, size) in enumerate(zip(blocks, sizes, strict=True))
        if size < MIN_BLOCK_SHARE * largest and len(block) <= MAX_DROPPED_BLOCK_LINES
        and (position < main or (position > main and _names_one_of(lines, block, writers)))
        for i in block
    ]


def _writers_surnames(lines: Sequence[str], own: Sequence[LineVerdict | None], end: int) -> set[str]:
    """The last names of the writers that the bylines above line `end` name ("By Jane Roe and Li Wei": Roe, Wei)."""
    surnames: set[str] = set()
    for i in range(end):
        if own[i] is not None and own[i].reason in {"byline", "date line"}:
            byline = read_byline(lines[i])
            if byline:
                for name in re.split(r",|\band\b|&", byline.authors):
                    words = name.split()
                    if len(words) >= 2:
                        surnames.add(words[-1])
    return surnames


def _names_one_of(lines: Sequence[str], block: Sequence[int], surnames: set[str]) -> bool:
    return any(word in surnames for i in block for word in _WORD.findall(lines[i]))


def _leads_under_the_byline(own: Sequence[LineVerdict | None], headline: int | None) -> list[int]:
    """Prose set apart from the main block that lies below a byline or date line under the headline: the
    page's header is over there, so it is the article's lead (a standfirst sits above the byline)."""
    if headline is None:
        return []
    found: list[int] = []
    header_over = False
    for i in range(headline + 1, len(own)):
        verdict = own[i]
        if verdict is None:
            continue
        if verdict.reason in {"byline", "date line"}:
            header_over = True
        elif verdict.kind == "prose" and verdict.reason == "":
            break  # the main block: what lies below it was never set apart as a lead
        elif header_over and verdict.reason == OUTSIDE_MAIN_BLOCK:
            found.append(i)
    return found


def _decided_neighbours(own: Sequence[LineVerdict | None]) -> tuple[list[int], list[int]]:
    """For each line, the nearest line before and after it that its own shape decided (-1 or len: none),
    so that looking for prose past undecided lines is one hop, not a walk (long lists stay linear)."""
    before, after = [-1] * len(own), [len(own)] * len(own)
    last = -1
    for i, verdict in enumerate(own):
        before[i] = last
        if verdict is not None and verdict.kind != "blank":
            last = i
    last = len(own)
    for i in range(len(own) - 1, -1, -1):
        after[i] = last
        if own[i] is not None and own[i].kind != "blank":
            last = i
    return before, after


def _neighbour(own: Sequence[LineVerdict | None], links: list[int], start: int, stop: int) -> str:
    """The nearest prose in one direction, looking past undecided lines and a stray furniture line
    or two (a "Print" button, an image credit inside the article); "furniture" when more stand
    in between, "edge" at the end of the text (or at `stop`, the headline, looking up)."""
    furniture = weak = 0
    i = links[start]
    while 0 <= i < len(own) and not (stop >= 0 and i <= stop < start):
        if own[i].kind == "prose":
            return "prose"
        if own[i].reason in WEAK_FURNITURE:
            weak += 1
        else:
            furniture += 1
        if furniture > MAX_FURNITURE_INSIDE or weak > MAX_WEAK_FURNITURE_INSIDE:
            return "furniture"
        i = links[i]
    return "edge" if furniture + weak == 0 else "furniture"


def _between_prose(i: int, own: Sequence[LineVerdict | None], links: tuple[list[int], list[int]], headline: int | None) -> bool:
    return _neighbour(own, links[0], i, -1 if headline is None else headline) == "prose" and _neighbour(own, links[1], i, -1) == "prose"


def _in_context(
    i: int,
    lines: Sequence[str],
    own: Sequence[LineVerdict | None],
    links: tuple[list[int], list[int]],
    headline: int | None,
    sentence_after_prose: bool,
    table: tuple[int, int] | None,
    sentence: bool = False,
    inside: bool = False,
) -> LineVerdict:
    """An undecided short line: article text between prose, else furniture (also between the headline and the prose).

    Near the edge of the article's prose, a line is the article's when it announces the prose (a lead-in
    ending in a colon right above it) or when it is a row of a table printed right against the prose.
    (A list that the article announces is found before, in reading order.)"""
    if _between_prose(i, own, links, headline):
        return LineVerdict("context", "between prose")
    if sentence_after_prose:
        return LineVerdict("context", "a short sentence after prose")
    below = links[1][i]
    if inside and below < len(own) and own[below].kind == "prose" and _prose_above_within(own, i, headline, MAX_FURNITURE_BRIDGED):
        # Inside the article's prose, undecided lines that run straight into a paragraph (no furniture between) are
        # the article's (a subhead, a list, questions and answers) even after furniture: an advertisement, a
        # sign-up form or a picture between paragraphs does not take the text that follows it.
        return LineVerdict("context", "runs into the prose below")
    above = links[0][i]
    if inside and above > (-1 if headline is None else headline) and own[above].kind == "prose" and below < len(own):
        return LineVerdict("context", "runs on from the prose above")
    if below < len(own) and own[below].kind == "prose" and _next_line(lines, i) == below and (sentence or _ANNOUNCES.search(lines[i])):
        return LineVerdict("context", "a lead-in to the prose below")  # "Here is what we know:", "Why now?"
    if table is not None and _against_prose(lines, own, table):
        return LineVerdict("context", "a table next to the prose")
    return LineVerdict("furniture", "short line outside prose")


def _prose_above_within(own: Sequence[LineVerdict | None], i: int, headline: int | None, limit: int) -> bool:
    """Whether line i opens after one block of furniture that follows prose: going up, undecided lines (the run that
    line i belongs to), then at most `limit` furniture lines and nothing undecided among them (an advertisement, a
    form, a related list; a video player's titles between its buttons are not one block), then prose below the headline."""
    j = i - 1
    top = -1 if headline is None else headline
    while j > top and (own[j] is None or own[j].kind == "blank"):
        j -= 1  # the run's own lines above line i
    furniture = 0
    while j > top:
        verdict = own[j]
        if verdict is None:
            return False
        if verdict.kind == "prose":
            return furniture > 0
        if verdict.kind != "blank":
            furniture += 1
            if furniture > limit:
                return False
        j -= 1
    return False


def _next_line(lines: Sequence[str], i: int) -> int:
    """The next non-blank line after line i (len(lines) at the end)."""
    return next((j for j in range(i + 1, len(lines)) if lines[j].strip()), len(lines))


def _previous_line(lines: Sequence[str], i: int) -> int:
    """The last non-blank line before line i (-1 at the start)."""
    return next((j for j in range(i - 1, -1, -1) if lines[j].strip()), -1)


def _against_prose(lines: Sequence[str], own: Sequence[LineVerdict | None], table: tuple[int, int]) -> bool:
    """Whether the line right above a table's first row or right below its last is prose (blank lines aside)."""
    first, last = table
    above = _previous_line(lines, first)
    below = _next_line(lines, last)
    return (above >= 0 and own[above] is not None and own[above].kind == "prose") or (
        below < len(own) and own[below] is not None and own[below].kind == "prose"
    )
