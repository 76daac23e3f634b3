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
