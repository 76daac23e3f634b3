"""`python -m qa train`: fit the answer model's weights (qa.answer_model) from questions with known answers.

Data: SQuAD v1.1 and SQuAD 2.0 questions of the *fit* articles only (qa/data/squad_split.json;
the held-out articles are never seen here), and the development split of a canned-format
question file over a news corpus. Every question is asked through the normal pipeline up to
the candidates (qa.pipeline.gather, qa.answerer.measure), so the features are exactly those
seen at run time.

1. Candidate scorer: a logistic regression over every candidate's features, labelled right when
   its text scores token F1 ≥ 0.5 against a gold answer after SQuAD normalisation (a news
   candidate: when it matches one of the case's answer patterns). Each question weighs the same
   (its candidates share a weight of 1), so questions with many candidates do not dominate.
2. Calibration: a logistic regression over question-level features of the chosen answer,
   labelled right when the chosen answer is right (an unanswerable question's answer never is).
   Its inputs come from candidate scorers fitted without the question's own article
   (cross-validation folds by article), so it learns how sure the scorer is on unseen articles.
3. Threshold: the calibrated probability below which the reply declines, chosen to maximise the
   SQuAD 2.0 score of the fit questions that can be unanswerable (SQuAD 2.0 and news: a
   declined unanswerable question scores 1, an answered one 0; an answerable one scores its F1,
   0 when declined) among the thresholds that decline at most 20% of their answerable questions.

Deterministic: a fixed fold assignment (articles in file order, round robin) and scikit-learn's
lbfgs solver; scikit-learn is needed only here, never at run time.
"""

from __future__ import annotations

import json
import math
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from qa.answer_model import AnswerModel, LinearModel
from qa.answerer import Evidence, Measured, answer_key, calibrated_features, measure, rank_groups, rule_declines
from qa.errors import QAError
from qa.features import CANDIDATE_FEATURES, QUESTION_FEATURES
from qa.results import RetrievedSentence
from qa.squad import f1_score, load_squad

SPLIT_FILE = Path(__file__).resolve().parent / "data" / "squad_split.json"
FOLDS = 5
REGULARISATION = 1.0  # scikit-learn's C, on standardised features
RIGHT_F1 = 0.5  # a candidate whose token F1 with a gold answer reaches this is right
# The prior of the candidate weights: the hand-set answerer multiplied a candidate's score by a factor
# for each local cue (qa.features.cue_features), by its sentence's coverage to the power 1.5, by
# exp(1.3 × its rank gap), by its strength, names and closeness factors, by 1 + its description share;
# in a log-linear model those are about these weights. A cue the training data
# rarely shows (news patterns such as "based in X" are rare in encyclopedia text) keeps about its
# prior weight; a frequent one gets the weight the data says.
PRIOR_WEIGHTS = {
    "log_coverage": 1.5, "rank_gap": 1.3, "strength": 1.0, "proximity": 0.6, "names": 1.0, "retrieval": 0.25,
    "description": 0.7, "documents_agreeing": 0.25,
    "place_after_in_at_near": math.log(1.15), "place_after_from_to_of": math.log(1.05), "place_possessive": math.log(0.6),
    "place_based_cue": math.log(1.4), "place_based_other": math.log(0.7), "place_wrong_kind": math.log(0.6),
    "date_range_for_one_end": math.log(0.5), "date_range_side_asked": math.log(1.3), "date_since_not_asked": math.log(0.3),
    "date_since_asked": math.log(1.5), "date_imprecise_for_year": math.log(0.7),
    "number_counts_asked_noun": math.log(1.5), "number_asked_noun_before": math.log(1.1), "number_asked_noun_absent": math.log(0.5),
    "number_counts_question_word": math.log(1.4), "duration_for_start": math.log(0.5),
    "person_role_apposition": math.log(1.4), "person_subject_of_main_word": math.log(1.4),
    "quote_for_speech": math.log(1.5), "other_for_speech": math.log(0.5),
    "answer_noun_in_candidate": math.log(1.3), "answer_noun_not_in_candidate": math.log(0.8),
}  # fmt: skip
# Lower bounds of weights the fit data cannot estimate: independent sources giving one answer. SQuAD
# questions have one article each, and only the few news questions have several outlets, so the
# fitted weight is noise around zero; it is held at least at its prior (more sources never count
# against an answer, and they raise its confidence as the hand-set answerer's factor did).
MINIMUM_WEIGHTS = {"documents_agreeing": PRIOR_WEIGHTS["documents_agreeing"]}
# News questions are the app's own kind of text and few: each weighs as much as this many SQuAD questions
# when fitting the candidate scorer and the calibration.
SOURCE_WEIGHTS = {"news": 5.0}
ABSTAINING_SOURCES = ("squad2", "news", "elsewhere")  # the fit data with questions the corpus does not answer
ELSEWHERE_EVERY = 8  # every 8th fit SQuAD v1.1 question is also asked over the other fit articles (448 questions)
SAMPLE_SOURCES = ("squad1", "squad2", "news", "elsewhere")  # every kind of fit question, in the order figures are printed
MODELLED_TYPES = frozenset({"DATE", "NUMBER", "PERSON", "PLACE", "ORGANIZATION", "OTHER", "DESCRIPTION", "DURATION"})
# The threshold may decline at most this share of the answerable fit questions (the project's target):
# among those thresholds, the one with the best SQuAD 2.0 score.
MAX_ANSWERABLE_DECLINED = 0.2
THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(1, 20))


