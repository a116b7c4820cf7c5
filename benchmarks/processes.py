"""The real processes a row starts: gunicorn, Celery worker and beat, a redis-server of its own.

Each is started with its output in a log file of the run's work folder, and stopped by its own
process id (never by name): the shared services and other people's processes are left alone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from benchmarks.environment import ROOT


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(command: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as output:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )


def stop(process: subprocess.Popen, *, timeout: float = 20) -> None:
    """Stop a process we started, and its children (its own process group)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL, as the kernel's OOM killer or a pulled plug would: no clean-up at all."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def log_tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def wait_for_http(port: int, path: str, *, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=5) as reply:  # noqa: S310
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {path} within {timeout:.0f} s")


@contextlib.contextmanager
def gunicorn(*, env: dict[str, str], log: Path, workers: int = 2) -> Iterator[int]:
    """gunicorn config.wsgi as in the Procfile (sync workers, access log), on a free loopback
    port; yields the port once /healthz answers."""
    port = free_port()
    process = _start(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "--access-logfile", "-", "--backlog", "2048",
        ],
        env=env,
        log=log,
    )  # fmt: skip
    try:
        wait_for_http(port, "/healthz", timeout=90, process=process)
        yield port
    finally:
        stop(process)


def celery_worker(
    *, env: dict[str, str], log: Path, name: str, concurrency: int | None = None
) -> subprocess.Popen:
    """A worker on the default queue: one task at a time in its own process (``--pool=solo``,
    as the tests' real worker), or the Procfile's prefork pool of ``concurrency`` processes."""
    pool = [f"--concurrency={concurrency}"] if concurrency else ["--pool=solo"]
    return _start(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", *pool,
            "--queues=default", "--without-gossip", "--without-mingle",
            "--loglevel=WARNING", f"--hostname={name}@%h",
        ],
        env=env,
        log=log,
    )  # fmt: skip


def exit_reason(log: Path) -> str:
    """The line of a log that says why a Celery process gave up, if one does."""
    for line in reversed(log.read_text(errors="replace").splitlines()):
        if "Unrecoverable error" in line or "CRITICAL" in line:
            return line.split("] ", 1)[-1].strip()[:200]
    return log_tail(log, 1)[:200]


def celery_beat(*, env: dict[str, str], log: Path) -> subprocess.Popen:
    return _start(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=WARNING"],
        env=env,
        log=log,
    )


def redis_server_path() -> str | None:
    return shutil.which("redis-server")


def redis_server(*, port: int, log: Path) -> subprocess.Popen:
    """A redis-server of our own (nothing saved to disk), so that stopping it stops no one
    else's Redis."""
    binary = redis_server_path()
    if binary is None:
        raise RuntimeError("redis-server is not installed")
    process = _start(
        [
            binary, "--bind", "127.0.0.1", "--port", str(port),
            "--save", "", "--appendonly", "no", "--daemonize", "no",
        ],
        env=dict(os.environ),
        log=log,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {process.returncode}: {log_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return process
        time.sleep(0.1)
    stop(process)
    raise RuntimeError("redis-server did not start")
