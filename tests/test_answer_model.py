"""The answer model: the committed weights load and match the features, training is deterministic,
decisive features are computed, and replies carry a calibrated confidence and a trace."""

import json
import math

import pytest

from qa.answer_model import DEFAULT_MODEL, LinearModel, ModelFileError, confidence_words, explain, load_model, parse_model
from qa.extract import Candidate
from qa.features import CANDIDATE_FEATURES, QUESTION_FEATURES, alignment_features, cue_features, description_share, proximity
from qa.matching import sentence_tokens
from qa.question import analyze_question


def test_the_committed_weights_load_and_match_the_feature_lists():
    model = load_model(DEFAULT_MODEL)
    assert model.candidate.features == CANDIDATE_FEATURES
    assert model.calibration.features == QUESTION_FEATURES
    assert 0 < model.threshold < 1
    assert all(math.isfinite(weight) for weight in model.candidate.weights + model.calibration.weights)
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    assert data["training"]["squad_articles_held_out"], "the file says which articles were held out"
    assert not set(data["training"]["squad_articles_held_out"]) & set(data["training"]["squad_articles_fitted"])


def test_a_weights_file_that_does_not_match_the_features_is_refused():
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    del data["candidate"]["weights"]["proximity"]
    with pytest.raises(ModelFileError, match="proximity"):
        parse_model(data)
    with pytest.raises(ModelFileError):
        parse_model({"format": 1})


def test_a_linear_model_is_a_dot_product_and_explains_itself():
    model = LinearModel(("a", "b"), (2.0, -1.0), 0.5)
    assert model.logit({"a": 1.0, "b": 3.0}) == pytest.approx(-0.5)
    assert model.contributions({"a": 1.0, "b": 3.0}) == [("b", -3.0), ("a", 2.0)]
    assert 0 < model.probability({}) < 1


def test_confidence_in_words_rises_with_the_probability():
    words = [confidence_words(value) for value in (0.2, 0.5, 0.7, 0.9)]
    assert words == ["doubtful", "unsure", "fairly sure", "very sure"]


# ---------------------------------------------------------------- decisive features


def _candidate(sentence, text, kind, **fields):
    start = sentence.index(text)
    return Candidate(kind, text, start, start + len(text), text.lower(), **fields)


def test_a_place_after_based_in_has_the_based_cue_and_an_owner_has_the_possessive_cue():
    question = analyze_question("Where is the Nordic Pulse channel based?")
    sentence = "The Nordic Pulse channel, based in Oslo, has long quoted the views of Denmark's foreign minister."
    assert cue_features(_candidate(sentence, "Oslo", "PLACE"), sentence, question).get("place_based_cue") == 1.0
    owner = cue_features(_candidate(sentence, "Denmark", "PLACE"), sentence, question)
    assert owner.get("place_possessive") == 1.0 and "place_based_cue" not in owner


def test_a_number_counting_the_asked_noun_is_told_from_one_counting_something_else():
    question = analyze_question("How many people were killed in the flood?")
    sentence = "The flood killed 12 people and injured 40 others."
    killed = cue_features(_candidate(sentence, "12", "NUMBER", counted="people and injured"), sentence, question)
    injured = cue_features(_candidate(sentence, "40", "NUMBER", counted="others"), sentence, question)
    assert killed.get("number_counts_asked_noun") == 1.0
    assert "number_counts_asked_noun" not in injured


def test_proximity_prefers_the_span_next_to_the_questions_main_word():
    sentence = "Lena Ortiz said that the bridge opened in Tartu after Mia Roos left Parnu."
    tokens = sentence_tokens(sentence)
    near = proximity(_candidate(sentence, "Tartu", "PLACE"), sentence, tokens, {"open"}, set(), {"open"})
    far = proximity(_candidate(sentence, "Parnu", "PLACE"), sentence, tokens, {"open"}, set(), {"open"})
    assert near > far


