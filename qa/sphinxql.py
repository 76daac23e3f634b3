"""Exact BM25Okapi retrieval from a Sphinx / Manticore cluster over SphinxQL (the MySQL wire protocol).

The engine's own `bm25a` is not BM25Okapi (float32, another idf, per-shard average
length), so a query runs in two phases:
1. the engine ranks the sentences sharing a query word by `bm25a` and returns the best K'
   with their term frequencies (PACKEDFACTORS) and its per-word idf; SHOW META gives each
   word's document frequency over all shards;
2. the client recomputes BM25Okapi for those K' exactly as the embedded index does, from the
   statistics manifest (N, average length, idf floor, sentence lengths), and proves that no
   sentence outside them can reach the top k: per word, BM25Okapi's contribution is at most a
   constant times the engine's (the ratio of idfs, times (k1+1), times the largest ratio of the
   two length normalisations), and the engine's parts of an unseen sentence sum to at most the
   K'-th engine weight less bm25a's constant 0.5 (confirmed on each query's rows), so filling
   that room with the words of highest ratio bounds every unseen sentence. When that bound is
   not below the k-th exact score, K' grows and the query runs again.
Every answer is checked: an agent error or timeout (a shard down or frozen) shows as a warning
in SHOW META and raises; so does a shard whose metadata row is not the manifest's (stale).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa.cluster import CLUSTER_MANIFEST, LENGTHS_FILE, META_ID_BASE, META_WORD, ClusterError, encode_term, read_cluster_manifest, row_shards
from qa.errors import EmptyQuestion
from qa.index import SentenceIndex
from qa.retriever import Hit, checked_mask, posting_scores

ADDRESS = re.compile(r"sphinxql:/{1,2}(?P<host>[^/:]+):(?P<port>\d+)/(?P<table>\w+)")
WEIGHT_SCALE = 1e8  # WEIGHT() is an integer: bm25a (about 0..1) is scaled to keep its digits
FIRST_DEPTH_FACTOR = 4  # K' starts at this many times k …
WIDEN_FACTOR = 4  # … and grows by this factor until the top k is certified
BOUND_SLACK = 1e-4  # relative: covers the engine's float32 weights and truncation to an integer
# Sphinx's bm25a is 0.5 plus the sum of its per-word parts idf × tf / (tf + k1 × (1 − b + b × length / the
# shard's average length)): checked on every query against the returned rows' PACKEDFACTORS (measured
# within 5e-5). Only the parts bound what BM25Okapi can give, so the offset is taken off the K'-th weight
# before the bound is filled; when the rows disagree with this form by more than the tolerance (another
# engine, another version) the bound takes the whole weight, which costs rounds, never exactness.
BM25A_OFFSET = 0.5
BM25A_TOLERANCE = 5e-4
MAX_SCOPE_RANGES = 5000  # runs of allowed rows sent as one filter expression (documents are contiguous runs)
CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 30
RANKING_OPTIONS = (
    # Sphinx 2.2.11 applies these two idf flags swapped with global_idf: this pair gives idf = log(N/n),
    # positive for every word in fewer than all sentences. The bound reads the engine's idfs from
    # PACKEDFACTORS, so other flags (or Manticore's) change only how many rounds a query takes.
    "ranker=expr('{scale:.0f}*bm25a({k1},{b})'), idf='normalized,tfidf_unnormalized', global_idf=1"
)
_FACTOR_WORD = re.compile(r"word(\d+)=\(tf=(\d+), idf=(-?[\d.eE+-]+)\)")


def is_cluster_address(location) -> bool:
    """Whether an --index location names a cluster (sphinxql://host:port/table) rather than a folder."""
    return str(location).startswith("sphinxql:")


@dataclass(frozen=True)
class ClusterAddress:
    host: str
    port: int
    table: str


def parse_address(location) -> ClusterAddress:
    """host, port and table of sphinxql://host:port/table (also after pathlib folded the //)."""
    match = ADDRESS.fullmatch(str(location))
    if not match:
        raise ClusterError(f"{location} is not a cluster address like sphinxql://127.0.0.1:9306/dist")
    return ClusterAddress(match["host"], int(match["port"]), match["table"])


@dataclass
class QueryStatistics:
    """How the last search went: rounds of widening and the final depth."""

    rounds: int = 0
    depth: int = 0
    certified_by: str = ""
    offset_confirmed: bool = False  # the rows matched bm25a's known form, so its constant was taken off the bound


@dataclass
class ClusterRetriever:
    """The embedded Retriever's interface (search_terms, sentences_containing, sentence_count) served by a cluster."""

    address: ClusterAddress
    manifest: dict
    lengths: np.ndarray = field(repr=False)
    row_shards: np.ndarray | None = field(default=None, repr=False)  # each row's shard (for its engine average length)
    last: QueryStatistics = field(default_factory=QueryStatistics)
    _connection: object = field(default=None, repr=False)

    @property
    def sentence_count(self) -> int:
        return int(self.manifest["sentences"])

    # -- connection and checks

    def _cursor(self):
        import pymysql

        if self._connection is None:
            try:
                self._connection = pymysql.connect(
                    host=self.address.host,
                    port=self.address.port,
                    user="",
                    password="",
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_SECONDS,
                    read_timeout=READ_TIMEOUT_SECONDS,
                    write_timeout=READ_TIMEOUT_SECONDS,
                )
            except pymysql.MySQLError as error:
                raise ClusterError(f"cannot reach the cluster at {self.where}: {error.args[-1] if error.args else error}") from None
        return self._connection.cursor()

    @property
    def where(self) -> str:
        return f"sphinxql://{self.address.host}:{self.address.port}/{self.address.table}"

    def _execute(self, sql: str, arguments: tuple = ()) -> tuple[list[tuple], dict[str, str]]:
        """Rows of one statement and its SHOW META; ClusterError on any error or warning (a shard missing)."""
        import pymysql

        try:
            cursor = self._cursor()
            cursor.execute(sql, arguments or None)
            rows = list(cursor.fetchall())
            cursor.execute("SHOW META")
            meta = {str(name): str(value) for name, value in cursor.fetchall()}
        except (TimeoutError, pymysql.MySQLError, OSError) as error:
            self.close()
            message = error.args[-1] if getattr(error, "args", None) else error
            raise ClusterError(f"the cluster at {self.where} failed the query: {message}") from None
        if meta.get("warning"):
            raise ClusterError(f"the cluster at {self.where} answered only in part (a shard is down, frozen or missing): {meta['warning']}")
        return rows, meta

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: BLE001 - a broken connection is dropped either way
                pass
            self._connection = None

    def check_shards(self) -> None:
        """Refuse a cluster whose shards are not the manifest's: each metadata row's stamp, and every shard answering."""
        rows, _ = self._execute(f"SELECT id, stamp FROM {self.address.table} WHERE MATCH(%s) LIMIT 1000", (META_WORD,))
        found = {int(identifier) - META_ID_BASE: int(stamp) for identifier, stamp in rows}
        expected = {number: int(shard["stamp"]) for number, shard in enumerate(self.manifest["shards"])}
        if found != expected:
            missing = sorted(set(expected) - set(found))
            wrong = sorted(number for number in set(found) & set(expected) if found[number] != expected[number])
            detail = "; ".join(
                part
                for part in (
                    f"shard(s) {missing} missing" if missing else "",
                    f"shard(s) {wrong} are from another export (stale)" if wrong else "",
                    f"unknown shard(s) {sorted(set(found) - set(expected))}" if set(found) - set(expected) else "",
                )
                if part
            )
            raise ClusterError(f"the cluster at {self.where} does not match its manifest: {detail}")

    def check_counts(self) -> None:
        """Refuse a cluster whose shards do not hold the manifest's sentence counts (one full scan: done once when opening)."""
        rows, _ = self._execute(f"SELECT stamp, COUNT(*) FROM {self.address.table} GROUP BY stamp LIMIT 1000")
        found = {int(stamp): int(count) - 1 for stamp, count in rows}  # each shard's metadata row
        expected = {int(shard["stamp"]): int(shard["sentences"]) for shard in self.manifest["shards"]}
        if found != expected:
            raise ClusterError(f"the cluster at {self.where} does not match its manifest: sentence counts {found} are not {expected}")

    # -- the retriever's interface

    def sentences_containing(self, term: str, first_row: int, end_row: int) -> int:
        """How many sentences in rows [first_row, end_row) contain an analysed term."""
        if end_row <= first_row:
            return 0
        rows, _ = self._execute(
            f"SELECT COUNT(*) FROM {self.address.table} WHERE MATCH(%s) AND id BETWEEN {int(first_row) + 1} AND {int(end_row)}",
            (encode_term(term),),
        )
        return int(rows[0][0]) if rows else 0

    def search_terms(self, terms: list[str], k: int = 10, allowed: np.ndarray | None = None) -> list[Hit]:
        """Top k sentences sharing a query term by exact BM25Okapi, ties broken by row: the embedded index's very hits.

        `allowed` (a boolean mask over the rows: a scope of outlets or dates) becomes a filter on
        the row ranges it allows, so the engine ranks only those and the bound holds among them."""
        if not terms:
            raise EmptyQuestion("the query has no searchable words (only stopwords or punctuation)")
        self.last = QueryStatistics()
        if k <= 0:
            return []
        scope_column, scope_filter = _scope_filter(allowed, self.sentence_count)
        if scope_filter is None:
            return []
        self.check_shards()
        words = list(dict.fromkeys(encode_term(term) for term in terms))
        query = " | ".join(words)
        depth = max(FIRST_DEPTH_FACTOR * k, 16)
        while True:
            self.last.rounds += 1
            self.last.depth = depth
            rows, meta = self._execute(
                f"SELECT id, WEIGHT(), PACKEDFACTORS(){scope_column} FROM {self.address.table} WHERE MATCH(%s){scope_filter} "
                f"LIMIT {depth} OPTION max_matches={depth}, "
                + RANKING_OPTIONS.format(scale=WEIGHT_SCALE, k1=self.manifest["k1"], b=self.manifest["b"]),
                (query,),
            )
            hits, certified = self._exact_top(terms, words, rows, meta, depth, k)
            if certified:
                return hits
            depth *= WIDEN_FACTOR

    def engine_only(self, terms: list[str], k: int) -> list[int]:
        """The rows the engine's own bm25a ranks first (one round, no rescoring): for measuring how far it is from BM25Okapi."""
        words = list(dict.fromkeys(encode_term(term) for term in terms))
        rows, _ = self._execute(
            f"SELECT id FROM {self.address.table} WHERE MATCH(%s) LIMIT {int(k)} OPTION max_matches={max(int(k), 1)}, "
            + RANKING_OPTIONS.format(scale=WEIGHT_SCALE, k1=self.manifest["k1"], b=self.manifest["b"]),
            (" | ".join(words),),
        )
        return [int(row[0]) - 1 for row in rows]

    # -- phase two

    def _exact_top(self, terms, words, rows, meta, depth, k) -> tuple[list[Hit], bool]:
        frequencies = _document_frequencies(meta, words)
        idf = {word: self._okapi_idf(frequencies.get(word, 0)) for word in words}
        total_found = int(meta.get("total_found", "0"))
        if not rows:
            self.last.certified_by = "no match"
            return [], total_found == 0
        found_rows = np.array([int(row[0]) - 1 for row in rows], dtype=np.int64)
        if found_rows.max() >= self.sentence_count or found_rows.min() < 0:
            raise ClusterError(f"the cluster at {self.where} returned rows the manifest does not have (stale)")
        term_frequency = np.zeros((len(words), len(rows)), dtype=np.int64)
        engine_idf: dict[int, float] = {}
        for column, row in enumerate(rows):
            for number, tf, word_idf in _FACTOR_WORD.findall(str(row[2])):
                term_frequency[int(number), column] = int(tf)
                engine_idf.setdefault(int(number), float(word_idf))
        lengths = self.lengths[found_rows]
        average = self.manifest["average_length"]
        scores = np.zeros(len(rows), dtype=np.float64)
        position = {word: number for number, word in enumerate(words)}
        for term in terms:  # the embedded order of the sum: every query term in turn, duplicates again
            number = position[encode_term(term)]
            present = term_frequency[number] > 0
            if present.any():
                contribution = posting_scores(np.float64(1.0), term_frequency[number][present], lengths[present], average)
                scores[present] += idf[words[number]] * contribution
        order = np.lexsort((found_rows, -scores))
        hits = [Hit(int(found_rows[i]), float(scores[i])) for i in order[:k]]
        if total_found <= len(rows):
            self.last.certified_by = "all matches"
            return hits, True
        if len(hits) < k:
            return hits, False
        parts_room = (int(rows[-1][1]) + 1) / WEIGHT_SCALE
        if self._offset_confirmed(rows, found_rows, term_frequency, engine_idf):
            parts_room += BM25A_TOLERANCE - BM25A_OFFSET
        bound = self._unseen_bound(terms, words, idf, engine_idf, parts_room)
        self.last.certified_by = "bound"
        return hits, hits[-1].score > bound

    def _okapi_idf(self, frequency: int) -> float:
        """rank-bm25's BM25Okapi idf for a document frequency (its expression, and its floor from the manifest)."""
        count = self.sentence_count
        value = math.log(count - frequency + 0.5) - math.log(frequency + 0.5)
        return self.manifest["idf_floor"] if value < 0 else value

    def _offset_confirmed(self, rows, found_rows, term_frequency, engine_idf) -> bool:
        """Whether every returned weight is BM25A_OFFSET plus its per-word parts (within BM25A_TOLERANCE)."""
        self.last.offset_confirmed = False
        if self.row_shards is None:
            return False
        averages = np.array([shard["engine_average_length"] for shard in self.manifest["shards"]], dtype=np.float64)
        k1, b = self.manifest["k1"], self.manifest["b"]
        normaliser = k1 * (1 - b + b * self.lengths[found_rows] / averages[self.row_shards[found_rows]])
        parts = np.zeros(len(found_rows), dtype=np.float64)
        for number, word_idf in engine_idf.items():
            tf = term_frequency[number].astype(np.float64)
            parts += word_idf * tf / (tf + normaliser)
        weights = np.array([int(row[1]) for row in rows], dtype=np.float64) / WEIGHT_SCALE
        self.last.offset_confirmed = bool(np.all(np.abs(weights - parts - BM25A_OFFSET) <= BM25A_TOLERANCE))
        return self.last.offset_confirmed

    def _unseen_bound(self, terms, words, idf, engine_idf, parts_room: float) -> float:
        """The most any sentence outside the candidates can score, when the engine gives it per-word parts summing to at most `parts_room`."""
        k1 = self.manifest["k1"]
        average = self.manifest["average_length"]
        length_ratio = max([1.0] + [average / shard["engine_average_length"] for shard in self.manifest["shards"]])
        multiplicity = {word: 0 for word in words}
        for term in terms:
            multiplicity[encode_term(term)] += 1
        # An unseen sentence's engine weight is a sum of per-word parts x_w, each at most the word's
        # engine idf (its tf part is below 1), in total at most the K'-th weight; BM25Okapi gives at most
        # ratio_w × x_w for each part. The largest such sum fills the words of highest ratio first.
        bounded, unbounded = [], 0.0
        for number, word in enumerate(words):
            most = multiplicity[word] * max(idf[word], 0.0) * (k1 + 1)  # a word's contribution: below this
            engine = engine_idf.get(number, 0.0)
            if engine > 1e-9:
                bounded.append((most * length_ratio / engine, engine))
            else:
                unbounded += most
        total, room = unbounded, parts_room
        for ratio, engine in sorted(bounded, reverse=True):
            if room <= 0:
                break
            part = min(engine, room)
            total += ratio * part
            room -= part
        return total * (1 + BOUND_SLACK)


def _scope_filter(allowed: np.ndarray | None, sentence_count: int) -> tuple[str, str | None]:
    """A select column and WHERE clause keeping the rows `allowed` marks (as runs of ids); ("", "") for every row, (…, None) for none."""
    allowed = checked_mask(allowed, sentence_count)
    if allowed is None:
        return "", ""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], allowed.view(np.int8), [0]))))
    if len(edges) == 0:
        return "", None
    if len(edges) // 2 > MAX_SCOPE_RANGES:
        raise ClusterError(f"the scope allows {len(edges) // 2} separate runs of sentences; a cluster takes at most {MAX_SCOPE_RANGES}: narrow it")
    ranges = " OR ".join(f"(id>={first + 1} AND id<={end})" for first, end in zip(edges[0::2].tolist(), edges[1::2].tolist()))
    return f", ({ranges}) AS in_scope", " AND in_scope=1"


