"""Sentence splitting is unchanged by the speed-ups (Punkt without nltk's match timeouts)."""

from qa.text import split_sentences

TEXT = (
    'Mr. Smith went to Washington. He arrived at 3.5 p.m. on Monday... The U.S. said so! Did it? "Yes." '
    "Prices rose 9,488 (about 12.5%) in Jan. 2024. Dr. Who? No."
)


def test_sentences_of_a_text_with_abbreviations_numbers_and_quotes():
    # Spans recorded with the splitter as it was before the speed-ups.
    expected = [(0, 29), (30, 83), (84, 91), (92, 98), (99, 144), (145, 153), (154, 157)]
    assert split_sentences(TEXT) == expected
    assert split_sentences(TEXT, offset=10) == [(start + 10, end + 10) for start, end in expected]
