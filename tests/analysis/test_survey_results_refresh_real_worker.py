"""A real Celery worker process refreshes the snapshot after a submission (no eager mode)."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from django.conf import settings

from analysis.models import ResultSnapshot
from config.celery import app as celery_app
from tests.celery_worker import assert_still_running, celery_worker


def test_database_url() -> str:
    """The test database, which the worker must use instead of the one in DATABASE_URL."""
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.real_worker
def test_a_real_worker_refreshes_the_snapshot_after_a_submission(client, survey, transactional_db):
    assert celery_app.conf.task_always_eager is False
    token = uuid.uuid4().hex
    env = {"REDIS_URL": settings.REDIS_URL, "DATABASE_URL": test_database_url()}
    with celery_worker(hostname=f"test-analysis-{token}", env=env) as worker:
        body = {
            "client_token": str(uuid.uuid4()),
            "language": "nl",
            "age": 13,
            "invite": None,
            "assent": True,
            "answers": {"mood": 2, "sport": "dance"},
        }
        response = client.post(
            f"/api/v1/surveys/{survey.slug}/responses/",
            json.dumps(body),
            content_type="application/json",
        )
        assert response.status_code == 201
        deadline = time.monotonic() + 90
        snapshot = None
        while time.monotonic() < deadline:
            assert_still_running(worker)
            snapshot = ResultSnapshot.objects.filter(survey=survey, response_count=1).first()
            if snapshot is not None:
                break
            time.sleep(0.3)
        assert snapshot is not None, "the worker never refreshed the snapshot"
        mood = next(q for q in snapshot.data["questions"] if q["key"] == "mood")
        assert mood["all"]["counts"]["2"] == 1
