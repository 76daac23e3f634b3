"""Saved web copies: which lines are the article, judged by what a line is (made-up pages)."""

import pytest

from qa.cleaning import classify_lines
from qa.corpus import parse_document, split_document

ARTICLE = [
    "The city council voted on Tuesday to add six bus routes to the northern suburbs.",
    "The plan, which costs $4 million, was approved by seven votes to two after a long debate.",
    "Buses will run every ten minutes at peak hours, and the first routes open in March.",
    "Riders who packed the public gallery welcomed the change with loud applause.",
]


def _kept(lines: list[str]) -> list[str]:
    return [line for line, verdict in zip(lines, classify_lines(lines), strict=True) if verdict.keep]


def _page(top: list[str], middle: list[str], bottom: list[str]) -> list[str]:
    return [*top, "Council votes to expand bus routes", "", ARTICLE[0], "", ARTICLE[1], "", *middle, ARTICLE[2], "", ARTICLE[3], "", *bottom]


@pytest.mark.parametrize(
    ("top", "middle", "bottom", "dropped"),
    [
        pytest.param(
            [],
            [],
            ["Trending Now", "Mayor Unveils Record Budget For Schools", "Storm Knocks Out Power Across The Valley", "Ten Best Places To Eat Downtown"],
            ["Mayor Unveils Record Budget For Schools", "Storm Knocks Out Power Across The Valley"],
            id="related-headline-list",
        ),
        pytest.param(
            ["Home", "News", "Local"],
            [],
            [],
            ["Home", "News", "Local"],
            id="navigation-above-the-headline",
        ),
        pytest.param(
            [],
            ["Sign up for our newsletter and get the day's news in your inbox", "Subscribe"],
            ["Download our app to follow the council live"],
            ["Sign up for our newsletter and get the day's news in your inbox", "Subscribe", "Download our app to follow the council live"],
            id="promos",
        ),
        pytest.param(
            [],
            ["A bus waits at the depot on Monday morning. (Photo: Jane Roe/Example Daily)", "Jane Roe/Example Daily/Getty Images"],
            [],
            ["A bus waits at the depot on Monday morning. (Photo: Jane Roe/Example Daily)", "Jane Roe/Example Daily/Getty Images"],
            id="photo-caption-and-credit",
        ),
        pytest.param(
            [],
            ["Buses queue at the depot on a cold Monday morning, waiting for the new routes to begin.", "Photo: Jane Roe"],
            [],
            ["Buses queue at the depot on a cold Monday morning, waiting for the new routes to begin.", "Photo: Jane Roe"],
            id="caption-above-a-photo-credit",
        ),
        pytest.param(
            [],
            ["This 2017 file photo provided by the county sheriff's office shows the depot before the fire.", "Example County Sheriff's Office via AP"],
            [],
            ["This 2017 file photo provided by the county sheriff's office shows the depot before the fire.", "Example County Sheriff's Office via AP"],
            id="caption-above-a-credit-handed-on-by-an-agency",
        ),
        pytest.param(
            [],
            ["Also read: Fares frozen for a second year", "Related: Depot plans approved"],
            [],
            ["Also read: Fares frozen for a second year", "Related: Depot plans approved"],
            id="link-teasers-inside-the-article",
        ),
        pytest.param(
            [],
            [],
            ["Share", "Tweet", "Email", "Comments (12)", "Leave a reply", "Your email address will not be published.", "Name *", "Email *",
             "Website", "Save my name, email, and website in this browser for the next time I comment."],
            ["Your email address will not be published.", "Save my name, email, and website in this browser for the next time I comment."],
            id="comment-form-after-the-article",
        ),
        pytest.param(
            [],
            ["Image copyright Example Agency", "Image caption Riders wait for the first bus of the new route at the depot in the north", "(Photo: \u00a9 Jane Roe)"],
            [],
            ["Image copyright Example Agency", "Image caption Riders wait for the first bus of the new route at the depot in the north", "(Photo: \u00a9 Jane Roe)"],
            id="picture-labels-between-paragraphs",
        ),
        pytest.param(
            [],
            ["Stay up to date with the Valley Courier. Subscribe to our newsletter.", "Listen to our podcast live at 8:00 on weekdays, or listen back here."],
            ["Subscribe to the Courier video channel for all of the latest videos, reviews and more!", "CLICK HERE TO GET THE COURIER APP"],
            ["Stay up to date with the Valley Courier. Subscribe to our newsletter.", "Listen to our podcast live at 8:00 on weekdays, or listen back here.",
             "Subscribe to the Courier video channel for all of the latest videos, reviews and more!", "CLICK HERE TO GET THE COURIER APP"],
            id="calls-to-action",
        ),
    ],
)
def test_furniture_is_dropped_and_the_article_kept(top, middle, bottom, dropped):
    kept = _kept(_page(top, middle, bottom))
    assert [line for line in ARTICLE if line not in kept] == []
    assert [line for line in dropped if line in kept] == []


