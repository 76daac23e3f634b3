"""Sentence splitting is unchanged by the speed-ups (Punkt without nltk's match timeouts)."""

import pytest

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


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Astronomers at the W.M. Keck Observatory saw the flare. Then it faded.",
            ["Astronomers at the W.M. Keck Observatory saw the flare.", "Then it faded."],
            id="initials-inside-a-name",
        ),
        pytest.param(
            "The bridge was designed by Anna T. Berg of Oslo. It opened in May.",
            ["The bridge was designed by Anna T. Berg of Oslo.", "It opened in May."],
            id="middle-initial",
        ),
        pytest.param(
            'Under the slogan "Make it count." the club sold shirts. Fans loved them.',
            ['Under the slogan "Make it count." the club sold shirts.', "Fans loved them."],
            id="quoted-slogan-then-lowercase",
        ),
        pytest.param(
            "Its motto, \u201cWe deliver.\u201d, was painted on every van. Drivers liked it.",
            ["Its motto, \u201cWe deliver.\u201d, was painted on every van.", "Drivers liked it."],
            id="quoted-slogan-then-comma",
        ),
        pytest.param(
            "ST. JOSEPH, Mich. \u2014 A fire destroyed a barn on Sunday. Nobody was hurt.",
            ["ST. JOSEPH, Mich. \u2014 A fire destroyed a barn on Sunday.", "Nobody was hurt."],
            id="dateline-city-state",
        ),
        pytest.param(
            "SPRINGFIELD, Ill. (AP) \u2014 Lawmakers met on Monday. They adjourned.",
            ["SPRINGFIELD, Ill. (AP) \u2014 Lawmakers met on Monday.", "They adjourned."],
            id="dateline-with-agency",
        ),
        pytest.param(
            'She said: "Stop." He stopped. It was over.',
            ['She said: "Stop."', "He stopped.", "It was over."],
            id="quotation-ending-a-sentence-still-splits",
        ),
        pytest.param(
            "The lab is run by W.M. They left early.",
            ["The lab is run by W.M.", "They left early."],
            id="initials-before-a-stopword-opener-end-the-sentence",
        ),
    ],
)
def test_real_copy_sentence_boundaries(text, expected):
    assert _sentences(text) == expected
