"""Shared fixtures: a seed index built once per session in a temporary folder."""

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
