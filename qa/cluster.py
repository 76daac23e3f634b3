"""`python -m qa cluster export|start|stop`: the index's postings served by Sphinx / Manticore `searchd` shards.

An export folder holds everything a cluster needs, written from a built (embedded) index:
    cluster.json              the statistics manifest (N, average length, idf floor, analyzer and format
                              versions, the index folder and generation it came from, each shard's stamp)
    sentence_lengths.npy      every sentence's length in terms (for exact BM25Okapi on the client)
    shard-<i>.tsv             one shard's sentences: id (row + 1), stamp, info, the analysed terms as text
    indexer.conf              the plain indexes' sources and settings (generated)
The start step adds run/: the shards' indexes, dictionaries, the global IDF file, searchd configs,
logs and the PIDs it started.

Documents go to shards by a hash of their id, so adding a document changes one shard's
sentences (the client-side statistics in cluster.json change with any rebuild, which is the point
of keeping them out of the engine). Each shard also holds one metadata row (its stamp and the
manifest's path) matched by a reserved word, so a client can tell the cluster's shards from a
stale or foreign one on every query.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.errors import QAError
from qa.index import FORMAT_VERSION, SentenceIndex
from qa.retriever import EPSILON, K1, B
from qa.text import ANALYZER_VERSION, analyze

CLUSTER_FORMAT = "news-qa-cluster"
CLUSTER_FORMAT_VERSION = 1
CLUSTER_MANIFEST = "cluster.json"
LENGTHS_FILE = "sentence_lengths.npy"
TABLE = "dist"
META_WORD = "_meta"  # the metadata rows' only word; encoded terms start with "_x" or "_h", so it is never a term
META_ID_BASE = 1 << 40  # ids of the metadata rows (sentence ids are row + 1)
MAX_PLAIN_TERM = 40  # longer terms are hashed: Sphinx cuts words at 42 bytes
_PLAIN_TERM = re.compile(r"[a-z0-9]+")
AGENT_CONNECT_TIMEOUT_MS = 3000  # generous: on a loaded machine a loopback connect can wait for a SYN retry (1 s)
AGENT_QUERY_TIMEOUT_MS = 10000
START_TIMEOUT_SECONDS = 120.0


class ClusterError(QAError):
    """The cluster is down, partly down, stale, or does not match its manifest."""


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: shard sizes and where."""

    folder: Path
    shards: list[int]
    sentences: int
    seconds: float


def encode_term(term: str) -> str:
    """A term as one word the engine's charset (0-9, a-z, _) holds unchanged; plain terms stay readable.

    Other terms become "_x" + the hex of their UTF-8 bytes, or "_h" + a hash when that is
    too long; plain terms never contain "_", so no two terms share a word.
    """
    if len(term) <= MAX_PLAIN_TERM and _PLAIN_TERM.fullmatch(term):
        return term
    hexadecimal = term.encode("utf-8").hex()
    if len(hexadecimal) + 2 <= MAX_PLAIN_TERM:
        return "_x" + hexadecimal
    return "_h" + hashlib.blake2b(term.encode("utf-8"), digest_size=16).hexdigest()


def shard_of(doc_id: str, shards: int) -> int:
    """The shard a document belongs to: a stable hash of its id (not Python's salted hash)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big") % shards


def row_shards(index: SentenceIndex, shards: int) -> np.ndarray:
    """The shard of each sentence row: its document's."""
    document_shard = np.array([shard_of(document["doc_id"], shards) for document in index.documents], dtype=np.int32)
    return document_shard[np.asarray(index.arrays["sentence_doc"])]


def idf_floor(document_frequencies: np.ndarray, sentence_count: int) -> float:
    """BM25Okapi's floor for negative idfs (epsilon × the average idf over the vocabulary), summed in rank-bm25's order."""
    import math

    total = 0
    for frequency in document_frequencies.tolist():
        total += math.log(sentence_count - frequency + 0.5) - math.log(frequency + 0.5)
    return EPSILON * (total / len(document_frequencies))


def shard_stamp(export_id: str, shard: int) -> int:
    """A 32-bit number naming one shard of one export (a stale shard carries another)."""
    return int.from_bytes(hashlib.blake2b(f"{export_id}/{shard}".encode(), digest_size=4).digest(), "big")


# ---------------------------------------------------------------- export


