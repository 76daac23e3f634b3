"""Running the app for real: `streamlit run` on a free localhost port, driven by Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_SECONDS = 90


def chromium_path() -> str | None:
    """Debian's Chromium, or another chromium on PATH; never a Playwright download."""
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(corpus: Path, index: Path, log: Path, database: Path | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free port with the given corpus and index; yields its URL, stops it after.

    Conversations go to `database` (default: a file beside the log), uploads to a user folder beside the log."""
    port = free_port()
    environment = dict(
        os.environ, QA_CORPUS=str(corpus), QA_INDEX=str(index),
        QA_DATABASE=str(database or log.with_suffix(".sqlite3")), QA_USER_CORPUS=str(log.parent / f"{log.stem}-user-corpus"),
    )  # fmt: skip
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPOSITORY / "app.py"),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log, "wb") as output:
        server = subprocess.Popen(command, cwd=REPOSITORY, env=environment, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"streamlit exited with {server.returncode}: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start in {SERVER_START_SECONDS} s: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextlib.contextmanager
def chromium_page(width: int = 1280, height: int = 900, color_scheme: str = "light"):
    """A Playwright page in headless Chromium (with the system colour scheme it reports to the page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGUMENTS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=color_scheme)
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


REPLY_TIMEOUT_MS = 180_000  # bounds a hang only: a busy 2-core machine answers slowly


def ask(page, url: str, question: str) -> None:
    """Open the app, type a question into the chat input and wait until the reply is complete.

    The reply's place shows a status at once; a busy machine (or the first question, which loads
    the language model) can take well over the default five seconds to replace it."""
    from playwright.sync_api import expect

    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    box.fill(question)
    box.press("Enter")
    page.get_by_test_id("stChatMessage").nth(1).wait_for()
    expect(page.get_by_text("Looking through the articles")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)
