"""Shared fixtures: a seed index built once per session in a temporary folder, and writable copies."""

import shutil
from pathlib import Path

import pytest

from qa.index import SentenceIndex, build_index

REPOSITORY = Path(__file__).resolve().parent.parent
SEEDS = REPOSITORY / "seeds"


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index(SEEDS, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def seed_index(seed_index_dir) -> SentenceIndex:
    return SentenceIndex.load(seed_index_dir)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the seed corpus (tests may add, change or break files)."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def index_copy(tmp_path, corpus_copy) -> Path:
    """An index of `corpus_copy`, built into a folder of its own."""
    index_dir = tmp_path / "index"
    build_index(corpus_copy, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def canned_replies(seed_index) -> dict:
    """Each canned case's reply JSON (via qa.schema.reply_json), earlier turns of its conversation answered first."""
    import json

    from qa.evaluate import load_cases
    from qa.pipeline import answer
    from qa.schema import reply_json

    replies = {}
    for case in load_cases(REPOSITORY / "tests" / "canned_questions.json"):
        history = []
        for earlier in case.get("after", []):
            history.append(answer(earlier, seed_index, history))
        replies[case["id"]] = json.loads(json.dumps(reply_json(answer(case["question"], seed_index, history or None))))
    return replies
