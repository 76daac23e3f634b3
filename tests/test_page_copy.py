"""Whole-page copies rendered from saved pages (qa.page_copy): the second layout the cleaner is measured on."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from qa.cleaning_eval import score_folder
from qa.errors import CorpusError
from qa.page_copy import page_copy

PAGE = """<html><head><title>Harbour Gazette</title><script>var tracking = "never shown";</script>
<style>p { color: red }</style></head><body>
<nav><ul><li>Home</li><li>Local</li><li>Sport</li></ul></nav>
<article><h1>Council approves   harbour repairs</h1>
<p>The council voted on Tuesday to repair the
   harbour wall, a <a href="/a">project</a> that will take <b>two years</b>.</p>
<div>Work starts in spring.<br>Boats will moor at the north quay.</div>
<!-- a comment the page never shows -->
<noscript>Turn on scripts</noscript></article>
<footer>&copy; 2019 Harbour Gazette</footer></body></html>"""


def test_blocks_are_lines_and_inline_elements_join_their_text():
    lines = [line for line in page_copy(PAGE.encode()).splitlines() if line]
    assert lines == [
        "Home", "Local", "Sport",
        "Council approves harbour repairs",
        "The council voted on Tuesday to repair the harbour wall, a project that will take two years.",
        "Work starts in spring.", "Boats will moor at the north quay.",
        "© 2019 Harbour Gazette",
    ]  # fmt: skip


def test_blocks_are_apart_by_one_blank_line_and_hidden_text_is_gone():
    copy = page_copy(PAGE.encode())
    assert "\n\n\n" not in copy
    assert "Home\n\nLocal" in copy
    assert not any(word in copy for word in ("tracking", "color", "comment", "Turn on scripts"))


def test_compressed_pages_and_declared_encodings_are_read():
    page = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 owners \x93welcome\x94 the plan.</p></body></html>'
    data = gzip.compress(page.encode("latin-1"))
    assert page_copy(data).strip() == "Café owners \u201cwelcome\u201d the plan."


def _news_dev_folder(folder: Path) -> Path:
    """A made-up news-dev folder of one page: its trimmed copy, its saved page and its truth."""
    body = ["The council voted on Tuesday to repair the harbour wall, a project that will take two years to finish.",
            "Work starts in spring, and boats will moor at the north quay until the wall is rebuilt."]  # fmt: skip
    page = (
        "<html><body><nav><ul><li>Home</li><li>Local</li><li>Sport</li></ul></nav><h1>Council approves harbour repairs</h1>"
        + "".join(f"<p>{paragraph}</p>" for paragraph in body)
        + "<ul><li>Read more: Bakery wins award</li><li>Read more: Ferry fares rise</li></ul></body></html>"
    )
    for name in ("text", "truth", "html"):
        (folder / name).mkdir()
    (folder / "text" / "harbour.txt").write_text("Council approves harbour repairs\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    (folder / "html" / "harbour.html.gz").write_bytes(gzip.compress(page.encode()))
    truth = {"headline": "Council approves harbour repairs", "body": "\n".join(body), "published": None, "outlet": None, "author": None}
    (folder / "truth" / "harbour.json").write_text(json.dumps(truth), encoding="utf-8")
    return folder


def test_the_cleaning_evaluation_scores_the_whole_page_layout(tmp_path):
    folder = _news_dev_folder(tmp_path)
    [trimmed] = score_folder(folder)
    [whole] = score_folder(folder, "whole-page")
    assert trimmed.other_lines == 0
    assert whole.other_lines > trimmed.other_lines  # the page's menu and teasers are in its whole copy only
    assert whole.paragraphs == whole.paragraphs_kept == 2
    assert whole.title_right


def test_the_whole_page_layout_needs_the_saved_pages(tmp_path):
    folder = _news_dev_folder(tmp_path)
    (folder / "html" / "harbour.html.gz").unlink()
    (folder / "html").rmdir()
    with pytest.raises(CorpusError, match="html/"):
        score_folder(folder, "whole-page")
