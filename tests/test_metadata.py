"""Page date lines, bylines and outlet credit lines of web copies (made-up lines)."""

import datetime as dt
import json
from pathlib import Path

import pytest

from qa.corpus import parse_document
from qa.metadata import copyright_holder, is_date_line, is_update_line, line_date, originally_published, read_byline, site_phrase

NEWS_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "news-dev"


@pytest.mark.parametrize(
    ("line", "day"),
    [
        pytest.param("November 18, 2019 | 4:10pm", "2019-11-18", id="month-day-year-bar-time"),
        pytest.param("Posted 7:07 PM EST Nov 19, 2019", "2019-11-19", id="posted-time-first"),
        pytest.param("Nov. 19, 2019", "2019-11-19", id="abbreviated-month-with-stop"),
        pytest.param("Published: 19/11/2019", "2019-11-19", id="day-first-numeric"),
        pytest.param("11/19/2019 10:02 AM", "2019-11-19", id="month-first-numeric"),
        pytest.param("2019-11-19T10:00:00Z", "2019-11-19", id="iso-instant"),
        pytest.param("2019-11-19", "2019-11-19", id="iso-date"),
        pytest.param("- Nov. 18th 2019 8:54 am PT", "2019-11-18", id="ordinal-no-comma"),
        pytest.param("Published November 20th, 2019 - 07:29 GMT", "2019-11-20", id="published-ordinal-gmt"),
        pytest.param("Tuesday, 19 November 2019", "2019-11-19", id="weekday-day-month"),
        pytest.param("November 12, 2018 | By: Jane Roe", "2018-11-12", id="date-and-byline"),
        pytest.param("Jane Roe - Nov 19, 2019, 8:15 pm CST", "2019-11-19", id="name-then-date"),
        pytest.param("By Jane Roe @janeroe Nov 19, 2019, 7:53pm EST", "2019-11-19", id="byline-handle-date"),
        pytest.param("Published 22 hours ago", None, id="relative-age-has-no-day"),
        pytest.param("05/11/2019", None, id="ambiguous-numeric-gives-no-day"),
    ],
)
def test_date_lines_in_common_forms(line, day):
    assert is_date_line(line)
    found = line_date(line)
    assert (found.isoformat() if found else None) == day


@pytest.mark.parametrize(
    "line",
    [
        "Sales rose on Nov. 20, 2019 in Ohio.",
        "In March 2019, prices rose sharply across the region.",
        "The council met on November 18, 2019 to vote on the budget and approved it.",
        "Storm season begins",
    ],
)
def test_sentences_with_dates_are_not_date_lines(line):
    assert not is_date_line(line)


def test_an_updated_line_is_not_the_publication_date():
    assert is_update_line("Updated: Nov 20 2019, 15:24pm IST")
    assert not is_update_line("Published Nov 18, 2019 at 4:07 PM | Updated at 5:36 PM")


@pytest.mark.parametrize(
    ("line", "authors", "rest"),
    [
        pytest.param("By JANE ROE and LI WEI", "Jane Roe and Li Wei", "", id="capitals-two-names"),
        pytest.param("By Jane Roe | Example News", "Jane Roe", "Example News", id="name-and-outlet"),
        pytest.param("By Ana Maria de Souza, Li Wei and Jo Bloggs", "Ana Maria de Souza, Li Wei and Jo Bloggs", "", id="three-names"),
        pytest.param("by Jane Roe September 15, 2014", "Jane Roe", "September 15, 2014", id="name-and-date"),
        pytest.param("Written by Jane Roe", "Jane Roe", "", id="written-by"),
    ],
)
def test_bylines(line, authors, rest):
    byline = read_byline(line)
    assert (byline.authors, byline.rest) == (authors, rest)


