"""End to end in a real browser: `streamlit run app.py`, Chromium, a question, its cited answer."""

from __future__ import annotations

import shutil

import pytest
from browser import REPOSITORY, ask, chromium_page, chromium_path, streamlit_server
from conftest import SEEDS
from test_app import TRICKY_ARTICLE

ARTIFACTS = REPOSITORY / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="no Chromium binary (install Debian's chromium package)")


def test_question_in_the_browser_gets_a_cited_answer_and_the_timeline_draws(seed_index_dir):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(SEEDS, seed_index_dir, ARTIFACTS / "streamlit.log") as url, chromium_page() as page:
        ask(page, url, "Where was Haniyeh based?")
        reply = page.get_by_test_id("stChatMessage").nth(1)
        try:
            expect(reply.get_by_role("heading").first).to_contain_text("Doha")
            expect(reply.get_by_text("Sources")).to_be_visible()
            expect(reply.get_by_text("[1]").first).to_be_visible()
            expect(reply.get_by_text("based in the Qatari capital of Doha").first).to_be_visible()
        finally:
            page.screenshot(path=ARTIFACTS / "answer.png")

        page.get_by_role("tab", name="Timeline").click()
        points = page.get_by_test_id("stVegaLiteChart").locator("g.mark-symbol path")
        try:
            expect(points.first).to_be_visible()
            labels = [points.nth(position).get_attribute("aria-label") or "" for position in range(points.count())]
            assert any("Date: June 2023" in label and "late June" in label for label in labels)
            assert any("Date: 26 March 2024" in label and "The Office of the Supreme Leader" in label for label in labels)
            november_outlets = {label.split("Outlet: ")[1].split(";")[0] for label in labels if "November 2023" in label}
            assert len(november_outlets) >= 2
        finally:
            page.screenshot(path=ARTIFACTS / "timeline.png")


def test_article_markup_shows_literally_and_a_missing_index_is_built(tmp_path):
    from playwright.sync_api import expect

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "lighthouse.md").write_bytes(TRICKY_ARTICLE)
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(corpus, tmp_path / "index", ARTIFACTS / "streamlit-markup.log") as url, chromium_page() as page:
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        # a question the article does not answer: the reply shows its closest sentences, markup and all
        ask(page, url, "When did the lighthouse keeper retire?")
        reply = page.get_by_test_id("stChatMessage").nth(1)
        try:
            expect(reply.get_by_text("wrote <script>alert('x')</script> on the wall").first).to_be_visible()
            for expander in reply.get_by_text("Show the paragraph").all():
                expander.click()
            paragraph = reply.get_by_test_id("stExpanderDetails").get_by_text("[prize link](javascript:alert(1)) and **stars**")
            expect(paragraph.first).to_be_visible()
            assert page.locator("a[href^='javascript']").count() == 0
            scripts = page.locator("main script").all_text_contents()  # only the app's own scroll-to-the-reply script
            assert all("scrollIntoView" in script and "alert" not in script for script in scripts)
            assert dialogs == []
        finally:
            page.screenshot(path=ARTIFACTS / "markup.png")
