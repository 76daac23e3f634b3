"""One bad document never breaks or stalls the build or the answers: huge paragraphs, text without
full stops, hidden NUL bytes, invisible characters inside words, escape sequences, hostile names."""

from __future__ import annotations

import random
import time

import pytest

import qa.analysis
import qa.text
from qa.cli import main
from qa.index import SentenceIndex, build_index
from qa.pipeline import answer
from qa.spans import phrases
from qa.text import MAX_SENTENCE_CHARACTERS, MAX_SPLIT_CHARACTERS, analyze, split_sentences
from qa.uploads import safe_file_name, save_uploads

WORDS = "river stone harbour keeper lantern market valley copper meadow signal council bridge orchard engine ferry garden tower mill quarry canal".split()


def words(characters: int, seed: int = 1, full_stop_every: int = 0) -> str:
    """Made-up text of about `characters` characters; a full stop every so many words (none when 0)."""
    chooser = random.Random(seed)
    out, total = [], 0
    while total < characters:
        word = chooser.choice(WORDS)
        if full_stop_every and len(out) % full_stop_every == full_stop_every - 1:
            word += ". The"
        out.append(word)
        total += len(word) + 1
    return " ".join(out)


# ---------------------------------------------------------------- sentences of bounded length


def test_a_paragraph_without_full_stops_is_cut_into_bounded_sentences_with_exact_spans():
    text = "  " + words(30_000) + "  "
    spans = split_sentences(text, offset=5)
    assert all(end - start <= MAX_SENTENCE_CHARACTERS for start, end in spans)
    pieces = [text[start - 5 : end - 5] for start, end in spans]
    assert all(piece == piece.strip() and piece for piece in pieces)
    assert " ".join(pieces) == text.strip()  # cut at spaces only: every word whole, none lost


def test_a_paragraph_longer_than_punkt_can_take_at_once_is_split(monkeypatch):
    given: list[int] = []
    tokenizer = qa.text._sentence_tokenizer()[0]
    original = type(tokenizer).span_tokenize
    monkeypatch.setattr(type(tokenizer), "span_tokenize", lambda self, piece: (given.append(len(piece)), original(self, piece))[1])
    text = words(1_500_000, full_stop_every=12)
    spans = split_sentences(text)
    assert len(spans) > 10_000
    assert text[spans[0][0] : spans[0][1]].endswith(".") and text[spans[-1][0] : spans[-1][1]] == text[spans[-1][0] :].strip()
    assert len(given) > 100 and max(given) <= MAX_SPLIT_CHARACTERS  # what keeps one paragraph's cost linear


@pytest.mark.parametrize("unit", [". ", "w. W", "A.B.C. d?! ' \") "])
def test_punkt_stays_linear_on_text_made_of_sentence_ends(unit):
    # Punkt's expressions cost some 30 times more per character on these than on prose (about 5 s per MB
    # of ". "), but linearly: 200 KB takes about a second. No wall-clock limit runs inside the splitter.
    text = unit * (200_000 // len(unit))
    started = time.process_time()
    spans = split_sentences(text)
    assert time.process_time() - started < 15  # a guard against a blow-up, not a speed target
    assert spans and all(end - start <= MAX_SENTENCE_CHARACTERS for start, end in spans)


def test_the_splitter_without_nltk_timeouts_finds_the_same_sentences_as_nltk_punkt():
    # The project's Punkt runs nltk's own expressions on Python's re instead of nltk.redos.
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tokenizer = qa.text._sentence_tokenizer()[0]
    reference = PunktSentenceTokenizer(tokenizer._params)
    text = (
        "Dr. Wenna Holt arrived at 9 a.m. on Tuesday. She said: \"The canal is open.\" The U.S. office agreed... Did it? "
        "(The ferry left.) Prices rose 3.5% to $1,200.50 -- a record! 'Yes,' he said. The J. R. Marsh report ended. "
        "It was No. 4 in line; the vote was 12-3. Was it? \u201cNo.\u201d Then St. Albans Rd. closed at 5 p.m. Done."
    )
    assert list(tokenizer.span_tokenize(text)) == list(reference.span_tokenize(text))
    assert len(list(tokenizer.span_tokenize(text))) >= 8


def test_a_short_paragraph_is_split_exactly_as_before():
    text = "The ferry left at noon. It reached Northvale by night! Was the canal open? Nobody said."
    assert [text[start:end] for start, end in split_sentences(text)] == [
        "The ferry left at noon.", "It reached Northvale by night!", "Was the canal open?", "Nobody said."
    ]


# ---------------------------------------------------------------- one bad document never fails the build


def test_a_headline_and_a_huge_paragraph_is_indexed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "huge.txt").write_text("Harbour keeper report\n\n" + words(1_500_000, full_stop_every=12) + "\n", encoding="utf-8")
    (corpus / "small.txt").write_text("Ferry news\n\nThe ferry of Redwater sailed on Monday.\n", encoding="utf-8")
    report = build_index(corpus, tmp_path / "index")
    assert report.documents == 2 and not report.skipped