@dataclass
class Sample:
    """One question prepared for fitting: its candidates with features and labels."""

    source: str  # "squad1", "squad2", "news" or "elsewhere" (asked over a corpus without its article)
    article: str  # the fold unit: a SQuAD article, a news story's first document
    question: str
    answerable: bool
    golds: tuple[str, ...]  # SQuAD gold answers (scored by token F1) …
    patterns: tuple[str, ...]  # … or a news case's answer patterns (1 when one matches)
    measured: Measured
    labels: list[int]


def load_split(path: Path = SPLIT_FILE) -> dict[str, list[str]]:
    """The SQuAD article titles that may be fitted on ("fit") and those held out ("heldout")."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {"fit": list(data["fit"]), "heldout": list(data["heldout"])}


def _slim(measured: Measured) -> Measured:
    """The measured candidates without the sentence texts (fitting needs only the features)."""

    def slim_sentence(sentence: RetrievedSentence) -> RetrievedSentence:
        return replace(sentence, text="", context="", neighbours="", paragraph_text="", document_idf=None)

    sentences: dict[int, RetrievedSentence] = {}
    evidence = []
    for item in measured.evidence:
        if item.sentence.row not in sentences:
            sentences[item.sentence.row] = slim_sentence(item.sentence)
        evidence.append(Evidence(sentences[item.sentence.row], item.candidate, 0.0, item.rank, item.features))
    return replace(measured, sentences=[], evidence=evidence)


def judge(golds: Iterable[str], patterns: Iterable[str], text: str) -> float:
    """The score of an answer text: best token F1 with a gold answer, or 1 when it matches a pattern."""
    patterns = tuple(patterns)
    if patterns:
        return float(any(re.search(pattern, text, re.IGNORECASE) for pattern in patterns))
    return max((f1_score(text, gold) for gold in golds), default=0.0)


def _sample(source: str, article: str, text: str, answerable: bool, golds: tuple[str, ...], patterns: tuple[str, ...], index) -> Sample | None:
    from qa.pipeline import gather

    try:
        gathered = gather(text, index)
    except QAError:
        return None
    if gathered.question.answer_type not in MODELLED_TYPES or not gathered.sentences:
        return None
    measured = measure(gathered.question, gathered.sentences, gathered.idf, gathered.names, gathered.organizations)
    labels = [int(answerable and judge(golds, patterns, item.candidate.text) >= RIGHT_F1) for item in measured.evidence]
    # questions that may be unanswerable keep their sentences' texts: qa.answerability reads them
    kept = measured if source in ABSTAINING_SOURCES else _slim(measured)
    return Sample(source, article, text, answerable, golds, patterns, kept, labels)


def _progress(items: list, description: str, show: bool) -> Iterable:
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, unit="question", desc=description, file=sys.stderr)


def _asked_over(articles: list, chosen: list, source: str, show_progress_bar: bool, with_answers: bool = True) -> list[Sample]:
    """`chosen` SQuAD questions asked over an index of `articles`; without answers when the index cannot
    hold them (their own articles are not in it)."""
    from qa.index import SentenceIndex, build_index
    from qa.squad import write_corpus

    samples = []
    with tempfile.TemporaryDirectory(prefix="qa-train-") as folder:
        write_corpus(articles, Path(folder) / "corpus")
        build_index(Path(folder) / "corpus", Path(folder) / "index")
        index = SentenceIndex.load(Path(folder) / "index")
        for item in _progress(chosen, f"{source} questions", show_progress_bar):
            golds = item.answers if with_answers else ()
            sample = _sample(source, item.article, item.question, bool(golds), golds, (), index)
            if sample:
                samples.append(sample)
        del index
    return samples


def squad_samples(path: Path, source: str, titles: set[str], every: int = 1, show_progress_bar: bool = False) -> list[Sample]:
    """The questions of a SQuAD file's `titles` articles, asked over an index of all its articles."""
    articles, questions = load_squad(path)
    chosen = [item for item in questions if item.article in titles][::every]
    return _asked_over(articles, chosen, source, show_progress_bar)


