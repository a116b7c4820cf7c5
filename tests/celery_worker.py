"""A real Celery worker process for the tests that must not run tasks eagerly."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def celery_worker(
    *,
    hostname: str,
    env: dict[str, str] | None = None,
    args: Sequence[str] = (),
    output: IO | int = subprocess.PIPE,
) -> Iterator[subprocess.Popen]:
    """Start ``celery worker`` on the default queue, yield the process, and always stop it.

    ``args`` go to ``celery worker`` as well; ``output`` takes its log (a file for a worker that
    may log a lot: nobody reads the pipe while the test runs)."""
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--queues=default", "--without-gossip", "--without-mingle",
            "--loglevel=WARNING", f"--hostname={hostname}@%h", *args,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def assert_still_running(worker: subprocess.Popen) -> None:
    assert worker.poll() is None, worker.stdout.read().decode()


def kill_hard(worker: subprocess.Popen) -> None:
    """SIGKILL, as the OOM killer or a lost host does: no warm shutdown, nothing handed back to
    the broker, no acknowledgement."""
    worker.kill()
    worker.wait(timeout=10)
