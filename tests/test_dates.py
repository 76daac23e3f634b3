"""Absolute and relative dates, resolved against an article's date."""

import pytest

from qa.dates import find_dates, first_full_date, resolve_dates

SUNDAY = "2023-11-05"  # a Sunday


@pytest.mark.parametrize(
    ("text", "reference", "expression", "iso", "precision"),
    [
        ("met him in Tehran on Sunday, media said", SUNDAY, "on Sunday", "2023-11-05", "day"),
        ("said on Saturday that he had left", SUNDAY, "on Saturday", "2023-11-04", "day"),
        ("declared on Tuesday that it was not involved", SUNDAY, "on Tuesday", "2023-10-31", "day"),
        ("he traveled there a couple of days ago", SUNDAY, "a couple of days ago", "2023-11-03", "day"),
        ("the strike on the city a month ago", SUNDAY, "a month ago", "2023-10", "month"),
        ("they had met in late June.", SUNDAY, "late June", "2023-06", "month"),
        ("they met in early December.", "2024-03-26", "early December", "2023-12", "month"),
        ("they will meet in early December.", "2024-03-26", "early December", "2024-12", "month"),
        ("the talks last week failed", SUNDAY, "last week", "2023-W43", "week"),
        ("he was in Iran in recent days", SUNDAY, "in recent days", "2023-W44", "week"),
        ("three years ago the party won", SUNDAY, "three years ago", "2020", "year"),
        ("killed since October 7 had reached", SUNDAY, "October 7", "2023-10-07", "day"),
        ("it happened yesterday", "2024-03-01", "yesterday", "2024-02-29", "day"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 25 else None,
)
def test_relative_dates_resolve_against_the_reference(text, reference, expression, iso, precision):
    dates = [item for item in resolve_dates(text, reference) if item.relative]
    assert [(item.text, item.iso, item.precision) for item in dates] == [(expression, iso, precision)]
    assert text[dates[0].start : dates[0].end] == expression


def test_note_names_the_anchor_when_the_weekday_is_the_articles_date():
    (resolved,) = resolve_dates("on Sunday", SUNDAY)
    assert resolved.note == "on Sunday — 5 November 2023, the article's date"


def test_note_of_an_earlier_weekday_names_the_resolved_day_and_the_anchor():
    (resolved,) = resolve_dates("on Saturday", SUNDAY)
    assert "4 November 2023" in resolved.note and "5 November 2023" in resolved.note


def test_relative_date_without_reference_is_unresolved_but_found():
    (resolved,) = resolve_dates("they met on Sunday", None)
    assert resolved.iso is None and resolved.relative and resolved.text == "on Sunday"


def test_absolute_dates_are_not_relative_and_keep_their_precision():
    dates = resolve_dates("In a meeting on March 26, 2024, and in November 2023", SUNDAY)
    assert [(item.text, item.iso, item.relative) for item in dates] == [
        ("March 26, 2024", "2024-03-26", False),
        ("November 2023", "2023-11", False),
    ]


def test_weekday_inside_an_absolute_date_is_not_counted_twice():
    dates = resolve_dates("Published Sunday 5 November 2023 - 14:45", "2023-11-11")
    assert [item.iso for item in dates] == ["2023-11-05"]


def test_may_as_a_verb_is_not_a_month():
    assert find_dates("He may 5 times refuse") == []


def test_decades_and_early_years_after_a_preposition():
    dates = resolve_dates("rose to fame in the late 1990s; the conquest took place in 1066; 1066 men came", None)
    assert [(item.text, item.iso, item.precision) for item in dates] == [
        ("the late 1990s", "1990s", "decade"),
        ("1066", "1066", "year"),
    ]


@pytest.mark.parametrize(
    ("text", "expression", "iso"),
    [
        ("The abbey was built in the 9th century.", "the 9th century", "0800/0899"),
        ("Trade grew in the late fifteenth century.", "the late fifteenth century", "1400/1499"),
        ("The town thrived during the 13th and 14th centuries.", "the 13th and 14th centuries", "1200/1399"),
        ("Floods recurred throughout the 5th to 8th centuries.", "the 5th to 8th centuries", "0400/0799"),
        ("The canal was dug at the end of the 11th century.", "the end of the 11th century", "1000/1099"),
        ("The craft did not spread until first half of the sixteenth century.", "first half of the sixteenth century", "1500/1599"),
    ],
    ids=["ordinal-digits", "ordinal-word-with-part", "two-centuries", "century-span", "end-of-century", "half-without-article"],
)
def test_centuries_are_intervals_of_years(text, expression, iso):
    (found,) = [item for item in resolve_dates(text, None) if item.precision == "century"]
    assert (found.text, found.iso) == (expression, iso)
    assert text[found.start : found.end] == expression


def test_a_century_before_the_common_era_is_not_a_date():
    assert resolve_dates("The city was founded in the 2nd century BC.", None) == []


@pytest.mark.parametrize(
    ("text", "expression", "iso"),
    [
        ("The war (1802–1811) changed the map.", "1802–1811", "1802/1811"),
        ("The revolt of 1738–41 failed.", "1738–41", "1738/1741"),
        ("It was fought on and off from 1655 to 1671.", "1655 to 1671", "1655/1671"),
        ("Riots broke out between 1703 and 1708.", "between 1703 and 1708", "1703/1708"),
        ("Mills were built between the 1870s and 1900s.", "between the 1870s and 1900s", "1870/1909"),
    ],
    ids=["en-dash", "two-digit-end", "from-to", "between-and", "decades"],
)
def test_spans_of_years_are_found_besides_their_ends(text, expression, iso):
    dates = resolve_dates(text, None)
    (span,) = [item for item in dates if item.precision == "range"]
    assert (span.text, span.iso) == (expression, iso)
    assert len(dates) >= 2  # the years (or decades) at its ends are still dates of their own


def test_a_score_or_a_backwards_pair_is_not_a_span_of_years():
    assert [item.precision for item in resolve_dates("They won 21-3 in 1995 and lost 1999 to 1950 votes.", None) if item.precision == "range"] == []


@pytest.mark.parametrize(
    ("text", "expression", "iso", "qualifier"),
    [
        ("The plan was announced in early 1994.", "early 1994", "1994", "early"),
        ("The service ceased at the end of March 1961.", "the end of March 1961", "1961-03", "end"),
        ("The academy was founded in the spring of 1712.", "the spring of 1712", "1712", "spring"),
    ],
    ids=["early-year", "end-of-month", "season-of-year"],
)
def test_the_part_of_a_year_stays_with_it(text, expression, iso, qualifier):
    (found,) = resolve_dates(text, None)
    assert (found.text, found.iso, found.qualifier) == (expression, iso, qualifier)


MONDAY = "2019-11-18"  # a Monday


@pytest.mark.parametrize(
    ("text", "expression", "iso"),
    [
        pytest.param("The ministers will meet on Friday.", "on Friday", "2019-11-22", id="will-weekday-forward"),
        pytest.param("The ministers met on Friday.", "on Friday", "2019-11-15", id="past-weekday-backward"),
        pytest.param("The vote is scheduled for Thursday.", "Thursday", "2019-11-21", id="scheduled-forward"),
        pytest.param("The council is due to decide on Wednesday.", "on Wednesday", "2019-11-20", id="due-to-forward"),
        pytest.param("Talks resume next week.", "next week", "2019-W48", id="next-week"),
        pytest.param("The board votes this Thursday.", "this Thursday", "2019-11-21", id="this-weekday-in-the-articles-week"),
        pytest.param("The museum will reopen on Monday.", "on Monday", "2019-11-18", id="future-same-weekday-is-the-day"),
        pytest.param("They'll decide on Saturday.", "on Saturday", "2019-11-23", id="contracted-will"),
        pytest.param("The phone will go on sale in March.", "in March", "2020-03", id="future-month-forward"),
        pytest.param("Sales fell in March.", "in March", "2019-03", id="past-month-backward"),
        pytest.param("He said Tuesday that the company will cut jobs.", "Tuesday", "2019-11-12", id="future-after-the-weekday-does-not-count"),
        pytest.param("Prices rose on Tuesday, and the bank will meet on Friday.", "on Tuesday", "2019-11-12", id="past-clause-before-a-future-one"),
    ],
)
def test_relative_dates_resolve_by_tense(text, expression, iso):
    found = {item.text: item.iso for item in resolve_dates(text, MONDAY) if item.relative}
    assert found[expression] == iso


def test_a_future_weekday_note_says_after():
    (resolved,) = resolve_dates("They will meet on Friday.", MONDAY)[:1]
    assert "22 November 2019" in resolved.note and "after" in resolved.note


def test_first_full_date_equals_the_first_day_date_of_all_three_patterns_on_random_lines():
    """first_full_date skips two patterns on lines without a month word before a number: never a date lost."""
    import random

    from qa import dates

    months = ["March", "mar.", "SEPT.", "ſep", "Novem", "December", "may", "Jul", "decade", "Ma", "Sunday", "wed.,"]
    numbers = ["5", "05", "31st", "2nd", "2019", "1999", "2023-11-05", "7"]
    glue = ["", " ", "  ", ", ", ",", ".", " of ", "\n", "-", "x"]
    generator = random.Random(7)
    found = 0
    for _ in range(4000):
        parts = [generator.choice(months if generator.random() < 0.5 else numbers) for _ in range(generator.randint(0, 4))]
        day, month, year = generator.choice(["5", "31st", "2nd", "7", "x"]), generator.choice(months), generator.choice(["2019", "1999", "219"])
        parts.insert(generator.randint(0, len(parts)), generator.choice([[day, month, year], [month, day, year], [month, year]]))
        line = "".join(word + generator.choice(glue) for part in parts for word in (part if isinstance(part, list) else [part]))
        expected = next((mention for mention in dates._find_dates(line, dates._PATTERNS[:3]) if mention.precision == "day" and mention.year), None)
        assert first_full_date(line) == expected, line
        found += expected is not None and not dates._PATTERNS[0].search(expected.text)
    assert found > 30  # dozens of lines hold a date only the second or third pattern finds


@pytest.mark.parametrize(
    ("text", "expression", "iso"),
    [
        pytest.param("The harbour board is meeting on Friday.", "on Friday", "2019-11-22", id="progressive-forward"),
        pytest.param("The ministers are holding talks Wednesday.", "Wednesday", "2019-11-20", id="progressive-with-object-forward"),
        pytest.param("The vote is Thursday.", "Thursday", "2019-11-21", id="copula-forward"),
        pytest.param("The harbour board has met on Friday.", "on Friday", "2019-11-15", id="perfect-backward"),
        pytest.param("The board was meeting on Friday.", "on Friday", "2019-11-15", id="past-progressive-backward"),
        pytest.param("The man who is facing charges, appeared in court on Friday.", "on Friday", "2019-11-15", id="progressive-of-another-phrase"),
        pytest.param("There is nothing on Friday.", "on Friday", "2019-11-15", id="a-word-in-ing-is-no-verb"),
        pytest.param("You’ll find the shop open on Saturday.", "on Saturday", "2019-11-23", id="typographic-apostrophe-will"),
    ],
)
def test_without_a_parse_a_present_progressive_or_copula_before_the_date_speaks_of_the_future(text, expression, iso):
    found = {item.text: item.iso for item in resolve_dates(text, MONDAY) if item.relative}
    assert found[expression] == iso
