"""Daily use in a real browser (Debian's Chromium): three questions sent at once, a reload mid-conversation,
the short answer left in view, the system's dark theme followed."""

from __future__ import annotations

import re

import pytest
from browser import REPLY_TIMEOUT_MS, REPOSITORY, chromium_page, chromium_path, streamlit_server
from conftest import SEEDS

ARTIFACTS = REPOSITORY / "tests" / "artifacts"
QUESTIONS = ("Where was Haniyeh based?", "When did he meet Khamenei?", "Who is the head of Hamas?")

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="no Chromium binary (install Debian's chromium package)")


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]


def test_three_questions_sent_at_once_get_three_answers_and_survive_a_reload(seed_index_dir, tmp_path):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(SEEDS, seed_index_dir, ARTIFACTS / "streamlit-daily.log", tmp_path / "qa.sqlite3") as url, chromium_page() as page:
        page.goto(url)
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for()
        for question in QUESTIONS:  # well within half a second, without waiting for any reply
            box.fill(question)
            box.press("Enter")
        messages = page.get_by_test_id("stChatMessage")
        try:
            expect(messages.first).to_contain_text(QUESTIONS[0], timeout=10_000)  # echoed at once
            expect(messages).to_have_count(6, timeout=REPLY_TIMEOUT_MS)
            for position in range(3):
                expect(messages.nth(2 * position)).to_contain_text(QUESTIONS[position])
            expect(page.get_by_test_id("stStatusWidget").or_(page.get_by_text("Looking through the articles"))).to_have_count(0, timeout=REPLY_TIMEOUT_MS)
            for position in range(3):
                expect(messages.nth(2 * position + 1).get_by_role("button", name="Right")).to_be_visible(timeout=REPLY_TIMEOUT_MS)
            expect(messages.nth(1).get_by_role("heading").first).to_contain_text("Doha")
            last_answer = messages.nth(5).get_by_role("heading").first
            expect(last_answer).to_be_visible()
            short_answer_in_view = (
                "() => { const box = document.querySelectorAll('[data-testid=stChatMessage]')[5].querySelector('h3').getBoundingClientRect();"
                " return box.top >= 0 && box.bottom <= window.innerHeight; }"
            )
            page.get_by_test_id("stHtml").wait_for(state="attached")  # the final drawing of the replies
            page.wait_for_function(short_answer_in_view, timeout=30_000)
            page.wait_for_timeout(1500)  # and it stays there: nothing scrolls it away once the page settles
            assert page.evaluate(short_answer_in_view), "the last short answer was scrolled out of view"
        finally:
            page.screenshot(path=ARTIFACTS / "three-questions.png")
        # The app writes the conversation into the address once the replies are drawn; under load the browser shows it later.
        expect(page).to_have_url(re.compile(r"[?&]conversation="), timeout=REPLY_TIMEOUT_MS)
        page.reload()
        try:
            expect(messages).to_have_count(6, timeout=REPLY_TIMEOUT_MS)
            expect(messages.nth(4)).to_contain_text(QUESTIONS[2])
            expect(page.get_by_test_id("stSidebar").get_by_role("button", name=QUESTIONS[0])).to_be_visible()
        finally:
            page.screenshot(path=ARTIFACTS / "reloaded.png")


def test_the_system_dark_theme_is_followed(seed_index_dir, tmp_path):
    with streamlit_server(SEEDS, seed_index_dir, ARTIFACTS / "streamlit-dark.log", tmp_path / "qa.sqlite3") as url:
        backgrounds = {}
        for scheme in ("light", "dark"):
            with chromium_page(color_scheme=scheme) as page:
                page.goto(url)
                page.get_by_test_id("stChatInputTextArea").wait_for()
                colour = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
                channels = [int(part) for part in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
                backgrounds[scheme] = sum(channels) / 3
    assert backgrounds["light"] > 200 and backgrounds["dark"] < 60, backgrounds