def _document_frequencies(meta: dict[str, str], words: list[str]) -> dict[str, int]:
    """Each query word's sentence count over all shards, from SHOW META's keyword[i] / docs[i]."""
    frequencies = {}
    for name, value in meta.items():
        if name.startswith("keyword["):
            number = name[len("keyword[") : -1]
            frequencies[value] = int(meta.get(f"docs[{number}]", "0"))
    return frequencies


def open_cluster(location, check_counts: bool = True) -> SentenceIndex:
    """The sentence store of the index the cluster was exported from, with the cluster as its retriever.

    The cluster names its manifest in its metadata rows; the manifest names the index folder
    (texts, documents, paragraphs). Refused with ClusterError when any of them disagree.
    """
    address = parse_address(location)
    probe = ClusterRetriever(address, {"shards": [], "sentences": 0}, np.zeros(0, np.int32))
    rows, _ = probe._execute(f"SELECT info FROM {address.table} WHERE MATCH(%s) LIMIT 1000", (META_WORD,))
    probe.close()
    import json

    manifests = {json.loads(info).get("manifest") for (info,) in rows if info}
    if len(manifests) != 1:
        raise ClusterError(f"the cluster at {probe.where} names {len(manifests)} manifests; its shards come from different exports")
    manifest_path = Path(manifests.pop())
    manifest = read_cluster_manifest(manifest_path)
    lengths = np.load(manifest_path.parent / LENGTHS_FILE, mmap_mode="r", allow_pickle=False)
    if len(lengths) != manifest["sentences"]:
        raise ClusterError(f"{manifest_path.parent / LENGTHS_FILE} does not match {CLUSTER_MANIFEST}")
    retriever = ClusterRetriever(address, manifest, lengths)
    retriever.check_shards()
    if check_counts:
        retriever.check_counts()
    index = SentenceIndex.load(Path(manifest["index_dir"]))
    if index.manifest.get("generation") != manifest["index_generation"] or len(index) != manifest["sentences"]:
        raise ClusterError(
            f"the index in {manifest['index_dir']} is not the one the cluster was exported from (it was rebuilt); export and start the cluster again"
        )
    retriever.row_shards = row_shards(index, len(manifest["shards"]))
    index.retriever = retriever
    return index
