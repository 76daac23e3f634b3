"""The evaluation harness: per-split figures, the split filter, and `eval --corpus` indexing into a cache folder."""

import json

import pytest

from qa.cli import main
from qa.errors import QAError
from qa.evaluate import CaseResult, Report, evaluation_index_folder, format_report, select_split

# A made-up corpus: enough documents that BM25's idf separates them (rank-bm25 scores tiny corpora 0).
DOCUMENTS = {
    "bakery.txt": "Lantern Bakery opens a second shop\n\nThe Lantern Bakery was founded by Mira Talvik in 1998 in the port town of Kessby. "
    "The bakery now employs 14 people. Its rye loaf won a regional prize last spring.",
    "bridge.txt": "Kessby bridge reopens\n\nThe old swing bridge over the Ulma river reopened on Monday after repairs that cost 2 million euros. "
    "Engineers replaced the rusted gears and painted the deck.",
    "choir.txt": "Harbour choir tours the coast\n\nThe Harbour Choir, led by conductor Olli Brenn, will sing in six coastal towns this summer. "
    "Rehearsals take place in the old fish market.",
    "ferry.txt": "New ferry for the islands\n\nA new electric ferry named Sula will carry 300 passengers between Kessby and the outer islands. "
    "The shipyard in Varnes delivered the vessel in March.",
    "library.txt": "Library extends opening hours\n\nThe town library will stay open until nine in the evening from next month. "
    "Librarian Petra Saul said students had asked for longer hours.",
    "market.txt": "Winter market returns\n\nThe winter market returns to the main square with 40 stalls selling wool, honey and smoked fish. "
    "Stallholders pay a small fee to the town council.",
    "school.txt": "School wins robotics cup\n\nPupils from Kessby Lower School won the national robotics cup in Tarvo. "
    "Their robot sorted coloured blocks faster than any other team.",
}

CASES = [
    {"id": "founder", "split": "dev", "question": "Who founded the Lantern Bakery?", "answers": ["Talvik"], "docs": ["bakery.txt"]},
    {"id": "ferry-passengers", "split": "dev", "question": "How many passengers will the Sula ferry carry?", "answers": ["300"], "docs": ["ferry.txt"]},
    {"id": "decline-dev", "split": "dev", "question": "Who won the 2030 chess olympiad in Montevideo?", "decline": True},
    # right answer, but the file names another document as the source: not "right with a right source"
    {"id": "conductor-wrong-doc", "split": "heldout", "question": "Who conducts the Harbour Choir?", "answers": ["Brenn"], "docs": ["library.txt"]},
    {"id": "decline-heldout", "split": "heldout", "question": "What is the population of Montevideo in 2031?", "decline": True},
]


@pytest.fixture
def made_up(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCUMENTS.items():
        (corpus / name).write_text(text + "\n", encoding="utf-8")
    questions = tmp_path / "questions.json"
    questions.write_text(json.dumps({"cases": CASES}), encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("QA_CACHE_DIR", str(cache))
    return corpus, questions, cache


def test_eval_over_a_corpus_reports_each_split(made_up, capsys):
    corpus, questions, cache = made_up
    assert main(["eval", str(questions), "--corpus", str(corpus), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    dev, heldout, everything = report["splits"]["dev"], report["splits"]["heldout"], report["splits"]["all"]
    assert (dev["answerable"], dev["answered_right_with_source"], dev["unanswerable"], dev["unanswerable_declined"]) == (2, 2, 1, 1)
    assert (heldout["answerable"], heldout["answered_right_with_source"], heldout["answered_right_wrong_source"]) == (1, 0, 1)
    assert (heldout["unanswerable"], heldout["unanswerable_declined"]) == (1, 1)
    assert everything["answerable"] == 3 and everything["answered_right_with_source"] == 2
    assert [failure["id"] for failure in report["failures"]] == ["conductor-wrong-doc"]
    assert report["failures"][0]["split"] == "heldout"
    # the index lives in the cache folder keyed by the corpus's content, and nothing was written into the corpus
    assert evaluation_index_folder(corpus).parent == cache / "eval-index"
    assert evaluation_index_folder(corpus).is_dir()
    assert sorted(path.name for path in corpus.iterdir()) == sorted(DOCUMENTS)


def test_the_split_option_keeps_one_split(made_up, capsys):
    corpus, questions, _ = made_up
    assert main(["eval", str(questions), "--corpus", str(corpus), "--split", "heldout"]) == 0
    output = capsys.readouterr().out
    assert output.startswith("2 questions")
    assert "heldout " in output and "\ndev " not in output
    assert "conductor-wrong-doc [heldout]" in output


def test_a_changed_corpus_gets_its_own_cache_folder(made_up):
    corpus, _, _ = made_up
    before = evaluation_index_folder(corpus)
    (corpus / "extra.txt").write_text("Fishermen report a good herring season this autumn.\n", encoding="utf-8")
    assert evaluation_index_folder(corpus) != before


def _result(case_id, split, expected_decline, declined, answer_correct, citation_correct):
    return CaseResult(case_id, "q?", split, expected_decline, declined, answer_correct, citation_correct, None, (), None, None)


def test_split_figures_count_each_outcome():
    report = Report(
        (
            _result("a", "dev", False, False, True, True),  # right with a right source
            _result("b", "dev", False, False, True, False),  # right, wrong source
            _result("c", "dev", False, False, False, False),  # wrong answer
            _result("d", "dev", False, True, False, False),  # declined an answerable question
            _result("e", "heldout", True, True, True, True),  # declined as it should
            _result("f", "heldout", True, False, False, False),  # answered what it should decline
        ),
        0.3,
    )
    dev, heldout, everything = report.by_split()
    assert (dev.answerable, dev.answered_right_with_source, dev.answered_right_wrong_source, dev.answered_wrong, dev.answerable_declined) == (4, 1, 1, 1, 1)
    assert (heldout.answerable, heldout.unanswerable, heldout.unanswerable_declined) == (0, 2, 1)
    assert everything.split == "all" and everything.answerable == 4 and everything.unanswerable == 2
    assert dev.to_json()["right_with_source_share"] == 0.25
    assert heldout.to_json()["unanswerable_declined_share"] == 0.5
    text = format_report(report)
    assert "heldout" in text and "1 25%" in text


def test_select_split_rejects_unknown_or_empty_splits():
    cases = [{"question": "q", "split": "dev", "decline": True}]
    assert select_split(cases, "all") == cases
    assert select_split(cases, "dev") == cases
    with pytest.raises(QAError, match="no case has split"):
        select_split(cases, "heldout")
    with pytest.raises(QAError, match="unknown split"):
        select_split(cases, "test")


def test_a_bad_split_value_or_a_missing_corpus_is_a_clean_error(made_up, tmp_path, capsys):
    corpus, _, _ = made_up
    questions = tmp_path / "bad.json"
    questions.write_text(json.dumps({"cases": [{"question": "q", "split": "train", "decline": True}]}), encoding="utf-8")
    assert main(["eval", str(questions), "--corpus", str(corpus)]) == 1
    assert "has split 'train'" in capsys.readouterr().err
    assert main(["eval", str(questions), "--corpus", str(tmp_path / "missing")]) == 1
    assert capsys.readouterr().err.startswith("error: corpus folder not found")
