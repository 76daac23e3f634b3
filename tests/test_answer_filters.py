"""Hard answer conditions (qa.answer_filters): what can be an answer at all. Made-up names and sentences."""

from qa import answerer
from qa.answer_filters import amount_of_another_kind, document_never_names, name_terms, ruled_out
from qa.extract import Candidate
from qa.question import analyze_question
from qa.results import RetrievedSentence


def _sentence(text):
    return RetrievedSentence(1, 5.0, text, "a.txt", "A", None, "2024-05-12", 1, 0, 0, len(text))


def _number(sentence, text):
    start = sentence.index(text)
    return Candidate("NUMBER", text, start, start + len(text), text)


def test_an_amount_of_another_marked_kind_is_no_answer():
    age = analyze_question("How old is Ora Quist?")
    text = "Ora Quist, who is worth $3 million, is 52 years old."
    assert amount_of_another_kind(age, _sentence(text), _number(text, "$3 million"))
    assert not amount_of_another_kind(age, _sentence(text), _number(text, "52"))
    price = analyze_question("How much did a ticket to the Brisco fair cost?")
    text = "The fair opens at 10 a.m. and a ticket costs $12."
    assert amount_of_another_kind(price, _sentence(text), _number(text, "10 a.m."))
    assert not amount_of_another_kind(price, _sentence(text), _number(text, "$12"))


def test_a_count_question_keeps_a_share_for_the_model_to_weigh():
    count = analyze_question("How many voters backed the Brisco plan?")
    text = "About 40% of voters backed the Brisco plan."
    assert not amount_of_another_kind(count, _sentence(text), _number(text, "40%"))
    assert ruled_out(count, _sentence(text), _number(text, "40%")) is None


def test_a_sum_of_money_is_not_proposed_for_an_age_even_where_no_parse_binds_numbers(monkeypatch):
    # beyond the best-ranked sentences the answerer parses, no parse binds a number to what is asked
    monkeypatch.setattr(answerer, "ANNOTATED_SENTENCES", 0)
    question = analyze_question("How old is Ora Quist?")
    text = "Ora Quist, 52, paid $3 million for the farm."
    measured = answerer.measure(question, [_sentence(text)], {})
    numbers = {item.candidate.text for item in measured.evidence if item.candidate.kind == "NUMBER"}
    assert numbers == {"52"}


def _in_document(text, names_used, title="A", doc="a.txt"):
    """A sentence whose document uses these index terms of the question's names (as qa.pipeline looks them up)."""
    return RetrievedSentence(1, 5.0, text, doc, title, None, "2024-05-12", 1, 0, 0, len(text), document_name_terms=frozenset(names_used))


def test_a_document_that_never_names_whom_the_question_asks_about_gives_no_answer():
    question = analyze_question("How old is Ora Quist?")
    assert {"ora", "quist"} <= name_terms(question)
    other = _in_document("The mayor, 61, opened the bridge.", set())
    assert document_never_names(question, other)
    assert ruled_out(question, other, _number(other.text, "61")) == "document_never_names"
    surname_only = _in_document("Quist, 52, opened the bridge.", {"quist"})  # a surname alone names her
    assert not document_never_names(question, surname_only)
    in_title = _in_document("She is 52.", set(), title="Ora Quist opens the Brisco bridge")
    assert not document_never_names(question, in_title)
    capital = analyze_question("What is the capital of Kenya?")  # a place is named by its adjective too
    assert not document_never_names(capital, _in_document("Nairobi is the Kenyan capital.", {"kenyan"} & name_terms(capital)))
    not_looked_up = RetrievedSentence(1, 5.0, "The mayor, 61, opened the bridge.", "a.txt", "A", None, "2024-05-12", 1, 0, 0, 33)
    assert not document_never_names(question, not_looked_up)


def test_names_that_cannot_be_checked_word_for_word_are_not_required():
    assert name_terms(analyze_question("Which Kenyan runner won in March?")) == frozenset()  # a demonym, a month
    assert name_terms(analyze_question("Which NFL team won on Sunday?")) == frozenset()  # an initialism, a weekday
    assert {"iran", "iranian"} <= name_terms(analyze_question("Which Iran team won?"))  # a place, and its adjective
    assert name_terms(analyze_question("Along with the mayor, who spoke?")) == frozenset()  # capitalised by its place
    spelled_out = name_terms(analyze_question("What did the Brisco Harbour Authority say?"))
    assert "bha" in spelled_out  # an article calling it the BHA names it


def test_the_pipeline_looks_up_which_names_each_document_uses(tmp_path, monkeypatch):
    from qa import answer_filters
    from qa.answerer import measure
    from qa.index import SentenceIndex, build_index
    from qa.pipeline import answer, gather

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Brisco fair\n\nOra Quist opened the Brisco fair on Monday.\n\nHer deputy, Ida Brun, 52, thanked the crowd.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Harbour news\n\nThe harbour master, Tom Vale, 61, opened the harbour fair on Monday.\n", encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    question = "How old is the harbour master Ora Quist?"
    gathered = gather(question, index)
    used = {sentence.doc: sentence.document_name_terms for sentence in gathered.sentences}
    assert used["a.txt"] >= {"ora", "quist"} and used["b.txt"] == frozenset()

    def proposed():
        measured = measure(gathered.question, gathered.sentences, gathered.idf, gathered.names, gathered.organizations)
        return {(item.candidate.text, item.sentence.doc) for item in measured.evidence}

    assert ("61", "b.txt") not in proposed()  # b.txt states an age, but never names her
    assert answer(question, index).answer is None
    monkeypatch.setattr(answer_filters, "NAME_CONDITION", False)
    assert ("61", "b.txt") in proposed()  # without the condition, Tom Vale's age would be hers
