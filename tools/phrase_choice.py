"""Where SQuAD v1.1 loses F1 inside the right sentence: candidate generation or candidate scoring.

Only the FIT articles (qa/data/squad_split.json) are ever read here. For each fit question the answer
model (`--model`, the committed weights by default) chooses an answer; questions whose chosen answer's
sentence holds a gold answer (normalised text contains it) are split into:

- right: the chosen answer scores token F1 >= 0.5 (qa.training.RIGHT_F1);
- (a) generation: no candidate of that sentence scores F1 >= 0.5: the right span is never proposed
  (a boundary problem, or a kind of phrase no finder proposes); split by whether some candidate
  overlaps a gold answer (F1 > 0, a boundary problem) or none does;
- (b) scoring: a candidate of that sentence scores F1 >= 0.5 but the model ranks another one higher.

With `--samples FILE` (a `python -m qa train --samples` pickle) the questions are not asked again:
the sentences' texts are read from an index of the same SQuAD file (rows agree: the build is
deterministic). Without it every `--every`th fit question is asked through the pipeline.
The committed model was fitted on these questions, so the figures are in-sample: they show where the
loss lies, not how well the model generalises (`python -m qa train` prints cross-validated figures).
"""

from __future__ import annotations

import argparse
import collections
import json
import pickle
import sys
import tempfile
from pathlib import Path

from qa.answer_model import DEFAULT_MODEL, load_model
from qa.answerer import rank_groups
from qa.errors import QAError
from qa.squad import f1_score, load_squad, normalize_answer, write_corpus
from qa.training import RIGHT_F1, load_split


def classify(measured, golds, text_of, model) -> tuple[str, dict]:
    """The category of one question (see the module docstring) and what decided it."""
    groups = rank_groups(measured, model)
    if not groups:
        return "no candidates", {}
    top = groups[0].evidence[0]
    chosen = groups[0].label
    sentence = normalize_answer(text_of(top.sentence.row))
    record = {"chosen": chosen, "type": measured.question.answer_type, "golds": list(golds)}
    if not any(normalize_answer(gold) and normalize_answer(gold) in sentence for gold in golds):
        return ("right" if max(f1_score(chosen, gold) for gold in golds) >= RIGHT_F1 else "wrong sentence"), record
    if max(f1_score(chosen, gold) for gold in golds) >= RIGHT_F1:
        return "right", record
    own = [item for item in measured.evidence if item.sentence.row == top.sentence.row]
    scores = [max(f1_score(item.candidate.text, gold) for gold in golds) for item in own]
    right = [item for item, score in zip(own, scores) if score >= RIGHT_F1]
    if right:
        best = max(right, key=lambda item: model.candidate.logit(item.features))
        record["best_right"] = best.candidate.text
        record["best_right_kind"] = best.candidate.kind
        deltas = {name: weight * (top.features.get(name, 0.0) - best.features.get(name, 0.0)) for name, weight in zip(model.candidate.features, model.candidate.weights)}
        record["deciding"] = sorted(deltas.items(), key=lambda pair: -pair[1])[:3]
        return "(b) scoring: right candidate outranked", record
    record["candidates"] = [item.candidate.text for item in own][:12]
    if any(score > 0 for score in scores):
        return "(a) generation: boundary (overlapping candidate only)", record
    return "(a) generation: no overlapping candidate", record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--squad", type=Path, default=Path("../shared/eval/squad-dev-v1.1-even.json"))
    parser.add_argument("--split", choices=["fit"], default="fit", help="only the fit split: held-out articles are never analysed")
    parser.add_argument("--samples", type=Path, help="a `python -m qa train --samples` pickle to read instead of asking again")
    parser.add_argument("--every", type=int, default=3, help="without --samples: ask every Nth fit question")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--dump", type=Path, help="write each analysed question as a JSON line here")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    from qa.index import SentenceIndex, build_index
    from qa.pipeline import gather

    try:
        fit = set(load_split()[arguments.split])
        articles, questions = load_squad(arguments.squad)
        model = load_model(arguments.model)
    except (OSError, QAError, ValueError) as error:
        sys.exit(f"error: {error}")
    counts: collections.Counter = collections.Counter()
    by_type: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    deciding: collections.Counter = collections.Counter()
    records = []
    with tempfile.TemporaryDirectory(prefix="qa-phrase-") as folder:
        write_corpus(articles, Path(folder) / "corpus")
        build_index(Path(folder) / "corpus", Path(folder) / "index")
        index = SentenceIndex.load(Path(folder) / "index")
        if arguments.samples:
            samples, _sources = pickle.loads(arguments.samples.read_bytes())
            asked = [(sample.question, sample.golds, sample.measured) for sample in samples if sample.source == "squad1" and sample.article in fit]
        else:
            from tqdm import tqdm

            asked = []
            for item in tqdm([item for item in questions if item.article in fit][:: arguments.every], file=sys.stderr):
                try:
                    gathered = gather(item.question, index)
                except QAError:
                    continue
                from qa.answerer import measure

                measured = measure(gathered.question, gathered.sentences, gathered.idf, gathered.names, gathered.organizations)
                asked.append((item.question, tuple(item.answers), measured))
        for question, golds, measured in asked:
            category, record = classify(measured, golds, index.sentence_text, model)
            counts[category] += 1
            by_type[record.get("type", "?")][category] += 1
            for name, _value in record.get("deciding", [])[:2]:
                deciding[name] += 1
            records.append({"question": question, "category": category, **record})
        del index
    in_sentence = sum(value for key, value in counts.items() if key not in {"wrong sentence", "no candidates"})
    wrong_in_sentence = in_sentence - counts["right"]
    figures = {
        "questions": sum(counts.values()),
        "categories": dict(sorted(counts.items())),
        "chosen_sentence_holds_gold": in_sentence,
        "share_of_wrong_in_right_sentence": {
            "(a) generation": round(sum(v for k, v in counts.items() if k.startswith("(a)")) / max(1, wrong_in_sentence), 3),
            "(b) scoring": round(counts["(b) scoring: right candidate outranked"] / max(1, wrong_in_sentence), 3),
        },
        "by_type": {kind: dict(sorted(table.items())) for kind, table in sorted(by_type.items())},
        "deciding_features_of_outranked": deciding.most_common(20),
    }
    if arguments.dump:
        arguments.dump.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    if arguments.json:
        print(json.dumps(figures, indent=1))
        return
    print(f"{figures['questions']} fit questions; the chosen sentence holds a gold answer for {in_sentence}")
    for key, value in figures["categories"].items():
        print(f"{value:6d}  {key}")
    for key, value in figures["share_of_wrong_in_right_sentence"].items():
        print(f"{value:6.3f}  of the wrong answers in a right sentence: {key}")
    print("deciding features (top 2 of each outranked question):")
    for name, value in figures["deciding_features_of_outranked"]:
        print(f"{value:6d}  {name}")


if __name__ == "__main__":
    main()
