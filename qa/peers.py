"""`python -m qa bench --peers`: tantivy and bm25s beside the project, on the same sentences and terms.

Every engine gets the project's own analysed terms (each sentence's terms joined by
spaces, split again on whitespace), so only the engine differs. The three searches
run one after another for each query in one process, so load on a shared machine
hits them alike; each query is timed from the raw text (the project's analyzer
included) to the engine's top 10. tantivy and bm25s are benchmark-only dependencies
(requirements-bench.txt), imported only here.
"""

from __future__ import annotations

import importlib.util
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.errors import QAError

PEER_MODULES = ("tantivy", "bm25s", "numba")
TOP = 10
INSTALL_HINT = ".venv/bin/pip install -r requirements-bench.txt"


@dataclass(frozen=True)
class EngineResult:
    """One engine's figures at one size (the `peers` entries of `bench --json`)."""

    engine: str
    build_cpu_s: float
    search_p50_ms: float
    search_p95_ms: float
    search_cpu_p50_ms: float
    search_cpu_p95_ms: float
    top10_overlap: float  # share of BM25Okapi's top-10 rows that the engine's top 10 holds
    same_ranking: float  # share of queries whose top 10 has BM25Okapi's scores slot by slot (identical up to ties)


def require_peers() -> None:
    """Fail with one clear line when a benchmark-only package is missing."""
    missing = [name for name in PEER_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise QAError(f"--peers needs {', '.join(missing)} (benchmark-only): {INSTALL_HINT}")


def _percentile(values: list[float], percent: float) -> float:
    return float(np.percentile(np.asarray(values), percent)) if values else float("nan")


def _timed(search: Callable[[str], object], query: str, wall: list[float], cpu: list[float]) -> object:
    started, started_cpu = time.perf_counter(), time.process_time()
    result = search(query)
    cpu.append((time.process_time() - started_cpu) * 1000)
    wall.append((time.perf_counter() - started) * 1000)
    return result


def child_peers(index_dir: str, tokens_file: str, queries_file: str) -> dict:
    """Run in a child process: build tantivy and bm25s over the analysed sentences, then time every engine per query.

    Returns per engine: build CPU seconds, wall and CPU times per query, and the rows of
    each query's top 10 (the parent compares them with BM25Okapi).
    """
    import bm25s
    import tantivy

    from qa.index import SentenceIndex
    from qa.text import analyze

    documents = Path(tokens_file).read_text(encoding="utf-8").split("\n")
    queries = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    index = SentenceIndex.load(Path(index_dir))
    index.warm()  # as a server does; tantivy's index is built in this process's memory, so neither pays first page faults

    started = time.process_time()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_unsigned_field("row", stored=True, indexed=False)
    schema = builder.build()
    tantivy_index = tantivy.Index(schema)
    writer = tantivy_index.writer(heap_size=500_000_000, num_threads=1)
    for row, text in enumerate(documents):
        document = tantivy.Document()
        document.add_text("body", text)
        document.add_unsigned("row", row)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    tantivy_index.reload()
    searcher = tantivy_index.searcher()
    tantivy_build = time.process_time() - started

    started = time.process_time()
    bm25s_model = bm25s.BM25(k1=1.5, b=0.75, method="robertson", backend="numba")
    bm25s_model.index([text.split() for text in documents], show_progress=False)
    vocabulary = bm25s_model.vocab_dict
    bm25s_build = time.process_time() - started
    del documents

    def search_project(query: str) -> list[int]:
        try:
            return [hit.row for hit in index.search(query, TOP)]
        except QAError:
            return []

    def search_tantivy(query: str) -> list:
        terms = analyze(query)
        if not terms:
            return []
        clauses = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", term, index_option="freq")) for term in terms]
        return [address for _, address in searcher.search(tantivy.Query.boolean_query(clauses), TOP).hits]

    def search_bm25s(query: str) -> list[int]:
        terms = [term for term in analyze(query) if term in vocabulary]
        if not terms:
            return []
        found, scores = bm25s_model.retrieve([terms], k=TOP, show_progress=False, n_threads=1, backend_selection="numba")
        return [int(row) for row, score in zip(found[0], scores[0]) if score > 0]

    engines = {"project": search_project, "tantivy": search_tantivy, "bm25s": search_bm25s}
    for query in queries[:10]:  # first touches and numba's compilation are not a steady state
        for search in engines.values():
            search(query)
    times = {name: ([], []) for name in engines}
    rows: dict[str, list[list[int]]] = {name: [] for name in engines}
    for query in queries:
        analyze(query)  # each engine then finds the query's tokens and stems cached alike (the first one timed no longer pays for the rest)
        for name, search in engines.items():
            result = _timed(search, query, *times[name])
            if name == "tantivy":
                result = [int(searcher.doc(address)["row"][0]) for address in result]  # not timed
            rows[name].append(result)
    builds = {"project": float("nan"), "tantivy": tantivy_build, "bm25s": bm25s_build}
    return {
        name: {"build_cpu_s": builds[name], "wall_ms": times[name][0], "cpu_ms": times[name][1], "rows": rows[name]}
        for name in engines
    }


def agreement(index, queries: list[str], rows_by_query: list[list[int]]) -> tuple[float, float]:
    """(share of BM25Okapi's top-10 rows found, share of queries ranked with BM25Okapi's scores slot by slot)."""
    from qa.text import analyze

    found = expected_total = same = 0
    for query, rows in zip(queries, rows_by_query):
        terms = analyze(query)
        if not terms:
            continue
        reference = index.retriever.search_terms_exhaustive(terms, TOP)  # equal to get_scores (tests/test_retriever.py)
        scores = index.retriever.scores(terms)
        expected_total += len(reference)
        found += len({hit.row for hit in reference} & set(rows))
        same += [float(scores[row]) for row in rows] == [hit.score for hit in reference]
    queries_with_terms = sum(1 for query in queries if analyze(query))
    return found / max(expected_total, 1), same / max(queries_with_terms, 1)


def engine_results(index, queries: list[str], measured: dict) -> list[EngineResult]:
    """Figures per engine from `child_peers`' measurements."""
    results = []
    for name, figures in measured.items():
        overlap, same = agreement(index, queries, figures["rows"])
        results.append(
            EngineResult(
                engine=name,
                build_cpu_s=round(figures["build_cpu_s"], 1),
                search_p50_ms=round(_percentile(figures["wall_ms"], 50), 3),
                search_p95_ms=round(_percentile(figures["wall_ms"], 95), 3),
                search_cpu_p50_ms=round(_percentile(figures["cpu_ms"], 50), 3),
                search_cpu_p95_ms=round(_percentile(figures["cpu_ms"], 95), 3),
                top10_overlap=round(overlap, 4),
                same_ranking=round(same, 4),
            )
        )
    return results


def peers_table(sentences: int, results: list[EngineResult]) -> str:
    """A markdown table: each engine's times and their ratio to the project's (measured in the same process)."""
    project = next(result for result in results if result.engine == "project")
    lines = [
        f"\n| {sentences:,} sentences | search p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | CPU p50 ratio | CPU p95 ratio | build CPU s | top-10 rows = BM25Okapi | ranking = BM25Okapi (up to ties) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        lines.append(
            f"| {result.engine} | {result.search_p50_ms:.3f} | {result.search_p95_ms:.3f} | {result.search_cpu_p50_ms:.3f} | "
            f"{result.search_cpu_p95_ms:.3f} | {result.search_cpu_p50_ms / project.search_cpu_p50_ms:.2f}x | "
            f"{result.search_cpu_p95_ms / project.search_cpu_p95_ms:.2f}x | {result.build_cpu_s:.1f} | "
            f"{result.top10_overlap:.1%} | {result.same_ranking:.1%} |"
        )
    return "\n".join(lines)
