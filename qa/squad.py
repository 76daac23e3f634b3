"""Open-corpus SQuAD v1.1 evaluation: every article one document, one index, every question asked as `qa ask` would.

Scoring follows the official SQuAD v1.1 script (normalised exact match and token
F1, best over the gold answers); a declined question scores 0. "sentence@1" is
the share of questions whose reply's first cited sentence contains a gold answer:
the answer's first citation, or for a declined question the first of the closest
sentences the reply shows. "answered sentence@1" counts answered questions only.
"""

from __future__ import annotations

import json
import re
import string
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from qa.errors import EvaluationFileError, QAError
from qa.index import SentenceIndex, build_index
from qa.pipeline import answer

FORMS = ("when", "what year", "how many", "how much", "who", "where", "which", "what", "why", "how", "other")
FAILURE_SAMPLE_SIZE = 12

_PUNCTUATION = set(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_YEAR_FORM = re.compile(r"\b(?:what|which)\s+(?:\w+\s+)?years?\b")
_WH_WORD = re.compile(r"\b(when|whom|whose|who|where|which|what|why|how)\b")


# ---------------------------------------------------------------- scoring (the official v1.1 rules)

def normalize_answer(text: str) -> str:
    """Lowercase, drop punctuation and the articles a/an/the, collapse white space (SQuAD v1.1)."""
    text = "".join(character for character in text.lower() if character not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, gold: str) -> bool:
    return normalize_answer(prediction) == normalize_answer(gold)


def f1_score(prediction: str, gold: str) -> float:
    """Token F1 between normalised prediction and gold answer."""
    prediction_tokens = normalize_answer(prediction).split()
    gold_tokens = normalize_answer(gold).split()
    common = Counter(prediction_tokens) & Counter(gold_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(prediction_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def best_over_gold(metric, prediction: str | None, golds: Iterable[str]) -> float:
    """The best score of a prediction over the gold answers; a declined question (None) scores 0."""
    if prediction is None:
        return 0.0
    return max((float(metric(prediction, gold)) for gold in golds), default=0.0)


def sentence_contains_answer(sentence: str | None, golds: Iterable[str]) -> bool:
    """Whether a sentence contains a gold answer as whole normalised words."""
    if not sentence:
        return False
    padded = f" {normalize_answer(sentence)} "
    return any(normalize_answer(gold) and f" {normalize_answer(gold)} " in padded for gold in golds)


def question_form(question: str) -> str:
    """The question's form for the breakdown: "what year" and "how many/much" first, else its first wh-word."""
    lowered = question.lower()
    if _YEAR_FORM.search(lowered):
        return "what year"
    if re.search(r"\bhow\s+many\b", lowered):
        return "how many"
    if re.search(r"\bhow\s+much\b", lowered):
        return "how much"
    match = _WH_WORD.search(lowered)
    if match is None:
        return "other"
    word = match.group(1)
    return "who" if word in ("whom", "whose") else word


# ---------------------------------------------------------------- the data set

@dataclass(frozen=True)
class SquadQuestion:
    """One question with its gold answers and the article it was written about."""

    question_id: str
    question: str
    answers: tuple[str, ...]
    article: str


@dataclass(frozen=True)
class SquadArticle:
    """One article: its title and its paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


def load_squad(path: Path) -> tuple[list[SquadArticle], list[SquadQuestion]]:
    """Articles and questions of a SQuAD v1.1 file, in file order."""
    path = Path(path)
    if not path.is_file():
        raise EvaluationFileError(f"SQuAD file not found: {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        articles, questions = [], []
        for article in data["data"]:
            title = str(article["title"])
            paragraphs = []
            for paragraph in article["paragraphs"]:
                paragraphs.append(" ".join(str(paragraph["context"]).split()))
                for item in paragraph["qas"]:
                    answers = tuple(str(gold["text"]) for gold in item["answers"])
                    questions.append(SquadQuestion(str(item["id"]), str(item["question"]).strip(), answers, title))
            articles.append(SquadArticle(title, tuple(paragraphs)))
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise EvaluationFileError(f"{path} is not a SQuAD v1.1 JSON file ({type(error).__name__}: {error})") from None
    if not questions:
        raise EvaluationFileError(f"{path} holds no questions")
    return articles, questions


def write_corpus(articles: list[SquadArticle], folder: Path) -> None:
    """One .txt document per article: its title line, a blank line, paragraphs separated by blank lines."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, article in enumerate(articles):
        name = re.sub(r"[^\w.-]+", "_", article.title)[:80]
        title = article.title.replace("_", " ")
        text = title + "\n\n" + "\n\n".join(article.paragraphs) + "\n"
        (folder / f"{number:03d}_{name}.txt").write_text(text, encoding="utf-8")


def select_questions(questions: list[SquadQuestion], limit: int | None = None, every: int = 1) -> list[SquadQuestion]:
    """A deterministic sample: every `every`-th question from the first, then the first `limit` of those."""
    if every < 1:
        raise EvaluationFileError("the sampling step must be at least 1")
    if limit is not None and limit < 1:
        raise EvaluationFileError("--limit must be at least 1")
    chosen = questions[::every]
    return chosen[:limit] if limit is not None else chosen


# ---------------------------------------------------------------- running

@dataclass(frozen=True)
class QuestionResult:
    """How one question went: prediction, scores, and the sentences involved."""

    question_id: str
    question: str
    form: str
    answers: tuple[str, ...]
    prediction: str | None
    answer_type: str
    exact_match: float
    f1: float
    sentence_hit: bool
    retrieval_hit: bool  # the top BM25 sentence holds a gold answer (diagnostic, not timed)
    cited_sentence: str | None
    milliseconds: float
    answerable: bool = True  # False for a SQuAD 2.0 question the article does not answer
    confidence: float = 0.0  # the answer model's calibrated probability, also for a declined reply
    rule_declined: bool = False  # declined by a general rule (or no candidate), whatever the threshold
    candidate_f1: float = 0.0  # F1 of the model's best answer, also when it was withheld


@dataclass(frozen=True)
class Figures:
    """Aggregate figures of a group of questions (EM and F1 in points, shares between 0 and 1)."""

    questions: int
    exact_match: float
    f1: float
    sentence_at_1: float
    answered_sentence_at_1: float
    bm25_sentence_at_1: float
    declined: float
    ms_per_question: float


@dataclass(frozen=True)
class SquadReport:
    """The whole evaluation: overall figures, breakdowns, every question's result and the corpus size."""

    file: str
    articles: int
    sentences: int
    build_seconds: float
    overall: Figures
    by_form: dict[str, Figures]
    by_answer_type: dict[str, Figures]
    results: tuple[QuestionResult, ...]
    split: str = "all"
    abstention: dict | None = None  # SQuAD 2.0 figures, when the file has unanswerable questions
    trade_off: tuple[dict, ...] = ()

    def failures(self, size: int = FAILURE_SAMPLE_SIZE) -> list[QuestionResult]:
        """An evenly spread, deterministic sample of questions answered wrongly (F1 below 0.5)."""
        wrong = [result for result in self.results if result.answerable and result.f1 < 0.5]
        step = max(1, len(wrong) // size)
        return wrong[::step][:size]

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "articles": self.articles,
            "sentences": self.sentences,
            "split": self.split,
            "build_seconds": round(self.build_seconds, 3),
            **_rounded(self.overall),
            **({"abstention": self.abstention, "trade_off": list(self.trade_off)} if self.abstention else {}),
            "by_form": {form: _rounded(figures) for form, figures in self.by_form.items()},
            "by_answer_type": {kind: _rounded(figures) for kind, figures in self.by_answer_type.items()},
            "failures": [
                {
                    "question": result.question,
                    "answers": list(result.answers),
                    "prediction": result.prediction,
                    "answer_type": result.answer_type,
                    "form": result.form,
                    "f1": round(100 * result.f1, 1),
                    "cited_sentence": result.cited_sentence,
                }
                for result in self.failures()
            ],
        }


def _rounded(figures: Figures) -> dict:
    values = asdict(figures)
    return {key: round(value, 4 if isinstance(value, float) and key in ("sentence_at_1", "answered_sentence_at_1", "bm25_sentence_at_1", "declined") else 2)
            if isinstance(value, float) else value for key, value in values.items()}


def figures_of(results: list[QuestionResult]) -> Figures:
    count = len(results)
    if count == 0:
        return Figures(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    answered = [result for result in results if result.prediction is not None]
    return Figures(
        questions=count,
        exact_match=100 * sum(result.exact_match for result in results) / count,
        f1=100 * sum(result.f1 for result in results) / count,
        sentence_at_1=sum(result.sentence_hit for result in results) / count,
        answered_sentence_at_1=sum(result.sentence_hit for result in answered) / len(answered) if answered else 0.0,
        bm25_sentence_at_1=sum(result.retrieval_hit for result in results) / count,
        declined=sum(result.prediction is None for result in results) / count,
        ms_per_question=sum(result.milliseconds for result in results) / count,
    )


def ask_one(index: SentenceIndex, item: SquadQuestion) -> QuestionResult:
    """Ask one question through the pipeline (timed) and score it."""
    started = time.perf_counter()
    try:
        reply = answer(item.question, index, text_kind="encyclopedia")  # the threshold fitted on encyclopedia text
        prediction, answer_type = reply.answer, reply.answer_type
        why = reply.extra.get("why") or {}
        confidence = reply.confidence if not reply.declined else float(why.get("confidence", 0.0))
        rule_declined = reply.declined and (not why or why.get("confidence", 0.0) >= why.get("threshold", 1.0))
        best_answer = prediction if prediction is not None else why.get("answer")
        shown = reply.citations or reply.related  # a declined reply cites its closest sentences
        cited = shown[0].sentence if shown else None
    except QAError:
        prediction, answer_type, cited, confidence, rule_declined, best_answer = None, "ERROR", None, 0.0, True, None
    milliseconds = 1000 * (time.perf_counter() - started)
    try:
        top = index.search(item.question, 1)
    except QAError:
        top = []
    top_sentence = index.sentence(top[0].row).text if top else None
    return QuestionResult(
        question_id=item.question_id,
        question=item.question,
        form=question_form(item.question),
        answers=item.answers,
        prediction=prediction,
        answer_type=answer_type if prediction is not None else f"{answer_type} (declined)",
        exact_match=best_over_gold(exact_match, prediction, item.answers),
        f1=best_over_gold(f1_score, prediction, item.answers),
        sentence_hit=sentence_contains_answer(cited, item.answers),
        retrieval_hit=sentence_contains_answer(top_sentence, item.answers),
        cited_sentence=cited,
        milliseconds=milliseconds,
        answerable=bool(item.answers),
        confidence=confidence,
        rule_declined=rule_declined,
        candidate_f1=best_over_gold(f1_score, best_answer, item.answers),
    )


SPLITS = ("fit", "heldout", "all")
TRADE_OFF_THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(1, 20))


def split_questions(questions: list[SquadQuestion], split: str) -> list[SquadQuestion]:
    """The questions of the fit or held-out articles (qa/data/squad_split.json), or all of them."""
    if split == "all":
        return questions
    if split not in SPLITS:
        raise EvaluationFileError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    titles = set(json.loads(SPLIT_FILE.read_text(encoding="utf-8"))[split])
    return [item for item in questions if item.article in titles]


SPLIT_FILE = Path(__file__).resolve().parent / "data" / "squad_split.json"


def abstention_figures(results: list[QuestionResult]) -> dict | None:
    """SQuAD 2.0 figures: shares of unanswerable and answerable questions declined, F1 of the answerable
    ones, and the SQuAD 2.0 score (a declined unanswerable question scores 1)."""
    unanswerable = [result for result in results if not result.answerable]
    if not unanswerable:
        return None
    answerable = [result for result in results if result.answerable]
    declined = sum(result.prediction is None for result in unanswerable)
    return {
        "unanswerable": len(unanswerable),
        "unanswerable_declined": round(declined / len(unanswerable), 4),
        "answerable": len(answerable),
        "answerable_declined": round(sum(result.prediction is None for result in answerable) / max(1, len(answerable)), 4),
        "answerable_f1": round(100 * sum(result.f1 for result in answerable) / max(1, len(answerable)), 2),
        "squad2_score": round(100 * (declined + sum(result.f1 for result in answerable)) / len(results), 2),
    }


def trade_off_table(results: list[QuestionResult], thresholds=TRADE_OFF_THRESHOLDS) -> list[dict]:
    """The abstention figures had the reply declined below each threshold (from the recorded confidences)."""
    table = []
    for threshold in thresholds:
        changed = []
        for result in results:
            declined = result.rule_declined or result.confidence < threshold
            if declined:
                changed.append(replace(result, prediction=None, f1=0.0))
            else:  # answered at this threshold: the model's best answer (also one withheld at the model's threshold)
                changed.append(replace(result, prediction=result.prediction or "", f1=result.candidate_f1))
        figures = abstention_figures(changed) or {}
        table.append({"threshold": threshold, **{key: value for key, value in figures.items() if key not in {"unanswerable", "answerable"}}})
    return table


def evaluate_squad(path: Path, limit: int | None = None, every: int = 1, show_progress_bar: bool = False, split: str = "all") -> SquadReport:
    """Build one index over all the file's articles in a temporary folder and ask the selected questions
    (of the `split` articles: fit, heldout or all)."""
    articles, questions = load_squad(path)
    chosen = select_questions(split_questions(questions, split), limit, every)
    with tempfile.TemporaryDirectory(prefix="qa-squad-") as folder:
        corpus_dir, index_dir = Path(folder) / "corpus", Path(folder) / "index"
        write_corpus(articles, corpus_dir)
        build = build_index(corpus_dir, index_dir)
        index = SentenceIndex.load(index_dir)
        items: Iterable[SquadQuestion] = chosen
        if show_progress_bar:
            from tqdm import tqdm

            items = tqdm(chosen, unit="question", desc="asking", file=sys.stderr)
        results = [ask_one(index, item) for item in items]
        del index  # release the memory maps before the folder goes
    scored = [result for result in results if result.answerable]  # EM, F1 and sentence@1 need a gold answer
    by_form = {form: figures_of([result for result in scored if result.form == form]) for form in FORMS}
    answer_types = sorted({result.answer_type for result in scored})
    by_answer_type = {kind: figures_of([result for result in scored if result.answer_type == kind]) for kind in answer_types}
    return SquadReport(
        file=str(path),
        articles=build.documents,
        sentences=build.sentences,
        build_seconds=build.seconds,
        overall=figures_of(scored),
        by_form={form: figures for form, figures in by_form.items() if figures.questions},
        by_answer_type=by_answer_type,
        results=tuple(results),
        split=split,
        abstention=abstention_figures(results),
        trade_off=tuple(trade_off_table(results)) if any(not result.answerable for result in results) else (),
    )


# ---------------------------------------------------------------- text report

def _row(name: str, figures: Figures) -> str:
    return (
        f"{name:<22} {figures.questions:>6} {figures.exact_match:>6.1f} {figures.f1:>6.1f} {figures.sentence_at_1:>7.3f} "
        f"{figures.answered_sentence_at_1:>8.3f} {figures.bm25_sentence_at_1:>7.3f} {100 * figures.declined:>8.1f}% {figures.ms_per_question:>6.1f}"
    )


def format_report(report: SquadReport) -> str:
    """The report as text: overall figures, the two breakdowns, and a sample of failures."""
    header = f"{'':<22} {'Qs':>6} {'EM':>6} {'F1':>6} {'sent@1':>7} {'ans s@1':>8} {'bm25@1':>7} {'declined':>9} {'ms/q':>6}"
    lines = [
        f"SQuAD open-corpus evaluation of {Path(report.file).name} ({report.split} articles' questions): {report.articles} articles, "
        f"{report.sentences} sentences indexed in {report.build_seconds:.1f} s",
        "",
        f"questions {report.overall.questions}  EM {report.overall.exact_match:.1f}  F1 {report.overall.f1:.1f}  "
        f"sentence@1 {report.overall.sentence_at_1:.3f} (answered questions {report.overall.answered_sentence_at_1:.3f})  declined {100 * report.overall.declined:.1f}%  "
        f"ms per question {report.overall.ms_per_question:.1f}",
        f"(bm25@1: the top BM25 sentence holds a gold answer, {report.overall.bm25_sentence_at_1:.3f}; not timed)",
        "",
        "by question form",
        header,
        *(_row(form, figures) for form, figures in report.by_form.items()),
        "",
        "by answer type chosen",
        header,
        *(_row(kind, figures) for kind, figures in report.by_answer_type.items()),
        "",
    ]
    if report.abstention:
        figures = report.abstention
        lines[2:2] = [
            f"SQuAD 2.0: {figures['unanswerable']} unanswerable questions, {100 * figures['unanswerable_declined']:.1f}% declined; "
            f"{figures['answerable']} answerable, {100 * figures['answerable_declined']:.1f}% declined, F1 {figures['answerable_f1']:.1f}; "
            f"SQuAD 2.0 score {figures['squad2_score']:.1f}",
            "(the figures below are over the answerable questions)",
            "",
        ]
        lines.append("trade-off had the reply declined below each threshold (from the recorded confidences)")
        lines.append(f"{'threshold':>9} {'unanswerable declined':>22} {'answerable declined':>20} {'answerable F1':>14} {'SQuAD 2.0 score':>16}")
        for row in report.trade_off:
            lines.append(f"{row['threshold']:>9.2f} {row['unanswerable_declined']:>22.3f} {row['answerable_declined']:>20.3f} {row['answerable_f1']:>14.1f} {row['squad2_score']:>16.1f}")
        lines.append("")
    failures = report.failures()
    wrong = sum(result.answerable and result.f1 < 0.5 for result in report.results)
    lines.append(f"sample of failures ({len(failures)} of {wrong} with F1 below 50)")
    for result in failures:
        prediction = "(declined)" if result.prediction is None else repr(result.prediction)
        lines.append(f"- [{result.form}] {result.question}")
        lines.append(f"  gold {' | '.join(sorted(set(result.answers)))!r}; answer {prediction} as {result.answer_type}, F1 {100 * result.f1:.0f}")
        if result.cited_sentence:
            lines.append(f"  cited: {result.cited_sentence[:200]}")
    return "\n".join(lines)