def test_prose_that_mentions_the_page_or_runs_into_a_share_button_is_kept():
    # A sentence about watching or following is news; a paragraph with "Click To Tweet" run into it is still a paragraph.
    lines = [
        "Follow the bus routes on the map, the council said, and watch for the new stops near the hospital.",
        "Watching the vote from the gallery, riders said the plan came years late. Click To Tweet",
        "Share prices of the bus company rose after the vote, and its app was downloaded thousands of times.",
        "Subscribers can watch the video on the app from Friday.",
    ]
    page = [ARTICLE[0], "", lines[0], "", ARTICLE[1], "", lines[1], "", lines[2], "", lines[3], "", ARTICLE[2]]
    assert [line for line in lines if line not in _kept(page)] == []


def test_a_sentence_that_opens_with_a_page_button_is_furniture():
    share = "Share this article on Facebook, Twitter or by email."
    assert share not in _kept([ARTICLE[0], "", ARTICLE[1], "", share, "", ARTICLE[2], "", ARTICLE[3]])


def test_short_lines_between_prose_are_article_text():
    # A subhead and list items sit between paragraphs: jusText's context rule keeps them.
    lines = [ARTICLE[0], "", "What changes", "", "more buses at night", "a new stop at the hospital", "", ARTICLE[1], "", ARTICLE[2]]
    assert _kept(lines) == [ARTICLE[0], "What changes", "more buses at night", "a new stop at the hospital", ARTICLE[1], ARTICLE[2]]


def test_a_short_sentence_after_prose_is_kept():
    lines = [ARTICLE[0], "", ARTICLE[1], "", "The vote was close.", "", "Share", "Tweet", "Print"]
    assert "The vote was close." in _kept(lines)


def test_a_list_announced_by_the_last_paragraph_is_kept_and_the_links_below_it_are_not():
    # The list follows a paragraph ending in a colon, so it goes on from the prose even with no prose after it.
    lines = [ARTICLE[0], "", ARTICLE[1], "", "The new routes will serve these stops:", "",
             "north hospital", "the university campus", "the ferry terminal", "", "Share", "Tweet", "Print", "Email"]
    kept = _kept(lines)
    assert kept[-3:] == ["north hospital", "the university campus", "the ferry terminal"]
    assert "Share" not in kept
    # The same list after a paragraph that announces nothing is furniture (a list of links, a tag cloud).
    unannounced = _kept([ARTICLE[0], "", ARTICLE[1], "", "north hospital", "the university campus", "the ferry terminal"])
    assert "the university campus" not in unannounced


def test_a_lead_in_ending_in_a_colon_right_above_the_prose_is_kept():
    lines = ["Council votes to expand bus routes", "By Jane Roe", "Share", "Tweet", "Print", "Why it matters:", "", *ARTICLE]
    kept = _kept(lines)
    assert "Why it matters:" in kept
    assert "Share" not in kept
    # Not when furniture stands between it and the prose.
    assert "Why it matters:" not in _kept(["Council votes to expand bus routes", "Why it matters:", "Share", "Tweet", "Print", "", *ARTICLE])


