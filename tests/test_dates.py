"""Absolute and relative dates, resolved against an article's date."""

import pytest

from qa.dates import find_dates, resolve_dates

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
        ("they will meet in early December.", "2024-03-26", "early December", "2023-12", "month"),
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
