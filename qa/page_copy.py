"""A saved web page as a reader's whole-page text copy: the visible text, one block element per line.

News-dev's text copies were made by one renderer and trimmed to a few lines around the article,
so the cleaner and the headline scorer were developed on one layout. Analysts also paste whole
pages: a long menu above the headline, a cookie notice, teaser lists and a footer below. This
module renders a page the way a browser lays out its text (scripts and styles dropped, runs of
white space collapsed, a line break around every block element), so that the same dev pages give
a second layout to fit and to measure on (`python -m qa train-title`, `qa eval --cleaning
--layout whole-page`). It is not how the index reads web pages: that is qa.webpage (trafilatura).
"""

from __future__ import annotations

import re

import lxml.html

from qa.webpage import decode_page, decompress, is_compressed

# Elements a browser lays out as blocks: their text starts and ends a line.
BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section summary table tbody td th thead tr ul".split()
)
# Elements whose text is never shown (the head: its title is the tab's, not the page's).
HIDDEN_ELEMENTS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "head", "object"})
_SPACES = re.compile(r"\s+")


def page_copy(data: bytes) -> str:
    """The whole-page text copy of a saved page's bytes (gzip-compressed or not)."""
    if is_compressed(data):
        data = decompress(data)
    html, _ = decode_page(data)
    root = lxml.html.fromstring(html)
    pieces: list[str] = []

    def visit(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""  # comments and processing instructions have no tag name
        if tag in HIDDEN_ELEMENTS or not tag:
            return
        block = tag in BLOCK_ELEMENTS
        if block:
            pieces.append("\n")
        if element.text:
            pieces.append(_SPACES.sub(" ", element.text))
        for child in element:
            visit(child)
            if child.tail:
                pieces.append(_SPACES.sub(" ", child.tail))
        if block:
            pieces.append("\n")

    visit(root)
    lines = [line.strip() for line in "".join(pieces).split("\n")]
    copy: list[str] = []
    for line in lines:  # one blank line between blocks, as copies are saved
        if line or (copy and copy[-1]):
            copy.append(line)
    return "\n".join(copy).strip() + "\n"
