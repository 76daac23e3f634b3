"""The headline of a saved web copy, found by the byline and date lines around it (made-up pages)."""

import pytest

from qa.corpus import parse_document
from qa.headline import headline_above_metadata, headline_in_address, is_metadata_line

BODY = (
    "The town council voted on Monday to build a new footbridge over the river, after years of debate.\n"
    "Work will start in the spring and should take about a year, the mayor told reporters after the vote.\n"
    "Residents had asked for a safer crossing since the old ferry stopped running.\n"
)


@pytest.mark.parametrize(
    ("header", "title"),
    [
        pytest.param("Menu\nSearch\nRiver town approves a new footbridge\nBy Jane Roe\nMarch 3, 2016 10:02 AM EST\n",
                     "River town approves a new footbridge", id="headline-above-byline"),
        pytest.param("Rain clouds gather over the hills as farmers wait for news, our reporter writes.\n"
                     "Other stories: the harvest festival returns with music and food for everyone.\n"
                     "River town approves a new footbridge\nMarch 3, 2016\n",
                     "River town approves a new footbridge", id="teasers-above-no-classified-headline"),
        pytest.param("Home\nMorning Brief\nMorning Brief 03.03.16\nA bridge, a budget and a very long meeting ...\nAuthor:\nJane Roe\nPublish date:\nMar 3, 2016\n",
                     "Morning Brief 03.03.16", id="section-label-the-headline-begins-with"),
        pytest.param("you are here: Home News Local\nLast Updated : Mar 3, 2016 01:41 PM IST\nRiver town approves a new footbridge\n",
                     "River town approves a new footbridge", id="breadcrumb-then-date-then-headline"),
        pytest.param("Sections\nMarch 3, 2016 5:52 AM EST\nRiver town approves a new footbridge\nBy Jane Roe and Li Wei\n",
                     "River town approves a new footbridge", id="date-line-above-the-headline"),
    ],
)
def test_title_by_the_metadata_block(header, title):
    document = parse_document((header + BODY).encode("utf-8"), "a.txt")
    assert document.title == title


@pytest.mark.parametrize(
    ("line", "metadata"),
    [
        ("by Example Office / 2016.03.03", True),
        ("Posted :[ 2016-03-03 15:24 ]", True),
        ("By Jane Roe", True),
        ("The council met on March 3, 2016 to vote on the bridge and approved it.", False),
        ("River town approves a new footbridge", False),
    ],
)
def test_metadata_lines(line, metadata):
    assert is_metadata_line(line) is metadata


def test_no_metadata_block_gives_no_headline():
    assert headline_above_metadata(["Menu", "River town approves a new footbridge", *BODY.splitlines()]) is None



@pytest.mark.parametrize(
    ("address", "number"),
    [
        pytest.param("https://www.rivertown.example/news/article/River-town-s-new-footbridge-1234567.php", 2, id="the-address-spells-the-headline"),
        pytest.param("https://www.rivertown.example/2016/03/03/town-new-footbridge/", 2, id="a-slug-without-some-words-of-the-headline"),
        pytest.param("https://www.rivertown.example/news/council-ends-years-of-debate?ref=home", 3, id="the-slug-of-the-standfirst-s-words"),
        pytest.param("https://www.rivertown.example/sport/rowing-club-wins-the-cup-7654321.html", None, id="an-address-naming-no-line"),
        pytest.param("https://www.rivertown.example/a/new-footbridge", None, id="two-words-could-name-any-line"),
        pytest.param("https://www.rivertown.example/", None, id="a-home-page-address"),
    ],
)
def test_the_line_the_copys_own_address_spells(address, number):
    lines = ["Menu Sections", address, "River town's new footbridge", "Council ends years of debate on the crossing", "Associated Press", *BODY.splitlines()]
    assert headline_in_address(lines) == number


def test_the_address_prefers_the_line_it_spells_best_and_confirms_a_title_it_spells():
    address = "https://www.rivertown.example/news/article/River-town-s-new-footbridge-opens-1234567.php"
    lines = ["River town's new footbridge opens to walkers and cyclists on Monday", address, "River town's new footbridge opens", *BODY.splitlines()]
    assert headline_in_address(lines) == 2  # the shortened line at the top holds the words too, with more besides
    assert headline_in_address(lines, title=lines[0]) is None  # a title found otherwise that the address spells stays


def test_a_copy_with_its_address_takes_the_headline_it_spells():
    header = ("Menu Sections\nhttps://www.rivertown.example/news/article/Council-ends-years-of-debate-1234567.php\n\n"
              "River town's new footbridge\n\nCouncil ends years of debate on the crossing\n\nAssociated Press\n\nPublished 11:26 pm EST, Tuesday, March 3, 2016\n\n")
    assert parse_document((header + BODY).encode("utf-8"), "a.txt").title == "Council ends years of debate on the crossing"