def export(index_dir: Path, shards: int, out: Path, progress: bool = False) -> ExportReport:
    """Write the shards' source files, the indexer configuration and the statistics manifest."""
    started = time.perf_counter()
    if shards < 1:
        raise QAError("--shards must be at least 1")
    index = SentenceIndex.load(index_dir)
    out = Path(out).resolve()
    if out.exists() and any(out.iterdir()) and not (out / CLUSTER_MANIFEST).exists():
        raise QAError(f"{out} holds files that are not a cluster export; use an empty or new folder for --out")
    out.mkdir(parents=True, exist_ok=True)
    if (out / "run" / "pids.json").exists():
        raise QAError(f"the cluster in {out} is running; stop it first (python -m qa cluster stop --dir {out})")
    manifest_index = index.manifest
    export_id = hashlib.sha256(
        f"{manifest_index['generation']}/{manifest_index['corpus_fingerprint']}/{shards}/{time.time_ns()}".encode()
    ).hexdigest()[:16]
    stamps = [shard_stamp(export_id, shard) for shard in range(shards)]
    lengths = np.asarray(index.arrays["sentence_length"], dtype=np.int32)
    row_shard = row_shards(index, shards)
    manifest_path = out / CLUSTER_MANIFEST
    handles = [open(out / f"shard-{shard}.tsv", "w", encoding="ascii") for shard in range(shards)]
    counts = [0] * shards
    length_sums = [0] * shards
    rows = range(len(index))
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, desc="export", unit="sentence", mininterval=1.0)
    try:
        for shard, handle in enumerate(handles):
            info = json.dumps({"manifest": str(manifest_path), "shard": shard, "export": export_id})
            handle.write(f"{META_ID_BASE + shard}\t{stamps[shard]}\t{info}\t{META_WORD}\n")
        for row in rows:
            terms = analyze(index.sentence_text(row))
            if len(terms) != int(lengths[row]):
                raise QAError(f"sentence {row} analyses into {len(terms)} terms, not the index's {int(lengths[row])}; rebuild the index")
            shard = int(row_shard[row])
            counts[shard] += 1
            length_sums[shard] += len(terms)
            handles[shard].write(f"{row + 1}\t{stamps[shard]}\t\t{' '.join(map(encode_term, terms))}\n")
    finally:
        for handle in handles:
            handle.close()
    np.save(out / LENGTHS_FILE, lengths, allow_pickle=False)
    frequencies = np.diff(np.asarray(index.arrays["postings_offsets"]))
    parameters = manifest_index["parameters"]
    manifest = {
        "format": CLUSTER_FORMAT,
        "format_version": CLUSTER_FORMAT_VERSION,
        "export_id": export_id,
        "index_dir": str(Path(index_dir).resolve()),
        "index_generation": manifest_index["generation"],
        "index_format_version": FORMAT_VERSION,
        "analyzer_version": ANALYZER_VERSION,
        "sentences": len(index),
        "documents": len(index.documents),
        "terms": int(manifest_index["terms"]),
        "average_length": parameters["average_length"],
        "k1": K1,
        "b": B,
        "epsilon": EPSILON,
        "idf_floor": idf_floor(frequencies, len(index)),
        "table": TABLE,
        "shards": [
            {
                "name": f"shard{shard}",
                "stamp": stamps[shard],
                "sentences": counts[shard],
                "average_length": length_sums[shard] / counts[shard] if counts[shard] else 0.0,
                # what the engine divides by: the metadata row (one word) counts as a document
                "engine_average_length": (length_sums[shard] + 1) / (counts[shard] + 1),
            }
            for shard in range(shards)
        ],
    }
    (out / "indexer.conf").write_text(indexer_config(out, shards), encoding="utf-8")
    temporary = out / f".{CLUSTER_MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(temporary, manifest_path)
    return ExportReport(out, counts, len(index), time.perf_counter() - started)


