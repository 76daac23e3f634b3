"""Fit the answerability model (qa.answerability): part of `python -m qa train`.

Data: the fit questions that may be unanswerable (SQuAD 2.0 fit articles and the news dev
questions, `qa.training.Sample` with source "squad2" or "news"). Each question's chosen answer
comes from a candidate scorer fitted without the question's own article (the same folds by
article as qa.training), so the model learns how often the scorer is right on unseen articles.
The label is whether the chosen answer is right (token F1 ≥ 0.5 with a gold answer, or a news
answer pattern); an unanswerable question's answer never is. The probability is therefore the
reply's confidence: the chance that the answer it gives is right.

The fitted weights are then shrunk by Platt scaling of the cross-validated logits (`recalibrate`):
a model fitted on a few articles is over-confident on others, and the reply's confidence should be
the share of answers right on articles nobody fitted on.

Two thresholds are chosen on cross-validated probabilities of the same questions, by the same rule
on two kinds of text: the one declining the most unanswerable questions among those declining at
most `MAX_ANSWERABLE_DECLINED` of the answerable ones. The app's (`threshold`) on the news questions,
the SQuAD evaluation's (`encyclopedia_threshold`) on the SQuAD 2.0 and asked-elsewhere questions:
the probability separates answers from unanswerable questions differently on the two, so the same
share of answerable questions declined falls at different thresholds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.answer_model import AnswerModel, LinearModel, sigmoid
from qa.answerability import ANSWERABILITY_FEATURES, Answerability, answerability_features
from qa.features import QUESTION_FEATURES
from qa.training import ABSTAINING_SOURCES, RIGHT_F1, SOURCE_WEIGHTS, Sample, _fit_logistic, _folds, calibration_bins, fit_candidates, judge

MAX_ANSWERABLE_DECLINED = 0.2  # the project's SQuAD 2.0 target: at most this share of answerable questions declined
NEWS_SOURCE = "news"  # the fit questions of the app's own kind of text, which choose its threshold
THRESHOLDS = tuple(round(0.02 * step, 2) for step in range(1, 50))
TABLE_THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(1, 14))  # the rows printed


@dataclass(frozen=True)
class Judged:
    """One fit question: its answerability features, whether the chosen answer is right, its score."""

    source: str
    article: str
    answerable: bool
    features: dict[str, float]
    right: bool
    f1: float  # the chosen answer's token F1 (0 for an unanswerable question or no answer)
    rule_declined: bool  # the answerer's general rules decline it whatever the model says
    question: str = ""
    answer: str = ""  # the chosen answer ("" when there is none)


def judge_sample(sample: Sample, candidate: LinearModel) -> Judged:
    """The answerability features and the outcome of a question under a candidate scorer."""
    from qa.answerer import rank_groups, rule_declines

    model = AnswerModel(candidate, LinearModel(QUESTION_FEATURES, tuple(0.0 for _ in QUESTION_FEATURES), 0.0), 0.0, {})
    groups = rank_groups(sample.measured, model)
    features = answerability_features(sample.measured, groups)
    f1 = judge(sample.golds, sample.patterns, groups[0].label) if groups and sample.answerable else 0.0
    declined = not groups or rule_declines(sample.measured, groups)
    answer = groups[0].label if groups else ""
    return Judged(sample.source, sample.article, sample.answerable, features, f1 >= RIGHT_F1, f1, declined, sample.question, answer)


def out_of_fold(samples: Sequence[Sample], show_progress: Callable[[str], None] = lambda message: None) -> list[Judged]:
    """Every SQuAD 2.0 and news question judged by a candidate scorer fitted without its fold's articles."""
    folds = _folds(list(samples))
    judged: list[Judged] = []
    for fold in sorted(set(folds)):
        chosen = [sample for sample, other in zip(samples, folds) if other == fold and sample.source in ABSTAINING_SOURCES]
        if not chosen:
            continue
        show_progress(f"answerability fold {fold + 1} of {len(set(folds))}")
        scorer = fit_candidates([sample for sample, other in zip(samples, folds) if other != fold] or list(samples))
        judged.extend(judge_sample(sample, scorer) for sample in chosen)
    return judged


def fit_model(judged: Sequence[Judged]) -> LinearModel:
    rows = [[item.features.get(name, 0.0) for name in ANSWERABILITY_FEATURES] for item in judged]
    weights = [SOURCE_WEIGHTS.get(item.source, 1.0) for item in judged]
    return _fit_logistic(rows, [int(item.right) for item in judged], weights, ANSWERABILITY_FEATURES)


