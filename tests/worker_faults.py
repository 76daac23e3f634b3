"""Stand-ins for the per-document analysis that misbehave on purpose, importable by spawned workers.

A test puts one in place of `qa.analysis._analyse_and_save`; the worker processes import it by
name from this module (spawned workers inherit the test's `sys.path`).
"""

from __future__ import annotations

import os
import time

from qa.analysis import _analyse_and_save as analyse_and_save


def hang_or_crash(data, doc_id, content_hash, cached_path):
    """Never returns for a document whose name has "stuck", kills its worker for one with "crash"."""
    name = doc_id.rsplit("/", 1)[-1]
    if "stuck" in name:
        time.sleep(3600)
    if "crash" in name:
        os._exit(3)
    return analyse_and_save(data, doc_id, content_hash, cached_path)

