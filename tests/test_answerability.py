"""The answerability model: the committed weights load, decisive features on made-up sentences,
and the decline path (confidence below the threshold declines, with a trace)."""

import json
import math

import pytest

from qa import answerer, number_binding
from qa.annotation import annotate
from qa.answer_kind import KIND_FEATURES, AnswerKind, answer_kind, kind_agreement
from qa.answer_model import LinearModel, ModelFileError, load_model
from qa.answerability import (
    ANSWERABILITY_FEATURES,
    DEFAULT_ANSWERABILITY,
    Answerability,
    answerability_features,
    load_answerability,
    parse_answerability,
)
from qa.answerer import measure, rank_groups
from qa.question import analyze_question
from qa.results import RetrievedSentence
from qa.text import analyze
from qa.wording import confidence_words


def _sentence(row, text, doc="a.txt", paragraph_text=""):
    return RetrievedSentence(
        row, 5.0, text, doc, doc.upper(), None, "2024-05-12", row, 0, 0, len(text), paragraph_text=paragraph_text or text
    )


def _features(question, *texts):
    analysis = analyze_question(question)
    idf = {term: 1.5 for term in analyze(question)} | {term: 1.5 for term in analysis.terms}
    measured = measure(analysis, [_sentence(row, text) for row, text in enumerate(texts)], idf)
    return answerability_features(measured, rank_groups(measured, load_model()))


def test_the_committed_answerability_weights_load_and_match_the_features():
    model = load_answerability(DEFAULT_ANSWERABILITY)
    assert model.model.features == ANSWERABILITY_FEATURES
    assert 0 < model.threshold < 1 and 0 < model.encyclopedia_threshold < 1
    assert all(math.isfinite(weight) for weight in model.model.weights)
    data = json.loads(DEFAULT_ANSWERABILITY.read_text(encoding="utf-8"))
    assert data["training"]["squad_articles_held_out"], "the file says which articles were never fitted on"
    assert not set(data["training"]["squad_articles_held_out"]) & set(data["training"]["squad_articles_fitted"])


def test_an_answerability_file_that_does_not_match_the_features_is_refused():
    data = json.loads(DEFAULT_ANSWERABILITY.read_text(encoding="utf-8"))
    del data["model"]["weights"]["question_negated_only"]
    with pytest.raises(ModelFileError, match="question_negated_only"):
        parse_answerability(data)
    with pytest.raises(ModelFileError):
        parse_answerability({"format": 1, "threshold": 0.5})


def test_a_negated_question_over_a_plain_statement_is_flagged():
    statement = "Mayor Oskar Brandt attended the harbour festival in Veltria on Sunday."
    negated = _features("Who did not attend the harbour festival in Veltria?", statement)
    plain = _features("Who attended the harbour festival in Veltria?", statement)
    assert negated["question_negated_only"] == 1.0
    assert plain["question_negated_only"] == 0.0
    assert plain["verb_in_sentence"] == 1.0


def test_an_opposite_word_and_a_missing_ordinal_are_flagged():
    statement = "The Lindqvist bridge was opened in 1931 by the first harbour council of Kallby."
    assert _features("When was the Lindqvist bridge unopened?", statement)["opposite_word"] == 1.0
    assert _features("When was the Lindqvist bridge opened?", statement)["opposite_word"] == 0.0
    protest = "The violent protest in Kallby began in May 2020."
    assert _features("When did the non-violent protest in Kallby begin?", protest)["opposite_word"] == 1.0  # split by the parser at "-"
    assert _features("When did the violent protest in Kallby begin?", protest)["opposite_word"] == 0.0
    assert _features("When did the second harbour council of Kallby open the bridge?", statement)["ordinal_missing_sentence"] == 1.0
    assert _features("When did the first harbour council of Kallby open the bridge?", statement)["ordinal_missing_sentence"] == 0.0


def test_a_name_the_sentence_does_not_mention_is_flagged():
    statement = "The Kallby museum of maritime history opened in 1962."
    other = _features("When did Tomas Frey open the Kallby museum?", statement)
    same = _features("When did the Kallby museum open?", statement)
    assert other["names_missing_sentence"] > 0 and other["names_missing_paragraph"] > 0
    assert same["names_missing_sentence"] == 0.0


def test_a_surname_counts_as_the_whole_name_where_the_document_gives_it_in_full():
    from dataclasses import replace

    question = "Where is Edda Brannock based?"
    analysis = analyze_question(question)
    idf = {term: 1.5 for term in analyze(question)} | {term: 1.5 for term in analysis.terms}
    statement = _sentence(0, "Brannock, who is based in the port city of Velmora, spoke on Monday.")

    def missing(document_terms):
        measured = measure(analysis, [replace(statement, document_name_terms=document_terms)], idf)
        return answerability_features(measured, rank_groups(measured, load_model()))["name_words_missing_paragraph"]

    assert missing(frozenset({"edda", "brannock"})) == 0.0  # "Edda Brannock" further up the article
    assert missing(frozenset({"brannock"})) == 0.5  # another Brannock: the article never says "Edda"
    assert missing(None) == 0.5


