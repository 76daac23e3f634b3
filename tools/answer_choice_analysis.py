"""Error analysis of answer choice on the FIT split of SQuAD v1.1 (never the held-out articles).

For each question whose cited sentence (the chosen answer's) holds a gold answer, classify the loss:
right, gold not among that sentence's candidates (a boundary problem or a missing kind), or present but
outranked (and by which features). Prints counts; `--dump FILE` writes the cases as JSON lines.
"""

from __future__ import annotations

import argparse
import collections
import json
import pickle
import tempfile
from pathlib import Path

from qa.answer_model import load_model
from qa.answerer import measure, rank_groups
from qa.errors import QAError
from qa.squad import f1_score, load_squad, normalize_answer, write_corpus
from qa.training import RIGHT_F1, load_split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--squad", default="../shared/eval/squad-dev-v1.1-even.json")
    parser.add_argument("--every", type=int, default=3)
    parser.add_argument("--dump", default="/tmp/answer-choice-cases.jsonl")
    parser.add_argument("--save", default="", help="pickle the measured questions here")
    arguments = parser.parse_args()
    from tqdm import tqdm

    from qa.index import SentenceIndex, build_index
    from qa.pipeline import gather

    fit = set(load_split()["fit"])
    articles, questions = load_squad(Path(arguments.squad))
    chosen = [item for item in questions if item.article in fit][:: arguments.every]
    model = load_model()
    counts = collections.Counter()
    difference = collections.Counter()
    saved = []
    with tempfile.TemporaryDirectory(prefix="qa-analysis-") as folder, open(arguments.dump, "w") as dump:
        write_corpus(articles, Path(folder) / "corpus")
        build_index(Path(folder) / "corpus", Path(folder) / "index")
        index = SentenceIndex.load(Path(folder) / "index")
        for item in tqdm(chosen):
            try:
                gathered = gather(item.question, index)
            except QAError:
                counts["error"] += 1
                continue
            if not gathered.sentences:
                counts["no sentences"] += 1
                continue
            measured = measure(gathered.question, gathered.sentences, gathered.idf, gathered.names, gathered.organizations)
            if arguments.save:
                saved.append((item, measured))
            groups = rank_groups(measured, model)
            if not groups:
                counts["no candidates"] += 1
                continue
            top = groups[0].evidence[0]
            chosen_text = groups[0].label
            score = max(f1_score(chosen_text, gold) for gold in item.answers)
            sentence = top.sentence
            in_sentence = [gold for gold in item.answers if normalize_answer(gold) and normalize_answer(gold) in normalize_answer(sentence.text)]
            kind = measured.question.answer_type
            record = {"question": item.question, "golds": list(item.answers), "chosen": chosen_text, "f1": score, "type": kind, "sentence": sentence.text}
            if score >= RIGHT_F1:
                category = "right"
            elif not in_sentence:
                category = "wrong sentence"
            else:
                own = [e for e in measured.evidence if e.sentence.row == sentence.row]
                right = [e for e in own if max(f1_score(e.candidate.text, gold) for gold in item.answers) >= RIGHT_F1]
                if right:
                    category = "outranked"
                    best = max(right, key=lambda e: model.candidate.logit(e.features))
                    record["best_right"] = best.candidate.text
                    record["best_right_kind"] = best.candidate.kind
                    deltas = {name: w * (top.features.get(name, 0.0) - best.features.get(name, 0.0)) for name, w in zip(model.candidate.features, model.candidate.weights)}
                    biggest = sorted(deltas.items(), key=lambda pair: -pair[1])[:4]
                    record["deciding"] = biggest
                    for name, _value in biggest[:2]:
                        difference[name] += 1
                else:
                    overlapping = [e.candidate.text for e in own if max(f1_score(e.candidate.text, gold) for gold in item.answers) > 0]
                    category = "missing: boundary" if overlapping else "missing: none overlapping"
                    record["overlapping"] = overlapping[:5]
                    record["candidates"] = [e.candidate.text for e in own][:12]
            counts[category] += 1
            counts[f"{category} | {kind}"] += 1
            record["category"] = category
            dump.write(json.dumps(record) + "\n")
        del index
    for key, value in sorted(counts.items()):
        print(f"{value:6d}  {key}")
    print("deciding features (top 2 of outranked):")
    for name, value in difference.most_common(25):
        print(f"{value:6d}  {name}")
    if arguments.save:
        with open(arguments.save, "wb") as handle:
            pickle.dump(saved, handle)


if __name__ == "__main__":
    main()
