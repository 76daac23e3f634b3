"""The answer model: fitted linear weights that pick the answer and say how likely it is right.

Two small logistic regressions, read from a JSON file written by `python -m qa train`
(`qa.training`):

- the candidate scorer weighs each candidate's features (`qa.features.CANDIDATE_FEATURES`);
  the candidate with the highest score (logit) is the answer;
- the calibration weighs question-level features (`qa.features.QUESTION_FEATURES`: the
  winner's score, its margin over the runner-up, how well the articles cover the question …)
  into the probability that the chosen answer is right. That probability is the reply's
  confidence, and below the file's threshold the reply declines.

Inference is a dot product: no fitting library is needed at run time. The weights are in
the features' own units, so `weight × value` is each feature's contribution to a score.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

from qa.features import CANDIDATE_FEATURES, QUESTION_FEATURES
from qa.weights_file import ModelFileError, read_weights_file, write_weights_file

DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "answer_model.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression in its features' own units: logit = intercept + Σ weight × value."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float

    @functools.cached_property
    def _weight_by_name(self) -> dict[str, float]:
        return dict(zip(self.features, self.weights))

    def logit(self, values: dict[str, float]) -> float:
        # over the candidate's own (sparse) values: most of the syntax features are absent for any one candidate
        weights = self._weight_by_name
        return self.intercept + sum(weights[name] * value for name, value in values.items() if name in weights)

    def weight_of(self, name: str) -> float:
        return self.weights[self.features.index(name)] if name in self.features else 0.0

    def probability(self, values: dict[str, float]) -> float:
        return sigmoid(self.logit(values))

    def contributions(self, values: dict[str, float]) -> list[tuple[str, float]]:
        """Each feature's weight × value, largest in size first (zeros left out)."""
        parts = [(name, weight * values.get(name, 0.0)) for name, weight in zip(self.features, self.weights)]
        return sorted((part for part in parts if part[1] != 0.0), key=lambda part: -abs(part[1]))

    def to_json(self) -> dict:
        return {"intercept": round(self.intercept, 6), "weights": {name: round(weight, 6) for name, weight in zip(self.features, self.weights)}}

    @classmethod
    def from_json(cls, data: dict, expected: tuple[str, ...], what: str) -> LinearModel:
        weights = data["weights"]
        if tuple(weights) != expected:
            missing = sorted(set(expected) - set(weights))
            unknown = sorted(set(weights) - set(expected))
            raise ModelFileError(f"the {what} weights do not match the features (missing {missing}, unknown {unknown}); run `python -m qa train`")
        return cls(expected, tuple(float(weights[name]) for name in expected), float(data["intercept"]))


@dataclass(frozen=True)
class AnswerModel:
    """The candidate scorer, the calibration, the decline threshold and how they were fitted."""

    candidate: LinearModel
    calibration: LinearModel
    threshold: float
    training: dict

    def to_json(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "threshold": round(self.threshold, 4),
            "candidate": self.candidate.to_json(),
            "calibration": self.calibration.to_json(),
            "training": self.training,
        }

    def save(self, path: Path) -> None:
        write_weights_file(path, self.to_json())


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exponential = math.exp(value)
    return exponential / (1.0 + exponential)


def parse_model(data: dict) -> AnswerModel:
    """An answer model from the JSON of its weights file, checked against the feature lists."""
    try:
        if data.get("format") != FORMAT_VERSION:
            raise ModelFileError(f"the answer model file has format {data.get('format')!r}, expected {FORMAT_VERSION}")
        return AnswerModel(
            candidate=LinearModel.from_json(data["candidate"], CANDIDATE_FEATURES, "candidate"),
            calibration=LinearModel.from_json(data["calibration"], QUESTION_FEATURES, "calibration"),
            threshold=float(data["threshold"]),
            training=dict(data.get("training") or {}),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ModelFileError(f"the answer model file is malformed ({type(error).__name__}: {error})") from None


@functools.lru_cache(maxsize=4)
def load_model(path: Path = DEFAULT_MODEL) -> AnswerModel:
    """The answer model of a weights file (cached: read once at start-up)."""
    return parse_model(read_weights_file(path, "answer model"))


def confidence_words(probability: float) -> str:
    """The confidence in words, for replies read by people."""
    if probability >= 0.85:
        return "very sure"
    if probability >= 0.65:
        return "fairly sure"
    if probability >= 0.45:
        return "unsure"
    return "doubtful"


def explain(why: dict) -> str:
    """A trace (Answer.extra["why"]) in one line: words matched, what decided, the runner-up."""
    parts = []
    if why.get("matched_words"):
        parts.append("matched " + ", ".join(f"“{word}”" for word in why["matched_words"]))
    features = ", ".join(f"{item['feature']} {item['contribution']:+.2f}" for item in why.get("features", [])[:3])
    if features:
        parts.append(f"“{why.get('answer')}” won by {features}")
    runner_up = why.get("runner_up")
    if runner_up:
        parts.append(f"runner-up “{runner_up['answer']}” ({runner_up['probability']:.2f})")
    parts.append(f"probability right {why.get('confidence', 0.0):.2f} (declines below {why.get('threshold', 0.0):.2f})")
    return "; ".join(parts)
