"""A small load test of a running `python -m qa serve`: concurrent clients, throughput, latency.

Every reply is checked: HTTP 200, the reply schema (when jsonschema is installed, as it is
with the test tools), the question echoed back, and the same reply each time the same
question comes back (answers are deterministic, so any difference is corruption).
"""

from __future__ import annotations

import http.client
import json
import math
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from qa.errors import QAError

MAX_PROBLEMS_SHOWN = 5


@dataclass
class LoadReport:
    """Figures of one load test run; latencies in milliseconds, wall-clock from first request to last reply."""

    url: str
    clients: int
    questions: int
    seconds: float
    throughput: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    failures: int
    schema_checked: bool
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def load_questions(path: Path) -> list[str]:
    """Questions from a canned-question JSON file (cases that are not follow-ups) or a file of one question per line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QAError(f"cannot read {path}: {error}") from None
    if Path(path).suffix == ".json":
        try:
            cases = json.loads(text)["cases"]
            questions = [case["question"] for case in cases if not case.get("after")]
        except (ValueError, KeyError, TypeError) as error:
            raise QAError(f"{path} is not a canned-question file: {error}") from None
    else:
        questions = [line.strip() for line in text.splitlines() if line.strip()]
    if not questions:
        raise QAError(f"no questions in {path}")
    return questions


def _percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def _schema_validator():
    try:
        import jsonschema
    except ImportError:
        return None
    from qa.schema import reply_schema

    schema = reply_schema()
    return jsonschema.Draft202012Validator(schema)


def run_load_test(url: str, questions: list[str], clients: int = 8, total: int = 2000) -> LoadReport:
    """Ask `total` questions (cycling through `questions`) from `clients` threads with keep-alive connections."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise QAError(f"give the server as http://HOST:PORT, not {url!r}")
    host, port = parts.hostname, parts.port or 80
    validator = _schema_validator()
    lock = threading.Lock()
    next_item = iter(range(total))
    latencies: list[float] = []
    problems: list[str] = []
    first_replies: dict[str, dict] = {}

    def check(question: str, status: int, body: bytes) -> str | None:
        if status != 200:
            return f"HTTP {status} for {question!r}: {body[:200]!r}"
        try:
            reply = json.loads(body)
        except ValueError:
            return f"not JSON for {question!r}"
        if validator is not None:
            error = next(iter(validator.iter_errors(reply)), None)
            if error is not None:
                return f"schema: {error.message} for {question!r}"
        if reply.get("question") != question:
            return f"asked {question!r}, the reply is for {reply.get('question')!r}"
        reply.pop("conversation_id", None)
        with lock:
            first = first_replies.setdefault(question, reply)
        return None if first == reply else f"a different reply to {question!r} than before"

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=120)
        while True:
            with lock:
                item = next(next_item, None)
            if item is None:
                break
            question = questions[item % len(questions)]
            body = json.dumps({"question": question}).encode("utf-8")
            started = time.perf_counter()
            try:
                connection.request("POST", "/ask", body=body, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                status, data = response.status, response.read()
            except (OSError, http.client.HTTPException) as error:
                status, data = 0, str(error).encode()
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=120)
            elapsed = (time.perf_counter() - started) * 1000
            problem = check(question, status, data)
            with lock:
                latencies.append(elapsed)
                if problem:
                    problems.append(problem)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    latencies.sort()
    return LoadReport(
        url=url,
        clients=clients,
        questions=total,
        seconds=round(seconds, 2),
        throughput=round(total / seconds, 1) if seconds else 0.0,
        p50_ms=round(_percentile(latencies, 0.50), 1),
        p95_ms=round(_percentile(latencies, 0.95), 1),
        max_ms=round(latencies[-1], 1) if latencies else 0.0,
        failures=len(problems),
        schema_checked=validator is not None,
        problems=problems[:MAX_PROBLEMS_SHOWN],
    )


def format_report(report: LoadReport) -> str:
    lines = [
        f"{report.questions} questions from {report.clients} clients to {report.url} in {report.seconds:.1f} s",
        f"throughput  {report.throughput:.1f} questions/s",
        f"latency     p50 {report.p50_ms:.1f} ms, p95 {report.p95_ms:.1f} ms, max {report.max_ms:.1f} ms",
        f"replies     {report.questions - report.failures} checked ok, {report.failures} failed"
        + ("" if report.schema_checked else " (schema not checked: jsonschema is not installed)"),
    ]
    lines += [f"  {problem}" for problem in report.problems]
    return "\n".join(lines)
