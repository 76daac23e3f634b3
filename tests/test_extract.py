"""Typed candidates from sentences: places, people, organisations, numbers, durations, dates, descriptions."""

import pytest

from qa.extract import find_dates, find_descriptions, find_durations, find_numbers, find_organizations, find_persons, find_places


def _texts(candidates):
    return [candidate.text for candidate in candidates]


def test_places_from_the_gazetteer_and_patterns():
    sentence = "The envoy, who is based in the Kenyan capital of Nairobi, flew to the Gaza Strip and then to France."
    assert _texts(find_places(sentence)) == ["Nairobi", "Gaza Strip", "France"]


def test_x_based_names_a_place():
    places = find_places("according to the Lebanon-based TV channel")
    assert [(place.text, place.normalized) for place in places] == [("Lebanon", "lebanon")]


def test_spans_point_into_the_sentence():
    sentence = "Talks were held in Geneva on Monday."
    for candidate in find_places(sentence) + find_dates(sentence, "2024-05-08"):
        assert sentence[candidate.start : candidate.end] == candidate.text


def test_persons_strip_titles_and_skip_places_and_organisations():
    sentence = "Prime Minister Jane Doe met President Ali Karimi and the United Nations Security Council in Tehran."
    assert _texts(find_persons(sentence)) == ["Jane Doe", "Ali Karimi"]


def test_a_bare_surname_is_a_person_only_when_known():
    sentence = "Karimi told reporters the plan had failed."
    assert _texts(find_persons(sentence)) == []
    assert _texts(find_persons(sentence, frozenset({"Karimi"}))) == ["Karimi"]


def test_possessives_split_names():
    assert _texts(find_persons("He spoke with Iran's Foreign Minister Hossein Amir-Abdollahian.")) == ["Hossein Amir-Abdollahian"]


def test_organisations_by_head_word_pattern_and_member_noun():
    sentence = "The movement Fatah, a Reuters news agency report and the World Health Organization said; Hamas officials agreed."
    assert set(_texts(find_organizations(sentence))) >= {"Fatah", "Reuters", "World Health Organization", "Hamas"}


def test_media_and_member_names_are_found_across_any_whitespace():
    # made-up names; only the "X newspaper" and "X spokesman" patterns find them, whatever space precedes the noun
    sentence = "A Varnok Daily  newspaper story quoted Ostrel\nspokesman Pim Drau."
    assert set(_texts(find_organizations(sentence))) == {"Varnok Daily", "Ostrel"}


def test_numbers_keep_what_they_count_and_skip_years_and_dates():
    sentence = "By 7 October 2023 the toll had reached 9,488, including 3,900 children, up from 2019 levels and two million displaced."
    numbers = find_numbers(sentence)
    assert [(number.text, number.normalized) for number in numbers] == [("9,488", "9488"), ("3,900", "3900"), ("two million", "2000000")]
    assert numbers[1].counted.startswith("children")


def test_durations_are_not_relative_dates():
    assert _texts(find_durations("over the last six months, not two years ago")) == ["six months"]


def test_dates_carry_resolution_notes():
    (date,) = find_dates("the talks ended on Sunday", "2023-11-05")
    assert (date.normalized, date.relative) == ("2023-11-05", True) and "article's date" in date.note


def test_descriptions_from_appositions_titles_and_copulas():
    sentence = "Jane Doe, the head of the agency, met Hamas leader Omar Ali; Acme is a chemicals company."
    assert "the head of the agency" in _texts(find_descriptions(sentence, "Jane Doe"))
    assert "Hamas leader" in _texts(find_descriptions(sentence, "Omar Ali"))
    assert "a chemicals company" in _texts(find_descriptions(sentence, "Acme"))


def test_a_place_name_inside_a_persons_name_is_weak_and_the_person_is_kept():
    sentence = "George Washington met Abraham Lincoln in Paris."
    assert _texts(find_persons(sentence)) == ["George Washington", "Abraham Lincoln"]
    strengths = {place.text: place.strength for place in find_places(sentence)}
    assert strengths["Paris"] == 1.0 and all(value < 1.0 for name, value in strengths.items() if name != "Paris")


def test_a_title_with_of_keeps_the_name_only():
    assert _texts(find_persons("They swore fealty to King Charles III of West Francia.")) == ["Charles III"]


def test_the_ends_of_a_span_of_years_say_which_end_they_are():
    dates = {candidate.text: candidate for candidate in find_dates("The empire lasted from 1450 to 1620.", None)}
    assert dates["1450 to 1620"].normalized == "1450/1620"
    assert (dates["1450"].note, dates["1620"].note) == ("range start", "range end")
    assert dates["1450"].strength < dates["1450 to 1620"].strength


def test_a_decades_qualifier_is_kept_for_the_label():
    (decade,) = find_dates("Support rose sharply during the late 1920s.", None)
    assert (decade.text, decade.normalized, decade.note) == ("the late 1920s", "1920s", "late")


def test_a_hyphenated_number_counts_the_word_it_is_joined_to():
    (number,) = find_numbers("He signed a 6-year contract with the club.")
    assert (number.text, number.counted) == ("6", "year contract with the")