def cross_validated_logits(judged: Sequence[Judged]) -> list[float]:
    """Each question's logit from a model fitted without its fold's articles."""
    folds = _folds(judged)  # type: ignore[arg-type]  # only .article is read
    logits = [0.0] * len(judged)
    for fold in sorted(set(folds)):
        model = fit_model([item for item, other in zip(judged, folds) if other != fold] or list(judged))
        for position, other in enumerate(folds):
            if other == fold:
                logits[position] = model.logit(judged[position].features)
    return logits


def recalibrate(judged: Sequence[Judged], logits: Sequence[float]) -> tuple[float, float]:
    """Platt scaling of cross-validated logits: (intercept, slope) such that sigmoid(intercept +
    slope × logit) matches how often answers on unseen articles are right. A model fitted on a
    few articles is over-confident on others (slope below 1); its weights are shrunk by the slope."""
    model = _fit_logistic(
        [[logit] for logit in logits],
        [int(item.right) for item in judged],
        [1.0] * len(judged),  # unweighted: the confidence should match the share right over questions as they come
        ("logit",),
    )
    return model.intercept, model.weights[0]


def scaled(model: LinearModel, intercept: float, slope: float) -> LinearModel:
    """The model whose logit is intercept + slope × the model's logit (still a linear model)."""
    return LinearModel(model.features, tuple(slope * weight for weight in model.weights), intercept + slope * model.intercept)


def cross_validated(judged: Sequence[Judged]) -> list[float]:
    """Each question's recalibrated probability on unseen articles: Platt scaling fitted on the other
    folds' cross-validated logits, applied to its own."""
    logits = cross_validated_logits(judged)
    folds = _folds(judged)  # type: ignore[arg-type]
    probabilities = [0.0] * len(judged)
    for fold in sorted(set(folds)):
        others = [position for position, other in enumerate(folds) if other != fold]
        intercept, slope = recalibrate([judged[i] for i in others], [logits[i] for i in others])
        for position, other in enumerate(folds):
            if other == fold:
                probabilities[position] = sigmoid(intercept + slope * logits[position])
    return probabilities


def trade_off(judged: Sequence[Judged], probabilities: Sequence[float], thresholds: Sequence[float] = TABLE_THRESHOLDS) -> list[dict]:
    """Per threshold: share of unanswerable questions declined, of answerable ones declined, and the F1
    of the answerable ones (a declined one scores 0)."""
    answerable = [(item, p) for item, p in zip(judged, probabilities) if item.answerable]
    unanswerable = [(item, p) for item, p in zip(judged, probabilities) if not item.answerable]
    table = []
    for threshold in thresholds:

        def declined(item: Judged, p: float, threshold: float = threshold) -> bool:
            return item.rule_declined or p < threshold

        table.append({
            "threshold": threshold,
            "unanswerable_declined": round(sum(declined(i, p) for i, p in unanswerable) / max(1, len(unanswerable)), 4),
            "answerable_declined": round(sum(declined(i, p) for i, p in answerable) / max(1, len(answerable)), 4),
            "answerable_f1": round(100 * sum(0.0 if declined(i, p) else i.f1 for i, p in answerable) / max(1, len(answerable)), 2),
        })  # fmt: skip
    return table


def choose_threshold(judged: Sequence[Judged], probabilities: Sequence[float]) -> float:
    """The threshold declining the most unanswerable questions while declining at most
    MAX_ANSWERABLE_DECLINED of the answerable ones (the lowest threshold when none does)."""
    table = trade_off(judged, probabilities, THRESHOLDS)
    allowed = [row for row in table if row["answerable_declined"] <= MAX_ANSWERABLE_DECLINED] or table[:1]
    return max(allowed, key=lambda row: (row["unanswerable_declined"], -row["threshold"]))["threshold"]


def choose_thresholds(judged: Sequence[Judged], probabilities: Sequence[float]) -> tuple[float, float]:
    """The app's threshold, chosen on the news questions, and the encyclopedia threshold, chosen on the
    others (SQuAD 2.0, asked elsewhere); either kind stands in for the other when it has no questions."""
    news = [(item, p) for item, p in zip(judged, probabilities) if item.source == NEWS_SOURCE]
    others = [(item, p) for item, p in zip(judged, probabilities) if item.source != NEWS_SOURCE] or news
    encyclopedia = choose_threshold([item for item, _ in others], [p for _, p in others])
    return (choose_threshold([item for item, _ in news], [p for _, p in news]) if news else encyclopedia), encyclopedia