def test_a_table_of_figures_inside_the_article_is_kept():
    # Rows of figures alone would be furniture one by one ("no letters"); as a table between paragraphs they are article text.
    lines = [ARTICLE[0], "", "14 11 6 15 - 46", "18 22 13 17 - 70", "", ARTICLE[1], "", ARTICLE[2]]
    assert _kept(lines) == [ARTICLE[0], "14 11 6 15 - 46", "18 22 13 17 - 70", ARTICLE[1], ARTICLE[2]]
    # One line of figures is not a table: it stays furniture (a share counter, a page number).
    assert "1432" not in _kept([ARTICLE[0], "", "1432", "", ARTICLE[1]])


def test_a_table_printed_right_against_the_prose_is_kept_even_at_the_article_edge():
    table = ["Lakeside 14 11 6 15 - 46", "Hillcrest 18 22 13 17 - 70"]
    lines = ["Hillcrest beats Lakeside in the opener", "", *table, "", ARTICLE[0], "", ARTICLE[1]]
    assert _kept(lines) == ["Hillcrest beats Lakeside in the opener", *table, ARTICLE[0], ARTICLE[1]]
    poll = ["Yes 52 votes", "No 31 votes", "Not sure 9 votes"]
    assert _kept([ARTICLE[0], "", ARTICLE[1], "", *poll, "", "Share", "Tweet", "Email"])[-3:] == poll
    # Lines of one shape with a number, apart from the prose behind other furniture, are not the article's.
    apart = _kept([ARTICLE[0], "", ARTICLE[1], "", "Share", "Tweet", "Email", "Most read", "Page 1 of 9", "Page 2 of 9"])
    assert "Page 2 of 9" not in apart


def test_a_table_of_dates_is_article_text_not_the_page_date():
    calendar = ["12 April - Lakeside Regatta - Port Elm", "19 April - Spring Sprint - Northbay", "3 May - River Cup - Old Mill"]
    lines = ["Council votes to expand bus routes", "Published 3 March 2024", "", ARTICLE[0], "", *calendar, "", ARTICLE[1]]
    assert _kept(lines) == ["Council votes to expand bus routes", ARTICLE[0], *calendar, ARTICLE[1]]
    # Two date lines of one shape are the page's own (published and updated), not a table.
    assert _kept(["Council votes to expand bus routes", "Published 3 March 2024", "Updated 4 March 2024", "", *ARTICLE])[1:] == ARTICLE


def test_a_page_without_prose_keeps_its_table_under_the_headline():
    calendar = ["12 April - Lakeside Regatta - Port Elm", "19 April - Spring Sprint - Northbay", "3 May - River Cup - Old Mill", "17 May - Harbour Eights - Port Elm"]
    page = ["Home", "Sports", "Regional rowing calendar for the 2024 season", "Published 3 March 2024", *calendar, "Share this", "Related stories", "Bakery wins regional prize"]
    assert _kept(page) == ["Regional rowing calendar for the 2024 season", *calendar]
    document = parse_document("\n".join(page).encode("utf-8"), "calendar.txt")
    assert (document.title, document.date, document.date_kind) == ("Regional rowing calendar for the 2024 season", "2024-03-03", "published")


def test_a_paragraph_signed_off_by_its_agency_is_prose():
    signed = "More than three hundred workers returned to the harbour on Monday after the strike ended. XYZ"
    assert _kept([*ARTICLE[:2], "", signed, "", "Trending Now", "Mayor Unveils Record Budget For Schools", "Storm Knocks Out Power Across The Valley", "Ten Best Places To Eat"])[-1] == signed


def test_a_sentence_printed_over_several_lines_after_the_prose_is_kept():
    # Each line but the last ends in a comma: together they are one sentence, going on from the paragraph above.
    broken = ["In the end the plan passed,", "although two members voted against it,", "and one left the room."]
    lines = [ARTICLE[0], "", ARTICLE[1], "", *broken, "", "Share", "Tweet", "Email"]
    assert _kept(lines)[-3:] == broken


def test_a_short_sentence_in_a_script_without_capitals_is_kept_after_prose():
    lines = [
        "市議会は火曜日、北部郊外に六つのバス路線を新設することを賛成多数で可決した。計画の費用は四百万ドルで、長い議論の末に承認された。",
        "",
        "バスは朝夕の混雑時に十分ごとに運行され、最初の路線は三月に開業する予定だという。",
        "",
        "採決は僅差だった。",
        "",
        "関連記事",
    ]
    kept = _kept(lines)
    assert "採決は僅差だった。" in kept
    assert "関連記事" not in kept


