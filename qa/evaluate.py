"""Canned-question evaluation: answer accuracy, citation accuracy, abstention precision and recall.

A canned file is JSON: {"cases": [{"id", "question", "answers": [regex…], "docs": [doc id…],
"decline": bool, "after": [earlier questions of the same conversation], "split": "dev" | "heldout", …}]}.
A case without "split" belongs to no split (only to "all"). Questions are split by article, so the
figures of the "heldout" part measure what nothing was tuned on.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import QAError
from qa.index import SentenceIndex, corpus_fingerprint
from qa.results import Answer

SPLITS = ("dev", "heldout")
ALL = "all"


@dataclass(frozen=True)
class CaseResult:
    """How the answerer did on one canned case."""

    case_id: str
    question: str
    split: str | None
    expected_decline: bool
    declined: bool
    answer_correct: bool
    citation_correct: bool
    answer: str | None
    cited_docs: tuple[str, ...]
    problem: str | None
    result: Answer = field(compare=False, repr=False)


@dataclass(frozen=True)
class SplitFigures:
    """The figures a reader cares about on one split: right answers with a right source, and declines."""

    split: str
    answerable: int
    answered_right_with_source: int
    answered_right_wrong_source: int
    answered_wrong: int
    answerable_declined: int
    unanswerable: int
    unanswerable_declined: int

    @classmethod
    def of(cls, split: str, cases: list[CaseResult]) -> SplitFigures:
        answerable = [case for case in cases if not case.expected_decline]
        unanswerable = [case for case in cases if case.expected_decline]
        return cls(
            split,
            len(answerable),
            sum(case.answer_correct and case.citation_correct for case in answerable),
            sum(case.answer_correct and not case.citation_correct for case in answerable),
            sum(not case.answer_correct and not case.declined for case in answerable),
            sum(case.declined for case in answerable),
            len(unanswerable),
            sum(case.declined for case in unanswerable),
        )

    def to_json(self) -> dict:
        return {
            "answerable": self.answerable,
            "answered_right_with_source": self.answered_right_with_source,
            "answered_right_wrong_source": self.answered_right_wrong_source,
            "answered_wrong": self.answered_wrong,
            "answerable_declined": self.answerable_declined,
            "unanswerable": self.unanswerable,
            "unanswerable_declined": self.unanswerable_declined,
            "right_with_source_share": round(_share(self.answered_right_with_source, self.answerable), 4),
            "answerable_declined_share": round(_share(self.answerable_declined, self.answerable), 4),
            "unanswerable_declined_share": round(_share(self.unanswerable_declined, self.unanswerable), 4),
        }


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class Report:
    """Figures over a canned file, and the cases that failed."""

    cases: tuple[CaseResult, ...]
    threshold: float | None  # None: the answer model's own

    @property
    def answer_accuracy(self) -> float:
        return sum(case.answer_correct for case in self.cases) / max(1, len(self.cases))

    @property
    def citation_accuracy(self) -> float:
        answerable = [case for case in self.cases if not case.expected_decline]
        return sum(case.citation_correct for case in answerable) / max(1, len(answerable))

    @property
    def abstention_precision(self) -> float:
        declined = [case for case in self.cases if case.declined]
        return sum(case.expected_decline for case in declined) / len(declined) if declined else 1.0

    @property
    def abstention_recall(self) -> float:
        should = [case for case in self.cases if case.expected_decline]
        return sum(case.declined for case in should) / len(should) if should else 1.0

    @property
    def failures(self) -> list[CaseResult]:
        return [case for case in self.cases if not (case.answer_correct and case.citation_correct)]

    def by_split(self) -> list[SplitFigures]:
        """Figures for each split present (dev, heldout), then for all the cases together."""
        present = [split for split in SPLITS if any(case.split == split for case in self.cases)]
        rows = [SplitFigures.of(split, [case for case in self.cases if case.split == split]) for split in present]
        return rows + [SplitFigures.of(ALL, list(self.cases))]

    def to_json(self) -> dict:
        return {
            "questions": len(self.cases),
            "threshold": self.threshold,
            "answer_accuracy": round(self.answer_accuracy, 4),
            "citation_accuracy": round(self.citation_accuracy, 4),
            "abstention_precision": round(self.abstention_precision, 4),
            "abstention_recall": round(self.abstention_recall, 4),
            "splits": {figures.split: figures.to_json() for figures in self.by_split()},
            "failures": [
                {"id": case.case_id, "split": case.split, "question": case.question, "answer": case.answer, "cited": list(case.cited_docs), "problem": case.problem}
                for case in self.failures
            ],
        }


def load_cases(path: Path) -> list[dict]:
    """The cases of a canned-question file, checked for the fields every case needs."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise QAError(f"cannot read canned questions from {path}: {error}") from None
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, list) or not cases:
        raise QAError(f"{path} has no list of cases")
    for number, case in enumerate(cases, start=1):
        if not isinstance(case, dict) or "question" not in case or ("answers" not in case and not case.get("decline")):
            raise QAError(f"case {number} of {path} needs a question and answers (or decline: true)")
        if case.get("split") is not None and case["split"] not in SPLITS:
            raise QAError(f"case {number} of {path} has split {case['split']!r}; use one of {', '.join(SPLITS)}")
    return cases