def test_the_answer_stands_where_the_questions_wh_phrase_stood():
    # a subject question: the verb right after "Who" follows the answer; the other name merely sits near the verb
    question = analyze_question("Who founded the glass museum in Varnley?")
    sentence = "Orla Penner founded the glass museum in Varnley after Tam Rusk left the town."
    tokens, weights = sentence_tokens(sentence), {term: 1.0 for term in question.terms}
    founder = alignment_features(_candidate(sentence, "Orla Penner", "PHRASE"), tokens, question, weights)
    other = alignment_features(_candidate(sentence, "Tam Rusk", "PHRASE"), tokens, question, weights)
    assert founder.get("question_next_follows") == 1.0 and "question_next_follows" not in other
    # a fronted wh-phrase: the answer ends the clause, after the question's last word
    question = analyze_question("What did the two gases combine to form?")
    sentence = "Over many years the two gases combined to form a thin crust."
    tokens, weights = sentence_tokens(sentence), {term: 1.0 for term in question.terms}
    crust = alignment_features(_candidate(sentence, "a thin crust", "PHRASE"), tokens, question, weights)
    years = alignment_features(_candidate(sentence, "many years", "PHRASE"), tokens, question, weights)
    assert crust.get("question_last_precedes") == 1.0 and "question_last_precedes" not in years
    assert crust["window_share"] > years.get("window_share", 0.0)


def test_a_name_described_by_the_questions_words_has_a_description_share():
    sentence = "Party leader Anna Berg met the chief justice, Carl Holm, in the capital."
    weights = {"chief": 1.0, "justic": 1.0}
    assert description_share(_candidate(sentence, "Carl Holm", "PERSON"), sentence, weights) == pytest.approx(1.0)
    assert description_share(_candidate(sentence, "Anna Berg", "PERSON"), sentence, weights) == 0.0


# ---------------------------------------------------------------- replies


def test_a_reply_carries_the_calibrated_confidence_and_a_trace(seed_index):
    from qa.pipeline import answer

    reply = answer("Who is the head of Hamas?", seed_index)
    why = reply.extra["why"]
    assert not reply.declined and 0 < reply.confidence <= 1
    assert why["confidence"] == pytest.approx(reply.confidence, abs=1e-4)
    assert why["features"] and all(item["feature"] in CANDIDATE_FEATURES for item in why["features"])
    assert "head" in why["matched_words"] or "hamas" in [word.lower() for word in why["matched_words"]]
    assert "won by" in explain(why)