def read_cluster_manifest(path: Path) -> dict:
    """The statistics manifest; ClusterError when it is missing or not one."""
    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ClusterError(f"cannot read the cluster manifest {path}: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != CLUSTER_FORMAT:
        raise ClusterError(f"{path} is not a cluster manifest")
    if manifest.get("format_version") != CLUSTER_FORMAT_VERSION:
        raise ClusterError(f"cluster manifest format {manifest.get('format_version')} is not the current {CLUSTER_FORMAT_VERSION}; export again")
    if manifest.get("analyzer_version") != ANALYZER_VERSION or manifest.get("index_format_version") != FORMAT_VERSION:
        raise ClusterError("the cluster was exported with another analyzer or index format; export and start it again")
    return manifest


# ---------------------------------------------------------------- configurations


def _index_block(folder: Path, shard: int) -> str:
    return f"""
source shard{shard}
{{
    type = tsvpipe
    tsvpipe_command = cat {folder / f"shard-{shard}.tsv"}
    tsvpipe_attr_uint = stamp
    tsvpipe_attr_string = info
    tsvpipe_field = terms
}}

index shard{shard}
{{
    source = shard{shard}
    path = {folder / "run" / f"shard{shard}" / f"shard{shard}"}
    docinfo = extern
    dict = keywords
    # the indexed text is already the project's analysed terms: no stemming, stopwords or length limit
    charset_table = 0..9, a..z, _
    min_word_len = 1
    index_field_lengths = 1
    global_idf = {folder / "run" / "global.idf"}
}}
"""


def indexer_config(folder: Path, shards: int) -> str:
    """The `indexer`/`indextool` configuration: one plain index per shard."""
    blocks = "".join(_index_block(folder, shard) for shard in range(shards))
    return f"# generated by python -m qa cluster export; do not edit\n{blocks}\nindexer\n{{\n    mem_limit = 256M\n}}\n"


def searchd_config(folder: Path, shard: int, shards: int, ports: list[dict], agent_query_timeout_ms: int = AGENT_QUERY_TIMEOUT_MS) -> str:
    """One shard's searchd: its plain index; shard 0 also serves the distributed table over all shards."""
    run = folder / "run"
    distributed = ""
    if shard == 0:
        agents = "".join(f"    agent_persistent = 127.0.0.1:{ports[other]['api']}:shard{other}\n" for other in range(1, shards))
        distributed = (
            f"\nindex {TABLE}\n{{\n    type = distributed\n    local = shard0\n{agents}"
            f"    agent_connect_timeout = {AGENT_CONNECT_TIMEOUT_MS}\n    agent_query_timeout = {agent_query_timeout_ms}\n}}\n"
        )
    return (
        f"# generated by python -m qa cluster start; do not edit\n{_index_block(folder, shard)}{distributed}\n"
        f"searchd\n{{\n"
        f"    listen = 127.0.0.1:{ports[shard]['sql']}:mysql41\n"
        f"    listen = 127.0.0.1:{ports[shard]['api']}\n"
        f"    log = {run / f'searchd-{shard}.log'}\n"
        f"    query_log = {run / f'query-{shard}.log'}\n"
        f"    pid_file = {run / f'searchd-{shard}.pid'}\n"
        f"    binlog_path =\n"
        f"    workers = threads\n"
        f"    listen_backlog = 128\n"
        f"    persistent_connections_limit = 16\n"
        f"    max_matches = 100000\n"
        f"    max_packet_size = 128M\n"  # PACKEDFACTORS of thousands of candidates exceed the 8M default
        f"    read_timeout = 5\n"
        f"}}\n"
    )


# ---------------------------------------------------------------- start and stop


def require_binaries() -> dict[str, str]:
    """Paths of searchd, indexer and indextool; ClusterError naming the package when absent."""
    found = {name: shutil.which(name) for name in ("searchd", "indexer", "indextool")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise ClusterError(f"{', '.join(missing)} not found; install Sphinx (apt-get install sphinxsearch) or Manticore Search")
    return found  # type: ignore[return-value]


def free_port() -> int:
    """A free loopback port (asked of the kernel)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(command: list[str], what: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ClusterError(f"{what} failed: {(result.stderr or result.stdout).strip().splitlines()[-1:]}")
    return result.stdout


def build_shards(folder: Path) -> None:
    """Run indexer for every shard, then the global IDF steps (dictionaries -> one global.idf)."""
    manifest = read_cluster_manifest(folder / CLUSTER_MANIFEST)
    require_binaries()
    run = folder / "run"
    config = folder / "indexer.conf"
    dictionaries = []
    for shard in range(len(manifest["shards"])):
        (run / f"shard{shard}").mkdir(parents=True, exist_ok=True)
    _run(["indexer", "--config", str(config), "--all", "--quiet"], "indexer")
    for shard in range(len(manifest["shards"])):
        dump = run / f"dictionary-{shard}.txt"
        dump.write_text(_run(["indextool", "--config", str(config), "--dumpdict", f"shard{shard}", "--stats"], "indextool --dumpdict"))
        dictionaries.append(str(dump))
    _run(["indextool", "--config", str(config), "--buildidf", *dictionaries, "--out", str(run / "global.idf")], "indextool --buildidf")


def shard_dictionary(folder: Path, shard: int) -> dict[str, int]:
    """A built shard's dictionary as the engine holds it: word -> sentences containing it (metadata word left out)."""
    text = (Path(folder) / "run" / f"dictionary-{shard}.txt").read_text()
    dictionary = {}
    for line in text.splitlines():
        parts = line.split(",")
        if len(parts) == 4 and parts[1].isdigit() and parts[0] != META_WORD:
            dictionary[parts[0]] = int(parts[1])
    return dictionary


def _is_our_searchd(pid: int, config: Path) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return bool(command) and command[0].endswith(b"searchd") and str(config).encode() in command


def start(folder: Path, build: bool = True, agent_query_timeout_ms: int = AGENT_QUERY_TIMEOUT_MS) -> str:
    """Build the shards (unless `build` is False), start one `searchd --nodetach` per shard; the cluster's address."""
    folder = Path(folder).resolve()
    manifest = read_cluster_manifest(folder / CLUSTER_MANIFEST)
    require_binaries()
    run = folder / "run"
    if (run / "pids.json").exists():
        stop(folder)
    if build:
        build_shards(folder)
    shards = len(manifest["shards"])
    ports = [{"sql": free_port(), "api": free_port()} for _ in range(shards)]
    processes, children = [], []
    try:
        for shard in range(shards):
            config = run / f"searchd-{shard}.conf"
            config.write_text(searchd_config(folder, shard, shards, ports, agent_query_timeout_ms), encoding="utf-8")
            with open(run / f"searchd-{shard}.out", "wb") as output:
                process = subprocess.Popen(
                    ["searchd", "--config", str(config), "--nodetach"], stdout=output, stderr=subprocess.STDOUT, start_new_session=True
                )
            children.append(process)
            processes.append({"pid": process.pid, "config": str(config), "ports": ports[shard]})
            _write_pids(run, processes)
        for shard, process in enumerate(processes):
            _wait_ready(children[shard], process, run / f"searchd-{shard}.out")
    except BaseException:
        stop(folder)
        for child in children:  # our own children: stopped whatever /proc says of them
            if child.poll() is None:
                child.kill()
                child.wait()
        raise
    return f"sphinxql://127.0.0.1:{ports[0]['sql']}/{manifest['table']}"


def _write_pids(run: Path, processes: list[dict]) -> None:
    (run / "pids.json").write_text(json.dumps(processes, indent=2), encoding="utf-8")


def _wait_ready(child: subprocess.Popen, process: dict, output: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:  # our own child: its exit status is the truth, not a read of /proc
            tail = output.read_text(errors="replace").strip().splitlines()[-3:] if output.exists() else []
            raise ClusterError(f"searchd ({process['config']}) exited with code {child.returncode}: {' / '.join(tail) or 'no output'}")
        if b"accepting connections" in output.read_bytes():
            try:
                with socket.create_connection(("127.0.0.1", process["ports"]["sql"]), timeout=1):
                    return
            except OSError:
                pass
        time.sleep(0.05)
    raise ClusterError(f"searchd ({process['config']}) did not start within {START_TIMEOUT_SECONDS:g} s")


def running_pids(folder: Path) -> list[int]:
    """PIDs of the searchd processes `start` recorded that are still ours and alive."""
    path = Path(folder).resolve() / "run" / "pids.json"
    try:
        processes = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return []
    return [item["pid"] for item in processes if _is_our_searchd(item["pid"], Path(item["config"]))]


def stop(folder: Path, timeout: float = 15.0) -> int:
    """Stop the searchd processes `start` recorded (by their PIDs, checked to be ours); how many were stopped."""
    folder = Path(folder).resolve()
    path = folder / "run" / "pids.json"
    pids = running_pids(folder)
    for pid in pids:
        _signal(pid, signal.SIGCONT)  # a frozen process cannot act on SIGTERM
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for pid in pids:
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _alive(pid):
            _signal(pid, signal.SIGKILL)
    for pid in pids:
        try:
            os.waitpid(pid, 0)  # reap our own children
        except ChildProcessError:
            pass
    path.unlink(missing_ok=True)
    return len(pids)


def _signal(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