def test_a_document_that_breaks_the_analysis_is_skipped_with_its_reason(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bad.txt").write_text("Bad news\n\nThe mill of Lowmere burned down.\n", encoding="utf-8")
    (corpus / "good.txt").write_text("Ferry news\n\nThe ferry of Redwater sailed on Monday.\n", encoding="utf-8")
    original = qa.analysis.analyse_document

    def failing(data, doc_id):
        if doc_id == "bad.txt":
            raise TimeoutError("regular-expression match exceeded its 5.0s time limit; " + "x" * 2000)
        return original(data, doc_id)

    monkeypatch.setattr(qa.analysis, "analyse_document", failing)
    report = build_index(corpus, tmp_path / "index", use_cache=False)
    assert report.documents == 1
    [skipped] = report.skipped
    assert skipped.name == "bad.txt" and skipped.reason.startswith("could not be analysed (TimeoutError: regular-expression")
    assert len(skipped.reason) < 200


@pytest.mark.parametrize("characters", [20_000, 2_000_000], ids=["20KB", "2MB"])
def test_a_long_document_without_full_stops_builds_and_answers_quickly(tmp_path, characters):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "long.txt").write_text("Harbour keeper report\n\n" + words(characters) + "\n", encoding="utf-8")
    started = time.monotonic()
    build_index(corpus, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    built = time.monotonic() - started
    assert built < 60  # generous: a guard against blow-ups, not a benchmark
    for question in ["What did the harbour keeper signal?", "Who runs the copper mill?", "Where is the orchard bridge?"]:
        started = time.monotonic()
        answer(question, index)
        assert time.monotonic() - started < 8, question  # was 15 s at 20 KB and over 15 minutes at 2 MB


def test_phrase_finding_is_linear_in_the_sentence():
    chooser = random.Random(4)
    sentence = " ".join(chooser.choice(WORDS) + ("," if chooser.random() < 0.15 else "") for _ in range(40_000))
    started = time.monotonic()
    found = phrases(sentence, "Which harbour keeper signal?")
    assert found and time.monotonic() - started < 5  # quadratic before: minutes


# ---------------------------------------------------------------- hidden and invisible characters


def test_nul_bytes_after_the_first_kilobytes_make_the_file_binary(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    visible = "Ferry news\n\n" + "The ferry of Redwater sailed on Monday. " * 300
    (corpus / "hidden.txt").write_bytes(visible.encode() + b"\x00 hidden quarry text\n")
    (corpus / "plain.txt").write_text("Mill news\n\nThe mill of Lowmere reopened on Monday after a long winter.\n", encoding="utf-8")
    report = build_index(corpus, tmp_path / "index")
    assert [(item.name, item.reason) for item in report.skipped] == [("hidden.txt", "binary file (contains NUL bytes)")]
    assert not SentenceIndex.load(tmp_path / "index").search("hidden quarry", 5)


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060"], ids=["soft-hyphen", "zwsp", "zwnj", "zwj", "word-joiner"])
def test_invisible_characters_inside_a_word_do_not_split_it(invisible):
    assert analyze(f"Kel{invisible}dora") == analyze("Keldora")


def test_a_word_with_a_soft_hyphen_is_found_and_cited_with_exact_spans(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Council vote\n\nThe Kel\u00addora coun\u200bcil elected Mara Quint as its chair on Monday.\n"
    (corpus / "vote.txt").write_text(text, encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    reply = answer("Who did the Keldora council elect as its chair?", index)
    assert not reply.declined and "Mara Quint" in reply.answer
    sentence = index.sentence(index.search("Keldora council", 1)[0].row)
    assert sentence.text == "The Keldora council elected Mara Quint as its chair on Monday."
    assert text[sentence.start : sentence.end] == "The Kel\u00addora coun\u200bcil elected Mara Quint as its chair on Monday."


# ---------------------------------------------------------------- terminal output


def test_escape_sequences_in_a_document_are_not_printed_raw(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "escape.txt").write_text(
        "Lantern \x1b]0;retitled\x07news\n\nThe lantern of Castlebrook \x1b[2Jwas lit \x9b31mon Friday by Ines Harrow.\n"
        + "The ferry of Redwater sailed on Monday and the mill of Lowmere reopened on Tuesday.\n" * 20,
        encoding="utf-8",
    )
    assert main(["index", "build", "--corpus", str(corpus), "--index", str(tmp_path / "index")]) == 0
    capsys.readouterr()
    assert main(["search", "lantern Castlebrook", "--index", str(tmp_path / "index")]) == 0
    assert main(["ask", "Who lit the lantern of Castlebrook?", "--index", str(tmp_path / "index")]) == 0
    assert main(["search", "lantern Castlebrook", "--json", "--index", str(tmp_path / "index")]) == 0
    output = capsys.readouterr().out
    assert "Castlebrook" in output and "Ines Harrow" in output
    assert not set(output) & {"\x1b", "\x07", "\x9b"}


# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize(("name", "saved"), [("CON.txt", "CON_.txt"), ("nul.txt", "nul_.txt"), ("com1.md", "com1_.md"), ("Lpt9.tar.txt", "Lpt9_.tar.txt")])
def test_windows_reserved_upload_names_are_changed(name, saved):
    assert safe_file_name(name) == saved
    assert safe_file_name("console.txt") == "console.txt"


def test_a_huge_one_line_upload_is_accepted(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    [result] = save_uploads([("one-line.txt", words(1_500_000, full_stop_every=12).encode())], corpus)
    assert result.accepted, result.reason
