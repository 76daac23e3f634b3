"""The news development questions and the seed paraphrases are well-formed data for `qa eval`."""

import json
import re
from pathlib import Path

import pytest

from qa.evaluate import SPLITS, load_cases

TESTS = Path(__file__).resolve().parent
NEWS = TESTS / "news_questions.json"
PARAPHRASES = TESTS / "seed_paraphrases.json"
NEWS_TEXT = TESTS.parent.parent / "shared" / "news-dev" / "text"
SEEDS = TESTS.parent / "seeds"


@pytest.mark.parametrize("path", [NEWS, PARAPHRASES], ids=["news", "paraphrases"])
def test_every_case_is_well_formed(path):
    cases = load_cases(path)
    assert len({case["id"] for case in cases}) == len(cases)
    for case in cases:
        assert case["split"] in SPLITS, case["id"]
        assert case["question"].strip().endswith("?"), case["id"]
        if case.get("decline"):
            assert not case.get("answers") and not case.get("docs"), case["id"]
            continue
        assert case["answers"] and case["docs"], case["id"]
        for pattern in case["answers"]:
            re.compile(pattern)
            assert not re.search(pattern, "", re.IGNORECASE), f"{case['id']}: {pattern!r} matches an empty answer"


def test_news_questions_have_both_kinds_in_both_splits():
    cases = load_cases(NEWS)
    assert len(cases) >= 90
    for split in SPLITS:
        chosen = [case for case in cases if case["split"] == split]
        assert sum(not case.get("decline") for case in chosen) >= 20, split
        assert sum(bool(case.get("decline")) for case in chosen) >= 8, split
    # Neither split dominates; held-out has more pages since session 14 so its figures move less per question.
    dev_share = sum(case["split"] == "dev" for case in cases) / len(cases)
    assert 0.3 <= dev_share <= 0.7


def test_news_questions_are_split_by_story_and_page():
    """A page (and a story of several pages) belongs to one split only, so held-out pages are unseen."""
    split_of_page: dict[str, str] = {}
    split_of_story: dict[str, str] = {}
    for case in load_cases(NEWS):
        assert split_of_story.setdefault(case["story"], case["split"]) == case["split"], case["id"]
        for page in case.get("docs", []) + case.get("about", []):
            assert split_of_page.setdefault(page, case["split"]) == case["split"], f"{page} is in both splits"


@pytest.mark.skipif(not NEWS_TEXT.is_dir(), reason="../shared/news-dev is not beside the repository")
def test_news_documents_exist_and_hold_the_answer():
    for case in load_cases(NEWS):
        for page in case.get("docs", []) + case.get("about", []):
            assert (NEWS_TEXT / page).is_file(), f"{case['id']}: no {page}"
        for page in case.get("docs", []):
            text = (NEWS_TEXT / page).read_text(encoding="utf-8")
            assert any(re.search(pattern, text, re.IGNORECASE) for pattern in case["answers"]), f"{case['id']}: {page}"


def test_seed_paraphrases_are_held_out_new_wordings_of_seed_facts():
    cases = load_cases(PARAPHRASES)
    canned = {case["question"].lower() for case in load_cases(TESTS / "canned_questions.json")}
    assert len(cases) >= 30 and all(case["split"] == "heldout" for case in cases)
    assert sum(bool(case.get("decline")) for case in cases) >= 8
    for case in cases:
        assert case["question"].lower() not in canned, case["id"]
        for page in case.get("docs", []):
            assert (SEEDS / page).is_file(), f"{case['id']}: no {page}"


def test_the_files_name_the_corpus_they_are_asked_over():
    assert json.loads(NEWS.read_text(encoding="utf-8"))["corpus"] == "../shared/news-dev/text"
    assert json.loads(PARAPHRASES.read_text(encoding="utf-8"))["corpus"] == "seeds"
