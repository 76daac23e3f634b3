"""Retrieval beyond the question's own words: the sentences that state a measure, and those that speak
of a retrieved sentence's subject without naming it."""

import pytest

from qa.index import SentenceIndex, build_index
from qa.pipeline import RETRIEVED, answer, continues_subject, gather, refers_back


def test_a_measure_question_finds_the_sentence_stating_the_measure(tmp_path):
    """Sixty sentences repeat the full name; the one stating the age names her once: the
    question's own terms rank it below all of them, its measure adjective finds it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    villages = [first + second for first in ("Or", "Bel", "Kam", "Tusk", "Vel", "Dar", "Lin", "Mos") for second in ("ava", "eno", "ine", "osk", "ura", "ett", "ida", "omb")]
    visits = " ".join(f"Mara Tillot visited the village of {village} with Mara Tillot's team." for village in villages[: RETRIEVED + 20])
    (corpus / "tour.txt").write_text(f"Mara Tillot on tour\n\n{visits}\n\nTillot is 58 years old and lives by the sea.\n", encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    gathered = gather("How old is Mara Tillot?", index)
    assert any("58 years old" in sentence.text for sentence in gathered.sentences)
    assert len({sentence.row for sentence in gathered.sentences}) == len(gathered.sentences)
    assert answer("How old is Mara Tillot?", index).answer == "58"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The former “Harbour Lights” star, 42, was voted off on Monday.", True),
        ("The 47 year old was one of the guests.", True),
        ("She waved to the crowd.", True),
        ("The Harbour Council said so on Monday.", False),
        ("Prices rose by 4 percent.", False),
    ],
)
def test_a_sentence_refers_back_by_a_pronoun_or_a_description_as_its_subject(text, expected):
    assert refers_back(text) is expected
    assert continues_subject(text) is expected


def test_only_a_sentence_opening_with_its_reference_continues_the_one_before():
    assert refers_back("Officials thanked her on Monday.") and not continues_subject("Officials thanked her on Monday.")


def test_the_sentence_after_a_hit_that_describes_its_subject_is_read_with_it(tmp_path):
    """The age is in the sentence after the one naming her, which speaks of her as "the former sprinter"."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "race.txt").write_text(
        "Harbour race\n\nTalia Brenner has left the harbour relay team. "
        "The former sprinter, 41, was voted off the team on Monday after a long season. "
        "Officials thanked the volunteers.\n\nOther news\n\nThe ferry timetable changes next week.\n",
        encoding="utf-8",
    )
    build_index(corpus, tmp_path / "index")
    index = SentenceIndex.load(tmp_path / "index")
    gathered = gather("How old is Talia Brenner?", index)
    described = [sentence for sentence in gathered.sentences if "former sprinter" in sentence.text]
    assert described and "Talia Brenner" in described[0].context
    assert not any("ferry" in sentence.text or "volunteers" in sentence.text for sentence in gathered.sentences)
