"""Builds with worker processes: spawned (never forked), bounded in time, and never outliving their parent."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import worker_faults
from conftest import REPOSITORY
from made_up_corpus import write_articles

import qa.analysis
from qa.index import SentenceIndex, build_index

TESTS = Path(__file__).resolve().parent


def _children(pid: int) -> list[int]:
    """Live (not zombie) child processes of a process, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _worker_processes() -> list[int]:
    return [pid for pid in _children(os.getpid()) if b"qa.workers" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def test_a_hung_or_crashed_worker_skips_its_document_and_the_build_finishes(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    write_articles(corpus, qa.analysis.PARALLEL_THRESHOLD)
    (corpus / "stuck.txt").write_text("A harbour note\n\nThe harbour of Port Elm reopened on Monday.\n", encoding="utf-8")
    (corpus / "crash.txt").write_text("A bridge note\n\nThe bridge of Northvale was painted on Friday.\n", encoding="utf-8")
    monkeypatch.setattr(qa.analysis, "_analyse_and_save", worker_faults.hang_or_crash)
    monkeypatch.setattr(qa.analysis, "DOCUMENT_TIMEOUT_SECONDS", 3.0)
    monkeypatch.setattr(qa.analysis, "POOL_START_DOCUMENTS", 0, raising=False)
    report = build_index(corpus, tmp_path / "index")
    reasons = {item.name: item.reason for item in report.skipped}
    assert reasons == {"stuck.txt": "its analysis did not finish within 3 s", "crash.txt": "its worker process died (exit code 3)"}
    assert report.documents == qa.analysis.PARALLEL_THRESHOLD  # every other document is indexed
    assert SentenceIndex.load(tmp_path / "index").search("Castlebrook orchard", 1)
    assert not _worker_processes()  # the workers were ended, none is left waiting


def test_workers_are_never_forked(tmp_path, monkeypatch):
    """A process forked from a threaded server can deadlock; workers are fresh interpreters."""

    def no_fork():
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setattr(qa.analysis, "POOL_START_DOCUMENTS", 0, raising=False)
    write_articles(tmp_path / "corpus", qa.analysis.PARALLEL_THRESHOLD)
    report = build_index(tmp_path / "corpus", tmp_path / "index")
    assert report.documents == qa.analysis.PARALLEL_THRESHOLD and not report.skipped


_INTERRUPTED_BUILD = """
import socket, sys, threading
from pathlib import Path
import worker_faults
import qa.analysis
from qa.index import build_index

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
threading.Thread(target=threading.Event().wait, daemon=True).start()  # threaded, as a server is
qa.analysis._analyse_and_save = worker_faults.hang_or_crash
qa.analysis.POOL_START_DOCUMENTS = 0
print(server.getsockname()[1], flush=True)

def progress(done, total):
    if done == 1:  # the next document hangs its worker
        print("building", flush=True)

build_index(Path(sys.argv[1]), Path(sys.argv[2]), progress=progress)
print("finished", flush=True)
"""


def test_sigterm_during_a_build_leaves_no_worker_and_frees_the_port(tmp_path):
    """The server is stopped while a worker hangs: no worker may outlive it or keep its port."""
    write_articles(tmp_path / "corpus", 300)
    (tmp_path / "corpus" / "article-00001-stuck.txt").write_text("A note\n\nThe tram line of Lowmere was inspected.\n", encoding="utf-8")
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPOSITORY), str(TESTS)]))
    process = subprocess.Popen(
        [sys.executable, "-c", _INTERRUPTED_BUILD, str(tmp_path / "corpus"), str(tmp_path / "index")],
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        port = int(process.stdout.readline())
        assert process.stdout.readline().strip() == "building"
        workers = _children(process.pid)
        assert workers
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == -signal.SIGTERM
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", port))  # nobody holds the server's port any more
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
