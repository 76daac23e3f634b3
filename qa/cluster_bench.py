"""`python -m qa cluster bench`: the cluster's latency and agreement with the embedded index, on the same queries.

Queries are `qa.bench.make_queries` (question-like, from the corpus's own titles and
sentences). For each: the embedded top k and the cluster's exact top k (rows and scores
compared with ==), the rounds the cluster needed, and the engine's own bm25a top k (one
round, no client rescoring) to show how far the engine alone is from BM25Okapi.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from qa.bench import make_queries
from qa.index import SentenceIndex
from qa.sphinxql import open_cluster
from qa.text import analyze


@dataclass(frozen=True)
class ClusterBenchResult:
    """The figures (the keys of --json)."""

    sentences: int
    shards: int
    queries: int
    k: int
    identical: int
    rounds_mean: float
    rounds_max: int
    embedded_p50_ms: float
    embedded_p95_ms: float
    cluster_p50_ms: float
    cluster_p95_ms: float
    engine_only_overlap: float
    engine_only_same_order: float


def run(index_dir: Path, address: str, count: int, k: int) -> ClusterBenchResult:
    embedded = SentenceIndex.load(index_dir)
    cluster = open_cluster(address)
    retriever = cluster.retriever
    queries = [terms for terms in (analyze(query) for query in make_queries(embedded, count)) if terms]
    embedded_ms, cluster_ms, rounds, identical, overlaps, same_order = [], [], [], 0, [], 0
    for terms in queries:
        started = time.perf_counter()
        expected = embedded.retriever.search_terms(terms, k)
        embedded_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        got = retriever.search_terms(terms, k)
        cluster_ms.append((time.perf_counter() - started) * 1000)
        rounds.append(retriever.last.rounds)
        identical += got == expected
        engine_rows = retriever.engine_only(terms, k)
        expected_rows = [hit.row for hit in expected]
        overlaps.append(len(set(engine_rows) & set(expected_rows)) / max(1, len(expected_rows)))
        same_order += engine_rows == expected_rows
    retriever.close()
    return ClusterBenchResult(
        sentences=len(embedded),
        shards=len(retriever.manifest["shards"]),
        queries=len(queries),
        k=k,
        identical=identical,
        rounds_mean=round(float(np.mean(rounds)), 3),
        rounds_max=int(max(rounds)),
        embedded_p50_ms=round(float(np.percentile(embedded_ms, 50)), 2),
        embedded_p95_ms=round(float(np.percentile(embedded_ms, 95)), 2),
        cluster_p50_ms=round(float(np.percentile(cluster_ms, 50)), 2),
        cluster_p95_ms=round(float(np.percentile(cluster_ms, 95)), 2),
        engine_only_overlap=round(float(np.mean(overlaps)), 3),
        engine_only_same_order=round(same_order / len(queries), 3),
    )


def format_result(result: ClusterBenchResult) -> str:
    return "\n".join(f"{name}: {value}" for name, value in asdict(result).items())