def test_a_sentence_about_the_questions_subject_but_not_what_it_asks_is_flagged(monkeypatch):
    # the parse does not bind a fortune to a salary (qa.number_binding), so with that rule on the
    # number is not even proposed; the features are those of a number proposed without a parse
    monkeypatch.setattr(number_binding, "BIND_NUMBERS", False)
    statement = "Does Dana Velk have a fortune of $9 million?"
    elsewhere = _features("What is Dana Velk's salary?", statement)
    assert elsewhere["only_names_in_sentence"] == 1.0
    assert elsewhere["answer_amount_match"] == 1.0
    assert _features("What is Dana Velk's fortune?", statement)["only_names_in_sentence"] == 0.0


def test_a_number_counting_something_else_is_flagged():
    question = "How many hostages were freed in Veltria?"
    assert _features(question, "Officials said 40 soldiers were freed in Veltria on Sunday.")["answer_counts_another_noun"] == 1.0
    assert _features(question, "Officials said 40 hostages were freed in Veltria on Sunday.")["answer_counts_another_noun"] == 0.0


def test_an_answer_of_another_kind_than_the_one_asked_for_is_flagged():
    question = "Who led the Kallby Sharks in scoring in their win over Veltria?"
    date = _features(question, "The Kallby Sharks beat Veltria on Friday.")
    person = _features(question, "Tomas Frey led the Kallby Sharks in scoring in their 58-40 win over Veltria.")
    assert date["answer_number_for_name"] == 1.0  # a day's name is a date, not a person's name
    assert person["answer_number_for_name"] == 0.0 and person["answer_common_noun_for_name"] == 0.0
    runs = "Who runs the Kallby harbour fund?"
    assert _features(runs, "The Kallby harbour fund is well placed to run this incubator.")["answer_common_noun_for_name"] == 1.0
    assert _features(runs, "Dana Velk runs the Kallby harbour fund.")["answer_common_noun_for_name"] == 0.0
    city = "In which city does the author of the Kallby recipe live?"
    assert _features(city, "The Kallby recipe called for three cups of sugar.")["answer_number_for_name"] == 1.0


def test_the_kind_of_an_answer_is_read_from_its_annotation():
    sentence = "Tomas Frey scored 24 points as Kallby won 58-40 on Friday, a win for the incubator."
    annotation = annotate([sentence])[0]

    def kind_of(text):
        start = sentence.index(text)
        return answer_kind(annotation, start, start + len(text))

    assert kind_of("58-40") == AnswerKind(number=True, name=False)  # a score
    assert kind_of("Friday") == AnswerKind(number=True, name=False)
    assert kind_of("Tomas Frey") == AnswerKind(number=False, name=True)
    assert kind_of("incubator") == AnswerKind(number=False, name=False)
    assert kind_agreement(kind_of("58-40"), "PERSON")["answer_number_for_name"] == 1.0
    assert kind_agreement(kind_of("Tomas Frey"), "PERSON") == dict.fromkeys(KIND_FEATURES, 0.0)
    assert kind_agreement(kind_of("incubator"), "NUMBER")["answer_no_number_for_number"] == 1.0
    assert kind_agreement(kind_of("24 points"), "NUMBER")["answer_no_number_for_number"] == 0.0


def test_a_question_without_candidates_has_finite_features():
    features = _features("When did the Kallby museum open?", "Nobody in Kallby talks about museums.")
    assert all(math.isfinite(value) for value in features.values())
    assert set(features) == set(ANSWERABILITY_FEATURES)


def test_the_committed_weights_trust_a_negated_question_less_than_its_plain_form():
    model = load_answerability()
    assert model.model.weight_of("question_negated_only") < 0
    statement = "Mayor Oskar Brandt attended the harbour festival in Veltria on Sunday."
    negated = model.probability(_features("Who did not attend the harbour festival in Veltria?", statement))
    plain = model.probability(_features("Who attended the harbour festival in Veltria?", statement))
    assert negated < plain


def _hand_set(weights: dict[str, float], intercept: float, threshold: float, encyclopedia_threshold: float | None = None) -> Answerability:
    names = ANSWERABILITY_FEATURES
    model = LinearModel(names, tuple(weights.get(name, 0.0) for name in names), intercept)
    return Answerability(model, threshold, threshold if encyclopedia_threshold is None else encyclopedia_threshold, {})


