"""Typed candidates from sentences: places, people, organisations, numbers, durations, dates, descriptions."""

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
    dates = {candidate.text: candidate for candidate in find_dates("The empire lasted from 1299 to 1923.", None)}
    assert dates["1299 to 1923"].normalized == "1299/1923"
    assert (dates["1299"].note, dates["1923"].note) == ("range start", "range end")
    assert dates["1299"].strength < dates["1299 to 1923"].strength


def test_a_decades_qualifier_is_kept_for_the_label():
    (decade,) = find_dates("Support rose sharply during the late 1960s.", None)
    assert (decade.text, decade.normalized, decade.note) == ("the late 1960s", "1960s", "late")


def test_a_hyphenated_number_counts_the_word_it_is_joined_to():
    (number,) = find_numbers("He was an 11-year veteran of the league.")
    assert (number.text, number.counted) == ("11", "year veteran of the")
