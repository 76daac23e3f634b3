"""`python -m qa bench`: build, load, search and answer speed and memory at several corpus sizes.

Each size gets a corpus folder of the first articles (in file order) whose
sentences reach the size. The build and the serving run in fresh child processes
so their memory is their own: the build's peak is the summed RSS of the build
process and its workers, sampled while it runs. The baseline is plain rank-bm25
(`BM25Okapi(token lists).get_scores`) on the same sentences and queries.
"""

from __future__ import annotations

import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from qa.corpus import corpus_files
from qa.errors import CorpusError, QAError

QUERY_COUNT = 240
EXACT_SAMPLE = 40  # queries whose pruned top 10 is compared with the exhaustive path on the replicated index
BASELINE_SAMPLE = {20_000: QUERY_COUNT, 200_000: 50}  # up to this many sentences: this many baseline queries
BASELINE_MINIMUM = 20
# A rough sentence count for choosing articles (the index reports the true count).
# Punkt finds about 2.3% fewer sentences than the raw count on the Wikipedia sample
# (978,282 against 1,000,094 at the 1M size), so the count is scaled by this.
ESTIMATE_SCALE = 0.977
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][a-z]{3,}")
_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class SizeResult:
    """The figures for one corpus size (the keys of `--json`)."""

    sentences: int
    documents: int
    build_s: float
    build_cpu_s: float
    build_peak_rss_mb: float
    rebuild_one_s: float
    rebuild_one_cpu_s: float
    serve_rss_mb: float
    index_mb: float
    load_s: float
    search_p50_ms: float
    search_p95_ms: float
    answer_p50_ms: float
    answer_p95_ms: float
    baseline_p50_ms: float
    baseline_queries: int
    speedup: float
    scores_identical: bool
    peers: list[dict] | None = None  # with --peers: qa.peers.EngineResult per engine, the project's included
    replicated: dict | None = None  # with --replicate N: a real index of N copies of the corpus, built and served (bench_replicated)
    warm_s: float | None = None  # qa.pipeline.warm_up after the load, before the timed queries (wall seconds)


# ---------------------------------------------------------------- corpus


def estimate_sentences(text: str) -> int:
    """A quick count of sentence ends, paragraph ends included (the real splitter is far slower)."""
    paragraphs = [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]
    return len(paragraphs) + sum(len(_SENTENCE_END.findall(paragraph)) for paragraph in paragraphs)