def train_answerability(
    samples: Sequence[Sample] | Sequence[Judged], description: dict, show_progress: Callable[[str], None] = lambda message: None
) -> tuple[Answerability, dict]:
    """Fit the answerability model and its threshold; also the cross-validated trade-off and calibration tables.
    `samples` are qa.training samples (judged here by out-of-fold candidate scorers), or questions already judged."""
    from qa.errors import QAError

    judged = list(samples) if samples and isinstance(samples[0], Judged) else out_of_fold(samples, show_progress)
    if not judged:
        raise QAError("no SQuAD 2.0 or news questions to fit the answerability model on")
    probabilities = cross_validated(judged)
    threshold, encyclopedia_threshold = choose_thresholds(judged, probabilities)
    news = [(item, p) for item, p in zip(judged, probabilities) if item.source == NEWS_SOURCE]
    by_source = {}
    for source in ABSTAINING_SOURCES:
        chosen = [(item, p) for item, p in zip(judged, probabilities) if item.source == source]
        if chosen:
            row = trade_off([item for item, _ in chosen], [p for _, p in chosen], [threshold if source == NEWS_SOURCE else encyclopedia_threshold])[0]
            by_source[source] = {"questions": len(chosen), **row}
    figures = {
        "questions": len(judged),
        "threshold": threshold,
        "encyclopedia_threshold": encyclopedia_threshold,
        "cross_validated": by_source,
        "trade_off": trade_off(judged, probabilities),
        "news_trade_off": trade_off([item for item, _ in news], [p for _, p in news]) if news else [],
        "calibration": calibration_bins(judged, probabilities),
    }
    training = {
        **description,
        "label": "the chosen answer (from a candidate scorer fitted without the question's article) is right: token F1 >= 0.5 with a gold answer, or a news answer pattern; never for an unanswerable question",
        "threshold_choice": f"threshold (the app's): the threshold declining the most cross-validated unanswerable news fit questions among those declining at most {MAX_ANSWERABLE_DECLINED:.0%} of the answerable ones",
        "encyclopedia_threshold_choice": f"encyclopedia_threshold (the SQuAD evaluation's): the threshold declining the most cross-validated unanswerable SQuAD 2.0 and asked-elsewhere fit questions among those declining at most {MAX_ANSWERABLE_DECLINED:.0%} of the answerable ones",
        "cross_validated": by_source,
    }
    intercept, slope = recalibrate(judged, cross_validated_logits(judged))
    training["recalibration"] = {"intercept": round(intercept, 4), "slope": round(slope, 4)}
    return Answerability(scaled(fit_model(judged), intercept, slope), threshold, encyclopedia_threshold, training), figures


def format_figures(figures: dict) -> list[str]:
    """The trade-off and calibration tables as text lines (printed by `python -m qa train`)."""
    lines = [
        f"answerability: {figures['questions']} SQuAD 2.0, news and asked-elsewhere fit questions, "
        f"threshold {figures['threshold']} (news: the app's), encyclopedia threshold {figures['encyclopedia_threshold']} (SQuAD 2.0 and asked elsewhere)"
    ]
    for source, row in figures["cross_validated"].items():
        lines.append(f"  {source:<7} {row['questions']:>5} questions  unanswerable declined {row['unanswerable_declined']:.3f}  "
                     f"answerable declined {row['answerable_declined']:.3f}  answerable F1 {row['answerable_f1']:.1f}")  # fmt: skip
    lines.append("answerability trade-off (cross-validated, SQuAD 2.0, news and asked-elsewhere fit questions):")
    lines.append("  threshold  unanswerable declined  answerable declined  answerable F1")
    for row in figures["trade_off"]:
        lines.append(
            f"  {row['threshold']:>9.2f}  {row['unanswerable_declined']:>21.3f}  {row['answerable_declined']:>19.3f}  {row['answerable_f1']:>13.1f}"
        )
    if figures["news_trade_off"]:
        lines.append("news trade-off (cross-validated, news fit questions, which choose the app's threshold):")
        lines.append("  threshold  unanswerable declined  answerable declined  answerable F1")
        for row in figures["news_trade_off"]:
            lines.append(f"  {row['threshold']:>9.2f}  {row['unanswerable_declined']:>21.3f}  {row['answerable_declined']:>19.3f}  {row['answerable_f1']:>13.1f}")
    lines.append("answerability calibration (cross-validated; observed = share of chosen answers right):")
    for row in figures["calibration"]:
        lines.append(f"  {row['bin']}  {row['questions']:>5} questions  predicted {row['predicted']:.3f}  observed {row['observed']:.3f}")
    return lines
