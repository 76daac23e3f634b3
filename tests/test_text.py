"""The analyzer: one normalisation for documents and queries, and offline Punkt sentence splitting."""

import random

import pytest

import qa.text
from qa.text import STOPWORDS, analyze, sentence_splitter_name, split_sentences, stem, tokenize


@pytest.mark.parametrize(
    "variants",
    [
        pytest.param(["Hamas\u2019", "Hamas'", "Hamas"], id="curly-straight-and-no-apostrophe"),
        pytest.param(["Hamas\u2019s", "Hamas's", "Hamas", "HAMAS"], id="possessive-and-case"),
        pytest.param(["Iran\u2019s", "Iran's", "Iran"], id="possessive-s-curly"),
        pytest.param(["\u2018Operation\u2019", "'Operation'", "operation"], id="single-quotes-around-a-word"),
        pytest.param(["caf\u00e9", "cafe"], id="accents"),
        pytest.param(["\ufb01nance", "finance"], id="ligature-nfkc"),
    ],
)
def test_variants_analyse_to_the_same_terms(variants):
    first = analyze(variants[0])
    assert first, variants[0]
    for variant in variants[1:]:
        assert analyze(variant) == first, variant


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        pytest.param("The Supreme Leader", ["the", "supreme", "leader"], id="lowercase"),
        pytest.param("Hamas\u2019 strike", ["hamas", "strike"], id="plural-possessive-curly"),
        pytest.param("Hamas's office", ["hamas", "office"], id="possessive-straight"),
        pytest.param("reached 9,488 people", ["reached", "9488", "people"], id="thousands-separator"),
        pytest.param("1,400 settlers", ["1400", "settlers"], id="thousands-1400"),
        pytest.param("3.5 percent", ["3.5", "percent"], id="decimal-kept"),
        pytest.param("U.S. and U.N.", ["us", "and", "un"], id="initialisms"),
        pytest.param("Tehran-backed group", ["tehran", "backed", "group"], id="hyphen-splits"),
        pytest.param("\u201cquoted\u201d, (bracketed)!", ["quoted", "bracketed"], id="punctuation-dropped"),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        pytest.param("the meeting of the leaders", ["meet", "leader"], id="stopwords-dropped-and-stems"),
        pytest.param("Where is he based?", ["base"], id="question-words-are-stopwords"),
        pytest.param("running runs", ["run", "run"], id="snowball-stems-repeat"),
        pytest.param("Palestinians", ["palestinian"], id="plural"),
        pytest.param("don\u2019t", [], id="contraction-is-a-stopword"),
        pytest.param("", [], id="empty"),
        pytest.param("... ,, !!", [], id="only-punctuation"),
    ],
)
def test_analyze(text, terms):
    assert analyze(text) == terms


def test_analyze_uses_snowball_stems():
    from nltk.stem.snowball import SnowballStemmer

    reference = SnowballStemmer("english")  # Snowball's English algorithm: the same stems on ordinary words
    for word in ["negotiations", "unwavering", "steadfastness", "declared", "atrocities"]:
        assert stem(word) == reference.stem(word)
        assert analyze(word) == [reference.stem(word)]


@pytest.mark.parametrize(
    ("first", "second"),
    [("university", "universal"), ("international", "internal"), ("international", "intern"), ("organization", "organic"), ("added", "ad"), ("evening", "even")],
)
def test_snowball_2_keeps_unrelated_words_apart(first, second):
    # nltk's older port gave each pair one stem; the analyzer uses the Snowball project's current code (PyStemmer).
    assert analyze(first) != analyze(second)


def test_stems_are_the_same_from_many_threads():
    from concurrent.futures import ThreadPoolExecutor

    words = [f"{root}{ending}" for root in ["harbour", "lantern", "market", "signal", "copper"] for ending in ["", "s", "ing", "ed", "ers"]] * 40
    expected = [analyze(word) for word in words]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda word: qa.text._snowball(word), words)) == [terms[0] for terms in expected]


def test_stopword_list_is_the_projects_own():
    assert {"the", "is", "of", "where", "who"} <= STOPWORDS
    assert not {"iran", "leader", "meeting", "date"} & STOPWORDS


