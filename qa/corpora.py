"""A corpus as one or more folders: the shipped seeds, plus the user's own folder of added articles.

Uploads never go into the seeds (tracked by git, kept as shipped) but into a user corpus folder
(`user-corpus/` next to the seeds by default, ignored by git; QA_USER_CORPUS names another). The
index covers both. Documents of the first folder keep their plain ids (`004_x.txt`); documents of
the other folders are prefixed with their folder's name (`user-corpus/harbour.txt`), so ids never
collide and a citation shows where an article came from. A later folder that does not exist yet
contributes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa.corpus import SkippedFile, document_id, scan_corpus
from qa.errors import CorpusError

CorpusSpec = Path | str | Sequence[Path | str]
USER_CORPUS_NAME = "user-corpus"


def user_corpus_folder(seeds: Path) -> Path:
    """Where uploaded articles go: QA_USER_CORPUS, else `user-corpus/` beside the seeds folder."""
    configured = os.environ.get("QA_USER_CORPUS")
    return Path(configured).resolve() if configured else Path(seeds).resolve().parent / USER_CORPUS_NAME


def corpus_folders(corpus: CorpusSpec) -> list[Path]:
    """The folders of a corpus given as one folder or a list: resolved, duplicates dropped, later missing ones dropped."""
    items = [corpus] if isinstance(corpus, (str, Path)) else list(corpus)
    if not items:
        raise CorpusError("no corpus folder given")
    folders = list(dict.fromkeys(Path(item).resolve() for item in items))
    return folders[:1] + [folder for folder in folders[1:] if folder.is_dir()]


@dataclass(frozen=True)
class NamedListing:
    """The usable document files of every folder with their document ids, and the files left out with why."""

    files: list[tuple[Path, str]]
    skipped: list[SkippedFile]


def scan_corpora(corpus: CorpusSpec) -> NamedListing:
    """(file, document id) of every usable document of every folder, in a stable order; CorpusError on id clashes."""
    files: list[tuple[Path, str]] = []
    skipped: list[SkippedFile] = []
    seen: dict[str, Path] = {}
    for position, folder in enumerate(corpus_folders(corpus)):
        prefix = "" if position == 0 else folder.name + "/"
        listing = scan_corpus(folder)
        skipped.extend(SkippedFile(prefix + item.name, item.reason) for item in listing.skipped)
        for path in listing.files:
            doc_id = prefix + document_id(path, folder)
            if doc_id in seen:
                raise CorpusError(f"two corpus files have the id {doc_id}: {seen[doc_id]} and {path}; rename one folder")
            seen[doc_id] = path
            files.append((path, doc_id))
    return NamedListing(files, skipped)


def corpus_listing(corpus: CorpusSpec) -> list[tuple[Path, str]]:
    """(file, document id) of every usable document of every folder."""
    return scan_corpora(corpus).files


def describe(corpus: CorpusSpec) -> str:
    """The folders for messages: 'seeds' or 'seeds + user-corpus'."""
    return " + ".join(str(folder) for folder in corpus_folders(corpus))
