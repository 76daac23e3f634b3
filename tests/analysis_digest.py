"""Digests of every document's analysis (metadata, sentences, spans, terms, postings), to check that a faster
build writes byte-identical output.

    .venv/bin/python tests/analysis_digest.py FOLDER... --save before.json     # on the old code
    .venv/bin/python tests/analysis_digest.py FOLDER... --compare before.json  # on the new code

Every file of each folder goes through `qa.analysis.analyse_document` (cleaning, metadata, sentence splitting,
analysis, the syndication signature) in one process, without any cache. `--compare` names the first documents
whose analysis differs and exits with status 1 when any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.analysis import analyse_document  # noqa: E402
from qa.corpus import document_id, scan_corpus  # noqa: E402


def document_digest(data: bytes, doc_id: str, signature: bool = True) -> str:
    """The SHA-256 of everything the build keeps of one document (or of the reason it is skipped); without
    the MinHash signature when `signature` is false (to compare code whose signature is meant to differ)."""
    digest = hashlib.sha256()
    try:
        analysis = analyse_document(data, doc_id)
    except ValueError as error:
        digest.update(f"skipped: {error}".encode())
        return digest.hexdigest()
    metadata = analysis.metadata if signature else {key: value for key, value in analysis.metadata.items() if key != "shingle_signature"}
    digest.update(json.dumps(metadata, sort_keys=True, ensure_ascii=False).encode())
    for array in (analysis.columns, analysis.text_offsets, analysis.postings):
        digest.update(str(array.dtype).encode() + str(array.shape).encode() + array.tobytes())
    digest.update(analysis.text)
    digest.update("\n".join(analysis.terms).encode())
    return digest.hexdigest()


def folder_digests(folders: list[Path], signature: bool = True) -> dict[str, str]:
    digests = {}
    for folder in folders:
        for path in scan_corpus(folder).files:
            digests[f"{folder.name}/{document_id(path, folder)}"] = document_digest(path.read_bytes(), document_id(path, folder), signature)
    return digests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path, help="corpus folders")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, help="write the digests to this JSON file")
    action.add_argument("--compare", type=Path, help="compare with digests saved earlier")
    parser.add_argument("--without-signature", action="store_true", help="leave the MinHash signature out of the digests")
    arguments = parser.parse_args()
    started = time.process_time()
    digests = folder_digests(arguments.folders, signature=not arguments.without_signature)
    total = hashlib.sha256("\n".join(f"{name} {value}" for name, value in sorted(digests.items())).encode()).hexdigest()
    print(f"{len(digests)} documents, digest {total[:16]}, {time.process_time() - started:.1f} CPU s")
    if arguments.save:
        arguments.save.write_text(json.dumps(digests, indent=0, sort_keys=True), encoding="utf-8")
        return 0
    saved = json.loads(arguments.compare.read_text(encoding="utf-8"))
    differing = sorted(name for name in saved.keys() | digests.keys() if saved.get(name) != digests.get(name))
    if differing:
        print(f"{len(differing)} documents differ, e.g. {', '.join(differing[:5])}")
        return 1
    print("identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