def elsewhere_samples(path: Path, titles: set[str], every: int = ELSEWHERE_EVERY, show_progress_bar: bool = False) -> list[Sample]:
    """SQuAD questions asked over an index of the other fit articles only: unanswerable by construction.
    They stand for a question users ask and SQuAD 2.0 lacks, one about a topic the corpus does not
    cover; SQuAD 2.0's unanswerable questions are written against their own
    paragraph, so without these the models never see a question whose words the corpus lacks."""
    articles, questions = load_squad(path)
    ordered = sorted(titles)
    halves = (set(ordered[0::2]), set(ordered[1::2]))
    samples = []
    for asked, indexed in (halves, halves[::-1]):
        chosen = [item for item in questions if item.article in asked][::every]
        samples += _asked_over([article for article in articles if article.title in indexed], chosen, "elsewhere", show_progress_bar, with_answers=False)
    return samples


def news_samples(path: Path, corpus: Path, split: str = "dev", show_progress_bar: bool = False) -> list[Sample]:
    """The `split` questions of a canned-format file over a news corpus folder."""
    from qa.evaluate import load_cases
    from qa.index import SentenceIndex, build_index

    cases = [case for case in load_cases(path) if case.get("split") == split and not case.get("after")]
    samples = []
    with tempfile.TemporaryDirectory(prefix="qa-train-") as folder:
        build_index(corpus, Path(folder) / "index")
        index = SentenceIndex.load(Path(folder) / "index")
        for case in _progress(cases, "news questions", show_progress_bar):
            answerable = not case.get("decline")
            story = (case.get("docs") or [case.get("id", case["question"])])[0]
            sample = _sample("news", f"news:{story}", case["question"], answerable, (), tuple(case.get("answers", [])), index)
            if sample:
                samples.append(sample)
        del index
    return samples


# ---------------------------------------------------------------- fitting


def _folds(samples: list[Sample]) -> list[int]:
    """Each sample's fold: articles in order of first appearance, round robin."""
    order: dict[str, int] = {}
    for sample in samples:
        order.setdefault(sample.article, len(order))
    return [order[sample.article] % FOLDS for sample in samples]