def test_a_sentence_after_a_list_of_links_is_not_the_article():
    # A sentence-shaped teaser below a list of links does not go on from the prose: the list ends the article.
    lines = [ARTICLE[0], "", ARTICLE[1], "", "More from the council", "Parking fees go up in the new year", "Bike lanes for the old town",
             "", "You may also like these stories."]
    assert "You may also like these stories." not in _kept(lines)


def test_a_list_inside_the_article_stays_whole_across_figures_and_photo_credits():
    # A row of figures, a rule and photo credits are furniture an article's body holds too: they do not part
    # the list from the prose around it, as three share buttons would.
    items = ["the north line", "the river line", "the airport line", "the night line"]
    inside = ["Photo: Jane Roe", "2019", "***", "Photo: John Doe"]
    lines = [ARTICLE[0], "", items[0], inside[0], items[1], inside[1], items[2], inside[2], inside[3], items[3], "", ARTICLE[1]]
    assert [item for item in items if item not in _kept(lines)] == []
    # Three share buttons do part a line from the paragraph above, so a line left after them at the article's end
    # is furniture; one that runs straight into a paragraph below is the article's (a subhead, a list's first item).
    widgets = [ARTICLE[0], "", "Share", "Tweet", "Email", items[0], "", ARTICLE[1]]
    assert items[0] in _kept(widgets)
    assert items[0] not in _kept([*ARTICLE, "", "Share", "Tweet", "Email", items[0]])


def test_an_address_between_paragraphs_is_article_text_and_reaches_the_document():
    text = "\n".join([ARTICLE[0], "The full plan is published online:", "https://example.org/council/bus-plan", ARTICLE[1], ARTICLE[2],
                     "", "www.example-daily.test", "Share", "Tweet", "Email"])
    document = parse_document(text.encode("utf-8"), "copy.txt")
    assert "https://example.org/council/bus-plan" in document.text
    kept = [document.text[start:end] for start, end in document.paragraphs]
    assert any("https://example.org/council/bus-plan" in paragraph for paragraph in kept)
    assert not any("www.example-daily.test" in paragraph for paragraph in kept)  # the page's own address, after the article


def test_the_headline_is_the_line_whose_words_the_article_uses():
    lines = ["Menu", "Local News", "Sports", "Council votes to expand bus routes", "By Jane Roe", "Nov. 19, 2019 6:02 AM EST", "", *ARTICLE]
    verdicts = classify_lines(lines)
    assert [line for line, verdict in zip(lines, verdicts, strict=True) if verdict.kind == "headline"] == ["Council votes to expand bus routes"]
    assert {verdict.reason for line, verdict in zip(lines, verdicts, strict=True) if line in {"By Jane Roe", "Nov. 19, 2019 6:02 AM EST"}} == {"byline", "date line"}


def test_a_breadcrumb_ending_with_the_headline_is_not_the_headline():
    lines = ["Home > News > Council votes to expand bus routes", "Council votes to expand bus routes", "", *ARTICLE]
    assert _kept(lines)[0] == "Council votes to expand bus routes"
    assert "Home > News > Council votes to expand bus routes" not in _kept(lines)


def test_a_caption_printed_with_every_photo_counts_once():
    caption = "Riders wait for the new buses at the depot on a cold morning"
    lines = [ARTICLE[0], "", caption, caption, caption, "", ARTICLE[1]]
    assert _kept(lines).count(caption) == 1


def test_text_in_a_language_without_a_stopword_list_is_kept_by_length_and_punctuation():
    lines = ["Zorba kalim tuvaro mesi padrun, velo kasti mirun dalo vesti.", "", "Kalim tuvaro mesi padrun velo kasti mirun dalo vesti zorba."]
    assert _kept(lines) == lines[::2]


