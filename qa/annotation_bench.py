"""`python -m qa.annotation_bench`: speed and memory of the spaCy annotation, and its answer-candidate recall on SQuAD.

Speed: real news sentences annotated cold in batches, one at a time, and from the disk
cache. Recall: for each SQuAD v1.1 question, the sentence of its paragraph that holds the
gold answer; how often a gold answer is exactly one of the candidates of (a) the project's
extractors as the answerer calls them (`_candidates` + `_phrases`), (b) spaCy entities of
the expected type plus noun chunks (`qa.syntax.entity_candidates`), (c) either. Nothing is
fitted here; the recall is reported on all articles and on the odd-numbered half alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from tqdm import tqdm

from qa import annotation
from qa.annotation import annotate, check_model
from qa.text import split_sentences

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
NEWS_TEXT = SHARED / "news-dev" / "text"
SQUAD_FILE = SHARED / "eval" / "squad-dev-v1.1-even.json"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def news_sentences(limit: int) -> list[str]:
    """The first `limit` distinct sentences (10 to 400 characters) of the news development texts, in file order."""
    found: dict[str, None] = {}
    for path in sorted(NEWS_TEXT.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for paragraph in text.split("\n"):
            for start, end in split_sentences(paragraph):
                sentence = paragraph[start:end]
                if 10 <= len(sentence) <= 400:
                    found[sentence] = None
                if len(found) >= limit:
                    return list(found)
    return list(found)


def measure_speed(count: int, single: int, progress: bool) -> dict:
    """Milliseconds per sentence: batched cold, one by one cold, from the disk cache; model memory."""
    before = _rss_mb()
    started = time.perf_counter()
    name = check_model()
    load_seconds = time.perf_counter() - started
    after_load = _rss_mb()
    sentences = news_sentences(count)
    annotation.set_disk_cache(None)

    annotation.clear_cache()
    started = time.perf_counter()
    annotate(sentences)
    batched = (time.perf_counter() - started) * 1000 / len(sentences)
    after_cache = _rss_mb()

    annotation.clear_cache()
    timings = []
    for sentence in tqdm(sentences[:single], desc="one by one", disable=not progress):
        started = time.perf_counter()
        annotate([sentence])
        timings.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()  # the loop above left these sentences in the memory cache
    for sentence in sentences[:single]:
        annotate([sentence])
    memory_hit = (time.perf_counter() - started) * 1000 / single

    with tempfile.TemporaryDirectory() as folder:
        annotation.clear_cache()
        annotation.set_disk_cache(Path(folder))
        started = time.perf_counter()
        annotate(sentences)
        batched_with_write = (time.perf_counter() - started) * 1000 / len(sentences)
        annotation.clear_cache()
        started = time.perf_counter()
        annotate(sentences)
        from_disk = (time.perf_counter() - started) * 1000 / len(sentences)
        annotation.clear_cache()
        disk_single = []
        for sentence in sentences[:single]:
            started = time.perf_counter()
            annotate([sentence])
            disk_single.append((time.perf_counter() - started) * 1000)
        size = (Path(folder) / annotation.DISK_CACHE_FILE).stat().st_size
        annotation.set_disk_cache(None)
    annotation.clear_cache()
    return {
        "model": name,
        "sentences": len(sentences),
        "mean_characters": round(statistics.mean(len(sentence) for sentence in sentences), 1),
        "model_load_seconds": round(load_seconds, 2),
        "model_memory_mb": round(after_load - before, 1),
        "cache_memory_mb_per_1000_sentences": round((after_cache - after_load) * 1000 / len(sentences), 1),
        "batched_cold_ms_per_sentence": round(batched, 2),
        "single_cold_ms_p50": round(statistics.median(timings), 2),
        "single_cold_ms_mean": round(statistics.mean(timings), 2),
        "memory_cache_hit_ms": round(memory_hit, 4),
        "batched_cold_with_disk_write_ms_per_sentence": round(batched_with_write, 2),
        "batched_from_disk_ms_per_sentence": round(from_disk, 3),
        "single_from_disk_ms_p50": round(statistics.median(disk_single), 3),
        "disk_cache_kb_per_sentence": round(size / 1024 / len(sentences), 2),
    }


def measure_components(count: int) -> dict:
    """Milliseconds per sentence spent in each pipeline component (all are used: see qa.annotation)."""
    nlp = annotation._load()
    sentences = news_sentences(count)
    started = time.perf_counter()
    docs = [nlp.make_doc(sentence) for sentence in sentences]
    costs = {"tokenizer": (time.perf_counter() - started) * 1000 / len(sentences)}
    for name, component in nlp.pipeline:
        started = time.perf_counter()
        docs = list(component.pipe(docs, batch_size=annotation.BATCH_SIZE))
        costs[name] = (time.perf_counter() - started) * 1000 / len(sentences)
    return {name: round(cost, 3) for name, cost in costs.items()}


def _answer_sentences(path: Path) -> list[dict]:
    """Each question with the sentence of its paragraph that holds its first gold answer (skipped when the answer spans two)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    items = []
    for article_number, article in enumerate(data["data"]):
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            spans = split_sentences(context)
            for question in paragraph["qas"]:
                first = question["answers"][0]
                start, end = first["answer_start"], first["answer_start"] + len(first["text"])
                sentence = next((context[s:e] for s, e in spans if s <= start and end <= e), None)
                if sentence is None:
                    continue
                golds = [gold["text"] for gold in question["answers"]]
                items.append({"article": article_number, "question": question["question"], "sentence": sentence, "golds": golds})
    return items


