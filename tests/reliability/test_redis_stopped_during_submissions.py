"""Redis stops while young people submit: every submission is still acknowledged (201) and stored
once; when Redis is back, the sweeper brings the snapshot up to date (DESIGN §8, "lost work";
§9: "losing it loses no submission, only delays snapshots until the sweeper runs").

gunicorn and a Celery worker run as in production, both on a Redis of the test's own (cache and
broker). Redis restarts empty, as one without persistence does: the refreshes queued before it
stopped are gone, and those the submissions tried to queue while it was down never got there.
"""

from __future__ import annotations

import uuid

import pytest

from analysis.models import ResultSnapshot
from analysis.selectors import survey_ids_with_stale_snapshot
from analysis.services import survey_results_refresh
from analysis.tasks import sweep_stale_snapshots
from surveys.models import Response
from tests.celery_worker import celery_worker
from tests.reliability.conftest import (
    assert_acknowledged_and_stored_once,
    log_tail,
    mood_counts,
    post_json,
    process_env,
    queue_is_consumed,
    send_task,
    stored_mood_counts,
    submission,
    submit_url,
    wait_for,
    web_server,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.real_worker]

BEFORE = 5  # submissions while Redis runs
DURING = 6  # submissions while it is down
PRODUCTION = "config.settings"


def test_submissions_while_redis_is_down_are_stored_and_the_sweeper_catches_up_once_it_is_back(
    survey, private_redis, tmp_path
):
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"

    def logs() -> str:
        return f"web:\n{log_tail(web_log)}\nworker:\n{log_tail(worker_log)}"

    def env(name: str) -> dict[str, str]:
        return process_env(
            redis_url=private_redis.url, application_name=name, settings_module=PRODUCTION
        )

    with (
        worker_log.open("ab") as output,
        celery_worker(
            hostname=f"sweeper-{uuid.uuid4().hex}", env=env("reliability-worker"), output=output
        ),
        web_server(env=env("reliability-web"), log=web_log) as web,  # both start at once
    ):
        url = submit_url(web, survey)
        wait_for(lambda: queue_is_consumed(private_redis), timeout=30, what="the worker")

        before = {}
        for number in range(BEFORE):
            body = submission(number)
            before[body["client_token"]] = post_json(url, body)
        assert_acknowledged_and_stored_once(before)
        # The refresh the submissions queued has run, and nothing else waits in the broker.
        wait_for(
            lambda: (
                ResultSnapshot.objects.filter(survey=survey, response_count=BEFORE).exists()
                and not private_redis.client.llen("default")
                and not private_redis.client.hlen("unacked")
            ),
            timeout=30,
            what="the refresh queued by the first submissions",
            details=logs,
        )

        private_redis.stop()
        during = {}
        for number in range(BEFORE, BEFORE + DURING):
            body = submission(number)
            during[body["client_token"]] = post_json(url, body)
        assert_acknowledged_and_stored_once(during)
        assert max(reply.seconds for reply in during.values()) < 5, logs()
        assert Response.objects.filter(survey=survey).count() == BEFORE + DURING
        # No refresh could be queued: the snapshot is behind the database.
        assert ResultSnapshot.objects.get(survey=survey).response_count == BEFORE

        private_redis.start()
        wait_for(
            lambda: queue_is_consumed(private_redis),
            timeout=40,
            what="the worker to reconnect to the restarted Redis",
            details=logs,
        )
        assert survey_ids_with_stale_snapshot() == [survey.pk]
        send_task(private_redis, sweep_stale_snapshots)  # what beat sends every minute
        snapshot = wait_for(
            lambda: ResultSnapshot.objects.filter(
                survey=survey, response_count=BEFORE + DURING
            ).first(),
            timeout=30,
            what="the sweeper's refresh to bring the snapshot up to date",
            details=logs,
        )

    assert stored_mood_counts(snapshot.data) == mood_counts(range(BEFORE + DURING))
    assert snapshot.data == survey_results_refresh(survey=survey).data
    assert survey_ids_with_stale_snapshot() == []