def test_non_english_prose_is_recognised_by_its_own_stopwords():
    lines = [
        "Menü",
        "Der Stadtrat hat am Dienstag beschlossen, sechs neue Buslinien in den Norden der Stadt einzurichten.",
        "Die Fahrgäste, die auf der Tribüne saßen, begrüßten die Entscheidung mit lautem Beifall.",
    ]
    assert _kept(lines)[-2:] == lines[1:]


# ---------------------------------------------------------------- through the document reader

WEB_COPY = """Menu
Local News
Council votes to expand bus routes
Jane Roe
November 18, 2019 | 4:10pm
Share
Tweet
The city council voted on Tuesday to add six bus routes to the northern suburbs.
The plan, which costs $4 million, was approved by seven votes to two after a long debate.
The council will meet again on Friday to set the timetable, the mayor said in a statement.
This story was originally published on Example Daily News.
More from Example Daily
Storm Knocks Out Power Across The Valley
Ten Best Places To Eat Downtown
"""


def test_a_web_copy_gives_title_date_author_outlet_and_only_the_article():
    document = parse_document(WEB_COPY.encode("utf-8"), "copy.txt")
    assert document.title == "Council votes to expand bus routes"
    assert (document.date, document.date_kind) == ("2019-11-18", "published")
    assert document.author == "Jane Roe"  # a byline without "By", next to the date line
    assert document.outlet == "Example Daily News"
    sentences = [sentence.text for sentence in split_document(document)]
    assert sentences[0] == "Council votes to expand bus routes"
    assert "The council will meet again on Friday to set the timetable, the mayor said in a statement." in sentences
    assert not any(word in sentence for sentence in sentences for word in ("Storm Knocks", "Menu", "Share", "4:10pm", "Jane Roe"))


def test_the_publication_date_is_kept_apart_from_dates_in_the_story():
    text = (
        "Council votes to expand bus routes\nPosted 7:07 PM EST Nov 19, 2019\n"
        "The council first debated the plan on March 3, 2018, and rejected it by one vote.\n"
        "The new plan was approved on Tuesday by seven votes to two after a long debate.\n"
    )
    document = parse_document(text.encode("utf-8"), "copy.txt")
    assert (document.date, document.date_kind) == ("2019-11-19", "published")


def test_a_standfirst_between_the_headline_and_the_byline_is_page_header():
    standfirst = "The council wants more people to leave their cars at home, and it is willing to pay for it."
    lines = ["Council votes to expand bus routes", standfirst, "By Jane Roe", "November 18, 2019", "", *ARTICLE]
    kept = _kept(lines)
    assert standfirst not in kept
    assert kept == ["Council votes to expand bus routes", *ARTICLE]


@pytest.mark.parametrize(
    "lead",
    [
        pytest.param("RIVERTON (AP) \u2014 The council added six bus routes on Tuesday.", id="agency"),
        pytest.param("PORT ELM, Mich. \u2014 The council added six bus routes on Tuesday.", id="city-and-state"),
    ],
)
def test_a_first_paragraph_opening_with_a_dateline_above_the_byline_is_the_article(lead):
    lines = ["Council votes to expand bus routes", "", lead, "", "By Jane Roe", "November 18, 2019", "", *ARTICLE]
    kept = _kept(lines)
    assert kept == ["Council votes to expand bus routes", lead, *ARTICLE]


def test_a_short_article_above_a_dated_list_of_other_stories_is_kept_whole():
    related = ["More from the council", "Library hours extended for the winter", "November 12, 2019",
               "Parking fees to rise next spring", "November 5, 2019"]
    lines = ["Council votes to expand bus routes", *ARTICLE, *related]
    kept = _kept(lines)
    assert all(paragraph in kept for paragraph in ARTICLE)
    assert "Parking fees to rise next spring" not in kept


def test_a_standfirst_above_a_byline_printed_over_two_lines_is_page_header():
    standfirst = "The council wants more people to leave their cars at home, and it is willing to pay for it."
    lines = ["Council votes to expand bus routes", "", standfirst, "", "By", "Jane Roe", "", *ARTICLE]
    kept = _kept(lines)
    assert standfirst not in kept
    assert all(paragraph in kept for paragraph in ARTICLE)


