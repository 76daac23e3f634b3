"""SQuAD evaluation: the official scoring rules, the harness end to end, and a 300-question regression sample."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from qa.cli import main
from qa.squad import (
    best_over_gold,
    evaluate_squad,
    exact_match,
    f1_score,
    load_squad,
    normalize_answer,
    question_form,
    select_questions,
    sentence_contains_answer,
    write_corpus,
)

REPOSITORY = Path(__file__).resolve().parent.parent
BASELINE = json.loads((REPOSITORY / "tests" / "data" / "squad_regression.json").read_text(encoding="utf-8"))
SQUAD_EVEN = (REPOSITORY / BASELINE["file"]).resolve()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Denver Broncos", "denver broncos"),
        ("  an   apple, a pear!  ", "apple pear"),
        ("Theatre of the Absurd", "theatre of absurd"),
        ("October 16, 2012.", "october 16 2012"),
        ("A", ""),
        ("Levi's Stadium", "levis stadium"),
    ],
    ids=["article-and-case", "articles-punctuation-spaces", "article-inside-word-kept", "date-punctuation", "only-an-article", "apostrophe"],
)
def test_normalize_answer(text, expected):
    assert normalize_answer(text) == expected


@pytest.mark.parametrize(
    "prediction, gold, expected_em, expected_f1",
    [
        ("the Denver Broncos", "Denver Broncos", True, 1.0),
        ("Broncos", "Denver Broncos", False, 2 * (1.0 * 0.5) / 1.5),
        ("Denver Broncos team", "Denver Broncos", False, 2 * (2 / 3 * 1.0) / (2 / 3 + 1.0)),
        ("Carolina", "Denver Broncos", False, 0.0),
        ("a", "the", True, 0.0),
    ],
    ids=["same-after-normalising", "partial-recall", "partial-precision", "disjoint", "both-empty-after-normalising"],
)
def test_exact_match_and_f1(prediction, gold, expected_em, expected_f1):
    assert exact_match(prediction, gold) is expected_em
    assert f1_score(prediction, gold) == pytest.approx(expected_f1)


def test_best_over_gold_takes_the_best_answer_and_a_decline_scores_zero():
    golds = ["Denver Broncos", "Broncos"]
    assert best_over_gold(f1_score, "Broncos", golds) == 1.0
    assert best_over_gold(exact_match, "the Broncos", golds) == 1.0
    assert best_over_gold(f1_score, None, golds) == 0.0


@pytest.mark.parametrize(
    "sentence, golds, expected",
    [
        ("The stadium opened in 2014.", ["2014."], True),
        ("The stadium opened in 20145.", ["2014"], False),
        ("The Broncos beat the Panthers.", ["Carolina Panthers", "the Panthers"], True),
        (None, ["anything"], False),
    ],
    ids=["punctuation-normalised", "whole-words-only", "any-gold", "no-sentence"],
)
def test_sentence_contains_answer(sentence, golds, expected):
    assert sentence_contains_answer(sentence, golds) is expected


@pytest.mark.parametrize(
    "question, form",
    [
        ("When did the stadium open?", "when"),
        ("In what year was the treaty signed?", "what year"),
        ("Which year did he die?", "what year"),
        ("How many people live there?", "how many"),
        ("How much did it cost?", "how much"),
        ("Whose army won?", "who"),
        ("The council was led by whom?", "who"),
        ("Where is the river?", "where"),
        ("Which team won?", "which"),
        ("What is the capital?", "what"),
        ("Why did they leave?", "why"),
        ("How did it end?", "how"),
        ("Name the largest city.", "other"),
    ],
)
def test_question_form(question, form):
    assert question_form(question) == form


# ---------------------------------------------------------------- the harness on a small made-up file

_TOPICS = [
    ("Lighthouses", ["The first lighthouse on the cape was built in 1821 by local masons.", "Its lamp burned whale oil until 1870."]),
    ("Rivers", ["The river is 412 kilometres long.", "It flows north through three provinces before reaching the sea."]),
    ("Bridges", ["The old bridge has nine arches.", "It was designed by an engineer named Clara Voss."]),
    ("Orchards", ["Apple trees cover most of the valley.", "The harvest festival takes place every October."]),
]


def _squad_file(folder: Path) -> Path:
    data = []
    for number, (title, sentences) in enumerate(_TOPICS):
        filler = [f"Paragraph {part} of the {title.lower()} article talks about weather, roads and markets." for part in range(3)]
        paragraphs = [{"context": " ".join(sentences), "qas": [
            {"id": f"{number}-0", "question": f"What is said about {title.lower()}?", "answers": [{"text": sentences[0].split()[1], "answer_start": 0}]},
        ]}] + [{"context": text, "qas": []} for text in filler]
        data.append({"title": title, "paragraphs": paragraphs})
    path = folder / "tiny.json"
    path.write_text(json.dumps({"version": "1.1", "data": data}), encoding="utf-8")
    return path


def test_write_corpus_makes_one_document_per_article_with_title_and_paragraphs(tmp_path):
    articles, questions = load_squad(_squad_file(tmp_path))
    write_corpus(articles, tmp_path / "corpus")
    files = sorted((tmp_path / "corpus").glob("*.txt"))
    assert len(files) == len(_TOPICS) == len(articles)
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("Lighthouses\n\nThe first lighthouse")
    assert text.count("\n\n") == len(articles[0].paragraphs)
    assert [item.question_id for item in questions] == ["0-0", "1-0", "2-0", "3-0"]


def test_select_questions_is_a_deterministic_stride_then_limit(tmp_path):
    _, questions = load_squad(_squad_file(tmp_path))
    assert [item.question_id for item in select_questions(questions, every=2)] == ["0-0", "2-0"]
    assert [item.question_id for item in select_questions(questions, limit=3)] == ["0-0", "1-0", "2-0"]


def test_eval_squad_json_reports_the_figures(tmp_path, capsys):
    assert main(["eval", "--squad", str(_squad_file(tmp_path)), "--limit", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 3
    assert report["articles"] == len(_TOPICS)
    assert {"exact_match", "f1", "sentence_at_1", "answered_sentence_at_1", "declined", "ms_per_question", "by_form", "by_answer_type", "failures"} <= set(report)
    assert sum(figures["questions"] for figures in report["by_form"].values()) == 3
    assert sum(figures["questions"] for figures in report["by_answer_type"].values()) == 3


def test_a_declined_reply_is_judged_by_the_first_sentence_it_shows(tmp_path, monkeypatch):
    from qa import squad
    from qa.results import Answer, Citation

    def citation(text):
        return Citation(1, "a.txt", "A", None, None, text, 0, 0, 0, 0, len(text), 1.0)

    declined = Answer("Q?", None, "DATE", "The articles do not answer this question.", (), 0.0, related=(citation("It opened in 1821."),))
    monkeypatch.setattr(squad, "answer", lambda question, index, text_kind: declined)
    index_without_hits = SimpleNamespace(search=lambda text, k: [])
    item = squad.SquadQuestion("q1", "When did it open?", ("1821",), "Lighthouses")
    result = squad.ask_one(index_without_hits, item)
    assert result.prediction is None and result.f1 == 0.0
    assert result.sentence_hit
    figures = squad.figures_of([result])
    assert figures.sentence_at_1 == 1.0 and figures.answered_sentence_at_1 == 0.0


def test_eval_squad_text_report_has_both_breakdowns(tmp_path, capsys):
    assert main(["eval", "--squad", str(_squad_file(tmp_path))]) == 0
    output = capsys.readouterr().out
    assert "questions 4" in output
    assert "by question form" in output and "by answer type chosen" in output


@pytest.mark.parametrize("content", [None, "not json", '{"data": [{"paragraphs": []}]}'], ids=["missing", "not-json", "wrong-shape"])
def test_eval_squad_bad_file_is_one_error_line(tmp_path, capsys, content):
    path = tmp_path / "squad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["eval", "--squad", str(path)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: ") and "\n" not in error


# ---------------------------------------------------------------- regression on the real file

def _evaluation_section() -> str:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Evaluation\n", 1)[1]
    return section.split("\n## ", 1)[0]


def test_readme_mirrors_the_regression_figures():
    section = _evaluation_section()
    assert f"F1 {BASELINE['f1']:.1f}" in section
    assert f"sentence@1 {BASELINE['sentence_at_1']:.3f}" in section


@pytest.mark.skipif(not SQUAD_EVEN.is_file(), reason=f"SQuAD evaluation file not found at {SQUAD_EVEN} (shared/ must sit beside the clone)")
def test_squad_sample_does_not_regress():
    report = evaluate_squad(SQUAD_EVEN, every=BASELINE["every"])
    assert report.overall.questions == BASELINE["questions"]
    assert report.overall.f1 >= BASELINE["f1"] - BASELINE["tolerance"]["f1"], report.overall
    assert report.overall.sentence_at_1 >= BASELINE["sentence_at_1"] - BASELINE["tolerance"]["sentence_at_1"], report.overall
