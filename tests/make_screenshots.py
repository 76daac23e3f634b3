"""Regenerate the README screenshots: `.venv/bin/python tests/make_screenshots.py` (needs Chromium)."""

from __future__ import annotations

import sys
import tempfile
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


def main() -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        index = Path(temporary) / "index"
        build_index(SEEDS, index)
        with streamlit_server(SEEDS, index, Path(temporary) / "streamlit.log") as url, chromium_page(1440, 1100) as page:
            ask(page, url, "Where was Haniyeh based?")
            page.get_by_text("Show the paragraph").first.click()
            show_top_of_reply(page)
            save_small(page, OUTPUT / "answer.png")

            ask(page, url, "What did Khamenei eat for breakfast?")
            show_top_of_reply(page)
            save_small(page, OUTPUT / "abstention.png")

            page.goto(url)
            page.get_by_role("tab", name="Timeline").click()
            page.get_by_test_id("stVegaLiteChart").wait_for()
            page.wait_for_timeout(1500)
            save_small(page, OUTPUT / "timeline.png")
    for path in sorted(OUTPUT.glob("*.png")):
        print(f"{path.relative_to(REPOSITORY)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
