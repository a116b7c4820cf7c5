"""A real Celery worker process for the tests that must not run tasks eagerly."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def celery_worker(
    *, hostname: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """Start ``celery worker`` on the default queue, yield the process, and always stop it."""
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--queues=default", "--without-gossip", "--without-mingle",
            "--loglevel=WARNING", f"--hostname={hostname}@%h",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
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