@pytest.mark.parametrize(
    ("sentence", "text", "normalized"),
    [
        ("The town lies 40 miles south of the capital.", "40 miles", "40"),
        ("Prices rose by 7 percent last year.", "7 percent", "7"),
        ("The company paid £85m for the rights.", "£85m", "85000000"),
        ("The bridge cost $2.4 billion to build.", "$2.4 billion", "2400000000"),
        ("The fund bought the label for $300M in May.", "$300M", "300000000"),
        ("The deal values the firm at $1.25B, its owners said.", "$1.25B", "1250000000"),
        ("Its streaming app reached 5M users.", "5M", "5000000"),
        ("The match ended with 4:15 left on the clock.", "4:15", "4:15"),
        ("Between 4,000 and 6,000 people fled.", "4,000 and 6,000", "4000-6000"),
        ("The region lost 20 to 40 thousand inhabitants.", "20 to 40 thousand", "20000-40000"),
        ("Temperatures rose by 0.2 to 0.9 °C over the decade.", "0.2 to 0.9 °C", "0.2-0.9"),
    ],
    ids=["unit-of-length", "percent", "currency-with-suffix", "currency-sign-and-scale", "capital-million", "capital-billion", "million-without-currency", "clock-time", "between-and", "span-sharing-a-scale", "span-with-unit"],
)
def test_numbers_keep_units_currency_signs_spans_and_clock_times(sentence, text, normalized):
    best = max(find_numbers(sentence), key=lambda candidate: (candidate.strength, candidate.end - candidate.start))
    assert (best.text, best.normalized) == (text, normalized)
    assert sentence[best.start : best.end] == text


def test_a_letter_suffix_is_a_scale_only_where_it_cannot_be_a_unit_or_a_name():
    found = {candidate.normalized for candidate in find_numbers("The 5m wall stood by flat 3B, near the 2T robot.")}
    assert not found & {"5000000", "3000000000", "2000000000000"}
    assert {candidate.normalized for candidate in find_numbers("It cost $3B and then £2T.")} == {"3000000000", "2000000000000"}


def test_a_score_is_not_a_span_and_the_numbers_inside_a_span_are_weak():
    assert [candidate.text for candidate in find_numbers("They led 31–17 at half time.")] == ["31", "17"]
    inside = {candidate.text: candidate.strength for candidate in find_numbers("It counted 3 to 4 million members.")}
    assert inside["3 to 4 million"] == 1.0 and inside["3"] < 1.0


def test_totals_and_bracketed_asides_are_weaker_than_the_count():
    strengths = {candidate.text: candidate.strength for candidate in find_numbers("Of 50 bills, 12 of 30 passed; the road is 40 miles (64 km) long.")}
    assert strengths["12"] > strengths["30"]
    assert strengths["40 miles"] > strengths["64 km"]


def test_over_stays_with_the_amount_it_bounds():
    assert [candidate.text for candidate in find_numbers("The port handles over 40 routes and more than 2 million passengers.")] == ["over 40", "more than 2 million"]


def test_a_number_after_a_name_inside_the_sentence_is_weak():
    strengths = {candidate.text: candidate.strength for candidate in find_numbers("Shops line Highway 61 and 3 side streets.")}
    assert strengths["61"] < strengths["3"]
    (first,) = find_numbers("Nearly 2,400 people came.")
    assert first.strength == 1.0  # a capitalised word that starts the sentence is not a name


def test_amounts_without_figures_are_weak_candidates():
    found = {candidate.text: candidate.strength for candidate in find_numbers("The street has hundreds of shops and a third of them are new.")}
    assert found == {"hundreds": 0.5, "a third": 0.5}


def test_hundred_scales_the_number_before_it():
    (number,) = find_numbers("For the next four hundred years the town grew.")
    assert (number.text, number.normalized) == ("four hundred", "400")


@pytest.mark.parametrize(
    ("sentence", "text", "normalized"),
    [("The club won twenty-five titles.", "twenty-five", "25"), ("The recipe needs 1½ cups of flour.", "1½", "1.5")],
    ids=["compound-number-word", "vulgar-fraction"],
)
def test_compound_number_words_and_fractions(sentence, text, normalized):
    (number,) = find_numbers(sentence)
    assert (number.text, number.normalized) == (text, normalized)


def test_a_century_used_as_an_adjective_is_weaker_than_a_year():
    dates = {candidate.precision: candidate.strength for candidate in find_dates("The 17th-century hall was rebuilt in 1911.", None)}
    assert dates["century"] < dates["year"]


def test_apostrophes_are_not_quotes_but_single_quoted_phrases_are():
    from qa.extract import find_quotes_and_names

    text = "The bids went to New Orleans' Superdome, Miami's Sun Life Stadium and the Bay Area's Levi's Stadium."
    assert [candidate.text for candidate in find_quotes_and_names(text) if candidate.strength == 0.9] == []
    text = "He called it 'the best show' and “a triumph”, said O'Neil."
    assert [candidate.text for candidate in find_quotes_and_names(text) if candidate.strength == 0.9] == ["the best show", "a triumph"]


def test_a_verbs_object_starts_after_its_preposition():
    from qa.extract import find_objects
    from qa.text import stem

    assert [candidate.text for candidate in find_objects("The rite could be traced back to the Book of Rites, he said.", stem("traced"))] == ["the Book of Rites"]
    assert [candidate.text for candidate in find_objects("The council vowed to surpass the old record.", stem("surpass"))] == ["the old record"]


def test_organisations_found_again_are_a_fresh_list_with_the_same_candidates():
    sentence = "Members of the group Velmoor Alliance met the party Dunmere League on Friday."
    first = find_organizations(sentence)
    assert {"Velmoor Alliance", "Dunmere League"} <= set(_texts(first))
    first.clear()  # a caller changing its list does not change what the next caller gets
    assert {"Velmoor Alliance", "Dunmere League"} <= set(_texts(find_organizations(sentence)))
    assert find_organizations(sentence, frozenset({"Velmoor"})) == find_organizations(sentence, frozenset({"Velmoor"}))


def test_titles_before_a_name_are_stripped_and_named():
    people = {candidate.text: candidate.note for candidate in find_persons("Later Dr Orlan Tessaly spoke after Senator Mira Quenby.")}
    assert people.get("Orlan Tessaly") == "Dr" and people.get("Mira Quenby") == "Senator"