@pytest.mark.parametrize("paragraphs", [1, 2, 3])
def test_a_short_article_of_few_paragraphs_above_a_dated_list_is_not_a_header(paragraphs):
    # The list's first date line sits within a header's reach under the headline; the lines above it are the article.
    related = ["Related", "", "Library hours extended for the winter", "November 12, 2019", "Parking fees to rise next spring"]
    lines = ["Council votes to expand bus routes", "", *[line for paragraph in ARTICLE[:paragraphs] for line in (paragraph, "")], *related]
    kept = _kept(lines)
    assert kept == ["Council votes to expand bus routes", *ARTICLE[:paragraphs]]


def test_a_short_article_above_dated_stories_with_teasers_is_not_a_header():
    # The teasers under the list's dates are more prose than the article, but the dates repeat as a list's do.
    related = [
        "November 12, 2019",
        "The central library will stay open until nine in the evening on weekdays from December, the council said.",
        "November 5, 2019",
        "Drivers will pay a dollar more an hour at city car parks from April, under a plan approved by the council.",
    ]
    lines = ["Council votes to expand bus routes", ARTICLE[0], ARTICLE[1], *related]
    kept = _kept(lines)
    assert ARTICLE[0] in kept and ARTICLE[1] in kept


def test_a_standfirst_above_a_byline_and_a_dated_related_list_further_down_is_page_header():
    standfirst = "The council wants more people to leave their cars at home, and it is willing to pay for it."
    related = ["Library hours extended for the winter", "November 12, 2019", "Parking fees to rise next spring", "November 5, 2019"]
    lines = ["Council votes to expand bus routes", standfirst, "November 18, 2019", "", *ARTICLE, "", *related]
    kept = _kept(lines)
    assert standfirst not in kept
    assert all(paragraph in kept for paragraph in ARTICLE)


SHARE_BAR = ["Share this video", "Facebook", "Twitter", "Email", "Advertisement", "Watch more videos"]
LONG_ARTICLE = [
    f"The council said on Tuesday that the {order} phase of the plan would cost more than expected and take two years."
    for order in ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
]


def test_the_last_paragraphs_after_a_video_block_are_the_article():
    lines = ["Council plan will cost more", "By Jane Roe", "", *LONG_ARTICLE[:8], "", *SHARE_BAR, "", *LONG_ARTICLE[8:]]
    kept = _kept(lines)
    assert all(paragraph in kept for paragraph in LONG_ARTICLE)
    assert not any(line in kept for line in SHARE_BAR)


def test_a_lead_under_the_byline_parted_from_the_body_by_a_share_bar_is_the_article():
    lines = ["Council plan will cost more", "By Jane Roe", "November 18, 2019", "", LONG_ARTICLE[0], "", *SHARE_BAR, "", *LONG_ARTICLE[1:]]
    kept = _kept(lines)
    assert kept == ["Council plan will cost more", *LONG_ARTICLE]


def test_a_standfirst_above_the_byline_and_a_share_bar_is_still_page_header():
    standfirst = "Officials blame rising prices for the overrun."
    lines = ["Council plan will cost more", "", standfirst, "", "By Jane Roe", "", *SHARE_BAR, "", *LONG_ARTICLE]
    kept = _kept(lines)
    assert standfirst not in kept
    assert all(paragraph in kept for paragraph in LONG_ARTICLE)


def test_a_bio_of_the_bylines_writer_apart_from_the_article_is_furniture():
    bio = "Jane Roe has covered city hall for the paper since 2009 and lives with two cats."
    bottom = ["Follow us", "Share", "Print", "Email", "More", "About the author", bio, "Contact her by email.", "Share", "Tweet"]
    lines = ["Council votes to expand bus routes", "By Jane Roe", "", *ARTICLE, "", *bottom]
    kept = _kept(lines)
    assert bio not in kept
    assert kept == ["Council votes to expand bus routes", *ARTICLE]


@pytest.mark.parametrize("above", [1, 4])
def test_a_sign_up_form_inside_the_article_does_not_end_it(above):
    form = ["Get the council newsletter", "Email *", "First name *", "Sign up"]
    lines = ["Council plan will cost more", "By Jane Roe", "", *LONG_ARTICLE[:above], "", *form, "", *LONG_ARTICLE[above:]]
    kept = _kept(lines)
    assert kept == ["Council plan will cost more", *LONG_ARTICLE]