def _articles(source: Path) -> Iterator[tuple[str, str]]:
    """(file name, text) of every article of a .jsonl.xz file or a folder, in order."""
    if source.is_dir():
        for path in corpus_files(source):
            yield path.relative_to(source).as_posix(), path.read_text(encoding="utf-8", errors="replace")
        return
    if not source.is_file():
        raise CorpusError(f"benchmark corpus not found: {source}")
    opener = lzma.open if source.name.endswith(".xz") else open
    try:
        with opener(source, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if line.strip():
                    article = json.loads(line)
                    yield f"{number:06d}.txt", f"{article.get('title', '').strip()}\n\n{article['text'].strip()}\n"
    except (lzma.LZMAError, json.JSONDecodeError, KeyError, UnicodeDecodeError) as error:
        raise CorpusError(f"{source} is not a JSON Lines file of articles with a text field: {error}") from None


def write_corpus(source: Path, sentences: int, folder: Path) -> tuple[int, tuple[str, str] | None]:
    """Write the first articles reaching `sentences` into `folder`; return their count and the next article."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = _articles(source)
    written = estimated = 0
    for name, text in articles:
        if estimated >= sentences:
            return written, (name, text)
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written += 1
        estimated += estimate_sentences(text) * ESTIMATE_SCALE
    return written, None


def make_queries(index, count: int = QUERY_COUNT) -> list[str]:
    """Question-like queries from the index's own titles and sentences, the same on every run."""
    documents = index.documents
    templates: list[Callable[[str, list[str]], str]] = [
        lambda title, words: f"What is {title}?",
        lambda title, words: f"When did {title} {' '.join(words[:2])}?",
        lambda title, words: f"Who {' '.join(words[:3])}?",
        lambda title, words: f"Where did the {' '.join(words[1:5])} take place?",
        lambda title, words: f"How many {words[0]} were in {title}?",
    ]
    queries = []
    for number in range(count):
        document = documents[(number * 7919) % len(documents)]
        rows = index.document_rows(document["doc_id"])
        row = rows[(number * 37) % len(rows)] if len(rows) else 0
        words = _WORD.findall(index.sentence(row).text) or ["events"]
        words = (words * 5)[:5]
        queries.append(templates[number % len(templates)](document["title"][:60], words))
    return queries


# ---------------------------------------------------------------- child processes


def _process_tree_rss(root: int) -> int:
    """Summed resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def _run_child(function: str, arguments: list[str]) -> tuple[dict, float, float]:
    """Run `qa.bench.<function>(*arguments)` in a fresh interpreter: (its JSON result, wall seconds, peak tree RSS MB)."""
    code = f"import json, sys; from qa.bench import {function}; print(json.dumps({function}(*sys.argv[1:])))"
    environment = dict(os.environ, PYTHONPATH=_PACKAGE_PARENT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *arguments], stdout=subprocess.PIPE, env=environment)
    peak = 0
    finished = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not finished.is_set():
            peak = max(peak, _process_tree_rss(child.pid))
            finished.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # usage includes the workers the child waited for
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    finished.set()
    sampler.join()
    if child.returncode != 0:
        raise QAError(f"benchmark step {function} failed (exit code {child.returncode})")
    lines = output.decode("utf-8").strip().splitlines()
    result = dict(json.loads(lines[-1]), cpu_s=usage.ru_utime + usage.ru_stime)
    return result, seconds, max(peak / 2**20, usage.ru_maxrss / 1024)


def child_build(corpus_dir: str, index_dir: str) -> dict:
    """Run in a child process: build the index (with the progress bar)."""
    from qa.index import build_index

    report = build_index(Path(corpus_dir), Path(index_dir), show_progress_bar=True)
    return {"documents": report.documents, "sentences": report.sentences, "seconds": report.seconds}


def _vm_rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child_serve(index_dir: str, queries_file: str) -> dict:
    """Run in a child process: load the index, then time search and the full answer for every query."""
    from qa import pipeline
    from qa.index import SentenceIndex

    queries = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    started = time.perf_counter()
    index = SentenceIndex.load(Path(index_dir))
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pipeline.warm_up(index)  # as the API server does before serving: a steady state, not the first question's loads
    warm_seconds = time.perf_counter() - started
    for query in queries[:10]:
        index.search(query, 10)  # first touches of the mapped pages are not part of a steady state
    search_times = _timed(lambda query: index.search(query, 10), queries)
    answer_times = _timed(lambda query: pipeline.answer(query, index), queries)
    return {"load_s": load_seconds, "warm_s": warm_seconds, "search_ms": search_times, "answer_ms": answer_times, "serve_rss_mb": _vm_rss_mb()}


def _warmed(index) -> float:
    """`SentenceIndex.warm`, as a server does before serving (the mapped postings' first touches are not a steady state): its wall seconds."""
    started = time.perf_counter()
    index.warm()
    return time.perf_counter() - started


def _timed(function: Callable[[str], object], queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        try:
            function(query)
        except QAError:
            pass  # a query of stopwords only: still a request served
        times.append((time.perf_counter() - started) * 1000)
    return times


# ---------------------------------------------------------------- baseline


def analysed_sentences(index, progress: bool) -> list[list[str]]:
    """Every sentence's analysed terms (what BM25Okapi and the peers are given)."""
    from qa.text import analyze

    rows = range(len(index))
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, desc="analysing sentences", unit="sentence", file=sys.stderr, mininterval=1)
    return [analyze(index.sentence_text(row)) for row in rows]


def baseline(index, queries: list[str], sample: int, progress: bool, token_lists: list[list[str]] | None = None) -> tuple[list[float], bool]:
    """rank-bm25 used plainly: BM25Okapi over every sentence's terms, get_scores per query; and whether scores match."""
    from rank_bm25 import BM25Okapi

    from qa.text import analyze

    model = BM25Okapi(token_lists if token_lists is not None else analysed_sentences(index, progress))
    times, identical = [], True
    chosen = queries[:sample]
    if progress:
        from tqdm import tqdm

        chosen = tqdm(chosen, desc="baseline: get_scores", unit="query", file=sys.stderr)
    for query in chosen:
        terms = analyze(query)
        started = time.perf_counter()
        scores = model.get_scores(terms)
        times.append((time.perf_counter() - started) * 1000)
        identical = identical and bool(np.array_equal(scores, index.retriever.scores(terms)))
    del model
    return times, identical


# ---------------------------------------------------------------- the benchmark


def _percentile(values: list[float], percent: float) -> float:
    return float(np.percentile(np.asarray(values), percent)) if values else float("nan")


def _folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


def replicate_corpus(corpus_dir: Path, copies: int, folder: Path) -> int:
    """`copies` copies of a corpus folder as copy-01/, copy-02/, ... (hard links, so no extra disk): the same
    documents under distinct ids, in an order where each copy follows the whole of the one before. Returns the file count."""
    files = [path for path in sorted(corpus_dir.rglob("*")) if path.is_file()]
    for copy in range(1, copies + 1):
        for path in files:
            target = folder / f"copy-{copy:02d}" / path.relative_to(corpus_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:  # another file system, or no hard links: a real copy
                shutil.copyfile(path, target)
    return len(files) * copies


def child_replicated_serve(index_dir: str, queries_file: str) -> dict:
    """Run in a child process: load the replicated index, time search (wall and CPU), and check the pruned top 10 against the exhaustive path."""
    from qa.index import SentenceIndex
    from qa.text import analyze

    started = time.perf_counter()
    index = SentenceIndex.load(Path(index_dir))
    load_seconds = time.perf_counter() - started
    warm_seconds = _warmed(index)
    queries = [query for query in json.loads(Path(queries_file).read_text(encoding="utf-8")) if analyze(query)]
    for query in queries[:10]:
        index.search(query, 10)  # first touches of the mapped pages are not part of a steady state
    wall, cpu = [], []
    for query in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        index.search(query, 10)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    sample = queries[:EXACT_SAMPLE]
    identical = all(index.retriever.search_terms(analyze(query), 10) == index.retriever.search_terms_exhaustive(analyze(query), 10) for query in sample)
    return {
        "sentences": len(index),
        "documents": len(index.documents),
        "postings": int(index.manifest["postings"]),
        "load_s": round(load_seconds, 3),
        "warm_s": round(warm_seconds, 3),
        "search_p50_ms": round(_percentile(wall, 50), 3),
        "search_p95_ms": round(_percentile(wall, 95), 3),
        "search_cpu_p50_ms": round(_percentile(cpu, 50), 3),
        "search_cpu_p95_ms": round(_percentile(cpu, 95), 3),
        "same_top10_as_exhaustive": identical,
        "exact_queries": len(sample),
        "serve_rss_mb": round(_vm_rss_mb(), 1),
    }


def bench_replicated(corpus_dir: Path, workspace: Path, copies: int, queries_file: Path) -> dict:
    """Build a real index of `copies` copies of the corpus and serve it: build time, CPU and peak memory, load, search.

    The copies' documents are the same bytes under other ids, so the build analyses each
    document once and takes the other copies' analyses from its analysis cache, as a rebuild
    does: its time is one copy's analysis plus streaming, merging and writing all of them.
    """
    copies_dir, index_dir = workspace / f"corpus-x{copies}", workspace / f"index-x{copies}"
    replicate_corpus(corpus_dir, copies, copies_dir)
    print(f"bench: building the index of {copies} copies", file=sys.stderr)
    built, build_seconds, build_peak = _run_child("child_build", [str(copies_dir), str(index_dir)])
    from qa.index import MANIFEST

    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    index_mb = _folder_mb(index_dir / manifest["generation"]) + (index_dir / MANIFEST).stat().st_size / 2**20
    served, _, _ = _run_child("child_replicated_serve", [str(index_dir), str(queries_file)])
    served.pop("cpu_s", None)
    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.rmtree(copies_dir, ignore_errors=True)
    figures = {
        "copies": copies,
        **served,
        "build_s": round(build_seconds, 2),
        "build_cpu_s": round(built["cpu_s"], 1),
        "build_peak_rss_mb": round(build_peak, 1),
        "index_mb": round(index_mb, 1),
    }
    print(f"bench: {copies} copies: {json.dumps(figures)}", file=sys.stderr)  # before the slow baseline of the size
    return figures


def child_peers(index_dir: str, tokens_file: str, queries_file: str) -> dict:
    """Run in a child process: tantivy and bm25s beside the project (qa.peers; benchmark-only packages)."""
    from qa.peers import child_peers as measure

    return measure(index_dir, tokens_file, queries_file)


def bench_size(source: Path, sentences: int, workspace: Path, show_progress: bool, peers: bool = False, replicate: int = 1) -> SizeResult:
    """Every figure for one size, in a workspace folder that is emptied afterwards."""
    from qa.index import MANIFEST, SentenceIndex

    corpus_dir, index_dir = workspace / "corpus", workspace / "index"
    documents, next_article = write_corpus(source, sentences, corpus_dir)
    if documents == 0:
        raise CorpusError(f"no articles in {source}")

    built, build_seconds, build_peak = _run_child("child_build", [str(corpus_dir), str(index_dir)])
    rebuild_seconds = rebuild_cpu = float("nan")
    if next_article is not None:
        name, text = next_article
        (corpus_dir / name).write_text(text, encoding="utf-8")
        rebuilt, rebuild_seconds, _ = _run_child("child_build", [str(corpus_dir), str(index_dir)])
        rebuild_cpu = rebuilt["cpu_s"]
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    index_mb = _folder_mb(index_dir / manifest["generation"]) + (index_dir / MANIFEST).stat().st_size / 2**20

    index = SentenceIndex.load(index_dir)
    queries = make_queries(index)
    queries_file = workspace / "queries.json"
    queries_file.write_text(json.dumps(queries), encoding="utf-8")
    served, _, _ = _run_child("child_serve", [str(index_dir), str(queries_file)])
    replicated = bench_replicated(corpus_dir, workspace, replicate, queries_file) if replicate > 1 else None

    sample = next((count for limit, count in sorted(BASELINE_SAMPLE.items()) if len(index) <= limit), BASELINE_MINIMUM)
    token_lists = analysed_sentences(index, show_progress) if peers else None
    peer_figures = None
    if peers:
        from qa.peers import engine_results

        tokens_file = workspace / "tokens.txt"
        tokens_file.write_text("\n".join(" ".join(tokens) for tokens in token_lists), encoding="utf-8")
        print("bench: tantivy and bm25s beside the project", file=sys.stderr)
        measured, _, _ = _run_child("child_peers", [str(index_dir), str(tokens_file), str(queries_file)])
        measured.pop("cpu_s", None)
        peer_figures = [asdict(result) for result in engine_results(index, queries, measured)]
    baseline_times, identical = baseline(index, queries, sample, show_progress, token_lists)
    search_p50 = _percentile(served["search_ms"], 50)
    baseline_p50 = _percentile(baseline_times, 50)
    return SizeResult(
        sentences=len(index),
        documents=len(index.documents),
        build_s=round(build_seconds, 2),
        build_cpu_s=round(built["cpu_s"], 1),
        build_peak_rss_mb=round(build_peak, 1),
        rebuild_one_s=round(rebuild_seconds, 2),
        rebuild_one_cpu_s=round(rebuild_cpu, 2),
        serve_rss_mb=round(served["serve_rss_mb"], 1),
        index_mb=round(index_mb, 1),
        load_s=round(served["load_s"], 3),
        warm_s=round(served["warm_s"], 3),
        search_p50_ms=round(search_p50, 3),
        search_p95_ms=round(_percentile(served["search_ms"], 95), 3),
        answer_p50_ms=round(_percentile(served["answer_ms"], 50), 3),
        answer_p95_ms=round(_percentile(served["answer_ms"], 95), 3),
        baseline_p50_ms=round(baseline_p50, 2),
        baseline_queries=len(baseline_times),
        speedup=round(baseline_p50 / search_p50, 1) if search_p50 > 0 else float("nan"),
        scores_identical=identical,
        peers=peer_figures,
        replicated=replicated,
    )


def parse_sizes(text: str) -> list[int]:
    """'10000,100000' -> [10000, 100000]; a clear error otherwise."""
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise QAError(f"--sizes must be comma-separated whole numbers, not {text!r}") from None
    if not sizes or any(size <= 0 for size in sizes):
        raise QAError(f"--sizes must be positive numbers, not {text!r}")
    return sizes


TABLE_COLUMNS = [
    ("sentences", "sentences", "{:,}"),
    ("build_s", "build s", "{:.1f}"),
    ("build_cpu_s", "build CPU s", "{:.0f}"),
    ("build_peak_rss_mb", "build peak MB", "{:,.0f}"),
    ("rebuild_one_s", "rebuild +1 s", "{:.1f}"),
    ("rebuild_one_cpu_s", "rebuild +1 CPU s", "{:.1f}"),
    ("serve_rss_mb", "serve RSS MB", "{:,.0f}"),
    ("index_mb", "index MB", "{:,.0f}"),
    ("load_s", "load s", "{:.2f}"),
    ("search_p50_ms", "search p50 ms", "{:.2f}"),
    ("search_p95_ms", "search p95 ms", "{:.2f}"),
    ("answer_p50_ms", "answer p50 ms", "{:.1f}"),
    ("answer_p95_ms", "answer p95 ms", "{:.1f}"),
    ("baseline_p50_ms", "get_scores p50 ms", "{:,.1f}"),
    ("speedup", "speed-up", "{:,.0f}x"),
    ("scores_identical", "same scores", "{}"),
]


def table_header() -> str:
    return "| " + " | ".join(title for _, title, _ in TABLE_COLUMNS) + " |\n|" + "---:|" * len(TABLE_COLUMNS)


def table_row(result: SizeResult) -> str:
    values = asdict(result)
    return "| " + " | ".join(form.format(values[key]) for key, _, form in TABLE_COLUMNS) + " |"


def run(
    source: Path, sizes: list[int], as_json: bool, emit: Callable[[str], None] = print, peers: bool = False, replicate: int = 1
) -> list[SizeResult]:
    """Benchmark every size in turn, printing each result as soon as it is measured."""
    source = Path(source)
    if not source.exists():
        raise CorpusError(f"benchmark corpus not found: {source}")
    if peers:
        from qa.peers import require_peers

        require_peers()
    peer_tables = []
    results = []
    if not as_json:
        emit(table_header())
    for size in sizes:
        print(f"bench: {size:,} sentences", file=sys.stderr)
        workspace = Path(tempfile.mkdtemp(prefix=f"qa-bench-{size}-"))
        try:
            result = bench_size(source, size, workspace, show_progress=True, peers=peers, replicate=replicate)
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        results.append(result)
        emit(json.dumps(asdict(result)) if as_json else table_row(result))
        if result.peers and not as_json:
            from qa.peers import EngineResult, peers_table

            peer_tables.append(peers_table(result.sentences, [EngineResult(**figures) for figures in result.peers]))
    if not as_json:
        emit(
            "\nbuild CPU s, rebuild +1 CPU s: user + system time of the build and its workers; build peak MB: summed RSS of the build process and its workers; serve RSS: the process that loaded the index "
            "and answered every query; rebuild +1: rebuild after adding the next article; get_scores: rank-bm25 BM25Okapi "
            "over the same sentences and queries."
        )
        replicated = [result for result in results if result.replicated]
        if replicated:
            emit(
                f"\n| {replicate} copies: sentences | build s | build CPU s | build peak MB | index MB | load s | search p50 ms | p95 ms | "
                "CPU p50 ms | CPU p95 ms | top 10 = exhaustive | serve RSS MB |"
            )
            emit("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
            for result in replicated:
                figures = result.replicated
                emit(
                    f"| {figures['sentences']:,} | {figures['build_s']:.1f} | {figures['build_cpu_s']:.0f} | {figures['build_peak_rss_mb']:,.0f} | "
                    f"{figures['index_mb']:,.0f} | {figures['load_s']:.2f} | {figures['search_p50_ms']:.3f} | {figures['search_p95_ms']:.3f} | "
                    f"{figures['search_cpu_p50_ms']:.3f} | {figures['search_cpu_p95_ms']:.3f} | "
                    f"{figures['same_top10_as_exhaustive']} ({figures['exact_queries']} queries) | {figures['serve_rss_mb']:,.0f} |"
                )
            emit(
                f"\n{replicate} copies: a real index of the size's corpus {replicate} times over (the same files under copy-NN/ ids), "
                "built by `qa index build`'s streaming build in a child process and loaded memory-mapped in another; the build analyses "
                "each distinct document once and reads the other copies' analyses from its cache."
            )
        for table in peer_tables:
            emit(table)
        if peer_tables:
            emit(
                "\npeers: every engine searched the project's analysed terms, one query after another in one process; "
                "times from the query text to the top 10 (the project's analyzer included); ratios are CPU time against the project's; "
                "BM25Okapi's top 10 from the exhaustive path (equal to get_scores); 'up to ties': the engine's rows have BM25Okapi's scores slot by slot."
            )
    return results
