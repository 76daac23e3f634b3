"""Reading documents: metadata from the text, boilerplate cleaning, sentence spans in the original file."""

import hashlib
import random
import re

import pytest
from conftest import SEEDS

import qa.corpus
from qa.corpus import is_boilerplate, iter_corpus, parse_document, read_document, split_document

# ---------------------------------------------------------------- seed metadata


@pytest.mark.parametrize(
    ("doc_id", "title", "outlet", "date", "date_kind"),
    [
        pytest.param(
            "000_0e8cd08fd7a0e557.txt",
            "In a significant development, Ayatollah Ali Khamenei",
            None,
            "2023-11-11",
            "published",
            id="000-date-label",
        ),
        pytest.param(
            "001_5260309de2f31b0e.txt",
            "Iranian leader Khamenei meets with Hamas\u2019 Haniyeh",
            "WAI",
            "2023-11-05",
            "dateline",
            id="001-dateline-with-agency",
        ),
        pytest.param(
            "002_fc334fc79f7154fc.txt",
            "During a prominent visit to Tehran",
            None,
            None,
            None,
            id="002-no-date",
        ),
        pytest.param(
            "003_ce45d80c013bad2b.txt",
            "Haniyeh met with Ayatollah Khamenei in recent days: Hamas official",
            "Afghan voice Agency (AVA)",
            "2023-11-05",
            "published",
            id="003-publish-date-line",
        ),
        pytest.param(
            "004_87a3ca3de848e26a.txt",
            "Leader meets head of Hamas and delegation",
            "The Office of the Supreme Leader",
            "2024-03-26",
            "event",
            id="004-event-date-only",
        ),
    ],
)
def test_seed_metadata(doc_id, title, outlet, date, date_kind):
    document = read_document(SEEDS / doc_id, doc_id)
    assert document.doc_id == doc_id
    assert document.title.startswith(title)
    assert len(document.title) <= 91
    assert document.outlet == outlet
    assert document.date == date
    assert document.date_kind == date_kind


def test_seed_metadata_is_stored_in_the_index(seed_index):
    assert [document["doc_id"] for document in seed_index.documents] == sorted(path.name for path in SEEDS.glob("*.txt"))
    dates = {document["doc_id"][:3]: (document["date"], document["date_kind"]) for document in seed_index.documents}
    assert dates == {
        "000": ("2023-11-11", "published"),
        "001": ("2023-11-05", "dateline"),
        "002": (None, None),
        "003": ("2023-11-05", "published"),
        "004": ("2024-03-26", "event"),
    }


# ---------------------------------------------------------------- general metadata rules


def _parse(text: str, name: str = "article.txt"):
    return parse_document(text.encode("utf-8"), name)


@pytest.mark.parametrize(
    ("text", "date", "date_kind", "date_text"),
    [
        pytest.param(
            "Budget talks resume\ndate 2021-03-04\nLawmakers returned to the budget on Thursday. They disagreed.\nA vote is due.\n",
            "2021-03-04",
            "published",
            "2021-03-04",
            id="iso-date-label",
        ),
        pytest.param(
            "Published: March 4, 2021\nCouncil approves park plan\nThe council voted 7-2 for the park. Work starts soon.\nResidents cheered.\n",
            "2021-03-04",
            "published",
            "March 4, 2021",
            id="published-label-month-first",
        ),
        pytest.param(
            "Publish date Sunday 5 November 2023 - 14:45\nTrains cancelled\nRail staff walked out. Commuters were stranded.\nTalks go on.\n",
            "2023-11-05",
            "published",
            "Sunday 5 November 2023",
            id="publish-date-with-weekday-and-time",
        ),
        pytest.param(
            "Last updated: Tue, 5 Nov 2019 10:00 GMT\nTrains cancelled\nRail staff walked out. Commuters were stranded.\nTalks go on.\n",
            "2019-11-05",
            "published",
            "Tue, 5 Nov 2019",
            id="updated-label-abbreviated",
        ),
        pytest.param(
            "Trains cancelled\nPublished 2019/11/05\nRail staff walked out. Commuters were stranded.\nTalks go on.\n",
            "2019-11-05",
            "published",
            "2019/11/05",
            id="slashed-date-under-headline",
        ),
        pytest.param(
            "Floods hit the valley\nLONDON, 12 May 2022 (AFP): Heavy rain flooded the valley. Roads closed.\nRescuers worked overnight.\n",
            "2022-05-12",
            "dateline",
            "12 May 2022",
            id="dateline-day-month-agency",
        ),
        pytest.param(
            "Storm season begins\nMIAMI, June 1, 2020 - Forecasters warned of an active season. Residents prepared.\nShops sold out.\n",
            "2020-06-01",
            "dateline",
            "June 1, 2020",
            id="dateline-month-day",
        ),
        pytest.param(
            "Leaders meet on trade\nIn a meeting on March 26, 2024, the ministers agreed new tariffs. Markets rose.\nThe deal starts soon.\n",
            "2024-03-26",
            "event",
            "March 26, 2024",
            id="event-date-in-story-is-not-published",
        ),
        pytest.param(
            "Posted on 2 January 2020\nLeaders meet on trade\nIn a meeting on March 26, 2019, ministers agreed tariffs. Markets rose.\nIt starts soon.\n",
            "2020-01-02",
            "published",
            "2 January 2020",
            id="published-date-wins-over-event-date",
        ),
        pytest.param(
            "Storm season begins\nForecasters warned of an active season. Residents prepared.\nShops sold out.\nhttps://example.com/2023/11/05/storm.html\n",
            None,
            None,
            None,
            id="url-only-footer-gives-no-date",
        ),
    ],
)
def test_date_rules(text, date, date_kind, date_text):
    document = _parse(text)
    assert (document.date, document.date_kind, document.date_text) == (date, date_kind, date_text)