def evaluation_index_folder(corpus_dir: Path) -> Path:
    """Where `eval --corpus DIR` keeps the index of DIR: a user cache folder keyed by the corpus's content.

    The corpus folder is only read (it may be shared or read-only), and the repository's own index
    of the seeds is left alone. `QA_CACHE_DIR` overrides the place, else `$XDG_CACHE_HOME/news-qa`,
    else `~/.cache/news-qa`. Equal corpora share one index; a changed corpus gets a new folder.
    """
    root = os.environ.get("QA_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-qa"
    return Path(root) / "eval-index" / corpus_fingerprint(Path(corpus_dir))[:16]


def select_split(cases: list[dict], split: str = ALL) -> list[dict]:
    """The cases of one split ("dev", "heldout"), or all of them for "all"."""
    if split == ALL:
        return cases
    if split not in SPLITS:
        raise QAError(f"unknown split {split!r}; use one of {', '.join((*SPLITS, ALL))}")
    chosen = [case for case in cases if case.get("split") == split]
    if not chosen:
        raise QAError(f"no case has split {split!r}")
    return chosen


def check_case(case: dict, result: Answer) -> CaseResult:
    """Compare one answer with what the case accepts."""
    expected_decline = bool(case.get("decline"))
    cited = tuple(dict.fromkeys(citation.doc for citation in result.citations))
    problem = None
    if expected_decline:
        answer_correct = result.declined
        citation_correct = answer_correct
        if not answer_correct:
            problem = "answered a question it should decline"
    else:
        patterns = case.get("answers", [])
        required = case.get("text_must_match", [])
        answer_correct = (
            not result.declined
            and any(re.search(pattern, result.answer or "", re.IGNORECASE) for pattern in patterns)
            and all(re.search(pattern, result.text, re.IGNORECASE) for pattern in required)
        )
        if result.declined:
            problem = "declined"
        elif not answer_correct:
            problem = f"answer {result.answer!r} does not match {patterns}" + (f" and {required}" if required else "")
        documents = case.get("docs", [])
        if case.get("cite") == "all":
            citation_correct = all(document in cited for document in documents)
        else:
            citation_correct = not documents or any(document in cited for document in documents)
        if answer_correct and not citation_correct:
            problem = f"cited {list(cited)}, expected {'all' if case.get('cite') == 'all' else 'one'} of {documents}"
    return CaseResult(
        case.get("id", case["question"]), case["question"], case.get("split"), expected_decline, result.declined,
        answer_correct, citation_correct, result.answer, cited, problem, result,
    )  # fmt: skip


def run_cases(cases: list[dict], index: SentenceIndex, threshold: float | None = None) -> Report:
    """Answer every case (earlier questions of its conversation first) and score it."""
    from qa.pipeline import answer

    results = []
    for case in cases:
        history: list[Answer] = []
        for earlier in case.get("after", []):
            history.append(answer(earlier, index, history, threshold=threshold))
        result = answer(case["question"], index, history or None, threshold=threshold)
        results.append(check_case(case, result))
    return Report(tuple(results), threshold)


def run_canned(
    path: Path, index: SentenceIndex, limit: int | None = None, threshold: float | None = None, split: str = ALL
) -> Report:
    """Evaluate a canned-question file (or one split of it) against an index."""
    cases = select_split(load_cases(path), split)
    return run_cases(cases[:limit] if limit else cases, index, threshold)


def threshold_table(cases: list[dict], index: SentenceIndex, thresholds: list[float]) -> list[dict]:
    """Answer accuracy and abstention figures at several thresholds (to choose the default)."""
    rows = []
    for threshold in thresholds:
        report = run_cases(cases, index, threshold)
        rows.append({key: value for key, value in report.to_json().items() if key not in {"failures", "splits"}})
    return rows


def format_report(report: Report) -> str:
    """The figures and the failures, for the terminal."""
    lines = [
        f"{len(report.cases)} questions (abstention threshold {'of the answer model' if report.threshold is None else report.threshold})",
        f"answer accuracy       {report.answer_accuracy:.3f}",
        f"citation accuracy     {report.citation_accuracy:.3f}",
        f"abstention precision  {report.abstention_precision:.3f}",
        f"abstention recall     {report.abstention_recall:.3f}",
    ]
    lines.append("")
    lines.append(f"{'split':<8} {'answerable':>10} {'right+source':>13} {'declined':>9} {'unanswerable':>13} {'declined':>9}")
    for figures in report.by_split():
        lines.append(
            f"{figures.split:<8} {figures.answerable:>10} "
            f"{_count_and_share(figures.answered_right_with_source, figures.answerable):>13} "
            f"{_count_and_share(figures.answerable_declined, figures.answerable):>9} "
            f"{figures.unanswerable:>13} {_count_and_share(figures.unanswerable_declined, figures.unanswerable):>9}"
        )
    failures = report.failures
    lines.append(f"failures: {len(failures)}")
    for case in failures:
        where = f" [{case.split}]" if case.split else ""
        lines.append(f"  {case.case_id}{where}: {case.question}\n      {case.problem}")
    return "\n".join(lines)


def _count_and_share(part: int, whole: int) -> str:
    return f"{part} {_share(part, whole):.0%}" if whole else "-"