def measure_recall(path: Path, progress: bool) -> dict:
    """Share of questions whose gold answer is exactly a candidate of the answer sentence, per answer type and source."""
    from qa.answerer import _candidates, _phrases
    from qa.question import analyze_question
    from qa.results import RetrievedSentence
    from qa.squad import normalize_answer
    from qa.syntax import entity_candidates

    items = _answer_sentences(path)
    annotations = dict(zip((item["sentence"] for item in items), annotate([item["sentence"] for item in items])))
    sources = ("project", "spacy_typed", "spacy_entities_only", "spacy_all", "project_or_spacy_typed", "project_or_spacy_all")
    counts: dict[str, dict[str, list[int]]] = {part: defaultdict(lambda: [0] * (len(sources) + 1)) for part in ("all", "odd_articles")}
    sizes: dict[str, list[float]] = defaultdict(list)
    for item in tqdm(items, desc="questions", disable=not progress):
        question = analyze_question(item["question"])
        sentence = item["sentence"]
        retrieved = RetrievedSentence(
            row=0,
            score=1.0,
            text=sentence,
            doc="squad",
            title="",
            outlet=None,
            date=None,
            sentence_index=0,
            paragraph=0,
            start=0,
            end=len(sentence),
        )
        project = {
            normalize_answer(candidate.text) for candidate in _candidates(question, retrieved, frozenset()) + _phrases(question, retrieved)
        }
        annotated = annotations[sentence]
        typed = {normalize_answer(sentence[start:end]) for start, end, _ in entity_candidates(annotated, question.answer_type)}
        entities_only = {
            normalize_answer(sentence[start:end]) for start, end, _ in entity_candidates(annotated, question.answer_type, noun_chunks=False)
        }
        everything = {normalize_answer(sentence[start:end]) for start, end, _ in annotated.entities} | {
            normalize_answer(sentence[start:end]) for start, end in annotated.noun_chunks
        }
        golds = {normalize_answer(gold) for gold in item["golds"]}
        pools = (project, typed, entities_only, everything, project | typed, project | everything)
        for name, pool in zip(sources, pools):
            sizes[name].append(len(pool))
        hits = [int(bool(golds & pool)) for pool in pools]
        parts = ["all"] + (["odd_articles"] if item["article"] % 2 else [])
        for part in parts:
            for kind in (question.answer_type, "ALL"):
                row = counts[part][kind]
                row[0] += 1
                for position, hit in enumerate(hits, start=1):
                    row[position] += hit
    report = {
        "questions_with_answer_sentence": len(items),
        "mean_candidates_per_sentence": {name: round(statistics.mean(values), 1) for name, values in sizes.items()},
    }
    for part, table in counts.items():
        report[part] = {
            kind: {"questions": row[0], **{name: round(100 * row[position] / row[0], 1) for position, name in enumerate(sources, start=1)}}
            for kind, row in sorted(table.items(), key=lambda pair: -pair[1][0])
        }
    return report