def test_a_sign_up_form_late_in_the_article_does_not_end_it():
    # Less of the article lies below the form than above it; the form does not speak of comments.
    form = ["Get the council newsletter", "Email *", "First name *", "Sign up"]
    lines = ["Council plan will cost more", "By Jane Roe", "", *LONG_ARTICLE[:8], "", *form, "", *LONG_ARTICLE[8:]]
    assert _kept(lines) == ["Council plan will cost more", *LONG_ARTICLE]


@pytest.mark.parametrize(
    "furniture",
    [
        pytest.param(["Advertisement", "Sign up for our weekly newsletter to get the best stories in your inbox.", "Advertisement"], id="promotion"),
        pytest.param(["Related Stories", "Ferry Timetable Changes For Winter", "Ten Parks To Visit This Autumn", "Museum Reopens After Repairs"],
                     id="related-list"),
    ],
)
def test_a_subhead_and_list_after_furniture_inside_the_article_are_kept(furniture):
    after = ["Where the new routes go", "", "Northgate to the hospital", "", "Lakeside to the station", ""]
    lines = ["Council plan will cost more", "By Jane Roe", "", *[line for paragraph in LONG_ARTICLE[:5] for line in (paragraph, "")],
             *furniture, "", *after, *[line for paragraph in LONG_ARTICLE[5:] for line in (paragraph, "")], "Share", "Tweet", "Email"]
    kept = _kept(lines)
    assert kept == ["Council plan will cost more", *LONG_ARTICLE[:5], *[line for line in after if line], *LONG_ARTICLE[5:]]


def test_a_comment_form_after_a_sign_up_form_still_ends_the_article():
    sign_up = ["Get the council newsletter", "Email *", "First name *", "Sign up"]
    comments = ["Leave a reply", "Name *", "Email *", "Website", "Great news, the buses on my road are always full by seven in the morning."]
    lines = ["Council plan will cost more", "By Jane Roe", "", *LONG_ARTICLE[:3], "", *sign_up, "", *LONG_ARTICLE[3:], "", *comments]
    kept = _kept(lines)
    assert kept == ["Council plan will cost more", *LONG_ARTICLE]


def test_a_related_list_ending_in_a_question_headline_is_furniture():
    # A headline that asks a question reads like a sentence; it does not make the list before it article text.
    related = ["More stories from the council", "Library opening hours will be extended all winter",
               "Parking fees are set to rise next spring", "Is the city ready for the next big flood?", "Trending now"]
    lines = ["Council votes to expand bus routes", "By Jane Roe", "", *ARTICLE, "", *related]
    assert _kept(lines) == ["Council votes to expand bus routes", *ARTICLE]


@pytest.mark.parametrize("where", ["lead", "subhead", "last"])
def test_a_short_question_in_the_article_is_kept(where):
    question = "What happens when a city runs out of buses?"
    body = {"lead": [question, *ARTICLE], "subhead": [*ARTICLE[:2], question, *ARTICLE[2:]], "last": [*ARTICLE, question]}[where]
    lines = ["Council votes to expand bus routes", "By Jane Roe", "", *[line for paragraph in body for line in (paragraph, "")], "Share", "Tweet"]
    assert _kept(lines) == ["Council votes to expand bus routes", *body]


@pytest.mark.parametrize("where", ["inside", "last"])
def test_a_title_case_list_the_article_announces_is_kept(where):
    books = ["The Silent River Runs Deep", "Winter Light Over Northern Towns", "A History Of Small Harbours"]
    announcement = "The shortlist for the council's book prize includes these three titles:"
    after = LONG_ARTICLE[3:6] if where == "inside" else ["Share", "Tweet"]
    lines = ["Council names book prize shortlist", "By Jane Roe", "", *LONG_ARTICLE[:3], "", announcement, "", *books, "", *after]
    kept = _kept(lines)
    assert all(book in kept for book in books)