def _fit_logistic(rows: list[list[float]], labels: list[int], weights: list[float], names: tuple[str, ...]) -> LinearModel:
    """A logistic regression on standardised features, returned in the features' own units."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    matrix = np.asarray(rows, dtype=float)
    target = np.asarray(labels, dtype=int)
    means, scales = _scaling(matrix)
    if len(set(labels)) < 2:  # nothing to separate: a constant model at the observed rate
        rate = min(max(target.mean(), 1e-3), 1 - 1e-3)
        return LinearModel(names, tuple(0.0 for _ in names), math.log(rate / (1 - rate)))
    fitted = LogisticRegression(C=REGULARISATION, solver="lbfgs", max_iter=2000)
    fitted.fit((matrix - means) / scales, target, sample_weight=np.asarray(weights, dtype=float))
    raw = fitted.coef_[0] / scales
    intercept = float(fitted.intercept_[0] - (raw * means).sum())
    return LinearModel(names, tuple(float(value) for value in raw), intercept)


def candidate_rows(sample: Sample) -> list[list[float]]:
    """The feature rows of a question's candidates, each with its answer's agreement features."""
    groups: dict[str, list[Evidence]] = {}
    for item in sample.measured.evidence:
        groups.setdefault(answer_key(sample.measured.question, item.candidate), []).append(item)
    agreement = {key: _agreement(items) for key, items in groups.items()}
    rows = []
    for item in sample.measured.evidence:
        values = item.features | agreement[answer_key(sample.measured.question, item.candidate)]
        rows.append([values.get(name, 0.0) for name in CANDIDATE_FEATURES])
    return rows


def fit_candidates(samples: list[Sample]) -> LinearModel:
    """A softmax over each question's candidates (a conditional logit): the weights that give the right
    candidates of a question the largest share of its probability. Questions without a right
    candidate, or without a wrong one, teach nothing about ranking and are left out. The weights
    are pulled towards PRIOR_WEIGHTS (a Gaussian prior): the data moves a rule's weight only as far
    as it has evidence about it."""
    import numpy as np
    from scipy.optimize import minimize

    blocks, masks, question_weights = [], [], []
    for sample in samples:
        if not sample.labels or all(sample.labels) or not any(sample.labels):
            continue
        blocks.append(np.asarray(candidate_rows(sample), dtype=float))
        masks.append(np.asarray(sample.labels, dtype=bool))
        question_weights.append(SOURCE_WEIGHTS.get(sample.source, 1.0))
    if not blocks:
        return LinearModel(CANDIDATE_FEATURES, tuple(0.0 for _ in CANDIDATE_FEATURES), 0.0)
    matrix = np.vstack(blocks)
    right = np.concatenate(masks)
    starts = np.cumsum([0] + [len(block) for block in blocks[:-1]])
    weights = np.asarray(question_weights)
    means, scales = _scaling(matrix)
    scaled = (matrix - means) / scales
    prior = np.asarray([PRIOR_WEIGHTS.get(name, 0.0) * scale for name, scale in zip(CANDIDATE_FEATURES, scales)])

    def segment_logsumexp(values: np.ndarray) -> np.ndarray:
        peaks = np.maximum.reduceat(values, starts)
        expanded = np.repeat(peaks, np.diff(np.append(starts, len(values))))
        return peaks + np.log(np.add.reduceat(np.exp(values - expanded), starts))

    lengths = np.diff(np.append(starts, len(matrix)))

    def objective(beta: np.ndarray) -> tuple[float, np.ndarray]:
        scores = scaled @ beta
        everything = segment_logsumexp(scores)
        rights = segment_logsumexp(np.where(right, scores, -np.inf))
        loss = REGULARISATION * float(weights @ (everything - rights)) + 0.5 * float((beta - prior) @ (beta - prior))
        share = np.exp(scores - np.repeat(everything, lengths))
        right_share = np.where(right, np.exp(scores - np.repeat(rights, lengths)), 0.0)
        gradient = REGULARISATION * scaled.T @ ((share - right_share) * np.repeat(weights, lengths)) + beta - prior
        return loss, gradient

    bounds = [(MINIMUM_WEIGHTS[name] * scale, None) if name in MINIMUM_WEIGHTS else (None, None) for name, scale in zip(CANDIDATE_FEATURES, scales)]
    result = minimize(objective, prior.copy(), jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 2000})
    raw = result.x / scales
    return LinearModel(CANDIDATE_FEATURES, tuple(float(value) for value in raw), 0.0)


def _scaling(matrix):
    """Column means and scales for fitting: features between 0 and 1 keep their units (a rare cue is
    then not blown up by a tiny spread), others are divided by their standard deviation."""

    means = matrix.mean(axis=0)
    scales = matrix.std(axis=0)
    bounded = (matrix.min(axis=0) >= 0) & (matrix.max(axis=0) <= 1)
    scales[bounded | (scales == 0)] = 1.0
    return means, scales


def _agreement(items: list[Evidence]) -> dict[str, float]:
    from qa.answerer import agreement_features

    return agreement_features(items)


@dataclass(frozen=True)
class Outcome:
    """What the model does on one question: the chosen answer's calibration features and score."""

    features: dict[str, float]
    right: bool
    f1: float  # the chosen answer's score (0 for an unanswerable question)
    rule_declined: bool
    source: str = ""


