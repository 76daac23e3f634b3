"""The HTTP API: a real `python -m qa serve` on a free loopback port, called over HTTP, stopped by PID."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import jsonschema
import pytest
from conftest import REPOSITORY, SEEDS

from qa.cli import main
from qa.evaluate import load_cases
from qa.schema import reply_schema

CANNED = REPOSITORY / "tests" / "canned_questions.json"
VALIDATOR = jsonschema.Draft202012Validator(reply_schema())
START_TIMEOUT = 120  # seconds; a loaded 2-core machine imports slowly

# A made-up article (not from the seeds) to upload.
UPLOADED = (
    "Marlow Quay opens its new library\n\n"
    "MARLOW QUAY, 14 May 2031 (Quay Courier) - The town of Marlow Quay opened its new public library on Tuesday.\n"
    "Mayor Edda Brannock cut the ribbon in front of about three hundred residents.\n"
    "The library holds forty thousand books and a small maritime museum.\n"
    "It was designed by the architect Tomas Veldhuis, who grew up in the town.\n"
)
FERRY = (
    "Night ferry returns to the northern route\n\n"
    "The night ferry between Kestrel Point and Amberholm resumed service on Friday after two years.\n"
    "The operator said the crossing takes six hours and carries up to two hundred passengers.\n"
    "Local shops expect more visitors during the summer festival.\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_server(index_dir: Path, corpus_dir: Path, log_path: Path):
    """`python -m qa serve` in a subprocess; yields its base URL once /health answers."""
    port = _free_port()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "qa", "serve", "--port", str(port), "--index", str(index_dir), "--corpus", str(corpus_dir)],
            cwd=REPOSITORY,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within {START_TIMEOUT} s: {log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def seed_server(seed_index_dir, tmp_path_factory):
    with running_server(seed_index_dir, SEEDS, tmp_path_factory.mktemp("logs") / "seed-server.log") as url:
        yield url


@pytest.fixture(scope="module")
def writable_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("api-corpus") / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="module")
def writable_server(writable_corpus, tmp_path_factory):
    """One server over a writable corpus copy for the upload and rebuild tests (each compares before and after)."""
    folder = tmp_path_factory.mktemp("api-index")
    with running_server(folder / "index", writable_corpus, folder / "server.log") as url:
        yield url


def _ask(url: str, question: str, **fields) -> dict:
    response = httpx.post(f"{url}/ask", json={"question": question, **fields}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def _normalised(value):
    return json.loads(json.dumps(value))


# ---------------------------------------------------------------- answers


def test_every_canned_question_is_answered_over_http_exactly_as_the_library_does(seed_server, canned_replies):
    for case in load_cases(CANNED):
        conversation = f"case-{case['id']}"
        for earlier in case.get("after", []):
            _ask(seed_server, earlier, conversation_id=conversation)
        reply = _ask(seed_server, case["question"], conversation_id=conversation)
        assert reply.pop("conversation_id") == conversation
        assert reply == canned_replies[case["id"]], case["id"]


def test_http_replies_are_the_cli_json_lines(seed_server, seed_index_dir, tmp_path, capsys):
    questions = [case["question"] for case in load_cases(CANNED) if not case.get("after")][:12]
    question_file = tmp_path / "questions.txt"
    question_file.write_text("\n".join(questions), encoding="utf-8")
    assert main(["ask", "--json", "--questions", str(question_file), "--index", str(seed_index_dir)]) == 0
    cli_replies = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    http_replies = [_ask(seed_server, question) for question in questions]
    for reply in http_replies:
        reply.pop("conversation_id")
    assert http_replies == cli_replies


def test_a_question_without_searchable_words_is_declined(seed_server):
    reply = _ask(seed_server, "?!")
    assert reply["declined"] and "no sentence shares a word" in reply["text"]


def test_a_new_conversation_gets_an_id_that_carries_follow_ups(seed_server):
    first = _ask(seed_server, "Who is the head of Hamas?")
    follow_up = _ask(seed_server, "Where was he based?", conversation_id=first["conversation_id"])
    assert follow_up["resolved_question"] == "Where was Ismail Haniyeh based?" and follow_up["answer"] == "Doha"
    alone = _ask(seed_server, "Where was he based?")
    assert alone["conversation_id"] != first["conversation_id"] and alone["resolved_question"] is None


def test_a_conversation_survives_a_restart_and_is_listed_with_the_apps(seed_index_dir, tmp_path):
    """Conversations live in the app's SQLite store beside the index, not in the server's memory."""
    from qa import conversations

    with running_server(seed_index_dir, SEEDS, tmp_path / "first.log") as url:
        first = _ask(url, "Who is the head of Hamas?")
    with running_server(seed_index_dir, SEEDS, tmp_path / "second.log") as url:
        follow_up = _ask(url, "Where was he based?", conversation_id=first["conversation_id"])
    assert follow_up["resolved_question"] == "Where was Ismail Haniyeh based?" and follow_up["answer"] == "Doha"
    database = conversations.default_database(seed_index_dir)
    turns = conversations.conversation_turns(database, first["conversation_id"])
    assert [turn.question for turn in turns] == ["Who is the head of Hamas?", "Where was he based?"]
    assert all(turn.answer is not None for turn in turns)
    listed = {conversation.id: conversation.title for conversation in conversations.list_conversations(database)}
    assert listed[first["conversation_id"]] == "Who is the head of Hamas?"


# ---------------------------------------------------------------- scope


def test_outlet_scope_cites_only_that_outlets_documents(seed_server, seed_index):
    outlets = {document["doc_id"]: document["outlet"] for document in seed_index.documents}
    everything = _ask(seed_server, "Who is the head of Hamas?")
    assert len({outlets[citation["doc"]] for citation in everything["citations"]}) > 1
    scoped = _ask(seed_server, "Who is the head of Hamas?", outlets=["wai"])  # case-insensitive
    assert scoped["citations"] and {outlets[citation["doc"]] for citation in scoped["citations"] + scoped["related"]} == {"WAI"}


def test_date_scope_cites_only_documents_dated_inside_it(seed_server, seed_index):
    dates = {document["doc_id"]: document["date"] for document in seed_index.documents}
    scoped = _ask(seed_server, "When did Khamenei meet Haniyeh?", date_from="2024-01-01", date_to="2024-12-31")
    cited = scoped["citations"] + scoped["related"]
    assert cited and all("2024-01-01" <= dates[citation["doc"]] <= "2024-12-31" for citation in cited)
    hits = httpx.get(f"{seed_server}/search", params={"q": "Haniyeh", "date_to": "2023-12-31", "k": 50}, timeout=30).json()
    assert hits and all(dates[hit["doc"]] and dates[hit["doc"]] <= "2023-12-31" for hit in hits)


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"outlets": ["No Such Outlet"]}, 400, "no document is from"),
        ({"date_from": "2031-01-01"}, 400, "no document is in the scope"),
        ({"date_from": "2024-02-01", "date_to": "2024-01-01"}, 422, "is after"),
        ({"date_from": "5 November 2023"}, 422, "date"),
        ({"conversation_id": "../etc"}, 422, "pattern"),
        ({"question": ""}, 422, "at least 1 character"),
        ({"question": "x" * 1001}, 422, "at most 1000 characters"),
    ],
    ids=["unknown-outlet", "no-document-in-dates", "reversed-dates", "not-iso", "bad-conversation-id", "empty", "too-long"],
)
def test_bad_requests_get_a_clear_error_without_traceback(seed_server, fields, status, message):
    body = {"question": "When did they meet?", **fields}
    response = httpx.post(f"{seed_server}/ask", json=body, timeout=30)
    assert response.status_code == status, response.text
    assert message in response.text and "Traceback" not in response.text


# ---------------------------------------------------------------- search, documents, health, docs


def test_search_is_the_cli_search(seed_server, seed_index_dir, capsys):
    assert main(["search", "--json", "-k", "5", "--index", str(seed_index_dir), "Haniyeh based"]) == 0
    expected = json.loads(capsys.readouterr().out)
    response = httpx.get(f"{seed_server}/search", params={"q": "Haniyeh based", "k": 5}, timeout=30)
    assert response.status_code == 200 and response.json() == expected and len(expected) == 5
    assert httpx.get(f"{seed_server}/search", params={"q": "x", "k": 0}, timeout=30).status_code == 422


def test_documents_and_health_describe_the_served_index(seed_server, seed_index):
    documents = httpx.get(f"{seed_server}/documents", timeout=30).json()["documents"]
    assert [document["doc_id"] for document in documents] == [document["doc_id"] for document in seed_index.documents]
    assert all(document["sentences"] > 0 for document in documents)
    health = httpx.get(f"{seed_server}/health", timeout=30).json()
    assert health["status"] == "ok" and health["schema_version"] == "1"
    assert health["documents"] == len(documents) and health["sentences"] == sum(document["sentences"] for document in documents) == len(seed_index)


def test_openapi_documents_every_endpoint(seed_server):
    spec = httpx.get(f"{seed_server}/openapi.json", timeout=30).json()
    assert {"/ask", "/search", "/documents", "/health"} <= set(spec["paths"])
    reply = spec["paths"]["/ask"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "confidence" in reply["properties"] and "$ref" not in json.dumps(reply)
    docs = httpx.get(f"{seed_server}/docs", timeout=30)
    assert docs.status_code == 200 and "openapi.json" in docs.text


def test_load_test_command_checks_every_reply(seed_server, capsys):
    assert main(["loadtest", "--url", seed_server, "--clients", "4", "--questions", "60", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 60 and report["failures"] == 0 and report["schema_checked"]
    assert 0 < report["p50_ms"] <= report["p95_ms"] <= report["max_ms"] and report["throughput"] > 0


def test_load_test_reports_failures(tmp_path, capsys):
    """A server that is not there: every question fails, and the command says so with exit status 1."""
    questions = tmp_path / "questions.txt"
    questions.write_text("Who met whom?\n", encoding="utf-8")
    assert main(["loadtest", "--url", f"http://127.0.0.1:{_free_port()}", "--clients", "2", "--questions", "4", "--questions-file", str(questions)]) == 1
    assert "0 checked ok, 4 failed" in capsys.readouterr().out


# ---------------------------------------------------------------- uploads and rebuilds


def test_upload_adds_an_answerable_document_and_refuses_bad_files(writable_server, writable_corpus):
    before = set(path.name for path in writable_corpus.iterdir())
    documents_before = httpx.get(f"{writable_server}/health", timeout=30).json()["documents"]
    files = [
        ("files", ("library news.txt", UPLOADED.encode(), "text/plain")),
        ("files", ("../escape.txt", b"Some words here. More words there.", "text/plain")),
        ("files", ("copy.txt", (SEEDS / "001_5260309de2f31b0e.txt").read_bytes(), "text/plain")),
        ("files", ("empty.md", b"   ", "text/plain")),
        ("files", ("program.py", b"print(1)", "text/plain")),
    ]
    response = httpx.post(f"{writable_server}/documents", files=files, timeout=120)
    assert response.status_code == 200, response.text
    body = response.json()
    results = {result["name"]: result for result in body["results"]}
    assert results["library news.txt"]["accepted"] and results["library news.txt"]["saved_as"] == "library news.txt"
    assert [name for name, result in results.items() if not result["accepted"]] == ["../escape.txt", "copy.txt", "empty.md", "program.py"]
    assert "already in the corpus" in results["copy.txt"]["reason"] and "plain name" in results["../escape.txt"]["reason"]
    assert body["rebuilt"] and body["documents"] == documents_before + 1
    # uploads go into the user folder beside the corpus (as in the app), never into the corpus folder itself
    assert set(path.name for path in writable_corpus.iterdir()) == before
    user_folder = writable_corpus.parent / "user-corpus"
    assert [path.name for path in user_folder.iterdir()] == ["library news.txt"]
    uploaded_id = "user-corpus/library news.txt"
    assert uploaded_id in [document["doc_id"] for document in httpx.get(f"{writable_server}/documents", timeout=30).json()["documents"]]
    reply = _ask(writable_server, "Who opened the new library in Marlow Quay?")
    assert reply["citations"] and reply["citations"][0]["doc"] == uploaded_id


def test_only_rejected_uploads_do_not_rebuild(writable_server):
    generation = httpx.get(f"{writable_server}/health", timeout=30).json()["generation"]
    response = httpx.post(f"{writable_server}/documents", files=[("files", ("notes.pdf", b"%PDF-1.4", "application/pdf"))], timeout=60)
    assert response.status_code == 200 and not response.json()["rebuilt"] and not response.json()["results"][0]["accepted"]
    assert httpx.get(f"{writable_server}/health", timeout=30).json()["generation"] == generation


def test_requests_during_rebuilds_are_answered_and_consistent(writable_server):
    """Clients keep asking while uploads and rebuilds swap the index: every reply is complete and the same answer."""
    questions = ["Where was Haniyeh based?", "Who is the head of Hamas?", "When did Khamenei meet Haniyeh?"]
    expected = {question: _ask(writable_server, question) for question in questions}
    stop = threading.Event()
    problems: list[str] = []
    answered = [0]

    def client(offset: int) -> None:
        with httpx.Client(timeout=120) as http:
            position = offset
            while not stop.is_set():
                question = questions[position % len(questions)]
                position += 1
                response = http.post(f"{writable_server}/ask", json={"question": question})
                reply = response.json() if response.status_code == 200 else {}
                if response.status_code != 200 or not VALIDATOR.is_valid(reply):
                    problems.append(f"{response.status_code}: {response.text[:200]}")
                elif (reply["answer"], [(c["doc"], c["sentence_index"]) for c in reply["citations"]]) != (
                    expected[question]["answer"],
                    [(c["doc"], c["sentence_index"]) for c in expected[question]["citations"]],
                ):
                    problems.append(f"a different answer to {question!r}: {reply['answer']!r}")
                answered[0] += 1

    clients = [threading.Thread(target=client, args=(offset,)) for offset in range(3)]
    for thread in clients:
        thread.start()
    try:
        health = httpx.get(f"{writable_server}/health", timeout=30).json()
        generations = {health["generation"]}
        upload = httpx.post(f"{writable_server}/documents", files=[("files", ("zz ferry.txt", FERRY.encode(), "text/plain"))], timeout=120)
        assert upload.status_code == 200 and upload.json()["rebuilt"] and upload.json()["documents"] == health["documents"] + 1
        generations.add(upload.json()["generation"])
        for _ in range(2):
            rebuilt = httpx.post(f"{writable_server}/index/rebuild", timeout=120)
            assert rebuilt.status_code == 200 and rebuilt.json()["documents"] == health["documents"] + 1
            generations.add(rebuilt.json()["generation"])
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=120)
    assert not problems, problems[:3]
    assert answered[0] >= 3 and len(generations) == 4