def test_each_kind_of_text_is_declined_below_its_own_threshold(monkeypatch):
    # a constant probability of about 0.27, between the news threshold (0.4) and the encyclopedia one (0.1)
    monkeypatch.setattr(answerer, "load_answerability", lambda: _hand_set({}, -1.0, 0.4, encyclopedia_threshold=0.1))
    statement = "Mayor Oskar Brandt attended the harbour festival in Veltria on Sunday."
    analysis = analyze_question("Who attended the harbour festival in Veltria?")
    idf = {term: 1.5 for term in analysis.terms}
    news = answerer.answer_from_sentences(analysis, [_sentence(0, statement)], idf)
    encyclopedia = answerer.answer_from_sentences(analysis, [_sentence(0, statement)], idf, text_kind="encyclopedia")
    assert news.declined and news.extra["why"]["threshold"] == 0.4
    assert encyclopedia.answer == "Oskar Brandt"
    assert "below the answer threshold of 40%" in confidence_words(news)  # the threshold the reply was decided with


def test_the_app_threshold_is_chosen_on_news_questions_and_the_encyclopedia_one_on_the_others():
    from qa.answerability_training import Judged, choose_thresholds

    def judged(source, answerable, probability):
        return Judged(source, f"{source}-{probability}", answerable, {}, answerable, float(answerable), False)

    # news answers score 0.6 and unanswerable news questions 0.3; encyclopedia answers 0.2 and
    # unanswerable ones 0.05: one threshold cannot decline both kinds' unanswerable questions
    items = [judged("news", True, 0.6)] * 8 + [judged("news", False, 0.3)] * 4
    items += [judged("squad2", True, 0.2)] * 8 + [judged("squad2", False, 0.05)] * 4
    probabilities = [float(item.article.split("-")[1]) for item in items]
    news, encyclopedia = choose_thresholds(items, probabilities)
    assert 0.3 < news <= 0.6 and 0.05 < encyclopedia <= 0.2
    assert choose_thresholds(items[12:], probabilities[12:]) == (encyclopedia, encyclopedia)  # no news questions

def test_the_reply_declines_below_the_answerability_threshold_and_says_why(monkeypatch):
    monkeypatch.setattr(answerer, "load_answerability", lambda: _hand_set({"question_negated_only": -8.0}, 3.0, 0.5))
    statement = "Mayor Oskar Brandt attended the harbour festival in Veltria on Sunday."

    def ask(question):
        analysis = analyze_question(question)
        idf = {term: 1.5 for term in analysis.terms}
        return answerer.answer_from_sentences(analysis, [_sentence(0, statement)], idf)

    answered = ask("Who attended the harbour festival in Veltria?")
    assert answered.answer == "Oskar Brandt"
    assert answered.confidence == pytest.approx(1 / (1 + math.exp(-3.0)), abs=1e-4)
    declined = ask("Who did not attend the harbour festival in Veltria?")
    assert declined.answer is None and declined.confidence == 0.0
    why = declined.extra["why"]
    assert why["confidence"] < why["threshold"] == 0.5
    assert why["confidence_features"][0]["feature"] == "question_negated_only"


def test_fitting_on_a_tiny_made_up_set_is_deterministic_keeps_its_threshold_rule_and_writes_a_loadable_file(tmp_path):
    pytest.importorskip("sklearn")
    from test_answer_model import ARTICLES, _squad_file

    from qa.answerability_training import MAX_ANSWERABLE_DECLINED, THRESHOLDS, cross_validated, out_of_fold, trade_off, train_answerability
    from qa.training import squad_samples

    titles = {title for title, _ in ARTICLES}
    squad1 = _squad_file(tmp_path / "v1.json", 1)
    squad2 = _squad_file(tmp_path / "v2.json", 2)
    samples = squad_samples(squad1, "squad1", titles) + squad_samples(squad2, "squad2", titles)
    written = []
    for attempt in range(2):
        model, figures = train_answerability(samples, {"data": "made up"})
        path = tmp_path / f"answerability-{attempt}.json"
        model.save(path)
        written.append(path.read_text(encoding="utf-8"))
        assert figures["trade_off"] and figures["calibration"]
        assert figures["questions"] == sum(sample.source == "squad2" for sample in samples)  # SQuAD v1.1 has no unanswerable question
    assert written[0] == written[1]
    loaded = parse_answerability(json.loads(written[0]))
    assert loaded.model.features == ANSWERABILITY_FEATURES and loaded.threshold in THRESHOLDS
    # the chosen threshold declines at most the allowed share of answerable questions, when any threshold does
    judged = out_of_fold(samples)
    assert all(item.question in {sample.question for sample in samples} for item in judged)  # for tools/answerability_analysis.py
    assert any(item.answer for item in judged) and all(item.answer or not item.right for item in judged)
    rows = trade_off(judged, cross_validated(judged), THRESHOLDS)
    allowed = [row["threshold"] for row in rows if row["answerable_declined"] <= MAX_ANSWERABLE_DECLINED]
    assert not allowed or loaded.threshold in allowed