def outcome(sample: Sample, candidate: LinearModel) -> Outcome:
    model = AnswerModel(candidate, LinearModel(QUESTION_FEATURES, tuple(0.0 for _ in QUESTION_FEATURES), 0.0), 0.0, {})
    groups = rank_groups(sample.measured, model)
    features = calibrated_features(sample.measured, groups)
    score = judge(sample.golds, sample.patterns, groups[0].label) if groups and sample.answerable else 0.0
    return Outcome(features, score >= RIGHT_F1, score, not groups or rule_declines(sample.measured, groups), sample.source)


def fit_calibration(outcomes: list[Outcome]) -> LinearModel:
    rows = [[item.features.get(name, 0.0) for name in QUESTION_FEATURES] for item in outcomes]
    weights = [SOURCE_WEIGHTS.get(item.source, 1.0) for item in outcomes]
    return _fit_logistic(rows, [int(item.right) for item in outcomes], weights, QUESTION_FEATURES)


def decision_score(sample: Sample, result: Outcome, probability: float, threshold: float) -> tuple[bool, float]:
    """Whether the reply declines at `threshold`, and its SQuAD 2.0 score (a declined unanswerable question scores 1)."""
    declined = result.rule_declined or probability < threshold
    if not sample.answerable:
        return declined, float(declined)
    return declined, 0.0 if declined else result.f1


def trade_off(samples: list[Sample], outcomes: list[Outcome], probabilities: list[float], thresholds: Iterable[float] = THRESHOLDS) -> list[dict]:
    """Per threshold: share of unanswerable questions declined, of answerable ones declined, the F1 of the
    answerable ones and the SQuAD 2.0 score (declining an unanswerable question scores 1)."""
    table = []
    for threshold in thresholds:
        unanswerable = [decision_score(s, o, p, threshold) for s, o, p in zip(samples, outcomes, probabilities) if not s.answerable]
        answerable = [decision_score(s, o, p, threshold) for s, o, p in zip(samples, outcomes, probabilities) if s.answerable]
        both = unanswerable + answerable
        table.append({
            "threshold": threshold,
            "unanswerable_declined": round(sum(d for d, _ in unanswerable) / max(1, len(unanswerable)), 4),
            "answerable_declined": round(sum(d for d, _ in answerable) / max(1, len(answerable)), 4),
            "answerable_f1": round(100 * sum(s for _, s in answerable) / max(1, len(answerable)), 2),
            "squad2_score": round(100 * sum(s for _, s in both) / max(1, len(both)), 2),
        })  # fmt: skip
    return table


