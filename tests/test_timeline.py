"""The timeline of the seeds: dated events in order, each with its sentence, document and outlet."""

import pytest

from qa.dates import ResolvedDate, resolve_dates
from qa.timeline import NO_OUTLET, TimelineEvent, precision_of, sentence_dates, timeline_events


@pytest.fixture(scope="module")
def events(seed_index) -> list[TimelineEvent]:
    return timeline_events(seed_index)


def test_events_are_in_date_order_and_carry_their_sentence(events, seed_index):
    assert events
    assert [event.day for event in events] == sorted(event.day for event in events)
    for event in events:
        assert event.sentence == seed_index.sentence(event.row).text
        assert event.doc == seed_index.sentence(event.row).doc_id
        assert event.title == seed_index.document(event.doc)["title"]
        assert event.outlet == (seed_index.document(event.doc)["outlet"] or NO_OUTLET)
        if event.kind == "mentioned":
            assert event.date_text in event.sentence


def test_the_march_2024_meeting_is_reported_by_the_office_of_the_supreme_leader(events):
    march = [event for event in events if event.kind == "mentioned" and event.iso == "2024-03-26"]
    assert [(event.doc, event.outlet, event.precision) for event in march] == [
        ("004_87a3ca3de848e26a.txt", "The Office of the Supreme Leader", "day")
    ]
    assert "meeting" in march[0].sentence


def test_every_dated_document_has_its_publication_date(events, seed_index):
    published = {event.doc: event.iso for event in events if event.kind == "published"}
    assert published == {document["doc_id"]: document["date"] for document in seed_index.documents if document["date"]}


def test_november_2023_is_reported_by_three_documents(events):
    november = {event.doc for event in events if event.iso.startswith("2023-11")}
    assert {"000_0e8cd08fd7a0e557.txt", "001_5260309de2f31b0e.txt", "003_ce45d80c013bad2b.txt"} <= november


def test_the_june_2023_meeting_is_resolved_from_late_june(events):
    june = [event for event in events if event.iso.startswith("2023-06")]
    assert [event.doc for event in june] == ["003_ce45d80c013bad2b.txt"]
    assert "late June" in june[0].sentence and june[0].precision == "month"


def test_without_publication_dates_only_mentions_remain(seed_index):
    assert {event.kind for event in timeline_events(seed_index, include_published=False)} == {"mentioned"}


@pytest.mark.parametrize(
    ("iso", "day", "label"),
    [
        ("2023-06", "2023-06-01", "June 2023"),
        ("2024-03-26", "2024-03-26", "26 March 2024"),
        ("2023", "2023-01-01", "2023"),
        ("2023-W44", "2023-10-30", "week of 30 October 2023"),
        ("1890s", "1890-01-01", "1890s"),
    ],
    ids=["month", "day", "year", "week", "decade"],
)
def test_event_day_and_label(iso, day, label):
    event = TimelineEvent(iso, "month", "x", "x", "d.txt", "T", NO_OUTLET, 0)
    assert (event.day.isoformat(), event.label) == (day, label)


@pytest.mark.parametrize(
    "text",
    [
        "They met in late June.",
        "He left a couple of days ago.",
        "She spoke on Tuesday.",
        "It happened yesterday.",
        "The talks ended last week.",
        "In recent days the talks resumed.",
        "The vote was held in March.",
        "It was built in 1998.",
        "Talks resumed this weekend.",
    ],
)
def test_the_quick_filter_never_hides_a_date(text):
    assert [found.iso for found in resolve_dates(text, "2023-11-05") if found.iso]
    assert sentence_dates(text, "2023-11-05")


def test_the_quick_filter_keeps_every_dated_seed_sentence(seed_index):
    for row in range(len(seed_index)):
        text, date = seed_index.sentence(row).text, seed_index.document_of(row)["date"]
        expected = [(found.iso, found.text, found.note) for found in resolve_dates(text, date) if found.iso]
        assert sentence_dates(text, date) == expected


@pytest.mark.parametrize(
    ("iso", "precision"),
    [("2023-11-05", "day"), ("2023-W44", "week"), ("2023-06", "month"), ("2023", "year"), ("1890s", "decade")],
)
def test_precision_of(iso, precision):
    assert precision_of(iso) == precision


def test_decades_are_kept_and_unknown_date_forms_are_left_out(monkeypatch):
    text = "The band formed in the 1890s and toured in June 1901."
    assert sentence_dates(text, "1901-07-01") == [("1890s", "the 1890s", None), ("1901-06", "June 1901", None)]

    import qa.timeline

    unknown = ResolvedDate(0, 4, "then", "sometime", None, True)
    monkeypatch.setattr(qa.timeline, "resolve_dates", lambda text, reference_date: [unknown])
    assert sentence_dates(text, "1901-07-01") == []