def test_sentence_splitter_works_offline():
    # nltk data is not installed here: the splitter must not need a download.
    assert "punkt" in sentence_splitter_name()


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Mr. Smith met Mrs. Jones. They talked.",
            ["Mr. Smith met Mrs. Jones.", "They talked."],
            id="mr-mrs",
        ),
        pytest.param("Dr. Ali spoke. He left.", ["Dr. Ali spoke.", "He left."], id="dr"),
        pytest.param(
            "Gen. Lee and Lt. Dan agreed. The war ended.",
            ["Gen. Lee and Lt. Dan agreed.", "The war ended."],
            id="gen-lt",
        ),
        pytest.param("They met in St. Louis. It rained.", ["They met in St. Louis.", "It rained."], id="st"),
        pytest.param(
            "U.S. officials and U.N. envoys spoke. Talks went on.",
            ["U.S. officials and U.N. envoys spoke.", "Talks went on."],
            id="us-un",
        ),
        pytest.param(
            "The vote is on Jan. 5 and Feb. 7 this year. Both count.",
            ["The vote is on Jan. 5 and Feb. 7 this year.", "Both count."],
            id="month-abbreviations",
        ),
        pytest.param(
            "He said, \u201cWe will win.\u201d Then he left.",
            ["He said, \u201cWe will win.\u201d", "Then he left."],
            id="curly-quote-after-period",
        ),
        pytest.param(
            'He said, "We will win." Then he left.',
            ['He said, "We will win."', "Then he left."],
            id="straight-quote-after-period",
        ),
        pytest.param(
            "\u201cThis is a flawed calculation. It will lead to worse,\u201d he warned. Nobody replied.",
            ["\u201cThis is a flawed calculation.", "It will lead to worse,\u201d he warned.", "Nobody replied."],
            id="quote-spanning-sentences",
        ),
        pytest.param("Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."], id="question-and-exclamation"),
        pytest.param("No final period here", ["No final period here"], id="no-terminal-punctuation"),
    ],
)
def test_split_sentences(text, expected):
    assert _sentences(text) == expected


def test_spans_point_into_the_original_text_and_shift_by_offset():
    text = "  \u201cFirst one.\u201d   Second one is here.\tThird? "
    spans = split_sentences(text)
    assert [text[start:end] for start, end in spans] == ["\u201cFirst one.\u201d", "Second one is here.", "Third?"]
    shifted = split_sentences(text, offset=100)
    assert shifted == [(start + 100, end + 100) for start, end in spans]


def test_blank_text_has_no_sentences():
    assert split_sentences("   \n ") == []


def test_won_is_a_verb_not_a_stopword():
    """ "Who won the election?" must keep its verb (the contraction "won't" tokenizes as "wont")."""
    assert "won" in analyze("Who won the election?")


def _made_up_texts(count: int, seed: int) -> list[str]:
    """Random sentences of words, numbers, apostrophes, abbreviations, accents, ligatures, Greek capitals and
    invisible characters: the shapes of token the analyzer treats specially."""
    import random

    chooser = random.Random(seed)
    words = (
        "the harbour's bell rang 9,488 times at 3.5 p.m. U.S. officials' report ALSO said Ma\u00efa caf\u00e9 "
        "\u0130stanbul \u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3. Kel\u00addora \ufb01nance don't rock'n'roll's "
        "\u2018quoted\u2019 \u201cwords\u201d 1990s 2,000.50 e.g. x'y a.b.c _under_score \u00bd \u2167 tabs\tand\u00a0spaces"
    ).split(" ")
    return [" ".join(chooser.choice(words) for _ in range(chooser.randint(0, 30))) for _ in range(count)]


def test_analyze_texts_gives_analyze_terms_for_every_text():
    texts = _made_up_texts(400, seed=7)
    terms, counts = qa.text.analyze_texts(texts)
    expected = [analyze(text) for text in texts]
    assert counts == [len(each) for each in expected]
    assert terms == [term for each in expected for term in each]
    assert sum(counts) > 1000  # the texts are not mostly stopwords


def test_distinct_terms_are_the_analyze_terms_of_all_lines():
    lines = _made_up_texts(200, seed=11)
    assert qa.text.distinct_terms(lines) == {term for line in lines for term in analyze(line)}


def test_terms_present_are_the_wanted_terms_the_lines_use():
    lines = ["The harbour ferries resumed on Tuesday.", "Dockworkers' unions voted twice."] + [f"Filler line number {n}." for n in range(40)]
    wanted = {"ferri", "union", "bicycl", "filler"}
    assert qa.text.terms_present(lines, wanted) == wanted & qa.text.distinct_terms(lines) == {"ferri", "union", "filler"}
    assert qa.text.terms_present(lines, set()) == set()


def test_terms_present_stops_reading_once_every_wanted_term_is_found():
    read = []

    def lines():
        for number in range(1000):
            read.append(number)
            yield f"Harbour ferries, line {number}."

    assert qa.text.terms_present(lines(), {"harbour", "ferri"}) == {"harbour", "ferri"}
    assert len(read) < 10


