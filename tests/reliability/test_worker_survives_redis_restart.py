"""Redis stops under a Celery worker that is consuming, and starts again: the worker process keeps
running and consumes what is sent once Redis is back (DESIGN §8, "lost work"; README, supervised
processes).

A consuming worker holds messages taken but not yet acknowledged (acks late): a task running in
the prefork pool, or one waiting for its ETA, as every debounced refresh does. When Redis stopped,
kombu's Redis transport tried to give them back on a connection it had already detached, and the
AttributeError it raised ended the worker ("Unrecoverable error: 'NoneType' object has no attribute
'hostname'"; config/celery.py says how). An idle worker, holding nothing, never got that far.

The test makes the worker hold a message for certain rather than by timing: besides a stream of
heartbeats, one heartbeat with a countdown of an hour, which the worker keeps, unacknowledged,
until its ETA. Redis restarts empty (no persistence), so that message is gone; what counts is
that the same worker process reconnects and consumes a new one.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid

import pytest

from config.celery import heartbeat
from tests.celery_worker import celery_worker
from tests.reliability.conftest import (
    PrivateRedis,
    cache_of,
    log_tail,
    process_env,
    queue_is_consumed,
    wait_for,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.real_worker]

DOWN_SECONDS = 10  # how long Redis stays stopped
STREAM = 20  # heartbeats the worker consumes before Redis stops
PRODUCTION = "config.settings"


def publish(server: PrivateRedis, token: str, **options) -> None:
    """Send a heartbeat to ``server``'s broker, as the web process or beat would."""
    from config.celery import app

    with app.connection_for_write(server.url) as connection:
        heartbeat.apply_async((token,), connection=connection, **options)


class Stream:
    """Heartbeats sent one after another from a thread, until stopped (errors once Redis is gone
    are the publisher's, not the worker's: ignored)."""

    def __init__(self, server: PrivateRedis):
        self.server = server
        self.sent: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from config.celery import app

        with app.connection_for_write(self.server.url) as connection:
            while not self._stop.is_set():
                token = uuid.uuid4().hex
                try:
                    heartbeat.apply_async((token,), connection=connection, retry=False)
                except Exception:  # Redis stopped under the publisher
                    return
                self.sent.append(token)
                time.sleep(0.02)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def assert_alive_for(worker: subprocess.Popen, seconds: float, details) -> None:
    """The worker process runs for the next ``seconds`` (checked every tenth of a second)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(
                f"the worker exited ({worker.returncode}) while Redis was down\n{details()}",
                pytrace=False,
            )
        time.sleep(0.1)


def test_a_consuming_worker_outlives_a_redis_restart_and_consumes_again(
    transactional_db, private_redis, tmp_path
):
    log = tmp_path / "worker.log"
    cache = cache_of(private_redis)

    def details() -> str:
        return f"worker log:\n{log_tail(log, 60)}"

    env = process_env(
        redis_url=private_redis.url,
        application_name="reliability-worker",
        settings_module=PRODUCTION,
    )
    with (
        log.open("ab") as output,
        celery_worker(hostname=f"restart-{uuid.uuid4().hex}", env=env, output=output) as worker,
    ):
        wait_for(
            lambda: queue_is_consumed(private_redis),
            timeout=30,
            what="the worker to consume the default queue",
            details=details,
        )
        # Held by the worker, unacknowledged, until its ETA an hour from now.
        publish(private_redis, "held", countdown=60 * 60)
        wait_for(
            lambda: private_redis.client.hlen("unacked") == 1,
            timeout=20,
            what="the worker to take the heartbeat with a countdown",
            details=details,
        )

        stream = Stream(private_redis)
        stream.start()
        wait_for(
            lambda: (
                len(stream.sent) >= STREAM
                and all(cache.get(f"heartbeat:{token}") for token in stream.sent[:STREAM])
            ),
            timeout=30,
            what=f"the worker to consume {STREAM} heartbeats",
            details=details,
        )
        assert private_redis.client.hlen("unacked") >= 1  # the held one, at least

        private_redis.stop()  # SIGTERM, while the stream still runs
        stream.stop()
        assert_alive_for(worker, DOWN_SECONDS, details)

        private_redis.start()  # empty: the held message and the stream's rest are gone
        wait_for(
            lambda: queue_is_consumed(private_redis),
            timeout=40,
            what="the worker to reconnect to the restarted Redis",
            details=details,
        )
        token = uuid.uuid4().hex
        publish(private_redis, token)
        wait_for(
            lambda: cache.get(f"heartbeat:{token}"),
            timeout=30,
            what="the worker to consume a heartbeat sent after Redis came back",
            details=details,
        )
        assert worker.poll() is None, details()
