"""`python -m qa soak`: ask many questions in one process and print memory as it goes.

A long-running server must not grow: every cache is bounded and tied to what it caches.
The questions are made from the index's own titles and sentences with a few templates
(the benchmark's, `qa.bench.make_queries`), so they are the same on every run and need no
question file. Memory is the Python heap traced by tracemalloc (current and peak) and the
process's resident set (RSS), measured after a garbage collection.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass

from qa.errors import QAError
from qa.index import SentenceIndex


@dataclass(frozen=True)
class MemoryPoint:
    """Memory after `questions` questions (the keys of `--json`)."""

    questions: int
    seconds: float
    traced_mb: float | None
    traced_peak_mb: float | None
    rss_mb: float


def resident_mb() -> float:
    """This process's resident set size in MB (from /proc; 0 where there is none)."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def soak(index: SentenceIndex, questions: int, every: int, trace: bool = True, emit: Callable[[MemoryPoint], None] | None = None) -> list[MemoryPoint]:
    """Answer `questions` generated questions, measuring memory before the first and every `every` questions."""
    from qa.bench import make_queries
    from qa.pipeline import answer

    if questions < 1 or every < 1:
        raise QAError("--questions and --every must be at least 1")
    if not len(index) or not index.documents:
        raise QAError("the index has no sentences to make questions from")
    asked = make_queries(index, questions)
    points = []
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        for number, question in enumerate(asked):
            if number % every == 0:
                points.append(_measure(number, started, trace, emit))
            try:
                answer(question, index)
            except QAError:
                pass  # a generated question can be empty of words; memory is what is measured
        points.append(_measure(len(asked), started, trace, emit))
    finally:
        if trace:
            tracemalloc.stop()
    return points


def _measure(questions: int, started: float, trace: bool, emit) -> MemoryPoint:
    gc.collect()
    traced = tracemalloc.get_traced_memory() if trace else None
    point = MemoryPoint(
        questions=questions,
        seconds=round(time.perf_counter() - started, 2),
        traced_mb=round(traced[0] / 2**20, 1) if traced else None,
        traced_peak_mb=round(traced[1] / 2**20, 1) if traced else None,
        rss_mb=round(resident_mb(), 1),
    )
    if emit:
        emit(point)
    return point


def format_point(point: MemoryPoint) -> str:
    """One line of the plain output."""
    traced = f"heap {point.traced_mb:8.1f} MB (peak {point.traced_peak_mb:.1f} MB)  " if point.traced_mb is not None else ""
    return f"{point.questions:>8,} questions  {point.seconds:9.1f} s  {traced}RSS {point.rss_mb:8.1f} MB"


def to_json(point: MemoryPoint) -> dict:
    return asdict(point)