def test_ask_json_has_the_number_and_text_has_the_words(seed_index_dir, capsys):
    from qa.cli import main

    assert main(["ask", "Who is the head of Hamas?", "--index", str(seed_index_dir), "--json"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert 0 < reply["confidence"] <= 1 and reply["why"]["features"]
    assert main(["ask", "Who is the head of Hamas?", "--index", str(seed_index_dir), "--why"]) == 0
    output = capsys.readouterr().out
    assert any(words in output for words in ("very sure", "fairly sure", "unsure", "doubtful"))
    assert "why:" in output and "runner-up" in output or "won by" in output


# ---------------------------------------------------------------- training


ARTICLES = [
    ("Harbour_town", [
        "Velmora is a harbour town on the coast of Ostland. It was founded in 1412 by fishermen from Brask. "
        "The town hall was built in 1788. About 14,000 people live in Velmora today.",
        "The mayor of Velmora is Ilsa Danner, who was elected in 2019. The harbour handles 300 ships a year.",
    ]),
    ("River_bridge", [
        "The Korvan bridge crosses the river Aster near Delling. It opened in 1932 after six years of work. "
        "The engineer Tomas Reil designed the bridge. It is 480 metres long.",
        "In 1961 a flood closed the bridge for two months. The bridge was repainted in 2004 by the city of Delling.",
    ]),
    ("Mountain_observatory", [
        "The Serrin observatory stands on Mount Halda at 2,900 metres. It was opened in 1975 by the astronomer Mara Quill. "
        "Its main telescope has a mirror of 3 metres.",
        "The observatory is run by the University of Korst. In 1998 it found a comet named after Quill.",
    ]),
]  # fmt: skip
QUESTIONS = [
    ("When was Velmora founded?", ["1412"]), ("Who is the mayor of Velmora?", ["Ilsa Danner"]),
    ("How many people live in Velmora?", ["14,000", "About 14,000"]), ("When was the town hall built?", ["1788"]),
    ("How many ships does the harbour handle a year?", ["300"]), ("When did the Korvan bridge open?", ["1932"]),
    ("Who designed the Korvan bridge?", ["Tomas Reil"]), ("How long is the Korvan bridge?", ["480 metres"]),
    ("When did a flood close the bridge?", ["1961"]), ("Who opened the Serrin observatory?", ["Mara Quill"]),
    ("Which university runs the observatory?", ["University of Korst"]), ("When was the observatory opened?", ["1975"]),
    ("When was the comet found?", ["1998"]), ("When was the Velmora lighthouse painted?", []),
    ("Who was the first mayor of Delling?", []), ("How many telescopes does the Serrin school have?", []),
]  # fmt: skip


def _squad_file(path, version):
    data = []
    titles = [title for title, _ in ARTICLES]
    for title, paragraphs in ARTICLES:
        entries = []
        for paragraph in paragraphs:
            qas = []
            for number, (question, answers) in enumerate(QUESTIONS):
                if any(answer and answer in paragraph for answer in answers) or (not answers and version == 2 and titles.index(title) == number % 3 and paragraph == paragraphs[0]):
                    qas.append({"id": f"{title}-{number}", "question": question, "answers": [{"text": a, "answer_start": paragraph.index(a)} for a in answers if a in paragraph], "is_impossible": not answers})
            entries.append({"context": paragraph, "qas": qas})
        data.append({"title": title, "paragraphs": entries})
    path.write_text(json.dumps({"version": str(version), "data": data}), encoding="utf-8")
    return path


def test_training_on_a_tiny_made_up_set_is_deterministic_and_writes_a_loadable_file(tmp_path):
    pytest.importorskip("sklearn")
    from qa.training import squad_samples, train

    titles = {title for title, _ in ARTICLES}
    squad1 = _squad_file(tmp_path / "v1.json", 1)
    squad2 = _squad_file(tmp_path / "v2.json", 2)
    written = []
    for attempt in range(2):
        samples = squad_samples(squad1, "squad1", titles) + squad_samples(squad2, "squad2", titles)
        assert any(not sample.answerable for sample in samples) and any(sample.answerable for sample in samples)
        model, figures = train(samples, {"data": "made up"})
        path = tmp_path / f"model-{attempt}.json"
        model.save(path)
        written.append(path.read_text(encoding="utf-8"))
        assert figures["trade_off"] and figures["calibration"]
    assert written[0] == written[1]
    loaded = parse_model(json.loads(written[0]))
    assert loaded.candidate.features == CANDIDATE_FEATURES and 0 < loaded.threshold < 1


def test_train_has_help(capsys):
    from qa.cli import main

    with pytest.raises(SystemExit):
        main(["train", "--help"])
    assert "cross-validated" in capsys.readouterr().out


def test_syntax_features_are_repeated_for_untyped_phrases_only():
    from qa.features import CANDIDATE_FEATURES, PHRASE_CONJUNCTIONS, phrase_conjunctions

    values = {"syntax_noun_chunk_exact": 1.0, "syntax_role_matches_wh": 1.0, "syntax_label_exact": 1.0}
    assert phrase_conjunctions({**values, "phrase": 1.0}) == {"phrase_noun_chunk_exact": 1.0, "phrase_role_matches_wh": 1.0}
    assert phrase_conjunctions({**values, "phrase": 0.0}) == {}
    assert all(f"phrase_{name}" in CANDIDATE_FEATURES for name in PHRASE_CONJUNCTIONS)


def test_questions_asked_elsewhere_are_unanswerable_and_never_see_their_own_article(tmp_path):
    from qa.training import elsewhere_samples

    titles = {title for title, _ in ARTICLES}
    samples = elsewhere_samples(_squad_file(tmp_path / "v1.json", 1), titles, every=1)
    assert samples and all(sample.source == "elsewhere" and not sample.answerable for sample in samples)
    assert not any(any(sample.labels) for sample in samples)
    own_name = {"Harbour_town": "Velmora", "River_bridge": "Korvan", "Mountain_observatory": "Serrin"}
    for sample in samples:  # the sentences it was asked over come from the other articles only
        assert sample.measured.sentences
        assert all(own_name[sample.article] not in sentence.text for sentence in sample.measured.sentences)