@pytest.mark.parametrize(
    ("text", "title", "outlet", "first_sentence"),
    [
        pytest.param(
            "Oil prices rise on supply fears\n\nWASHINGTON (Reuters) - Oil prices rose on Monday. Analysts expect gains.\n\nMarkets closed higher.\n",
            "Oil prices rise on supply fears",
            "Reuters",
            "Oil prices rose on Monday.",
            id="agency-dateline-without-date",
        ),
        pytest.param(
            "Floods hit the valley\nLONDON, 12 May 2022 (AFP): Heavy rain flooded the valley. Roads closed.\nRescuers worked overnight.\n",
            "Floods hit the valley",
            "AFP",
            "Heavy rain flooded the valley.",
            id="dated-dateline-is-removed-from-the-sentence",
        ),
        pytest.param(
            "Storm season begins\nForecasters warned of an active season. Residents prepared.\nShops sold out.\nhttps://www.example.com/news/storm.html\n",
            "Storm season begins",
            "example.com",
            "Forecasters warned of an active season.",
            id="url-footer-names-the-site",
        ),
        pytest.param(
            "Forecasters warned of an unusually active hurricane season on the Atlantic coast this year, citing warm seas. "
            "Residents prepared.\n",
            "Forecasters warned of an unusually active hurricane season on the Atlantic coast this\u2026",
            None,
            "Forecasters warned of an unusually active hurricane season on the Atlantic coast this year, citing warm seas.",
            id="no-headline-title-from-first-sentence",
        ),
    ],
)
def test_title_and_outlet_rules(text, title, outlet, first_sentence):
    document = _parse(text)
    assert document.title == title
    assert document.outlet == outlet
    sentences = [sentence.text for sentence in split_document(document)]
    assert first_sentence in sentences
    assert not any(sentence.startswith(("WASHINGTON", "LONDON")) for sentence in sentences)


# ---------------------------------------------------------------- boilerplate

# An independent judge of boilerplate (not the cleaner's own rules): widget, embed,
# form and footer vocabulary, URLs, lines without letters and counters.
BOILERPLATE_MARKERS = [
    "share this",
    "share on",
    "click here to display content from",
    "privacy policy",
    "also read",
    "read more",
    "post a comment",
    "your name",
    "your email address",
    "posted by",
    "posted in",
    "spread the love",
    "verified by",
    "story code",
    "leave a reply",
    "cancel reply",
    "save my name",
    "powered by",
    "all rights reserved",
    "subscribe",
    "like loading",
]
BOILERPLATE_PATTERNS = [
    re.compile(r"\btranslate\b\s*(>>|\u00bb)?\s*$", re.IGNORECASE),
    re.compile(r"https?://|www\.", re.IGNORECASE),
    re.compile(r"^[^A-Za-z]*$"),
    re.compile(r"^\s*[\d.,]+\s*[kKmM]?\s*/?\s*$"),
    re.compile(r"^(facebook|twitter|whatsapp|telegram|linkedin|email|print|tweet|website)\W*$", re.IGNORECASE),
    re.compile(r"^\w+( \w+)?\s*\*$"),
    re.compile(r"^By [A-Z]\w+ [A-Z]\w+$"),
]


def boilerplate_reason(sentence: str) -> str | None:
    lowered = sentence.lower()
    for marker in BOILERPLATE_MARKERS:
        if marker in lowered:
            return marker
    for pattern in BOILERPLATE_PATTERNS:
        if pattern.search(sentence):
            return pattern.pattern
    return None


def _indexed_sentences(seed_index) -> list[tuple[str, str]]:
    return [(seed_index.sentence(row).doc_id, seed_index.sentence(row).text) for row in range(len(seed_index))]


