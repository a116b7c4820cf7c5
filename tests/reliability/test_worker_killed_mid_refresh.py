"""kill -9 of the Celery worker in the middle of a refresh: the broker hands the refresh to another
worker, and the snapshot converges to the exact counts (DESIGN §8, "lost work").

"The middle" is made certain, not hoped for: while the test holds an exclusive lock on the
answers table, the refresh takes its own lock, reads the responses and then waits to count the
answers. The test kills the worker there, with the refresh lock taken and the message taken but
not acknowledged. The worker runs with the broker's visibility timeout and the refresh lock in
seconds instead of minutes (tests/reliability/worker_settings.py); nothing else differs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest

from analysis.models import ResultSnapshot
from analysis.services import _lock_key, survey_results_refresh
from analysis.tasks import survey_results_refresh_task
from surveys.models import Answer, Survey
from surveys.services import response_submit
from tests.celery_worker import celery_worker, kill_hard
from tests.reliability.conftest import (
    WORKER_SETTINGS,
    answers_of,
    cache_of,
    database_connect,
    log_tail,
    mood_counts,
    process_env,
    queue_is_consumed,
    send_task,
    stored_mood_counts,
    wait_for,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.real_worker]

RESPONSES = 120
WORKER = "reliability-worker"


def submit_without_queueing(survey: Survey, count: int) -> None:
    """Responses stored as young people submit them; the test queues the one refresh itself."""
    with mock.patch("analysis.receivers.survey_results_refresh_schedule"):
        for number in range(count):
            response_submit(
                survey=survey,
                client_token=uuid.uuid4(),
                language="nl",
                age=6 + number % 12,
                invite_code=None,
                assent=True,
                answers=answers_of(number),
            )


@contextmanager
def answers_table_locked() -> Iterator[None]:
    locker = database_connect()
    try:
        locker.execute("BEGIN")
        locker.execute(f"LOCK TABLE {Answer._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        locker.execute("ROLLBACK")
        locker.close()


def worker_sessions(observer, *, waiting: bool = False) -> list[tuple]:
    query = "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
    if waiting:
        query += " AND wait_event_type = 'Lock'"
    return observer.execute(query, [WORKER]).fetchall()


def test_a_refresh_killed_mid_way_is_delivered_again_and_converges_to_the_exact_counts(
    survey, private_redis, tmp_path
):
    submit_without_queueing(survey, RESPONSES)
    env = process_env(
        redis_url=private_redis.url, application_name=WORKER, settings_module=WORKER_SETTINGS
    )
    cache = cache_of(private_redis)
    observer = database_connect()
    log = tmp_path / "workers.log"

    def worker_log() -> str:
        return f"worker log:\n{log_tail(log)}"

    with log.open("ab") as output:
        with answers_table_locked():
            with celery_worker(
                hostname=f"killed-{uuid.uuid4().hex}", env=env, output=output
            ) as first:
                wait_for(
                    lambda: queue_is_consumed(private_redis),
                    timeout=30,
                    what="the first worker to consume the default queue",
                    details=worker_log,
                )
                send_task(private_redis, survey_results_refresh_task, survey.pk)
                wait_for(
                    lambda: (
                        cache.has_key(_lock_key(survey.pk))
                        and worker_sessions(observer, waiting=True)
                    ),
                    timeout=20,
                    what="the refresh to take its lock and wait to count the answers",
                    details=worker_log,
                )
                kill_hard(first)

            # Killed in the middle, holding the refresh lock: nothing was written, and the
            # broker holds the message as taken but not acknowledged.
            assert not ResultSnapshot.objects.filter(survey=survey).exists()
            assert private_redis.client.hlen("unacked") == 1
            assert private_redis.client.llen("default") == 0

        # The dead worker's database session ends with the client gone, writing nothing.
        wait_for(
            lambda: not worker_sessions(observer),
            timeout=15,
            what="the killed worker's database session to end",
        )
        with celery_worker(hostname=f"second-{uuid.uuid4().hex}", env=env, output=output):
            snapshot = wait_for(
                lambda: ResultSnapshot.objects.filter(survey=survey).first(),
                timeout=40,
                what="another worker to get the refresh again and store the snapshot",
                details=worker_log,
            )
            wait_for(
                lambda: private_redis.client.hlen("unacked") == 0,
                timeout=10,
                what="the redelivered refresh to be acknowledged",
                details=worker_log,
            )
    observer.close()

    assert snapshot.response_count == RESPONSES
    assert stored_mood_counts(snapshot.data) == mood_counts(range(RESPONSES))
    assert snapshot.data == survey_results_refresh(survey=survey).data
