"""The page runs offline: loading it and asking a question requests nothing outside this machine."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from browser import REPOSITORY, ask, chromium_page, chromium_path, streamlit_server
from conftest import SEEDS

ARTIFACTS = REPOSITORY / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="no Chromium binary (install Debian's chromium package)")


def _outside(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme not in {"data", "blob", "about", "chrome"} and parsed.hostname not in {"127.0.0.1", "localhost", "::1"}


def test_the_page_requests_nothing_from_outside(seed_index_dir):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(SEEDS, seed_index_dir, ARTIFACTS / "streamlit-offline.log") as url, chromium_page() as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        ask(page, url, "Where was Haniyeh based?")
        expect(page.get_by_test_id("stChatMessage").nth(1).get_by_text("Sources")).to_be_visible()
        icons = [page.locator("link[rel*='icon']").nth(position).get_attribute("href") or "" for position in range(page.locator("link[rel*='icon']").count())]
        assert icons and not [icon for icon in icons if _outside(page.evaluate("href => new URL(href, location.href).href", icon))]
        assert not [address for address in requested if _outside(address)]
