"""A small closed-loop HTTP load generator on asyncio (standard library only).

Why not locust: on a 2-core machine the generator shares the CPU with gunicorn, PostgreSQL and
Redis, and whatever it spends is taken from the server it measures. Locust (gevent plus the
requests library) spends several times more CPU per request than writing a prepared request to
a socket and reading the reply, and would be one more dependency. Here each of ``concurrency``
virtual clients sends one request, waits for the whole reply, and sends the next, for a fixed
time: the same concurrency and the same duration for every endpoint measured, so throughput and
latency are compared on equal terms. gunicorn's sync workers close the connection after every
reply, so every request opens a new TCP connection, as separate phones would.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

REQUEST_TIMEOUT = 30.0


@dataclass
class Sample:
    started: float  # monotonic, seconds
    seconds: float
    status: int  # 0: no HTTP answer (connection refused or reset, timeout)
    body: bytes
    tag: object = None


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    samples: list[Sample] = field(default_factory=list)

    def ok(self, expected: tuple[int, ...]) -> list[Sample]:
        return [sample for sample in self.samples if sample.status in expected]

    def errors(self, expected: tuple[int, ...]) -> int:
        return len(self.samples) - len(self.ok(expected))

    def statuses(self) -> Counter:
        return Counter(sample.status for sample in self.samples)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (no interpolation)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Summary:
    requests: int
    errors: int
    seconds: float
    per_second: float  # successful requests per second
    p50: float
    p95: float
    p99: float
    statuses: dict[int, int]

    @classmethod
    def of(cls, phases: list[Phase], expected: tuple[int, ...]) -> Summary:
        samples = [sample for phase in phases for sample in phase.samples]
        good = [sample for sample in samples if sample.status in expected]
        seconds = sum(phase.seconds for phase in phases)
        latencies = [sample.seconds for sample in good]
        return cls(
            requests=len(samples),
            errors=len(samples) - len(good),
            seconds=seconds,
            per_second=len(good) / seconds if seconds else 0.0,
            p50=percentile(latencies, 0.50),
            p95=percentile(latencies, 0.95),
            p99=percentile(latencies, 0.99),
            statuses=dict(sorted(Counter(sample.status for sample in samples).items())),
        )


Request = Callable[[], tuple[bytes, object]]  # → (raw HTTP request, tag kept with its sample)


def http_request(
    method: str, path: str, *, host: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _one(host: str, port: int, raw: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(raw)
        await writer.drain()
        reply = await reader.read()  # the server closes the connection after the reply
    finally:
        writer.close()
    head, _sep, body = reply.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    status = int(status_line[1]) if len(status_line) >= 2 and status_line[1].isdigit() else 0
    if b"transfer-encoding: chunked" in head.lower():
        body = _unchunk(body)
    return status, body


def _unchunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _sep, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


async def _client(
    host: str, port: int, make: Request, deadline: float, phase: Phase, keep_body: bool
) -> None:
    while time.monotonic() < deadline:
        raw, tag = make()
        started = time.monotonic()
        try:
            status, body = await asyncio.wait_for(_one(host, port, raw), REQUEST_TIMEOUT)
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            status, body = 0, b""
            await asyncio.sleep(0.05)  # a refused connection returns at once: do not spin
        phase.samples.append(
            Sample(started, time.monotonic() - started, status, body if keep_body else b"", tag)
        )


async def _run(
    host: str, port: int, make: Request, concurrency: int, seconds: float, name: str, keep: bool
) -> Phase:
    phase = Phase(name)
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(_client(host, port, make, deadline, phase, keep) for _ in range(concurrency))
    )
    # Requests still running at the deadline finish and count: the time counts them too.
    phase.seconds = time.monotonic() - started
    return phase


def run(
    *,
    host: str,
    port: int,
    make: Request,
    concurrency: int,
    seconds: float,
    name: str = "",
    keep_body: bool = False,
) -> Phase:
    """``concurrency`` clients send requests made by ``make`` for ``seconds``."""
    return asyncio.run(_run(host, port, make, concurrency, seconds, name, keep_body))