def test_a_title_case_list_under_a_short_label_is_still_a_headline_list():
    related = ["You may also like:", "Mayor Unveils Record Budget For Schools", "Storm Knocks Out Power Across The Valley",
               "Ten Best Places To Eat Downtown"]
    lines = ["Council votes to expand bus routes", "By Jane Roe", "", *ARTICLE, "", *related]
    assert _kept(lines) == ["Council votes to expand bus routes", *ARTICLE]


def test_a_long_paragraph_above_a_photo_credit_is_not_its_caption():
    paragraph = (
        "The plan, which the council first debated two years ago, was approved by seven votes to two after a long"
        " debate in which residents of the northern suburbs said they had waited too long for buses, and the mayor"
        " promised that the first of the new routes would open in March, ahead of the schedule set last year."
    )
    lines = ["Council votes to expand bus routes", "By Jane Roe", "", ARTICLE[0], "", paragraph, "", "Photo: Jane Roe", "", *ARTICLE[1:]]
    kept = _kept(lines)
    assert paragraph in kept
    assert "Photo: Jane Roe" not in kept


def test_a_list_item_shaped_like_a_counter_is_article_text():
    # "3 eggs" has the shape of "858 shares"; only a count of the page's own things is a counter.
    method = "Mix the flour and the salt in a large bowl, then beat in the eggs one at a time until smooth."
    items = ["2 cups flour", "1 tsp salt", "3 eggs"]
    lines = ["Easy bread for busy commuters", "By Jane Roe", "", ARTICLE[0], "", "Ingredients", *items, "", method, "", "858 shares"]
    kept = _kept(lines)
    assert all(item in kept for item in items)
    assert "858 shares" not in kept


def test_a_caption_printed_again_in_a_gallery_is_furniture():
    # The page prints the caption whole ("... less") above a copy cut short ("... more") over the photo's credit.
    caption = (
        "Workers repair the old stone bridge over the river in the town centre on Monday, Nov. 18, 2019, after floods"
        " damaged two of its arches and closed the road to traffic for a week. The work will take a month and cost"
        " about $2 million, the council said."
    )
    gallery = [caption + " (Photo/Jane Roe) less", caption[:200] + "... more", "Photo: Jane Roe", "Image 1 of 1", "Close"]
    lines = ["Council plan will cost more", "By Jane Roe", "", *LONG_ARTICLE[:6], "", *gallery, "", *LONG_ARTICLE[6:]]
    kept = _kept(lines)
    assert all(paragraph in kept for paragraph in LONG_ARTICLE)
    assert not any(line in kept for line in gallery)


def test_a_long_list_is_cleaned_in_linear_time():
    # A guard against quadratic blow-ups (a generous budget, not a speed target).
    import time

    lines = "\n".join(f"item number {number} of the list" for number in range(20000))
    text = f"{ARTICLE[0]}\n{lines}\n{ARTICLE[1]}\n"
    started = time.perf_counter()
    document = parse_document(text.encode("utf-8"), "list.txt")
    assert time.perf_counter() - started < 30
    assert len(split_document(document)) > 2


def test_a_hard_wrapped_copy_keeps_every_paragraph():
    import textwrap

    paragraphs = [f"{LONG_ARTICLE[number]} {sentence}" for number, sentence in enumerate(ARTICLE)]
    wrapped = [part for paragraph in paragraphs for part in (*textwrap.wrap(paragraph, 72), "")]
    lines = ["Council plan will cost more", "By Jane Roe", "", *wrapped, "Share", "Tweet", "Email"]
    kept = _kept(lines)
    assert kept == ["Council plan will cost more", *[line for line in wrapped if line]]


def test_each_dropped_line_says_why_it_was_dropped():
    from qa.corpus import dropped_with_reasons

    text = "\n".join(["Home", "News", "Council votes to expand bus routes", "By Jane Roe", "", *ARTICLE, "", "Share", "Tweet", "Email"])
    reasons = dict(dropped_with_reasons(parse_document(text.encode("utf-8"), "copy.txt")))
    assert reasons["Home"] == "above the headline"
    assert reasons["By Jane Roe"] == "byline"
    assert reasons["Share"] == "page interface words"
    assert not set(ARTICLE) & set(reasons)
