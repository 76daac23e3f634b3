"""Finding a text copy's headline by the page's metadata block (byline and date line).

A saved web copy puts the headline right above the byline and date line, sometimes with a
standfirst between them; above the headline come navigation, section labels and other
headlines. So the line just above the first byline or date line near the top is the
headline, when it looks like one. This is read from the shape of lines only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.metadata import is_date_line, is_name_line, line_date, read_byline

# How far from the top the metadata block may start (non-blank lines): further down, a date line
# belongs to a list of other stories or to the comments.
METADATA_BLOCK_WITHIN = 20
# A headline is short: lines longer than this are paragraphs or standfirsts.
HEADLINE_MAX_WORDS = 25

_LABEL = re.compile(r"^(?:[^\W\d_]+\s*){0,3}:$|^(?i:by|author)$")
_BREADCRUMB = re.compile(r"[>»›/|]\s*\S.*[>»›/|]|[>»›]\s*$")


def is_metadata_line(line: str) -> bool:
    """A byline or a page date line, also one with a short label in any language ("Posted: 2019-11-19 10:00")."""
    if is_date_line(line) or read_byline(line):
        return True
    if len(line.split()) > 12 or line_date(line) is None:
        return False
    # "by Example Office / 2019.11.19", "Article posted :[ 2019-11-19 15:24 ]": few words besides the date
    words_without_digits = [word for word in re.findall(r"[^\W\d_]+", line) if len(word) > 1]
    return line.lower().startswith("by ") or len(words_without_digits) <= 2


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= HEADLINE_MAX_WORDS
        and not re.search(r"[.!:;,\u2026]\s*$", line)
        and not line[:1].islower()
        and not _BREADCRUMB.search(line)
        and not is_metadata_line(line)
    )


@dataclass(frozen=True)
class MetadataHeadline:
    """Headline lines found by the metadata block: the one above it, the one right below it (either may be
    missing), and the block's first and last lines (line numbers)."""

    above: int | None
    below: int | None
    block: int
    block_end: int


def headline_above_metadata(lines: list[str]) -> MetadataHeadline | None:
    """The headline-like line above the first byline or date line near the top (skipping labels, names
    and one standfirst sentence), or None when the copy has no such block."""
    non_blank = [number for number, line in enumerate(lines) if line.strip()]
    block = next((number for number in non_blank[:METADATA_BLOCK_WITHIN] if is_metadata_line(lines[number].strip())), None)
    if block is None:
        return None
    block_end = block
    for number in (number for number in non_blank if number > block):
        if not is_metadata_line(lines[number].strip()):
            break
        block_end = number
    below = next((number for number in non_blank if number > block_end), None)
    if below is not None and not _looks_like_headline(lines[below].strip()):
        below = None
    return MetadataHeadline(_headline_above(lines, [number for number in non_blank if number < block]), below, block, block_end)


def _headline_above(lines: list[str], above: list[int]) -> int | None:
    standfirsts = 0
    for number in reversed(above):
        line = lines[number].strip()
        if _LABEL.match(line) or is_name_line(line) or is_metadata_line(line):
            continue  # "Author:", "By", "Jane Roe", "Publish date:" sit in the block
        if _looks_like_headline(line):
            return number
        standfirsts += 1
        if standfirsts > 1 or len(line.split()) <= 3:
            return None  # a paragraph or a short label above the block: no headline found this way
    return None


def is_breadcrumb(line: str) -> bool:
    """A navigation trail or a lower-case label ("Home > News > Business", "you are here: Home News")."""
    return bool(_BREADCRUMB.search(line)) or line[:1].islower()


# An article's address often spells its headline ("/sports/article/Harbour-bridge-reopens-after-repairs-1234567.php"):
# a line whose words hold the address's last part, in order, is the headline. Numbers of this many digits or more are
# the site's article ids, not words; fewer words than MIN_ADDRESS_WORDS could match any line.
ADDRESS_ID_DIGITS = 5
MIN_ADDRESS_WORDS = 3
# The address's words must make at least this share of the line's words (a slug drops words, never adds them).
MIN_ADDRESS_SHARE = 0.5
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+")


def _address_words(url: str) -> list[str]:
    path = re.sub(r"[?#].*$", "", url.strip()).rstrip("/")
    last = path.rsplit("/", 1)[-1] if "/" in path.split("//", 1)[-1] else ""
    last = re.sub(r"\.(?:html?|php|aspx?|shtml|cms)$", "", last, flags=re.IGNORECASE)
    return [word for word in _TOKEN.findall(last.casefold()) if not (word.isdigit() and len(word) >= ADDRESS_ID_DIGITS)]


def _in_order(needles: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(any(word == needle for word in remaining) for needle in needles)


def _address_share(line: str, slugs: list[list[str]]) -> float:
    """The largest share of a line's words an address's slug spells, in order (0 when none does)."""
    if _URL_LINE.match(line) or not 0 < len(line.split()) <= HEADLINE_MAX_WORDS:
        return 0.0
    words = _TOKEN.findall(line.casefold())
    shares = [len(slug) / len(words) for slug in slugs if words and len(slug) >= MIN_ADDRESS_SHARE * len(words) and _in_order(slug, words)]
    return max(shares, default=0.0)


def headline_in_address(lines: list[str], title: str | None = None) -> int | None:
    """The number of the line the copy's own address line spells best (see ADDRESS_ID_DIGITS; the first on a tie),
    or None: None as well when the address spells `title` (the title found otherwise), which it then confirms."""
    slugs = [words for line in lines if _URL_LINE.match(line) for words in [_address_words(line)] if len(words) >= MIN_ADDRESS_WORDS]
    if not slugs or (title and _address_share(title, slugs)):
        return None
    shares = [_address_share(line, slugs) for line in lines]
    best = max(shares, default=0.0)
    return shares.index(best) if best else None
