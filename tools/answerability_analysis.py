"""Which answerability features separate answerable from unanswerable fit questions, source by source.

Reads the samples pickle of `python -m qa train --samples FILE` (fit and dev questions only: held-out
questions are never in it), judges every question that may be unanswerable with a candidate scorer
fitted without its fold's articles (as training does), and prints per source: the area under the ROC
curve of the cross-validated confidence (answerable against unanswerable), each feature's own area
(a feature that separates the news questions but not SQuAD 2.0's gets little weight from a fit
dominated by SQuAD 2.0), and with --questions every news dev question with its answer, confidence and
the features that moved it most.

    python tools/answerability_analysis.py /tmp/samples.pkl [--judged /tmp/judged.pkl] [--questions]
"""

from __future__ import annotations

import argparse
import bisect
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.answerability import ANSWERABILITY_FEATURES  # noqa: E402
from qa.answerability_training import cross_validated, fit_model, out_of_fold  # noqa: E402
from qa.training import ABSTAINING_SOURCES  # noqa: E402


def area_under_curve(positives: list[float], negatives: list[float]) -> float:
    """The share of (positive, negative) pairs the value orders right (ties count half)."""
    if not positives or not negatives:
        return float("nan")
    ordered = sorted(negatives)
    wins = sum(bisect.bisect_left(ordered, value) + 0.5 * (bisect.bisect_right(ordered, value) - bisect.bisect_left(ordered, value)) for value in positives)
    return wins / len(positives) / len(negatives)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", type=Path, help="the pickle written by python -m qa train --samples FILE")
    parser.add_argument("--judged", type=Path, help="keep the judged questions in this pickle and reuse it when it exists")
    parser.add_argument("--questions", action="store_true", help="also list the news dev questions, least confident first")
    arguments = parser.parse_args()
    if arguments.judged and arguments.judged.is_file():
        judged = pickle.loads(arguments.judged.read_bytes())
    else:
        samples, _ = pickle.loads(arguments.samples.read_bytes())
        judged = out_of_fold(samples, lambda message: print(message, file=sys.stderr))
        if arguments.judged:
            arguments.judged.write_bytes(pickle.dumps(judged))
    probabilities = cross_validated(judged)
    sources = [source for source in ABSTAINING_SOURCES if any(item.source == source and item.answerable for item in judged)]
    print("area under the ROC curve, answerable against unanswerable (cross-validated confidence):")
    for source in sources:
        chosen = [(item, p) for item, p in zip(judged, probabilities) if item.source == source]
        print(f"  {source:<8} {area_under_curve([p for i, p in chosen if i.answerable], [p for i, p in chosen if not i.answerable]):.3f}")
    model = fit_model(judged)
    print("each feature's own area (above 0.5: larger on answerable questions) and its fitted weight:")
    print(f"  {'feature':<30} " + " ".join(f"{source:>8}" for source in sources) + "    weight")
    for name, weight in zip(ANSWERABILITY_FEATURES, model.weights):
        areas = []
        for source in sources:
            chosen = [item for item in judged if item.source == source]
            areas.append(area_under_curve([i.features[name] for i in chosen if i.answerable], [i.features[name] for i in chosen if not i.answerable]))
        print(f"  {name:<30} " + " ".join(f"{area:>8.3f}" for area in areas) + f"  {weight:+8.3f}")
    if arguments.questions:
        news = sorted(((item, p) for item, p in zip(judged, probabilities) if item.source == "news"), key=lambda pair: (pair[0].answerable, pair[1]))
        for item, probability in news:
            outcome = "unanswerable" if not item.answerable else "right" if item.right else "wrong"
            print(f"{outcome:<12} {probability:.3f} {item.question} -> {item.answer!r}")
            print("    " + ", ".join(f"{name} {value:+.2f}" for name, value in model.contributions(item.features)[:6]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
