"""Regenerate the README screenshots: `.venv/bin/python tests/make_screenshots.py` (needs Chromium)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import REPOSITORY, ask, chromium_page, streamlit_server  # noqa: E402

from qa.index import build_index  # noqa: E402

SEEDS = REPOSITORY / "seeds"
OUTPUT = REPOSITORY / "docs" / "screenshots"


def save_small(page, path: Path) -> None:
    """A screenshot reduced to a 256-colour palette, so the PNG stays small in the repository."""
    page.screenshot(path=path)
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def show_top_of_reply(page) -> None:
    """Scroll the page's main container (which sticks to the bottom in a chat) to the question."""
    page.wait_for_timeout(1000)
    page.evaluate(
        """() => {
            const main = document.querySelector('.stMain');
            const question = document.querySelector('[data-testid="stChatMessage"]');
            main.scrollTop = question.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop - 16;
        }"""
    )
    page.wait_for_timeout(500)


def timed_question(page, question: str) -> float:
    """Seconds from Enter to the reply's feedback buttons (the last part of a reply to be drawn)."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    replies = page.get_by_role("button", name="Right")
    before = replies.count()
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    replies.nth(before).wait_for(timeout=120_000)
    return time.perf_counter() - started


def main() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        index = Path(temporary) / "index"
        build_index(SEEDS, index)
        with streamlit_server(SEEDS, index, Path(temporary) / "streamlit.log") as url, chromium_page(1440, 1100) as page:
            ask(page, url, "Where was Haniyeh based?")
            page.get_by_role("button", name="Right").first.wait_for()
            page.get_by_text("Show the paragraph").first.click()
            show_top_of_reply(page)
            save_small(page, OUTPUT / "answer.png")

            ask(page, url, "What did Khamenei eat for breakfast?")
            page.get_by_role("button", name="Right").first.wait_for()
            show_top_of_reply(page)
            save_small(page, OUTPUT / "abstention.png")

            page.goto(url)  # a scoped question: one outlet chosen in the sidebar
            page.get_by_test_id("stMultiSelect").click()
            page.get_by_role("option", name="WAI").click()
            page.keyboard.press("Escape")
            page.get_by_text("1 of 5 documents").wait_for()
            seconds = [timed_question(page, "When did Khamenei meet Haniyeh?")]
            page.get_by_role("button", name="Wrong answer").first.click()  # the feedback form, open
            page.wait_for_timeout(800)
            save_small(page, OUTPUT / "scoped-feedback.png")

            page.goto(url)
            page.get_by_role("tab", name="Documents").click()
            page.get_by_test_id("stDataFrame").wait_for()
            page.wait_for_timeout(1000)
            save_small(page, OUTPUT / "documents.png")

            page.goto(url)
            page.get_by_role("tab", name="Timeline").click()
            page.get_by_test_id("stVegaLiteChart").wait_for()
            page.wait_for_timeout(1500)
            save_small(page, OUTPUT / "timeline.png")

            page.goto(url)  # reply time: Enter to the whole reply drawn, one conversation of follow-ups
            for question in ("Where was Haniyeh based?", "When did he meet Khamenei?", "Who is the head of Hamas?", "Where did they meet?", "What did Khamenei praise?") * 2:
                seconds.append(timed_question(page, question))
    for path in sorted(OUTPUT.glob("*.png")):
        print(f"{path.relative_to(REPOSITORY)}: {path.stat().st_size // 1024} KB")
    print(f"reply time over {len(seconds)} questions: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")


if __name__ == "__main__":
    main()
