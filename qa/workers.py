"""Worker processes for the build: fresh interpreters fed over pipes, never forked.

A build may run inside a threaded server (Streamlit). A child forked from a threaded process can
deadlock on a lock another thread held at the fork, and inherits the server's listening socket;
multiprocessing's "spawn" re-runs the server's main script (Streamlit's app) in every child. So
each worker is `python -m qa.workers`, started with subprocess (fork and exec at once, no inherited
descriptors): it reads pickled tasks on stdin and writes pickled results on stdout. A task that does
not come back within its time limit, or whose worker dies, fails alone; its worker is replaced. A
worker exits when its stdin closes (the build ended, or its parent died) or, if busy, when it sees
that its parent is gone.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from qa.errors import BuildError

_READY = "ready"


class TaskFailed(Exception):
    """A task's worker hung past the time limit or died; the message says which."""


class Task:
    """A call handed to a worker, and its outcome once `done`."""

    def __init__(self, function: Callable, arguments: tuple) -> None:
        self.function, self.arguments = function, arguments
        self.done = False
        self.result: Any = None
        self.error: Exception | None = None
        self.started = 0.0


class _Worker:
    def __init__(self) -> None:
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qa.workers", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
        )
        self.started = time.monotonic()
        self.ready = False
        self.task: Task | None = None

    def send(self, task: Task) -> None:
        function = task.function
        pickle.dump((function.__module__, function.__qualname__, task.arguments), self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.flush()
        self.task, task.started = task, time.monotonic()

    def end(self) -> None:
        """Close its stdin (it exits) and make sure it is gone."""
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.process.wait(2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class WorkerPool:
    """`workers` processes running tasks in the order submitted; `wait(task)` returns when it is done."""

    def __init__(self, workers: int, task_timeout: float, start_timeout: float) -> None:
        self.task_timeout, self.start_timeout = task_timeout, start_timeout
        self.workers = [_Worker() for _ in range(workers)]
        self.waiting: deque[Task] = deque()

    def submit(self, function: Callable, arguments: tuple) -> Task:
        task = Task(function, arguments)
        self.waiting.append(task)
        self._dispatch()
        return task

    def wait(self, task: Task) -> Task:
        while not task.done:
            self._poll()
        return task

    def poll(self) -> None:
        """Collect whatever results are there, without waiting."""
        self._poll(block=False)

    def close(self) -> None:
        workers, self.workers = self.workers, []
        for worker in workers:
            worker.end()

    def _dispatch(self) -> None:
        for worker in self.workers:
            if worker.ready and worker.task is None and self.waiting:
                try:
                    worker.send(self.waiting[0])
                except (OSError, ValueError):
                    self._replace(worker)  # died while idle: the task waits for the new one
                    continue
                self.waiting.popleft()

    def _poll(self, block: bool = True) -> None:
        now = time.monotonic()
        deadlines = [worker.task.started + self.task_timeout if worker.task else worker.started + self.start_timeout for worker in self.workers if worker.task or not worker.ready]
        timeout = max(0.0, min(deadlines, default=now + 1) - now) if block else 0.0
        streams = {worker.process.stdout: worker for worker in self.workers if worker.task or not worker.ready}
        readable, _, _ = select.select(list(streams), [], [], timeout) if streams else ([], [], [])
        for stream in readable:
            worker = streams[stream]
            try:
                message = pickle.load(stream)
            except (EOFError, OSError, pickle.UnpicklingError):
                self._failed(worker, f"its worker process died (exit code {_exit_code(worker.process)})")
                continue
            if message == _READY:
                worker.ready = True
            elif worker.task is not None:
                task, worker.task = worker.task, None
                task.done = True
                outcome, value = message
                if outcome == "ok":
                    task.result = value
                else:
                    task.error = TaskFailed(f"its analysis failed ({value})")
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.task is not None and now - worker.task.started > self.task_timeout:
                self._failed(worker, f"its analysis did not finish within {self.task_timeout:g} s")
            elif not worker.ready and now - worker.started > self.start_timeout:
                self.close()
                raise BuildError(f"the build's worker processes did not start within {self.start_timeout:g} s")
        self._dispatch()

    def _failed(self, worker: _Worker, reason: str) -> None:
        task = worker.task
        if task is not None:
            task.done, task.error = True, TaskFailed(reason)
            worker.task = None
        elif not worker.ready:
            self.close()
            raise BuildError(f"a worker process of the build could not start (exit code {worker.process.poll()})")
        self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.end()
        self.workers[self.workers.index(worker)] = _Worker()


# ---------------------------------------------------------------- the worker side


def _watch_parent(parent: int) -> None:
    """Exit when the process that started this one is gone (even while a task runs)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _serve(parent: int) -> None:
    results = os.fdopen(os.dup(1), "wb")
    sys.stdout = sys.stderr  # anything a task prints must not corrupt the results
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    importlib.import_module("qa.analysis")  # the slow imports, before saying ready
    tasks = sys.stdin.buffer
    pickle.dump(_READY, results)
    results.flush()
    while True:
        try:
            module, name, arguments = pickle.load(tasks)
        except EOFError:
            return
        try:
            function = importlib.import_module(module)
            for part in name.split("."):
                function = getattr(function, part)
            message = ("ok", function(*arguments))
        except Exception as error:  # noqa: BLE001 - reported to the parent as the task's failure
            message = ("error", f"{type(error).__name__}: {' '.join(str(error).split())[:160]}")
        pickle.dump(message, results, protocol=pickle.HIGHEST_PROTOCOL)
        results.flush()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))


def _exit_code(process) -> int | None:
    """A dead worker's exit code: its pipe closes a moment before the process can be reaped, so wait briefly."""
    try:
        return process.wait(timeout=5)
    except subprocess.TimeoutExpired:  # still running after closing its pipe (should not happen): say so rather than block
        return process.poll()