def calibration_bins(outcomes: Sequence, probabilities: Sequence[float], bins: int = 10) -> list[dict]:
    """Predicted against observed correctness (each outcome's `.right`), by bins of the predicted probability."""
    table = []
    for number in range(bins):
        low, high = number / bins, (number + 1) / bins
        inside = [(p, o.right) for p, o in zip(probabilities, outcomes) if low <= p < high or (number == bins - 1 and p == 1.0)]
        if inside:
            table.append({
                "bin": f"{low:.1f}-{high:.1f}", "questions": len(inside),
                "predicted": round(sum(p for p, _ in inside) / len(inside), 3),
                "observed": round(sum(right for _, right in inside) / len(inside), 3),
            })  # fmt: skip
    return table


def train(samples: list[Sample], description: dict, show_progress: Callable[[str], None] = lambda message: None) -> tuple[AnswerModel, dict]:
    """Fit the candidate scorer, the calibration and the threshold; also the cross-validated figures."""
    if not samples:
        raise QAError("no training questions")
    folds = _folds(samples)
    fold_count = len(set(folds))
    # candidate scorers fitted without each fold's articles: out-of-fold outcomes for the calibration
    outcomes: list[Outcome | None] = [None] * len(samples)
    for fold in sorted(set(folds)):
        show_progress(f"fold {fold + 1} of {fold_count}")
        inside = [sample for sample, other in zip(samples, folds) if other != fold] or samples
        scorer = fit_candidates(inside)
        for position, (sample, other) in enumerate(zip(samples, folds)):
            if other == fold:
                outcomes[position] = outcome(sample, scorer)
    fold_outcomes: list[Outcome] = [item for item in outcomes if item is not None]
    # cross-validated calibration: each fold's probabilities from a calibration fitted on the others
    probabilities = [0.0] * len(samples)
    for fold in sorted(set(folds)):
        calibration = fit_calibration([item for item, other in zip(fold_outcomes, folds) if other != fold] or fold_outcomes)
        for position, other in enumerate(folds):
            if other == fold:
                probabilities[position] = calibration.probability(fold_outcomes[position].features)
    abstaining = [position for position, sample in enumerate(samples) if sample.source in ABSTAINING_SOURCES]
    if not abstaining:
        abstaining = list(range(len(samples)))
    table = trade_off([samples[i] for i in abstaining], [fold_outcomes[i] for i in abstaining], [probabilities[i] for i in abstaining])
    allowed = [row for row in table if row["answerable_declined"] <= MAX_ANSWERABLE_DECLINED] or table[:1]
    best = max(allowed, key=lambda row: (row["squad2_score"], -row["threshold"]))
    threshold = best["threshold"]
    show_progress("final fit")
    candidate = fit_candidates(samples)
    calibration = fit_calibration(fold_outcomes)
    figures = {
        "questions": len(samples),
        "by_source": {source: sum(sample.source == source for sample in samples) for source in SAMPLE_SOURCES},
        "candidates": sum(len(sample.measured.evidence) for sample in samples),
        "folds": fold_count,
        "cross_validated": _summary(samples, fold_outcomes, probabilities, threshold),
        "trade_off": table,
        "calibration": calibration_bins(fold_outcomes, probabilities),
    }
    model = AnswerModel(candidate, calibration, threshold, {**description, "threshold_choice": f"the threshold with the best cross-validated SQuAD 2.0 score on the fit SQuAD 2.0 and news questions among those declining at most {MAX_ANSWERABLE_DECLINED:.0%} of their answerable questions", "cross_validated": figures["cross_validated"]})
    return model, figures


def _summary(samples: list[Sample], outcomes: list[Outcome], probabilities: list[float], threshold: float) -> dict:
    summary = {}
    for source in SAMPLE_SOURCES:
        chosen = [(s, o, p) for s, o, p in zip(samples, outcomes, probabilities) if s.source == source]
        if not chosen:
            continue
        row = trade_off([c[0] for c in chosen], [c[1] for c in chosen], [c[2] for c in chosen], [threshold])[0]
        row["top_answer_right"] = round(sum(o.right for s, o, _p in chosen if s.answerable) / max(1, sum(s.answerable for s, _o, _p in chosen)), 4)
        summary[source] = {"questions": len(chosen), **row}
    return summary
