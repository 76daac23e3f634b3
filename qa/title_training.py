"""Fitting the headline scorer (qa.title_model) on the development half of a news-dev folder.

Each page gives one pair per wrong candidate: (headline - other) should score above zero.
A logistic regression without intercept on these differences ranks the candidates of a page
(a pairwise ranker), which suits a choice of one line among a page's lines better than a
yes/no model of each line. Only the dev half (qa.cleaning_eval.split_halves) is read;
the held-out half is for measuring. Leave-one-page-out accuracy on the dev half is
reported as the honest estimate, since the fitted weights have seen every dev page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qa.title_model import DEFAULT_TITLE_MODEL, FEATURES, TitleCandidate, TitleModel, title_candidates
from qa.weights_file import write_weights_file

# L2 strength of the ranker (scikit-learn's C): chosen by leave-one-page-out accuracy on the dev half.
REGULARISATION_C = 1.0


@dataclass(frozen=True)
class TitlePage:
    """One page's candidates and which of them is the headline (None when no candidate is)."""

    name: str
    candidates: list[TitleCandidate]
    headline: int | None


def read_pages(folder: Path, half: str = "dev") -> list[TitlePage]:
    """The candidates of every page of one half of a news-dev folder, with the headline marked by the truth."""
    from qa.cleaning import classify_lines
    from qa.cleaning_eval import _comparable, split_halves
    from qa.corpus import line_spans

    text_folder, truth_folder = folder / "text", folder / "truth"
    paths = [path for path in sorted(text_folder.glob("*.txt")) if (truth_folder / f"{path.stem}.json").exists()]
    halves = split_halves([path.stem for path in paths])
    pages = []
    for path in paths:
        if halves[path.stem] != half:
            continue
        truth = json.loads((truth_folder / f"{path.stem}.json").read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        lines = [text[start:end] for start, end in line_spans(text)]
        prose = [verdict.kind == "prose" for verdict in classify_lines(lines)]
        candidates = title_candidates(lines, prose)
        target = _comparable(truth.get("headline"))
        headline = next((index for index, candidate in enumerate(candidates) if _comparable(candidate.text) == target), None)
        pages.append(TitlePage(path.stem, candidates, headline))
    return pages


def fit(pages: list[TitlePage], c: float = REGULARISATION_C) -> TitleModel:
    """A pairwise logistic ranker over the pages' candidates."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    differences, labels = [], []
    for page in pages:
        if page.headline is None:
            continue
        headline = np.array(page.candidates[page.headline].features)
        for candidate in page.candidates:
            if not _same_text(candidate, page.candidates[page.headline]):  # the headline printed twice is no rival
                difference = headline - np.array(candidate.features)
                differences += [difference, -difference]
                labels += [1, 0]
    ranker = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    ranker.fit(np.array(differences), np.array(labels))
    return TitleModel(tuple(float(weight) for weight in ranker.coef_[0]))


def right(model: TitleModel, page: TitlePage) -> bool:
    if page.headline is None or not page.candidates:
        return False
    best = max(page.candidates, key=model.score)
    return _same_text(best, page.candidates[page.headline])


def _same_text(candidate: TitleCandidate, other: TitleCandidate) -> bool:
    """Whether two candidates say the same (a headline printed twice is right either way: the title is its text)."""
    return " ".join(candidate.text.casefold().split()) == " ".join(other.text.casefold().split())


def leave_one_out(pages: list[TitlePage], c: float = REGULARISATION_C) -> int:
    """How many pages get the right headline from a model fitted on the other pages."""
    return sum(right(fit(pages[:position] + pages[position + 1 :], c), page) for position, page in enumerate(pages))


def train_title_model(folder: Path, output: Path = DEFAULT_TITLE_MODEL) -> dict:
    """Fit on the dev half, write the weights file and return the figures (pages, candidates reached, accuracies)."""
    pages = read_pages(folder, "dev")
    model = fit(pages)
    figures = {
        "pages": len(pages),
        "headline_among_candidates": sum(page.headline is not None for page in pages),
        "right_on_fitted_pages": sum(right(model, page) for page in pages),
        "right_leave_one_page_out": leave_one_out(pages),
    }
    write_weights_file(
        output,
        {
            "about": "Headline scorer of saved web copies (qa.title_model), fitted by `python -m qa train-title` "
            "on the dev half of news-dev: a pairwise logistic ranker, one weight per feature.",
            "features": list(FEATURES),
            "weights": dict(zip(FEATURES, (round(weight, 6) for weight in model.weights), strict=True)),
            "regularisation_c": REGULARISATION_C,
            "figures": figures,
        },
    )
    return figures
