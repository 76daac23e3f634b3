"""Measure the number-binding rule (qa.number_binding) both ways in one run: every question it
applies to (a count, amount, age or share question) is answered with the rule on and off.

The rule changes nothing for other questions, so the figures over the questions it applies to, and
their change spread over the whole split, are the rule's whole effect.

    python tools/number_binding_eval.py --squad ../shared/eval/squad-dev-v1.1-even.json --split fit
    python tools/number_binding_eval.py --cases tests/news_questions.json --corpus ../shared/news-dev/text --split dev
    python tools/number_binding_eval.py --cases tests/canned_questions.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import number_binding  # noqa: E402
from qa.amounts import wanted_amount  # noqa: E402
from qa.number_binding import BOUND_AMOUNTS  # noqa: E402
from qa.question import analyze_question  # noqa: E402


def _applies(question: str) -> bool:
    return analyze_question(question).answer_type == "NUMBER" and wanted_amount(question) in BOUND_AMOUNTS


def _both_ways(ask):
    """(with the rule, without it) of one question."""
    try:
        number_binding.BIND_NUMBERS = True
        bound = ask()
        number_binding.BIND_NUMBERS = False
        unbound = ask()
    finally:
        number_binding.BIND_NUMBERS = True
    return bound, unbound


def _squad(path: Path, split: str, show: bool) -> dict:
    from tqdm import tqdm

    from qa.index import SentenceIndex, build_index
    from qa.squad import ask_one, load_squad, split_questions, write_corpus

    articles, questions = load_squad(path)
    chosen = split_questions(questions, split)
    numeric = [item for item in chosen if _applies(item.question)]
    rows = {"on": [], "off": []}
    with tempfile.TemporaryDirectory(prefix="qa-numbers-") as folder:
        corpus_dir, index_dir = Path(folder) / "corpus", Path(folder) / "index"
        write_corpus(articles, corpus_dir)
        build_index(corpus_dir, index_dir)
        index = SentenceIndex.load(index_dir)
        for item in tqdm(numeric, unit="question", desc="asking both ways", file=sys.stderr):
            on, off = _both_ways(lambda item=item, index=index: ask_one(index, item))
            rows["on"].append(on)
            rows["off"].append(off)
        del index
    answerable_total = sum(1 for item in chosen if item.answers)
    report = {"file": str(path), "split": split, "questions": len(chosen), "answerable": answerable_total, "rule_applies_to": len(numeric)}
    for way, results in rows.items():
        answerable = [result for result in results if result.answerable]
        unanswerable = [result for result in results if not result.answerable]
        report[way] = {
            "answerable": len(answerable),
            "right_f1_at_least_half": sum(result.prediction is not None and result.f1 >= 0.5 for result in answerable),
            "wrong": sum(result.prediction is not None and result.f1 < 0.5 for result in answerable),
            "declined": sum(result.prediction is None for result in answerable),
            "exact_match_sum": round(sum(result.exact_match for result in answerable), 2),
            "f1_sum": round(sum(result.f1 for result in answerable), 2),
            "unanswerable": len(unanswerable),
            "unanswerable_declined": sum(result.prediction is None for result in unanswerable),
        }
    if answerable_total:
        report["f1_points_change_over_split"] = round(100 * (report["on"]["f1_sum"] - report["off"]["f1_sum"]) / answerable_total, 2)
        report["em_points_change_over_split"] = round(100 * (report["on"]["exact_match_sum"] - report["off"]["exact_match_sum"]) / answerable_total, 2)
    if show:
        report["changed"] = [
            {"question": on.question, "answers": list(on.answers)[:2], "on": on.prediction, "off": off.prediction}
            for on, off in zip(rows["on"], rows["off"])
            if on.prediction != off.prediction
        ]
    return report


def _cases(path: Path, corpus: Path | None, split: str, show: bool) -> dict:
    from qa.evaluate import check_case, evaluation_index_folder, load_cases, select_split
    from qa.index import DEFAULT_INDEX, ensure_index
    from qa.pipeline import answer

    cases = [case for case in select_split(load_cases(path), split) if _applies(case["question"])]
    index = ensure_index(corpus, evaluation_index_folder(corpus) if corpus else DEFAULT_INDEX, notify=lambda *_: None)
    report = {"file": str(path), "split": split, "rule_applies_to": len(cases)}
    changed = []
    counts = {way: {"answerable": 0, "right_with_source": 0, "wrong": 0, "declined": 0, "unanswerable": 0, "unanswerable_declined": 0} for way in ("on", "off")}
    for case in cases:

        def ask(case=case):
            history = [answer(earlier, index) for earlier in case.get("after", [])]
            return check_case(case, answer(case["question"], index, history or None))

        on, off = _both_ways(ask)
        for way, result in (("on", on), ("off", off)):
            tally = counts[way]
            if result.expected_decline:
                tally["unanswerable"] += 1
                tally["unanswerable_declined"] += result.declined
            else:
                tally["answerable"] += 1
                tally["right_with_source"] += result.answer_correct and result.citation_correct
                tally["declined"] += result.declined
                tally["wrong"] += not result.declined and not (result.answer_correct and result.citation_correct)
        if on.answer != off.answer:
            changed.append({"question": case["question"], "decline_expected": on.expected_decline, "on": on.answer, "off": off.answer, "on_right": on.answer_correct, "off_right": off.answer_correct})
    report |= counts
    if show:
        report["changed"] = changed
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--squad", type=Path, help="a SQuAD v1.1 or 2.0 file (open-corpus, as `qa eval --squad`)")
    parser.add_argument("--cases", type=Path, help="a canned-question file (as `qa eval FILE`)")
    parser.add_argument("--corpus", type=Path, help="with --cases: the corpus folder the questions are asked over")
    parser.add_argument("--split", default="all", help="fit / heldout / all (SQuAD), dev / heldout / all (cases)")
    parser.add_argument("--show", action="store_true", help="list the questions whose answer changes")
    arguments = parser.parse_args(argv)
    if bool(arguments.squad) == bool(arguments.cases):
        parser.error("give one of --squad FILE or --cases FILE")
    if arguments.squad:
        report = _squad(arguments.squad, arguments.split, arguments.show)
    else:
        report = _cases(arguments.cases, arguments.corpus, arguments.split, arguments.show)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