def measure_features(path: Path, progress: bool, every: int = 1) -> dict:
    """Mean of each syntax feature over the spaCy candidates that are a gold answer and over the others:
    a univariate check that the features separate them (no model is fitted)."""
    from qa.question import analyze_question
    from qa.squad import normalize_answer
    from qa.syntax import FEATURES, candidate_syntax, entity_candidates, question_syntax
    from qa.text import stem

    items = _answer_sentences(path)[::every]
    annotations = dict(zip((item["sentence"] for item in items), annotate([item["sentence"] for item in items])))
    annotate([item["question"] for item in items])
    sums = {"gold": defaultdict(float), "other": defaultdict(float)}
    counts = {"gold": 0, "other": 0}
    elapsed, calls, questions_with_verb, questions_with_role = 0.0, 0, 0, 0
    for item in tqdm(items, desc="features", disable=not progress):
        question = analyze_question(item["question"])
        parsed = question_syntax(item["question"], question.answer_type)
        questions_with_verb += bool(parsed.main_verb_lemma)
        questions_with_role += parsed.wh_role in {"subject", "object", "oblique", "adverbial"}
        terms = set(question.terms)
        annotated = annotations[item["sentence"]]
        matches = [(token.start, token.end) for token in annotated.tokens if stem(token.text.lower()) in terms]
        golds = {normalize_answer(gold) for gold in item["golds"]}
        for start, end, _ in entity_candidates(annotated, question.answer_type):
            started = time.perf_counter()
            features = candidate_syntax(annotated, start, end, matches, parsed)
            elapsed += time.perf_counter() - started
            calls += 1
            group = "gold" if normalize_answer(item["sentence"][start:end]) in golds else "other"
            counts[group] += 1
            for name, value in features.items():
                sums[group][name] += value
    table = {name: {group: round(sums[group][name] / max(counts[group], 1), 3) for group in ("gold", "other")} for name in FEATURES}
    return {
        "questions": len(items),
        "candidates": counts,
        "questions_with_verb_share": round(questions_with_verb / len(items), 3),
        "questions_with_wh_role_share": round(questions_with_role / len(items), 3),
        "candidate_syntax_ms": round(elapsed * 1000 / max(calls, 1), 3),
        "means": dict(sorted(table.items(), key=lambda pair: -abs(pair[1]["gold"] - pair[1]["other"]))),
    }


def format_features(report: dict) -> str:
    lines = [
        f"\nSyntax features, gold candidates ({report['candidates']['gold']}) against the others ({report['candidates']['other']}), "
        f"{report['questions']} questions; candidate_syntax {report['candidate_syntax_ms']} ms a candidate; "
        f"questions with a verb {report['questions_with_verb_share']}, with a subject/object/oblique/adverbial wh-role {report['questions_with_wh_role_share']}",
        f"{'feature':<34}{'gold':>8}{'other':>8}",
    ]
    for name, row in report["means"].items():
        lines.append(f"{name:<34}{row['gold']:>8}{row['other']:>8}")
    return "\n".join(lines)


def format_recall(report: dict) -> str:
    names = ("project", "spacy_typed", "spacy_entities_only", "spacy_all", "project_or_spacy_typed", "project_or_spacy_all")
    lines = []
    for part in ("all", "odd_articles"):
        lines.append(f"\nGold answer exactly a candidate of its sentence (%), {part}:")
        lines.append(f"{'type':<13}{'questions':>10}" + "".join(f"{name:>24}" for name in names))
        for kind, row in report[part].items():
            lines.append(f"{kind:<13}{row['questions']:>10}" + "".join(f"{row[name]:>24}" for name in names))
    lines.append(
        "mean candidates per sentence: " + ", ".join(f"{name} {value}" for name, value in report["mean_candidates_per_sentence"].items())
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa.annotation_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000, help="news sentences to annotate (default 2000)")
    parser.add_argument("--single", type=int, default=300, help="of those, how many to time one by one (default 300)")
    parser.add_argument("--squad", type=Path, default=SQUAD_FILE, help="SQuAD v1.1 file for the recall check")
    parser.add_argument("--skip-speed", action="store_true", help="only the recall check")
    parser.add_argument("--skip-recall", action="store_true", help="only speed and memory")
    parser.add_argument("--features", action="store_true", help="also compare syntax features of gold and other candidates")
    parser.add_argument("--every", type=int, default=1, help="for --features: every n-th question (default 1: all)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args(argv)
    progress = not arguments.json and sys.stderr.isatty()
    figures: dict = {}
    if not arguments.skip_speed:
        if not NEWS_TEXT.is_dir():
            print(f"error: news sentences not found: {NEWS_TEXT}", file=sys.stderr)
            return 1
        figures["speed"] = measure_speed(arguments.sentences, min(arguments.single, arguments.sentences), progress)
        figures["components_ms_per_sentence"] = measure_components(arguments.sentences)
    if not arguments.skip_recall:
        if not arguments.squad.is_file():
            print(f"error: SQuAD file not found: {arguments.squad}", file=sys.stderr)
            return 1
        figures["recall"] = measure_recall(arguments.squad, progress)
    if arguments.features:
        figures["features"] = measure_features(arguments.squad, progress, arguments.every)
    if arguments.json:
        print(json.dumps(figures, indent=2))
        return 0
    for section in ("speed", "components_ms_per_sentence"):
        if section in figures:
            print(f"{section}:")
            for key, value in figures[section].items():
                print(f"  {key}: {value}")
    if "recall" in figures:
        print(format_recall(figures["recall"]))
    if "features" in figures:
        print(format_features(figures["features"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