def test_no_indexed_seed_sentence_is_boilerplate(seed_index):
    sentences = _indexed_sentences(seed_index)
    assert len(sentences) > 50
    offenders = [(doc, text, boilerplate_reason(text)) for doc, text in sentences if boilerplate_reason(text)]
    assert offenders == []


def test_the_judge_recognises_the_boilerplate_of_the_seed_files():
    # Guards the test above: the judge must flag the furniture that really is in the raw files.
    raw_lines = [line.strip() for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()]
    flagged = {line for line in raw_lines if line and boilerplate_reason(line)}
    assert len(flagged) >= 10
    for expected in ["Post a comment", "Your Name", "Spread the love", "Posted by"]:
        assert expected in flagged


@pytest.mark.parametrize(
    ("doc_prefix", "fragment"),
    [
        pytest.param("003", "Haniyeh, who is based in the Qatari capital of Doha", id="doha-sentence"),
        pytest.param("003", "had reached 9,488, including 3,900 children", id="casualty-figures"),
        pytest.param("001", "Haniyeh briefed Khamenei on the most recent events", id="after-widgets"),
        pytest.param("001", "This is a flawed calculation.", id="last-paragraph-before-footer"),
        pytest.param("001", "Iran\u2019s religious leadership has warned Israel", id="after-also-read"),
        pytest.param("004", "In a meeting on March 26, 2024", id="event-sentence"),
        pytest.param("000", "In a significant development", id="text-after-date-label"),
        pytest.param("003", "targeting US military forces in the region.", id="source-suffix-removed"),
    ],
)
def test_content_sentences_are_indexed(seed_index, doc_prefix, fragment):
    matches = [text for doc, text in _indexed_sentences(seed_index) if doc.startswith(doc_prefix) and fragment in text]
    assert len(matches) == 1
    assert "/Press" not in matches[0]
    assert not matches[0].startswith("date ")


SYNTHETIC_PAGE = """Share this:
Facebook
Twitter
WhatsApp
Share via Email
Print
Council votes to expand bus routes
By Jane Doe
12 comments
Subscribe to our newsletter
The city council voted on Tuesday to add six bus routes. The plan costs $4 million.
Click here to display content from YouTube.
Learn more in YouTube's privacy policy.
Advertisement
Also Read: Mayor unveils budget
Related Articles
Buses will run every ten minutes at peak hours. Riders welcomed the change.
Read more: Transit fares frozen
Leave a Reply
Cancel reply
Your email address will not be published. Required fields are marked *
Comment *
Name *
Email *
Website
Save my name, email, and website in this browser for the next time I comment.
Post Comment
Posted in Local News
Tags: transit, buses
\u00a9 2023 Example Media. All rights reserved.
Privacy Policy | Terms of Use | Contact
https://example.org/news/bus-routes
1.2K
|
* * *
12 /
Translate \u00bb
Verified by ExactMetrics
Powered by WordPress
Like this:
Like Loading...
"""


def test_a_boilerplate_laden_page_keeps_only_the_article():
    document = _parse(SYNTHETIC_PAGE)
    assert document.title == "Council votes to expand bus routes"
    assert [sentence.text for sentence in split_document(document)] == [
        "Council votes to expand bus routes",
        "The city council voted on Tuesday to add six bus routes.",
        "The plan costs $4 million.",
        "Buses will run every ten minutes at peak hours.",
        "Riders welcomed the change.",
    ]


def test_a_page_of_only_boilerplate_is_unusable():
    with pytest.raises(ValueError, match="no article text"):
        _parse("Share this:\nFacebook\nTwitter\nPost a comment\nYour Name\n700 /\n")


# ---------------------------------------------------------------- encodings and spans

ARTICLE = "Floods hit the valley\nLONDON, 12 May 2022 (AFP): Heavy rain flooded the valley. Roads closed.\n\n\u201cWe lost everything.\u201d Rescuers worked overnight.\n"


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8"), id="plain-utf8"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), id="bom"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda text: text.replace("\n", "\r").encode("utf-8"), id="cr-only"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), id="bom-and-crlf"),
    ],
)
def test_sentence_spans_point_into_the_decoded_original_file(tmp_path, encode):
    path = tmp_path / "article.txt"
    data = encode(ARTICLE)
    path.write_bytes(data)
    document = read_document(path, "article.txt")
    original = data.decode("utf-8-sig")
    bom = 1 if data.startswith(b"\xef\xbb\xbf") else 0
    sentences = split_document(document)
    assert [sentence.text for sentence in sentences] == [
        "Floods hit the valley",
        "Heavy rain flooded the valley.",
        "Roads closed.",
        "\u201cWe lost everything.\u201d",
        "Rescuers worked overnight.",
    ]
    for sentence in sentences:
        # Offsets count the decoded characters of the file (a BOM counts as one character).
        assert data.decode("utf-8")[sentence.start : sentence.end] == sentence.text
        assert original[sentence.start - bom : sentence.end - bom] == sentence.text
    assert document.date == "2022-05-12"
    assert [sentence.paragraph for sentence in sentences] == [0, 1, 1, 2, 2]
    assert [sentence.sentence_index for sentence in sentences] == [0, 1, 2, 3, 4]