@pytest.mark.parametrize("line", ["By Tuesday the talks had ended.", "By March the plan was dead", "By the end of the year, prices rose"])
def test_sentences_opening_with_by_are_not_bylines(line):
    assert read_byline(line) is None


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("This story was originally published on Example Daily News.", "Example Daily News"),
        ("This article first appeared in The Example Review and is republished with permission.", "The Example Review"),
        ("It first appeared in 2014, when the camp was built.", None),
    ],
)
def test_originally_published_names_the_outlet(line, outlet):
    assert originally_published(line) == outlet


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        ("\u00a9 2019 Example Media. All rights reserved.", "Example Media"),
        ("Copyright @ 2019 The Example Times.", "The Example Times"),
        ("\u00a9 Copyright Example Group 2018", "Example Group"),
        ("Image copyright Example Pictures", None),
        ("Copyright \u24d2 Examplemedia.co.kr. All rights reserved", "Examplemedia"),
    ],
)
def test_copyright_lines_name_the_holder(line, holder):
    assert copyright_holder(line) == holder


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        pytest.param("Floods hit the valley\nLONDON (AP) \u2014 Heavy rain flooded the valley on Monday. Roads closed.\nRescuers worked all night.\n",
                     "Associated Press", id="wire-abbreviation"),
        pytest.param("Floods hit the valley\nBy Jane Roe | Example News\nHeavy rain flooded the valley on Monday, and roads were closed.\nRescuers worked all night.\n",
                     "Example News", id="byline-outlet"),
        pytest.param("Floods hit the valley\nLast Updated: Nov 20, 2019 | Source: Example.com\nHeavy rain flooded the valley on Monday, and roads were closed.\n"
                     "Rescuers worked all night.\n", "Example", id="source-label"),  # a domain is named as the page spells the site
        pytest.param("Floods hit the valley\nBy Jane Roe - Valley Courier Contributor\nHeavy rain flooded the valley on Monday, and roads were closed.\n"
                     "Rescuers worked all night.\n", "Valley Courier", id="byline-with-role"),
        pytest.param("Floods hit the valley\nHeavy rain flooded the valley on Monday, and roads were closed.\nRescuers worked all night.\n\n"
                     "Share\nMore from Valley Courier\nBakery wins a prize\n", "Valley Courier", id="site-phrase"),
        pytest.param("Floods hit the valley\nHeavy rain flooded the valley on Monday, and roads were closed, the Valley Courier learned.\n"
                     "Rescuers worked all night.\n\nContact: news@valleycourier.org\n", "Valley Courier", id="e-mail-domain-spelled-in-the-text"),
        pytest.param("Floods hit the valley\nHeavy rain flooded the valley on Monday, and roads were closed.\nRescuers worked all night.\n\n"
                     "https://www.valleycourier.example/floods\n", "valleycourier.example", id="unspelled-domain-kept-as-it-is"),
    ],
)
def test_outlet_from_credit_lines(text, outlet):
    assert parse_document(text.encode("utf-8"), "a.txt").outlet == outlet


def test_dateline_city_state_is_cut_from_the_first_sentence():
    text = "Barn fire in the valley\nST. JOSEPH, Mich. (AP) \u2014 A fire destroyed a barn on Sunday. Nobody was hurt.\nFirefighters stayed all night.\n"
    document = parse_document(text.encode("utf-8"), "a.txt")
    from qa.corpus import split_document

    sentences = [sentence.text for sentence in split_document(document)]
    assert sentences[1] == "A fire destroyed a barn on Sunday."
    assert document.outlet == "Associated Press"


# ---------------------------------------------------------------- a sample of real web copies (news-dev)

SAMPLE = ["ap-uk-tories-under-fire", "bbc-taylor-swift-allowed-play", "crn-tim-cook-apple-being", "albawaba-world-community-lashes-us"]


@pytest.mark.skipif(not NEWS_DEV.is_dir(), reason="../shared/news-dev is not present")
@pytest.mark.parametrize("name", SAMPLE)
def test_news_dev_sample_keeps_the_article_and_reads_the_page_date(name):
    from qa.cleaning_eval import score_file

    truth = json.loads((NEWS_DEV / "truth" / f"{name}.json").read_text(encoding="utf-8"))
    score = score_file(NEWS_DEV / "text" / f"{name}.txt", truth, "en", "dev")
    assert score.paragraphs_kept >= score.paragraphs - 1
    assert score.other_lines_kept <= 1 + score.other_lines // 3
    assert score.title_right
    truth_day = dt.date.fromisoformat(truth["published"][:10])
    assert score.published_found in {truth_day.isoformat(), (truth_day - dt.timedelta(days=1)).isoformat()}


@pytest.mark.parametrize(
    ("line", "site"),
    [("More from Valley Courier", "Valley Courier"), ("Search ValleyCourier", "ValleyCourier"), ("More Great COURIER Stories", "COURIER"),
     ("More from the council meeting on Tuesday", None), ("Search and rescue teams worked all night.", None)],
)
def test_site_phrases_name_the_site(line, site):
    assert site_phrase(line) == site