def test_sentence_break_test_is_nltks_on_contexts_of_every_kind():
    """The string-based test of a potential sentence end decides as nltk's token-object one does."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tokenizer = qa.text._sentence_tokenizer()[0]
    words = ["U.S.", "J.", "etc.", "Dr.", "1.", "12.", "...", "!", "?", ".", "The", "the", "He", "A.", "St.", "No.", "no.", '"', "(", ")", "e.g.", "well-known.", "Inc.", "3.5.", "However", "however", ";", ",", "vs."]
    separators = [" ", "  ", "\n", " \n\n ", ""]
    generator = random.Random(17)
    contexts = {"".join(generator.choice(words) + generator.choice(separators) for _ in range(generator.randint(1, 4))) for _ in range(5000)}
    contexts |= {f"{before} {after}" for before in ("Dr.", "J.", "12.", "etc.", "end.") for after in ("The", "the", "Bach", "(", "1990")}
    decisions = [(context, tokenizer._contains_sentence_break(context)) for context in contexts]
    assert decisions == [(context, PunktSentenceTokenizer.text_contains_sentbreak(tokenizer, context)) for context in contexts]
    assert {decision for _, decision in decisions} == {True, False}


def test_sentence_ending_expressions_are_decided_by_the_tail_alone():
    generator = random.Random(23)
    alphabet = "AB.a \"'\u201d\u2019!?x\n"
    for _ in range(20000):
        previous = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 16)))
        for expression in (qa.text._ENDS_WITH_INITIALS, qa.text._ENDS_WITH_QUOTED_STOP):
            assert bool(expression.search(previous)) == bool(expression.search(previous[-qa.text._ENDING_CHARACTERS :]))


def _made_up_paragraphs(seed: int, count: int) -> list[str]:
    pieces = list("aB .!?\"')]}([ \t\n-,;:1") + [" Mr. ", " U.S. ", " J. ", "--", "...", " The ", " said.", "\u201d", "\u2019", " e.g. ", "!!", "?)", " 3.5 ", "\x0b", " lower"]
    generator = random.Random(seed)
    return ["".join(generator.choice(pieces) for _ in range(generator.randint(0, 40))) for _ in range(count)]


def test_sentence_spans_are_nltks_on_texts_of_every_kind():
    """Punkt's spans from one loop are those of nltk's generators (potential ends, slices, realignment)."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tokenizer = qa.text._sentence_tokenizer()[0]
    spans = {}
    for text in _made_up_paragraphs(29, 20000):
        spans[text] = list(tokenizer.span_tokenize(text))
        assert spans[text] == list(PunktSentenceTokenizer.span_tokenize(tokenizer, text)), text
    assert max(map(len, spans.values())) > 3  # texts of several sentences were among them


def test_edge_characters_rule_out_only_pieces_that_do_not_continue(monkeypatch):
    """Sentence splitting asks _continues only when the edge characters allow it: the same spans as asking always."""
    texts = _made_up_paragraphs(31, 20000) + ["Plan B. A second plan.", 'He said "Go." and left.', "John F. Kennedy spoke.", "It ended.\u201d Then"]
    spans = [split_sentences(text) for text in texts]
    monkeypatch.setattr(qa.text, "_may_continue", lambda text, previous_end, start: True)
    assert spans == [split_sentences(text) for text in texts]


def test_remembered_sentence_break_decisions_are_the_computed_ones():
    tokenizer = qa.text._sentence_tokenizer()[0]
    for context in ("years. The", "Dr. Smith", "J. Bach", "etc. and", "years. The"):
        assert tokenizer.text_contains_sentbreak(context) == tokenizer._contains_sentence_break(context)
    assert tokenizer._decisions["years. The"] is True


def test_the_analyzer_loads_without_scipy_and_scikit_learn_which_still_import_afterwards():
    """nltk's optional scipy and scikit-learn imports are refused while Punkt loads (each build worker pays
    for its imports); they stay importable for code that needs them later (training)."""
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys, qa.text\n"
        "assert 'scipy' not in sys.modules and 'sklearn' not in sys.modules, 'loaded with the analyzer'\n"
        "assert not any(isinstance(finder, qa.text._RefusedImports) for finder in sys.meta_path)\n"
        "import importlib.util\n"
        "for name in ('scipy', 'sklearn'):\n"
        "    if importlib.util.find_spec(name) is not None:\n"
        "        __import__(name)\n"
        "print(qa.text.split_sentences('Dr. Vell left at noon. The ferry waited.'))\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[(0, 22), (23, 40)]"


def test_refused_imports_apply_to_the_importing_thread_only(tmp_path, monkeypatch):
    import sys
    import threading

    (tmp_path / "madeup_refusable").mkdir()
    (tmp_path / "madeup_refusable" / "__init__.py").write_text("VALUE = 7\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "madeup_refusable", raising=False)
    found: list[object] = []
    with qa.text._RefusedImports(["madeup_refusable"]):
        with pytest.raises(ModuleNotFoundError):
            __import__("madeup_refusable")
        other = threading.Thread(target=lambda: found.append(__import__("madeup_refusable").VALUE))
        other.start()
        other.join()
    assert found == [7]
    sys.modules.pop("madeup_refusable", None)
    assert __import__("madeup_refusable").VALUE == 7
    sys.modules.pop("madeup_refusable", None)