def test_seed_sentence_spans_point_into_the_seed_files(seed_index):
    texts = {path.name: path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")}
    for row in range(len(seed_index)):
        sentence = seed_index.sentence(row)
        assert " ".join(texts[sentence.doc_id][sentence.start : sentence.end].split()) == sentence.text


def test_reading_never_modifies_the_files(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "crlf.txt").write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    before = {path.name: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) for path in folder.iterdir()}
    items = list(iter_corpus(folder))
    assert len(items) == 6
    after = {path.name: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) for path in folder.iterdir()}
    assert after == before


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"", "empty file", id="empty"),
        pytest.param(b"  \n\r\n\t\n", "empty file", id="only-whitespace"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", id="binary"),
    ],
)
def test_unusable_files_give_a_reason(data, reason):
    with pytest.raises(ValueError, match=reason):
        parse_document(data, "bad.txt")


@pytest.mark.parametrize(
    "line",
    [
        "Related talks are scheduled for Monday.",
        "Print media has declined sharply this year.",
        "Comments from the minister were brief.",
        "Accept the deal, he said.",
        "Share prices fell by 3 percent on Tuesday.",
        "Translated documents were sent to the court on Friday.",
        "Posted on a wall outside the ministry, the notice named nine officials.",
        "By Tuesday the talks had ended.",
        "Iran said 12 people died.",
    ],
)
def test_sentences_opening_with_widget_words_are_content(line):
    assert not is_boilerplate(line)
    document = _parse(f"Ministers meet\n{line} Officials confirmed it.\nMore follows.\n")
    assert line in [sentence.text for sentence in split_document(document)]


@pytest.mark.parametrize(
    "line",
    ["Print", "Translate >>", "Comments (12)", "Related Articles", "Sponsored content", "Share", "Loading...", "By Jane Doe", "Email *", "1.2K", "700 /", ", ,"],
)
def test_widget_lines_are_boilerplate(line):
    assert is_boilerplate(line)


MARKDOWN_ARTICLE = """# Council expands bus routes

*Published 3 May 2022* | By **Jane Doe**

The city council voted to add six routes, as [the mayor](https://example.org/mayor) promised. The plan costs $4 million.

## Reactions

- Riders welcomed the change.
- Drivers asked for **more pay**.

> "It is about time," one rider said.

* * *
"""


def test_markdown_layout_is_not_content():
    document = parse_document(MARKDOWN_ARTICLE.encode("utf-8"), "buses.md")
    assert document.title == "Council expands bus routes"
    assert (document.date, document.date_kind) == ("2022-05-03", "published")
    sentences = split_document(document)
    assert [sentence.text for sentence in sentences] == [
        "Council expands bus routes",
        "The city council voted to add six routes, as [the mayor](https://example.org/mayor) promised.",
        "The plan costs $4 million.",
        "Reactions",
        "Riders welcomed the change.",
        "Drivers asked for **more pay**.",
        '"It is about time," one rider said.',
    ]
    # Line markers are cut by moving the span; the text inside a sentence is the original's.
    for sentence in sentences:
        assert MARKDOWN_ARTICLE[sentence.start : sentence.end] == sentence.text


def test_non_blank_lines_between_two_lines_are_counted_from_prefix_counts():
    import random

    from qa.corpus import _non_blank_between, _non_blank_counts

    chooser = random.Random(3)
    spans = [(position, position + chooser.choice([0, 0, 5])) for position in range(0, 400, 10)]
    counts = _non_blank_counts(spans)
    for first in range(len(spans)):
        for last in range(first + 1, len(spans) + 1):
            assert _non_blank_between(counts, first, last) == sum(1 for start, end in spans[first + 1 : last] if end > start)


def test_line_spans_of_unix_text_are_those_of_any_line_ending():
    generator = random.Random(29)
    for _ in range(5000):
        text = "".join(generator.choice("ab \n\n\u2028\x0b") for _ in range(generator.randint(0, 14)))
        assert qa.corpus._lines(text) == list(qa.corpus._lines_any_ending(text))
        windows = text.replace("\n", "\r\n")
        assert [windows[start:end] for start, end in qa.corpus._lines(windows)] == text.split("\n")
