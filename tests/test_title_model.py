"""The fitted headline scorer of saved web copies (made-up pages)."""

import json
from pathlib import Path

import pytest

from qa.cleaning import classify_lines
from qa.corpus import parse_document
from qa.title_model import (
    DEFAULT_TITLE_MODEL,
    FEATURES,
    TitleCandidate,
    TitleModel,
    TitleModelError,
    choose_title,
    load_title_model,
    title_candidates,
)

PROSE = (
    "Heavy rain flooded the valley on Monday, and the council closed the river road for the night.\n"
    "The river rose faster than anyone in the valley remembered, the council's engineer said on Tuesday.\n"
    "Rescuers from three towns worked all night, and the river road opened again on Wednesday morning.\n"
)


def page(header: str) -> str:
    return header + PROSE + "\nShare this story\nMore from the Valley Courier\nBakery wins a prize at the fair\n"


def test_the_shipped_weights_name_every_feature():
    data = json.loads(DEFAULT_TITLE_MODEL.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    assert len(load_title_model().weights) == len(FEATURES)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Home\nNews\nWeather\nRiver road closed as floods hit the valley\nBy Jane Roe\nNovember 18, 2019\n", id="navigation-above"),
        pytest.param("WEATHER\nRiver road closed as floods hit the valley\nRescuers worked through the night.\nJane Roe | November 18, 2019\n", id="section-label-and-standfirst"),
        pytest.param("Sign in\nSubscribe\nRiver road closed as floods hit the valley\n\nShare this: River road closed as floods hit the valley\n", id="headline-printed-again-in-a-share-widget"),
    ],
)
def test_the_headline_is_chosen_among_the_lines_above_the_prose(header):
    document = parse_document(page(header).encode("utf-8"), "a.txt")
    assert document.title == "River road closed as floods hit the valley"


def test_candidates_are_the_short_lines_above_the_first_prose():
    lines = page("Home\nRiver road closed as floods hit the valley\nBy Jane Roe\n").splitlines()
    prose = [verdict.kind == "prose" for verdict in classify_lines(lines)]
    candidates = title_candidates(lines, prose)
    assert [candidate.text for candidate in candidates][:3] == ["Home", "River road closed as floods hit the valley", "By Jane Roe"]
    assert all(len(candidate.features) == len(FEATURES) for candidate in candidates)
    assert all(candidate.line_number <= prose.index(True) for candidate in candidates)
    assert lines[choose_title(lines, prose)] == "River road closed as floods hit the valley"


def test_a_line_printed_again_inside_a_share_line_counts_and_one_printed_again_whole_does_not():
    header = (
        "River road closed as floods hit the valley\n"
        "Rescuers from three towns worked all night on the river road\n"
        "By Jane Roe\n"
        "Share this: River road closed as floods hit the valley\n"
        "Rescuers from three towns worked all night on the river road\n"
    )
    lines = page(header).splitlines()
    prose = [verdict.kind == "prose" for verdict in classify_lines(lines)]
    within = FEATURES.index("printed_again_within")
    by_text = {candidate.text: candidate.features[within] for candidate in title_candidates(lines, prose)}
    assert by_text["River road closed as floods hit the valley"] == 1.0
    assert by_text["Rescuers from three towns worked all night on the river road"] == 0.0


def test_a_headline_printed_twice_is_right_and_no_rival_of_itself_in_training():
    from qa.title_training import TitlePage, fit, right

    def candidate(number: int, text: str, features: tuple[float, ...]) -> TitleCandidate:
        return TitleCandidate(number, text, features + (0.0,) * (len(FEATURES) - len(features)))

    pages = [
        TitlePage(f"page-{number}", [candidate(0, "Home", (0.0, 1.0)), candidate(1, "Floods close the road", (1.0, 0.0)),
                                     candidate(5, "floods close  the road", (0.5, 0.0))], 1)
        for number in range(3)
    ]  # fmt: skip
    model = fit(pages)
    assert model.weights[0] > 0 > model.weights[1]
    assert right(TitleModel((0.0, 0.0) + (0.0,) * (len(FEATURES) - 2)), pages[0]) is False  # the first, "Home", on a tie
    assert right(TitleModel((-1.0, -2.0) + (0.0,) * (len(FEATURES) - 2)), pages[0])  # the second print of the headline


def test_a_weights_file_of_other_features_is_refused(tmp_path):
    path = tmp_path / "title_model.json"
    path.write_text(json.dumps({"features": ["words"], "weights": {"words": 1.0}}), encoding="utf-8")
    with pytest.raises(TitleModelError, match="other features"):
        load_title_model(path)


def _made_up_news_dev(folder: Path, pages: int) -> None:
    (folder / "text").mkdir(parents=True)
    (folder / "truth").mkdir()
    for number in range(pages):
        headline = f"Floods close road number {number} in the valley"
        text = f"Home\nWeather\n{headline}\nBy Jane Roe\nNovember {number % 28 + 1}, 2019\n" + PROSE.replace("river road", f"road number {number}")
        (folder / "text" / f"page-{number}.txt").write_text(text, encoding="utf-8")
        truth = {"headline": headline, "body": PROSE, "published": None, "outlet": None, "author": None}
        (folder / "truth" / f"page-{number}.json").write_text(json.dumps(truth), encoding="utf-8")


def test_train_title_fits_on_the_dev_half_and_writes_the_weights(tmp_path):
    from qa.cli import main

    _made_up_news_dev(tmp_path / "news-dev", 12)
    output = tmp_path / "title_model.json"
    assert main(["train-title", str(tmp_path / "news-dev"), "--out", str(output), "--json"]) == 0
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["figures"]["pages"] == 6  # the held-out half is not read
    assert data["figures"]["right_on_fitted_pages"] == 6
    assert load_title_model(output).weights != load_title_model().weights


def test_train_title_refuses_a_folder_without_truth(tmp_path, capsys):
    from qa.cli import main

    (tmp_path / "text").mkdir()
    assert main(["train-title", str(tmp_path), "--out", str(tmp_path / "w.json")]) != 0
    assert "not a news-dev folder" in capsys.readouterr().err
    assert not (tmp_path / "w.json").exists()


def test_a_missing_weights_file_is_a_clear_error_not_a_bad_document(tmp_path):
    with pytest.raises(TitleModelError, match="cannot read the title model") as error:
        load_title_model(tmp_path / "missing.json")
    assert not isinstance(error.value, ValueError)  # a ValueError while reading a document means "skip this document"
